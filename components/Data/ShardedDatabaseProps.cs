using System.Diagnostics.CodeAnalysis;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.KMS;
using Amazon.CDK.AWS.Logs;

namespace ScalableBackend.Components.Data;

/// <summary>
/// The plain-data settings of a <see cref="ShardedDatabase"/> — everything but the CDK objects it is wired to. A data
/// file's record derives from it, so both are validated by <see cref="ShardedDatabase.Validate"/> with one set of rules
/// and one set of documented defaults.
/// </summary>
public record ShardedDatabaseSettings
{
    /// <summary>
    /// The shards, keyed by a stable id (lower-case letters, digits and dashes, e.g. <c>shard1</c>). Construct ids
    /// come from the key (<c>shard1</c> → <c>Shard1</c>), never from a position, so adding a shard only adds
    /// resources. At least one. Required.
    /// </summary>
    public required IReadOnlyDictionary<string, DatabaseShard> Shards { get; init; }

    /// <summary>
    /// Bucket ranges moving between shards, each at most once at a time. A copying range is still listed under its
    /// old owner's buckets; a switched or cleaned one under its new owner's. Both shards stay declared while a move
    /// names them. Default: none.
    /// </summary>
    public IReadOnlyList<BucketMoveSettings>? Moves { get; init; }

    /// <summary>Number of virtual buckets the key space is divided into, 1–65536; fixed for the life of the data. Default: 1024.</summary>
    public int? BucketCount { get; init; }

    /// <summary>PostgreSQL version <c>major.minor</c>: one listed in <c>components/Data/postgres-versions.json</c> that RDS still creates (a version past its creation deadline is an error, one within 90 days of it a synthesis warning). Default: <see cref="PostgresVersions.Default"/> (17.7).</summary>
    public string? EngineVersion { get; init; }

    /// <summary>gp3 storage allocated at creation, 20–65536 GiB. Default: 100.</summary>
    public int? AllocatedStorageGiB { get; init; }

    /// <summary>Upper limit of storage autoscaling, at least <see cref="AllocatedStorageGiB"/> and at most 65536 GiB; equal to it turns autoscaling off. Default: 4 × the allocated storage (at most 65536).</summary>
    public int? MaxAllocatedStorageGiB { get; init; }

    /// <summary>Whether each writer has a synchronous standby in another zone. Default: true.</summary>
    public bool? MultiAz { get; init; }

    /// <summary>Days automated backups (point-in-time recovery) are kept, 1–35. Default: 7.</summary>
    public int? BackupRetentionDays { get; init; }

    /// <summary>Whether the instances are deletion-protected. Default: true.</summary>
    public bool? DeletionProtection { get; init; }

    /// <summary>Whether deleting or replacing an instance through CloudFormation takes a final snapshot (<c>RemovalPolicy.SNAPSHOT</c>); false destroys it. Default: true.</summary>
    public bool? SnapshotOnDelete { get; init; }

    /// <summary>Whether Performance Insights (7 days, encrypted with <see cref="ShardedDatabaseProps.EncryptionKey"/>) is on; not available on the smallest burstable classes. Default: true.</summary>
    public bool? EnablePerformanceInsights { get; init; }

    /// <summary>
    /// Days between rotations of each shard's master credentials by Secrets Manager's hosted PostgreSQL single-user
    /// rotation function, 1–1000; 0 turns rotation off. Default: 30.
    /// </summary>
    public int? CredentialRotationDays { get; init; }

    /// <summary>Daily backup window in UTC, <c>hh:mm-hh:mm</c>. Default: <c>03:00-04:00</c>.</summary>
    public string? BackupWindow { get; init; }

    /// <summary>Weekly maintenance window in UTC, <c>ddd:hh:mm-ddd:hh:mm</c>. Default: <c>sun:05:00-sun:06:00</c>.</summary>
    public string? MaintenanceWindow { get; init; }
}

/// <summary>Properties of a <see cref="ShardedDatabase"/>: its <see cref="ShardedDatabaseSettings"/> and what it is wired to.</summary>
public sealed record ShardedDatabaseProps : ShardedDatabaseSettings
{
    /// <summary>Creates empty props, to be filled by an object initializer.</summary>
    public ShardedDatabaseProps() { }

    /// <summary>Props from <paramref name="settings"/> (for example a data file's record), the VPC the shards run in and their instance class.</summary>
    [SetsRequiredMembers]
    public ShardedDatabaseProps(ShardedDatabaseSettings settings, IVpc vpc, InstanceType instanceType) : base(settings)
    {
        Vpc = vpc;
        InstanceType = instanceType;
    }

    /// <summary>The VPC. Required.</summary>
    public required IVpc Vpc { get; init; }

    /// <summary>The subnets of the instances, replicas and proxies. Default: the VPC's isolated subnets.</summary>
    public SubnetSelection? Subnets { get; init; }

    /// <summary>The instance class of writers and replicas, e.g. <c>InstanceType.Of(InstanceClass.R6G, InstanceSize.LARGE)</c>. Required.</summary>
    public required InstanceType InstanceType { get; init; }

    /// <summary>
    /// The subnets of the credential-rotation functions and of the database users function (<see cref="T:ScalableBackend.Components.Data.DatabaseUsers"/>);
    /// they must reach the Secrets Manager API (a NAT gateway or an interface endpoint), CloudFormation's response URL
    /// (S3) and the shards. Default: the VPC's private subnets with egress.
    /// </summary>
    public SubnetSelection? RotationSubnets { get; init; }

    /// <summary>The customer-managed KMS key encrypting storage, Performance Insights and the credentials secrets. Default: a new key with rotation, retained on delete.</summary>
    public IKey? EncryptionKey { get; init; }

    /// <summary>How long the exported <c>postgresql</c> and <c>upgrade</c> logs are kept. Default: one year.</summary>
    public RetentionDays? LogRetention { get; init; }

    /// <summary>
    /// Prefix of the instance identifiers, e.g. <c>backend-prod</c>: writers are <c>{prefix}-{shardId}</c>, replicas
    /// <c>{prefix}-{shardId}-replica{n}</c>. Fixed identifiers let the exported logs' groups
    /// (<c>/aws/rds/instance/{id}/postgresql</c> and <c>/upgrade</c>) be created here first, with
    /// <see cref="LogRetention"/> and <see cref="LogEncryptionKey"/>, instead of by RDS without encryption. Changing
    /// it replaces every instance. Default: identifiers CloudFormation generates, and the exported log groups get
    /// their retention from CDK's log-retention function (they are then not KMS-encrypted).
    /// </summary>
    public string? InstanceIdentifierPrefix { get; init; }

    /// <summary>The KMS key encrypting the exported log groups (CloudWatch Logs must be allowed to use it). Also encrypts the database users function's log group. Required with <see cref="InstanceIdentifierPrefix"/> and with <see cref="DatabaseUsers"/>. Default: none.</summary>
    public IKey? LogEncryptionKey { get; init; }

    /// <summary>
    /// The PostgreSQL roles of the database's users (one per user, e.g. <see cref="ShardedDatabase.UserNameOf"/> of a
    /// service's key), each a lower-case identifier of at most 63 characters. Each proxy may connect to its writer as
    /// each of them (end-to-end IAM authentication), and every shard gets each as a role that logs in through IAM
    /// (<c>rds_iam</c>), created by <see cref="T:ScalableBackend.Components.Data.DatabaseUsers"/> (which needs <see cref="LogEncryptionKey"/>); a user
    /// removed from the list loses <c>LOGIN</c>, nothing is dropped. Users are granted <c>rds-db:connect</c> in their own scope with
    /// <see cref="ShardedDatabase.GrantConnect(ShardedDatabaseReference, IDataClient, string)"/>. Default: none.
    /// </summary>
    public IReadOnlyList<string>? DatabaseUsers { get; init; }

    /// <summary>The name of the SSM parameter holding the shard map, e.g. <c>/backend/prod/database/shard-map</c>. Default: a name CloudFormation chooses (read it from <see cref="ShardedDatabase.ShardMap"/>).</summary>
    public string? ShardMapParameterName { get; init; }
}
