using System.Text.Json;

namespace ScalableBackend.Sharding;

/// <summary>The endpoint a shard's connections go to: the proxy when there is one (and it is used), else the writer or a reader.</summary>
/// <param name="ShardId">The shard's id.</param>
/// <param name="Shard">The shard's map entry.</param>
/// <param name="Host">The host connected to.</param>
/// <param name="Port">The port connected to.</param>
public sealed record ShardEndpoint(string ShardId, ShardEntry Shard, string Host, int Port)
{
    /// <summary>Splits <c>host:port</c>.</summary>
    /// <exception cref="FormatException">The text is not <c>host:port</c>.</exception>
    public static (string Host, int Port) Split(string endpoint)
    {
        var colon = endpoint.LastIndexOf(':');
        return colon > 0 && int.TryParse(endpoint.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536
            ? (endpoint[..colon], port)
            : throw new FormatException($"shard endpoint \"{endpoint}\" is not host:port");
    }
}

/// <summary>A user name and password (or IAM token) for a shard.</summary>
/// <param name="Username">The database user.</param>
/// <param name="Password">The password or authentication token.</param>
public sealed record ShardCredentials(string Username, string Password);

/// <summary>How the client authenticates to a shard. Called when a shard's pool is created and every <see cref="RefreshInterval"/> after.</summary>
public interface IShardCredentialProvider
{
    /// <summary>How often the password is fetched again (rotated secrets, IAM tokens that expire); null fetches it once per pool.</summary>
    TimeSpan? RefreshInterval { get; }

    /// <summary>The credentials for connections to <paramref name="endpoint"/>.</summary>
    ValueTask<ShardCredentials> GetAsync(ShardEndpoint endpoint, CancellationToken cancellationToken);
}

/// <summary>Fixed credentials for every shard (local runs and tests).</summary>
/// <param name="username">The user.</param>
/// <param name="password">The password.</param>
public sealed class StaticCredentialProvider(string username, string password) : IShardCredentialProvider
{
    /// <summary>Null: fixed credentials are fetched once.</summary>
    public TimeSpan? RefreshInterval => null;

    /// <inheritdoc/>
    public ValueTask<ShardCredentials> GetAsync(ShardEndpoint endpoint, CancellationToken cancellationToken) => ValueTask.FromResult(new ShardCredentials(username, password));
}

/// <summary>
/// Reads one Secrets Manager secret's string. Implemented by the application with the AWS SDK, e.g.
/// <c>(await secrets.GetSecretValueAsync(new GetSecretValueRequest { SecretId = arn }, ct)).SecretString</c>.
/// </summary>
public interface ISecretReader
{
    /// <summary>The secret string of <paramref name="secretArn"/>.</summary>
    Task<string> GetSecretStringAsync(string secretArn, CancellationToken cancellationToken);
}

/// <summary>Credentials from the shard's secret (<see cref="ShardEntry.SecretArn"/>): RDS's JSON with <c>username</c> and <c>password</c>, read again every <see cref="RefreshInterval"/> to follow rotation.</summary>
/// <param name="reader">Reads the secret (the application's AWS SDK client).</param>
/// <param name="refreshInterval">How often to read it again. Default: one hour.</param>
public sealed class SecretCredentialProvider(ISecretReader reader, TimeSpan? refreshInterval = null) : IShardCredentialProvider
{
    /// <inheritdoc/>
    public TimeSpan? RefreshInterval { get; } = refreshInterval ?? TimeSpan.FromHours(1);

    /// <inheritdoc/>
    public async ValueTask<ShardCredentials> GetAsync(ShardEndpoint endpoint, CancellationToken cancellationToken)
    {
        var arn = endpoint.Shard.SecretArn ?? throw new InvalidOperationException($"shard {endpoint.ShardId} has no secretArn in the shard map; use IAM authentication or give credentials another way");
        var text = await reader.GetSecretStringAsync(arn, cancellationToken).ConfigureAwait(false);
        try
        {
            using var secret = JsonDocument.Parse(text);
            return new ShardCredentials(
                secret.RootElement.GetProperty("username").GetString() ?? throw new FormatException("username is null"),
                secret.RootElement.GetProperty("password").GetString() ?? throw new FormatException("password is null"));
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InvalidOperationException($"the secret of shard {endpoint.ShardId} is not RDS's JSON with username and password", e);
        }
    }
}

/// <summary>Creates RDS IAM authentication tokens; implemented with the AWS SDK's <c>RDSAuthTokenGenerator.GenerateAuthToken(host, port, user)</c>.</summary>
public interface IIamAuthTokenGenerator
{
    /// <summary>A token for <paramref name="username"/> at <paramref name="host"/>:<paramref name="port"/> (valid 15 minutes).</summary>
    ValueTask<string> GenerateAsync(string host, int port, string username, CancellationToken cancellationToken);
}

/// <summary>IAM database authentication: a fresh token every <see cref="RefreshInterval"/> (tokens last 15 minutes). The database user must be granted <c>rds_iam</c>.</summary>
/// <param name="generator">Creates the tokens.</param>
/// <param name="username">The database user.</param>
public sealed class IamAuthCredentialProvider(IIamAuthTokenGenerator generator, string username) : IShardCredentialProvider
{
    /// <summary>Ten minutes, inside the token's 15-minute life.</summary>
    public TimeSpan? RefreshInterval => TimeSpan.FromMinutes(10);

    /// <inheritdoc/>
    public async ValueTask<ShardCredentials> GetAsync(ShardEndpoint endpoint, CancellationToken cancellationToken) =>
        new(username, await generator.GenerateAsync(endpoint.Host, endpoint.Port, username, cancellationToken).ConfigureAwait(false));
}
