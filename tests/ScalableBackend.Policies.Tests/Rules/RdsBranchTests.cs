namespace ScalableBackend.Policies.Tests.Rules;

/// <summary>
/// The RDS rules branch by branch: standalone instances and clusters own their settings, cluster members, replicas,
/// snapshot restores and Aurora Serverless v1 inherit some of them; production-only rules stay quiet elsewhere.
/// </summary>
public sealed class RdsBranchTests
{
    private static IReadOnlyList<Finding> Check(string yaml, string rule, string environment = "prod") =>
        TestTemplates.Check(yaml, environment).Only(rule);

    private static string Instance(string properties, string attributes = "") => $$"""
        Resources:
          Db:
            Type: AWS::RDS::DBInstance
        {{attributes}}
            Properties: { Engine: postgres, DBInstanceClass: db.t4g.micro{{properties}} }
        """;

    private static string ClusterWith(string clusterProperties, int instances, string attributes = "")
    {
        var yaml = $$"""
            Resources:
              Cluster:
                Type: AWS::RDS::DBCluster
            {{attributes}}
                Properties: { Engine: aurora-postgresql{{clusterProperties}} }
            """;
        for (var i = 1; i <= instances; i++)
        {
            yaml += $"\n  Member{i}: {{ Type: AWS::RDS::DBInstance, Properties: {{ Engine: aurora-postgresql, DBInstanceClass: db.r6g.large, DBClusterIdentifier: !Ref Cluster }} }}";
        }

        return yaml;
    }

    // ---------------- cluster members, replicas, snapshots, serverless v1

    [Theory]
    [InlineData("SB-RDS-001")]
    [InlineData("SB-RDS-004")]
    [InlineData("SB-RDS-005")]
    [InlineData("SB-RDS-006")]
    [InlineData("SB-RDS-007")]
    public void A_cluster_member_is_left_to_its_cluster(string rule)
    {
        var findings = Check(ClusterWith(", StorageEncrypted: true, DeletionProtection: true, BackupRetentionPeriod: 7", 2, "    DeletionPolicy: Snapshot\n    UpdateReplacePolicy: Snapshot"), rule);

        Assert.DoesNotContain(findings, f => f.LogicalId.StartsWith("Member", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("SB-RDS-005", "DeletionProtection is missing")]
    [InlineData("SB-RDS-006", "BackupRetentionPeriod is missing (default 1 day)")]
    [InlineData("SB-RDS-001", "StorageEncrypted is missing")]
    public void A_cluster_named_by_its_DBClusterIdentifier_is_still_checked(string rule, string message)
    {
        var yaml = ClusterWith(", DBClusterIdentifier: orders", 2);

        var finding = Assert.Single(Check(yaml, rule));

        Assert.Equal("Cluster", finding.LogicalId);
        Assert.Equal(message, finding.Message);
    }

    [Theory]
    [InlineData("SourceDBInstanceIdentifier: !Ref Primary")]
    [InlineData("SourceDBClusterIdentifier: arn:aws:rds:us-east-1:111122223333:cluster:orders")]
    [InlineData("ReplicationSourceIdentifier: arn:aws:rds:us-east-1:111122223333:db:orders")]
    public void A_read_replica_inherits_encryption_backups_and_multi_az_from_its_source(string source)
    {
        var yaml = Instance(", " + source);

        Assert.Empty(Check(yaml, "SB-RDS-001"));
        Assert.Empty(Check(yaml, "SB-RDS-004"));
        Assert.Empty(Check(yaml, "SB-RDS-006"));
    }

    [Fact]
    public void A_replica_still_needs_deletion_protection_and_a_final_snapshot()
    {
        var yaml = Instance(", SourceDBInstanceIdentifier: !Ref Primary");

        Assert.Equal("DeletionProtection is missing", Assert.Single(Check(yaml, "SB-RDS-005")).Message);
        Assert.Equal(["DeletionPolicy is missing (Delete)", "UpdateReplacePolicy is missing (Delete)"], Check(yaml, "SB-RDS-007").Select(f => f.Message));
    }

    [Theory]
    [InlineData("DBSnapshotIdentifier: arn:aws:rds:us-east-1:111122223333:snapshot:orders")]
    [InlineData("SnapshotIdentifier: arn:aws:rds:us-east-1:111122223333:cluster-snapshot:orders")]
    public void A_database_restored_from_a_snapshot_takes_its_encryption_from_the_snapshot(string snapshot)
    {
        Assert.Empty(Check(Instance(", " + snapshot), "SB-RDS-001"));
    }

    [Fact]
    public void A_standalone_instance_without_encryption_is_reported()
    {
        var finding = Assert.Single(Check(Instance(", StorageEncrypted: false"), "SB-RDS-001"));

        Assert.Equal("Db", finding.LogicalId);
        Assert.Equal("StorageEncrypted is false", finding.Message);
    }

    [Fact]
    public void Aurora_serverless_v1_is_always_encrypted_and_spread_over_zones()
    {
        var yaml = ClusterWith(", EngineMode: serverless", 0);

        Assert.Empty(Check(yaml, "SB-RDS-001"));
        Assert.Empty(Check(yaml, "SB-RDS-004"));
    }

    [Fact]
    public void A_provisioned_cluster_is_not_serverless_v1()
    {
        var yaml = ClusterWith(", EngineMode: provisioned", 0);

        Assert.Equal("StorageEncrypted is missing", Assert.Single(Check(yaml, "SB-RDS-001")).Message);
        Assert.Single(Check(yaml, "SB-RDS-004"));
    }

    // ---------------- SB-RDS-004 Multi-AZ

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void An_aurora_cluster_without_a_second_instance_has_no_failover_target(int instances)
    {
        var finding = Assert.Single(Check(ClusterWith("", instances), "SB-RDS-004"));

        Assert.Equal("Cluster", finding.LogicalId);
        Assert.Equal($"the cluster has {instances} DB instance(s) in this template; a failover target needs at least 2", finding.Message);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void An_aurora_cluster_with_a_writer_and_a_reader_passes(int instances)
    {
        Assert.Empty(Check(ClusterWith("", instances), "SB-RDS-004"));
    }

    [Fact]
    public void A_multi_az_db_cluster_spreads_its_own_instances()
    {
        Assert.Empty(Check(ClusterWith(", DBClusterInstanceClass: db.m6gd.large", 0), "SB-RDS-004"));
    }

    [Fact]
    public void A_single_az_cluster_is_only_reported_in_production()
    {
        Assert.Single(Check(ClusterWith("", 1), "SB-RDS-004"));
        Assert.Empty(Check(ClusterWith("", 1), "SB-RDS-004", "dev"));
    }

    // ---------------- SB-RDS-002 TLS for PostgreSQL versions

    [Theory]
    [InlineData("")]
    [InlineData(", EngineVersion: \"15\"")]
    [InlineData(", EngineVersion: \"15.4\"")]
    [InlineData(", EngineVersion: \"16.1\"")]
    public void Postgres_15_or_later_or_unversioned_forces_tls_by_default(string version)
    {
        Assert.Empty(Check(Instance(version), "SB-RDS-002"));
    }

    [Theory]
    [InlineData(", EngineVersion: \"14.10\"")]
    [InlineData(", EngineVersion: \"13\"")]
    [InlineData(", EngineVersion: latest")]
    public void Postgres_before_15_or_an_unreadable_version_needs_the_parameter(string version)
    {
        var finding = Assert.Single(Check(Instance(version), "SB-RDS-002"));

        Assert.Equal("no DBParameterGroupName: the default parameter group leaves rds.force_ssl off", finding.Message);
    }

    // ---------------- SB-RDS-006 backups, SB-RDS-007 snapshots

    [Fact]
    public void A_missing_backup_retention_is_reported_as_the_one_day_default()
    {
        var finding = Assert.Single(Check(Instance(""), "SB-RDS-006"));

        Assert.Equal("Db", finding.LogicalId);
        Assert.Equal("BackupRetentionPeriod is missing (default 1 day)", finding.Message);
    }

    [Theory]
    [InlineData("    DeletionPolicy: Snapshot\n    UpdateReplacePolicy: Snapshot")]
    [InlineData("    DeletionPolicy: Retain\n    UpdateReplacePolicy: Retain")]
    [InlineData("    DeletionPolicy: Retain\n    UpdateReplacePolicy: Snapshot")]
    public void Snapshot_or_retain_keeps_the_data(string attributes)
    {
        Assert.Empty(Check(Instance("", attributes), "SB-RDS-007"));
    }

    [Theory]
    [InlineData("", "DeletionPolicy is missing (Delete)", "UpdateReplacePolicy is missing (Delete)")]
    [InlineData("    DeletionPolicy: Delete\n    UpdateReplacePolicy: Delete", "DeletionPolicy is Delete", "UpdateReplacePolicy is Delete")]
    public void A_policy_that_drops_the_database_is_reported_for_delete_and_replacement(string attributes, string deletion, string replacement)
    {
        var findings = Check(Instance("", attributes), "SB-RDS-007");

        Assert.Equal([deletion, replacement], findings.Select(f => f.Message));
        Assert.All(findings, f => Assert.Equal("Db", f.LogicalId));
    }

    [Fact]
    public void Only_the_policy_that_drops_the_database_is_reported()
    {
        Assert.Equal(["UpdateReplacePolicy is Delete"], Check(Instance("", "    DeletionPolicy: Snapshot\n    UpdateReplacePolicy: Delete"), "SB-RDS-007").Select(f => f.Message));
        Assert.Equal(["DeletionPolicy is Delete"], Check(Instance("", "    DeletionPolicy: Delete\n    UpdateReplacePolicy: Retain"), "SB-RDS-007").Select(f => f.Message));
    }
}
