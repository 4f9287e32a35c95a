using Npgsql;

namespace ScalableBackend.Sharding;

/// <summary>How a <see cref="ShardedDataSource"/> connects and refreshes.</summary>
public sealed record ShardedDataSourceOptions
{
    /// <summary>The database name on every shard. Default: <c>postgres</c> (the database RDS creates).</summary>
    public string? Database { get; init; }

    /// <summary>The database name per shard id, when shards differ (overrides <see cref="Database"/>). Default: <see cref="Database"/> for every shard.</summary>
    public Func<string, string>? DatabaseOf { get; init; }

    /// <summary>Whether connections go through the shard's RDS Proxy when the map lists one. Default: true.</summary>
    public bool UseProxy { get; init; } = true;

    /// <summary>TLS mode. Default: <see cref="SslMode.VerifyFull"/> (the shards require TLS; trust the RDS CA bundle, e.g. with <see cref="Configure"/>'s <c>RootCertificate</c>).</summary>
    public SslMode SslMode { get; init; } = SslMode.VerifyFull;

    /// <summary>Adjusts every shard's connection string (pool sizes, timeouts, root certificate) after the client has set host, port, database, user and TLS. Default: nothing.</summary>
    public Action<string, NpgsqlConnectionStringBuilder>? Configure { get; init; }

    /// <summary>How often the map is read again in the background; null turns the background refresh off (call <see cref="ShardedDataSource.RefreshAsync"/>). Default: one minute.</summary>
    public TimeSpan? RefreshInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Called when a background refresh fails (the source threw, or the new map is invalid); the previous map stays in use. Default: nothing.</summary>
    public Action<Exception>? OnRefreshError { get; init; }
}
