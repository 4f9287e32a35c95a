namespace ScalableBackend.Components.Data;

/// <summary>
/// The plain-data settings of a <see cref="ShardedDatabase"/> — everything but the CDK objects it is wired to —
/// so a data file can be validated with the same rules as the component's props (<see cref="ShardedDatabase.Validate"/>).
/// </summary>
public interface IShardedDatabaseSettings
{
    /// <summary>The shards, keyed by their stable id.</summary>
    IReadOnlyDictionary<string, DatabaseShard> Shards { get; }
    /// <summary>Number of virtual buckets the key space is divided into.</summary>
    int? BucketCount { get; }
    /// <summary>PostgreSQL engine version.</summary>
    string? EngineVersion { get; }
    /// <summary>Storage allocated at creation, in GiB.</summary>
    int? AllocatedStorageGiB { get; }
    /// <summary>Upper limit of storage autoscaling, in GiB.</summary>
    int? MaxAllocatedStorageGiB { get; }
    /// <summary>Whether each shard has a standby in another zone.</summary>
    bool? MultiAz { get; }
    /// <summary>Days automated backups are kept.</summary>
    int? BackupRetentionDays { get; }
    /// <summary>Whether the instances are deletion-protected.</summary>
    bool? DeletionProtection { get; }
    /// <summary>Whether deleting or replacing an instance through CloudFormation takes a final snapshot.</summary>
    bool? SnapshotOnDelete { get; }
    /// <summary>Whether Performance Insights is on.</summary>
    bool? EnablePerformanceInsights { get; }
    /// <summary>Daily backup window (UTC).</summary>
    string? BackupWindow { get; }
    /// <summary>Weekly maintenance window (UTC).</summary>
    string? MaintenanceWindow { get; }
}
