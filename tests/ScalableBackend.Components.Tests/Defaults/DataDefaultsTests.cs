using System.Text.Json.Nodes;
using Amazon.CDK.AWS.EC2;
using ScalableBackend.Components.Caching;
using ScalableBackend.Components.Data;
using ScalableBackend.Components.Tests.Observability;
using ScalableBackend.Components.Tests.Support;

namespace ScalableBackend.Components.Tests.Defaults;

/// <summary>
/// A <see cref="ShardedDatabase"/> with one shard owning every bucket, and a <see cref="RedisCluster"/> with only its node
/// type, in one stack, so every documented "Default: …" of ShardedDatabaseSettings/Props, DatabaseShard and
/// RedisClusterSettings/Props is what lands in the template; synthesized once.
/// </summary>
public sealed class DataDefaultsFixture
{
    public Synthesized Result { get; }

    public DataDefaultsFixture()
    {
        var (stack, vpc) = DataTestStacks.WithVpc();
        _ = new ShardedDatabase(stack, "Database", new ShardedDatabaseProps
        {
            Vpc = vpc,
            InstanceType = new InstanceType("r6g.large"),
            Shards = new Dictionary<string, DatabaseShard> { ["shard1"] = new() { Buckets = [new BucketRange { From = 0, To = 1023 }] } },
        });
        _ = new RedisCluster(stack, "Cache", new RedisClusterProps { Vpc = vpc, NodeType = "cache.r7g.large" });
        Result = Synthesized.Of(stack);
    }
}

public sealed class DataDefaultsTests(DataDefaultsFixture fixture) : IClassFixture<DataDefaultsFixture>
{
    private (string Id, JsonObject Resource) Writer => fixture.Result.ById("AWS::RDS::DBInstance", "DatabaseShard1Instance");

    private JsonObject Instance => Writer.Resource["Properties"]!.AsObject();

    private JsonObject ShardMap => JsonNode.Parse(TemplateText.Flatten(fixture.Result.Props("AWS::SSM::Parameter", "DatabaseShardMap")["Value"]))!.AsObject();

    private JsonObject Rotation => fixture.Result.Single("AWS::SecretsManager::RotationSchedule");

    private JsonObject Cache => fixture.Result.Single("AWS::ElastiCache::ReplicationGroup");

    private static IEnumerable<string> Refs(JsonNode? list) => list!.AsArray().Select(s => (string)s!["Ref"]!);

    // ShardedDatabaseSettings

    [Fact]
    public void No_buckets_move_by_default()
    {
        Assert.Equal(1, (int)ShardMap["version"]!);
        Assert.Null(ShardMap["moves"]);
    }

    [Fact]
    public void The_key_space_has_1024_buckets_by_default() =>
        Assert.Equal(1024, (int)ShardMap["bucketCount"]!);

    [Fact]
    public void Validation_reads_an_unset_bucket_count_as_1024()
    {
        static ShardedDatabaseSettings Owning(int last) => new() { Shards = new Dictionary<string, DatabaseShard> { ["shard1"] = new() { Buckets = [new BucketRange { From = 0, To = last }] } } };

        ShardedDatabase.Validate(Owning(1023));
        Assert.Throws<PropsValidationException>(() => ShardedDatabase.Validate(Owning(1022)));
        Assert.Throws<PropsValidationException>(() => ShardedDatabase.Validate(Owning(1024)));
    }

    [Fact]
    public void Shards_run_postgres_17_7_by_default()
    {
        Assert.Equal(("postgres", "17.7"), ((string?)Instance["Engine"], (string?)Instance["EngineVersion"]));
        Assert.Equal("postgres17", (string?)fixture.Result.Single("AWS::RDS::DBParameterGroup")["Family"]);
        Assert.Equal("17.7", PostgresVersions.Default);
    }

    [Fact]
    public void A_shard_starts_with_100_GiB_of_gp3_by_default() =>
        Assert.Equal(("100", "gp3"), ((string?)Instance["AllocatedStorage"], (string?)Instance["StorageType"]));

    [Fact]
    public void Storage_grows_to_4_times_the_allocated_size_by_default() =>
        Assert.Equal(400, (int)Instance["MaxAllocatedStorage"]!);

    [Fact]
    public void A_writer_has_a_standby_in_another_zone_by_default() =>
        Assert.True((bool)Instance["MultiAZ"]!);

    [Fact]
    public void Backups_are_kept_7_days_by_default() =>
        Assert.Equal(7, (int)Instance["BackupRetentionPeriod"]!);

    [Fact]
    public void Shards_are_deletion_protected_by_default() =>
        Assert.True((bool)Instance["DeletionProtection"]!);

    [Fact]
    public void Deleting_or_replacing_a_shard_takes_a_final_snapshot_by_default() =>
        Assert.Equal(("Snapshot", "Snapshot"), ((string?)Writer.Resource["DeletionPolicy"], (string?)Writer.Resource["UpdateReplacePolicy"]));

    [Fact]
    public void Performance_insights_are_on_for_7_days_encrypted_with_the_shards_key_by_default()
    {
        var (keyId, _) = fixture.Result.ById("AWS::KMS::Key", "DatabaseKey");

        Assert.True((bool)Instance["EnablePerformanceInsights"]!);
        Assert.Equal(7, (int)Instance["PerformanceInsightsRetentionPeriod"]!);
        Assert.Equal(keyId, (string?)Instance["PerformanceInsightsKMSKeyId"]!["Fn::GetAtt"]![0]);
    }

    [Fact]
    public void Master_credentials_rotate_every_30_days_by_default() =>
        Assert.Equal("rate(30 days)", (string?)Rotation["RotationRules"]!["ScheduleExpression"]);

    [Fact]
    public void Backups_run_03_00_to_04_00_utc_by_default() =>
        Assert.Equal("03:00-04:00", (string?)Instance["PreferredBackupWindow"]);

    [Fact]
    public void Shard_maintenance_runs_sunday_05_00_to_06_00_utc_by_default() =>
        Assert.Equal("sun:05:00-sun:06:00", (string?)Instance["PreferredMaintenanceWindow"]);

    // ShardedDatabaseProps

    [Fact]
    public void Shards_run_in_the_isolated_subnets_by_default() =>
        Assert.All(Refs(fixture.Result.Single("AWS::RDS::DBSubnetGroup")["SubnetIds"]), s => Assert.StartsWith("VpcIsolatedSubnet", s, StringComparison.Ordinal));

    [Fact]
    public void Rotation_runs_in_the_private_subnets_with_egress_by_default()
    {
        var subnets = TemplateText.Flatten(Rotation["HostedRotationLambda"]!["VpcSubnetIds"]).Split(',');

        Assert.Equal(["{Ref:VpcPrivateSubnet1Subnet536B997A}", "{Ref:VpcPrivateSubnet2Subnet3788AAA1}"], subnets);
    }

    [Fact]
    public void The_database_creates_a_rotating_key_retained_on_delete_for_storage_and_secrets_by_default()
    {
        var (keyId, key) = fixture.Result.ById("AWS::KMS::Key", "DatabaseKey");

        Assert.True((bool)key["Properties"]!["EnableKeyRotation"]!);
        Assert.Equal("Retain", (string?)key["DeletionPolicy"]);
        Assert.Equal(keyId, (string?)Instance["KmsKeyId"]!["Fn::GetAtt"]![0]);
        Assert.Equal(keyId, (string?)fixture.Result.Single("AWS::SecretsManager::Secret")["KmsKeyId"]!["Fn::GetAtt"]![0]);
    }

    [Fact]
    public void Exported_logs_are_kept_one_year_by_default()
    {
        var retentions = fixture.Result.OfType("Custom::LogRetention").Select(r => r.Resource["Properties"]!).ToList();

        Assert.Equal(2, retentions.Count);
        Assert.All(retentions, r => Assert.Equal(365, (int)r["RetentionInDays"]!));
    }

    [Fact]
    public void Without_an_identifier_prefix_cloudformation_names_the_instances_and_rds_creates_the_log_groups_by_default()
    {
        Assert.Null(Instance["DBInstanceIdentifier"]);
        Assert.DoesNotContain(fixture.Result.OfType("AWS::Logs::LogGroup"), g => g.Id.StartsWith("Database", StringComparison.Ordinal));
    }

    [Fact]
    public void The_database_has_no_users_by_default()
    {
        Assert.DoesNotContain(fixture.Result.Resources, r => r.Id.StartsWith("DatabaseUsers", StringComparison.Ordinal));
        Assert.Empty(fixture.Result.OfType(global::ScalableBackend.Components.Data.DatabaseUsers.ResourceType));
    }

    [Fact]
    public void The_shard_map_parameter_is_named_by_cloudformation_by_default() =>
        Assert.Null(fixture.Result.Props("AWS::SSM::Parameter", "DatabaseShardMap")["Name"]);

    // DatabaseShard

    [Fact]
    public void A_shard_has_no_read_replicas_by_default()
    {
        Assert.Single(fixture.Result.OfType("AWS::RDS::DBInstance"));
        Assert.Empty(ShardMap["shards"]!["shard1"]!["readers"]!.AsArray());
    }

    [Fact]
    public void A_shard_has_no_proxy_by_default()
    {
        Assert.Empty(fixture.Result.OfType("AWS::RDS::DBProxy"));
        Assert.Null(ShardMap["shards"]!["shard1"]!["proxy"]);
    }

    // RedisClusterSettings

    [Fact]
    public void The_cache_has_1_shard_by_default() =>
        Assert.Equal(1, (int)Cache["NumNodeGroups"]!);

    [Fact]
    public void Each_cache_shard_has_1_replica_and_multi_az_by_default() =>
        Assert.Equal((1, true), ((int)Cache["ReplicasPerNodeGroup"]!, (bool)Cache["MultiAZEnabled"]!));

    [Fact]
    public void The_cache_runs_redis_7_1_with_the_redis7_parameter_family_by_default()
    {
        Assert.Equal("7.1", (string?)Cache["EngineVersion"]);
        Assert.Equal("redis7", (string?)fixture.Result.Single("AWS::ElastiCache::ParameterGroup")["CacheParameterGroupFamily"]);
    }

    [Fact]
    public void The_cache_evicts_keys_with_a_ttl_least_recently_used_first_by_default() =>
        Assert.Equal("volatile-lru", (string?)fixture.Result.Single("AWS::ElastiCache::ParameterGroup")["Properties"]!["maxmemory-policy"]);

    [Fact]
    public void Cache_snapshots_are_kept_7_days_by_default() =>
        Assert.Equal(7, (int)Cache["SnapshotRetentionLimit"]!);

    [Fact]
    public void Cache_snapshots_run_03_00_to_04_00_utc_by_default() =>
        Assert.Equal("03:00-04:00", (string?)Cache["SnapshotWindow"]);

    [Fact]
    public void Cache_maintenance_runs_sunday_05_00_to_06_00_utc_by_default() =>
        Assert.Equal("sun:05:00-sun:06:00", (string?)Cache["PreferredMaintenanceWindow"]);

    // RedisClusterProps

    [Fact]
    public void The_cache_runs_in_the_isolated_subnets_by_default() =>
        Assert.All(Refs(fixture.Result.Single("AWS::ElastiCache::SubnetGroup")["SubnetIds"]), s => Assert.StartsWith("VpcIsolatedSubnet", s, StringComparison.Ordinal));

    [Fact]
    public void The_cache_creates_a_rotating_key_retained_on_delete_by_default()
    {
        var (keyId, key) = fixture.Result.ById("AWS::KMS::Key", "CacheKey");

        Assert.True((bool)key["Properties"]!["EnableKeyRotation"]!);
        Assert.Equal("Retain", (string?)key["DeletionPolicy"]);
        Assert.Equal(keyId, (string?)Cache["KmsKeyId"]!["Fn::GetAtt"]![0]);
    }

    [Fact]
    public void The_endpoint_parameter_is_named_by_cloudformation_by_default() =>
        Assert.Null(fixture.Result.Props("AWS::SSM::Parameter", "CacheEndpointParameter")["Name"]);

    [Fact]
    public void Only_the_disabled_default_user_may_use_the_cache_by_default()
    {
        var user = fixture.Result.Single("AWS::ElastiCache::User");

        Assert.Equal(("default", "off -@all"), ((string?)user["UserName"], (string?)user["AccessString"]));
        Assert.Single(fixture.Result.Single("AWS::ElastiCache::UserGroup")["UserIds"]!.AsArray());
    }

    [Fact]
    public void User_ids_start_with_a_lower_case_name_of_the_construct_path_by_default()
    {
        Assert.Matches("^test-cache-[0-9a-f]{8}-default$", (string?)fixture.Result.Single("AWS::ElastiCache::User")["UserId"]);
        Assert.Matches("^test-cache-[0-9a-f]{8}-users$", (string?)fixture.Result.Single("AWS::ElastiCache::UserGroup")["UserGroupId"]);
    }
}
