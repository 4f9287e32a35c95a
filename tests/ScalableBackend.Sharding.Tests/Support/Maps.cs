namespace ScalableBackend.Sharding.Tests.Support;

/// <summary>Shard maps for tests: shards whose writer is the throwaway server (one database per shard id).</summary>
public static class Maps
{
    public static BucketRange R(int from, int to) => new(from, to);

    public static ShardEntry Shard(string endpoint, params BucketRange[] buckets) => new() { Buckets = buckets, Writer = endpoint };

    /// <summary>A map over <paramref name="bucketCount"/> buckets from (id, ranges) pairs, every writer at <paramref name="endpoint"/>.</summary>
    public static ShardMap Of(string endpoint, int bucketCount, IEnumerable<(string Id, BucketRange[] Buckets)> shards, params BucketMove[] moves) =>
        new(bucketCount, shards.ToDictionary(s => s.Id, s => Shard(endpoint, s.Buckets)), moves);

    /// <summary>A data source over <paramref name="map"/> connecting to database <c>{prefix}{shardId}</c> without TLS and without background refresh.</summary>
    public static Task<ShardedDataSource> ClientAsync(JsonShardMapSource source, string prefix) =>
        ShardedDataSource.CreateAsync(source, new StaticCredentialProvider("postgres", "unused"), new ShardedDataSourceOptions
        {
            DatabaseOf = id => prefix + id,
            SslMode = Npgsql.SslMode.Disable,
            RefreshInterval = null,
        });
}
