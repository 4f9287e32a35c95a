namespace ScalableBackend.Sharding;

/// <summary>Where the shard map's JSON comes from; read at start and at every refresh.</summary>
public interface IShardMapSource
{
    /// <summary>The current JSON text of the shard map.</summary>
    Task<string> ReadAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Reads one SSM parameter's value. This library does not depend on the AWS SDK: an application implements it in a
/// line, e.g. <c>(await ssm.GetParameterAsync(new GetParameterRequest { Name = name }, ct)).Parameter.Value</c>.
/// </summary>
public interface ISsmParameterReader
{
    /// <summary>The value of parameter <paramref name="name"/>.</summary>
    Task<string> GetParameterValueAsync(string name, CancellationToken cancellationToken);
}

/// <summary>The shard map from the SSM parameter the stack publishes, e.g. <c>/backend/prod/database/shard-map</c>.</summary>
/// <param name="reader">Reads the parameter (the application's AWS SDK client).</param>
/// <param name="parameterName">The parameter's name.</param>
public sealed class SsmShardMapSource(ISsmParameterReader reader, string parameterName) : IShardMapSource
{
    /// <inheritdoc/>
    public Task<string> ReadAsync(CancellationToken cancellationToken) => reader.GetParameterValueAsync(parameterName, cancellationToken);
}

/// <summary>A shard map given as JSON text (tests, local runs, a map read elsewhere); <see cref="Update"/> replaces it.</summary>
/// <param name="json">The map's JSON text.</param>
public sealed class JsonShardMapSource(string json) : IShardMapSource
{
    private volatile string _json = json;

    /// <summary>A source over the UTF-8 JSON in <paramref name="utf8Json"/>, read to its end now.</summary>
    public static JsonShardMapSource FromStream(Stream utf8Json)
    {
        using var reader = new StreamReader(utf8Json, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true, leaveOpen: true);
        return new JsonShardMapSource(reader.ReadToEnd());
    }

    /// <summary>Replaces the JSON the next read returns.</summary>
    public void Update(string json) => _json = json;

    /// <inheritdoc/>
    public Task<string> ReadAsync(CancellationToken cancellationToken) => Task.FromResult(_json);
}
