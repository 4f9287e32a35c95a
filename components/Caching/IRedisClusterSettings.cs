namespace ScalableBackend.Components.Caching;

/// <summary>
/// The plain-data settings of a <see cref="RedisCluster"/> — everything but the CDK objects it is wired to — so a
/// data file can be validated with the same rules as the component's props (<see cref="RedisCluster.Validate"/>).
/// </summary>
public interface IRedisClusterSettings
{
    /// <summary>The cache node type, e.g. <c>cache.r7g.large</c>.</summary>
    string NodeType { get; }
    /// <summary>Shards (node groups) of the cluster.</summary>
    int? Shards { get; }
    /// <summary>Replicas per shard.</summary>
    int? ReplicasPerShard { get; }
    /// <summary>The Redis engine version.</summary>
    string? EngineVersion { get; }
    /// <summary>The eviction policy.</summary>
    MaxMemoryPolicy? MaxMemoryPolicy { get; }
    /// <summary>Days automatic snapshots are kept.</summary>
    int? SnapshotRetentionDays { get; }
    /// <summary>Daily snapshot window (UTC).</summary>
    string? SnapshotWindow { get; }
    /// <summary>Weekly maintenance window (UTC).</summary>
    string? MaintenanceWindow { get; }
}
