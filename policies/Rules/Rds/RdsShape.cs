namespace ScalableBackend.Policies.Rules.Rds;

/// <summary>Which RDS settings a resource owns: cluster members and replicas inherit them from elsewhere.</summary>
internal static class RdsShape
{
    public const string Instance = "AWS::RDS::DBInstance";
    public const string Cluster = "AWS::RDS::DBCluster";

    /// <summary>An instance of an Aurora (or Multi-AZ DB) cluster: storage, backups and protection are the cluster's.</summary>
    public static bool IsClusterMember(TemplateResource r) => r.Type == Instance && r["DBClusterIdentifier"] is not null;

    /// <summary>A read replica: encryption, backups and Multi-AZ follow its source.</summary>
    public static bool IsReplica(TemplateResource r) =>
        r["SourceDBInstanceIdentifier"] is not null || r["SourceDBClusterIdentifier"] is not null
        || r["ReplicationSourceIdentifier"] is not null;

    /// <summary>Restored from a snapshot: encryption follows the snapshot.</summary>
    public static bool IsFromSnapshot(TemplateResource r) =>
        r["DBSnapshotIdentifier"] is not null || r["SnapshotIdentifier"] is not null;

    /// <summary>Aurora Serverless v1: always encrypted, always spread over AZs by the service.</summary>
    public static bool IsServerlessV1(TemplateResource r) => Values.IsString(r["EngineMode"], "serverless");

    /// <summary>Owns its storage, backup and deletion settings (a standalone instance or a cluster).</summary>
    public static bool OwnsStorage(TemplateResource r) => !IsClusterMember(r) && !IsReplica(r);

    public static readonly IReadOnlyList<string> Types = [Instance, Cluster];
}
