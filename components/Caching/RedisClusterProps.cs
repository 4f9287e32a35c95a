using System.Diagnostics.CodeAnalysis;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.KMS;

namespace ScalableBackend.Components.Caching;

/// <summary>What Redis evicts when memory is full (the <c>maxmemory-policy</c> parameter).</summary>
public enum MaxMemoryPolicy
{
    /// <summary><c>volatile-lru</c>: evict the least recently used among keys that have a TTL. Keys without a TTL are never evicted, so expiry works as intended and durable keys stay.</summary>
    VolatileLru,
    /// <summary><c>allkeys-lru</c>: evict the least recently used of all keys (a pure cache).</summary>
    AllkeysLru,
    /// <summary><c>volatile-lfu</c>: evict the least frequently used among keys that have a TTL.</summary>
    VolatileLfu,
    /// <summary><c>allkeys-lfu</c>: evict the least frequently used of all keys.</summary>
    AllkeysLfu,
    /// <summary><c>volatile-random</c>: evict a random key that has a TTL.</summary>
    VolatileRandom,
    /// <summary><c>allkeys-random</c>: evict a random key.</summary>
    AllkeysRandom,
    /// <summary><c>volatile-ttl</c>: evict the key with a TTL that expires soonest.</summary>
    VolatileTtl,
    /// <summary><c>noeviction</c>: refuse writes when memory is full.</summary>
    Noeviction,
}

/// <summary>
/// The plain-data settings of a <see cref="RedisCluster"/> — everything but the CDK objects it is wired to. A data
/// file's record derives from it, so both are validated by <see cref="RedisCluster.Validate"/> with one set of rules
/// and one set of documented defaults.
/// </summary>
public record RedisClusterSettings
{
    /// <summary>The cache node type, <c>cache.&lt;family&gt;.&lt;size&gt;</c> such as <c>cache.r7g.large</c>. Required.</summary>
    public required string NodeType { get; init; }

    /// <summary>Shards (node groups) the key space is spread over, 1–500. Default: 1.</summary>
    public int? Shards { get; init; }

    /// <summary>
    /// Replicas per shard, 0–5. With at least one, Multi-AZ is on and a replica in another zone takes over its
    /// shard (automatic failover is always on: cluster mode requires it). Default: 1.
    /// </summary>
    public int? ReplicasPerShard { get; init; }

    /// <summary>The Redis engine version, <c>7.x</c> such as <c>7.1</c> (IAM authentication needs Redis OSS 7; <c>6.2</c> is refused); the parameter group family follows it (<c>redis7</c>). Default: <c>7.1</c>.</summary>
    public string? EngineVersion { get; init; }

    /// <summary>
    /// The eviction policy. Default: <see cref="MaxMemoryPolicy.VolatileLru"/> — evicts keys that carry a TTL
    /// first, so keys written without one (locks, counters) survive memory pressure and expiry works as intended.
    /// </summary>
    public MaxMemoryPolicy? MaxMemoryPolicy { get; init; }

    /// <summary>Days automatic snapshots are kept, 0–35 (0 turns snapshots off). Default: 7.</summary>
    public int? SnapshotRetentionDays { get; init; }

    /// <summary>Daily snapshot window in UTC, <c>hh:mm-hh:mm</c>, at least 60 minutes, not overlapping the maintenance window. Default: <c>03:00-04:00</c>.</summary>
    public string? SnapshotWindow { get; init; }

    /// <summary>Weekly maintenance window in UTC, <c>ddd:hh:mm-ddd:hh:mm</c>. Default: <c>sun:05:00-sun:06:00</c>.</summary>
    public string? MaintenanceWindow { get; init; }
}

/// <summary>Properties of a <see cref="RedisCluster"/>: its <see cref="RedisClusterSettings"/> and what it is wired to.</summary>
public sealed record RedisClusterProps : RedisClusterSettings
{
    /// <summary>Creates empty props, to be filled by an object initializer.</summary>
    public RedisClusterProps() { }

    /// <summary>Props from <paramref name="settings"/> (for example a data file's record) and the VPC the cluster runs in.</summary>
    [SetsRequiredMembers]
    public RedisClusterProps(RedisClusterSettings settings, IVpc vpc) : base(settings)
    {
        Vpc = vpc;
    }

    /// <summary>The VPC. Required.</summary>
    public required IVpc Vpc { get; init; }

    /// <summary>The subnets of the cache subnet group. Default: the VPC's isolated subnets.</summary>
    public SubnetSelection? Subnets { get; init; }

    /// <summary>The customer-managed KMS key encrypting the cache at rest. Default: a new key with rotation, retained on delete.</summary>
    public IKey? EncryptionKey { get; init; }

    /// <summary>
    /// SSM parameter path under which users find the cluster: <c>&lt;prefix&gt;/endpoint</c> (configuration endpoint
    /// <c>host:port</c>); for example <c>/backend/prod/cache</c>. Default: none — CloudFormation names the parameter;
    /// read it from <see cref="RedisCluster.EndpointParameter"/>.
    /// </summary>
    public string? ParameterPrefix { get; init; }

    /// <summary>
    /// The cache's users, each an ElastiCache user with IAM authentication whose id and name are
    /// <see cref="UserIdPrefix"/> + the name, allowed every command outside <c>@dangerous</c> on keys under
    /// <c>&lt;name&gt;:</c> (<see cref="RedisCluster.AccessString"/>). Lower-case letters, digits and dashes; not
    /// <c>default</c>. Adding one adds a user to the user group and leaves the replication group as it is. Default: none
    /// (only the disabled default user: nobody can connect).
    /// </summary>
    public IReadOnlyList<string>? Users { get; init; }

    /// <summary>
    /// The prefix of every user id and of the user group id (<c>&lt;prefix&gt;users</c>): ElastiCache user and group ids
    /// are unique per account and region, so include what makes this cluster unique there, e.g. <c>backend-prod-</c>.
    /// Default: a lower-case name unique to this construct's path, followed by <c>-</c>.
    /// </summary>
    public string? UserIdPrefix { get; init; }
}
