using ScalableBackend.Components.Data;
using System.Text.Json.Nodes;
using Amazon.CDK.AWS.EC2;
using ScalableBackend.Components.Caching;
using ScalableBackend.Components.Tests.Support;

namespace ScalableBackend.Components.Tests.Caching;

/// <summary>One small stack, synthesized once: a cluster with defaults (2 shards, a granted user) and one without replicas.</summary>
public sealed class RedisClusterFixture
{
    public Synthesized Stack { get; }

    public RedisClusterFixture()
    {
        var (stack, vpc) = DataTestStacks.WithVpc();
        var cache = new RedisCluster(stack, "Cache", new RedisClusterProps { Vpc = vpc, NodeType = "cache.r7g.large", Shards = 2, ParameterPrefix = "/test/cache" });
        var user = DataTestStacks.User(stack, vpc, "Api");
        cache.GrantConnect(new DataClient(user.SecurityGroup, user.Role));
        DataTestStacks.User(stack, vpc, "Other"); // never granted
        _ = new RedisCluster(stack, "Single", new RedisClusterProps
        {
            Vpc = vpc, NodeType = "cache.t4g.micro", ReplicasPerShard = 0, EngineVersion = "6.2", MaxMemoryPolicy = MaxMemoryPolicy.AllkeysLfu,
        });
        Stack = Synthesized.Of(stack);
    }

    public JsonObject Group(string prefix) => Stack.OfType("AWS::ElastiCache::ReplicationGroup").Single(r => r.Id.StartsWith(prefix, StringComparison.Ordinal)).Resource;
    public JsonObject Properties(string prefix, string type) => Stack.OfType(type).Single(r => r.Id.StartsWith(prefix, StringComparison.Ordinal)).Resource["Properties"]!.AsObject();
}

public sealed class RedisClusterTests(RedisClusterFixture fixture) : IClassFixture<RedisClusterFixture>
{
    private JsonObject Cache => fixture.Group("Cache")["Properties"]!.AsObject();
    private JsonObject Single => fixture.Group("Single")["Properties"]!.AsObject();

    [Fact]
    public void RunsInClusterModeWithTheGivenShardsAndOneReplicaPerShardByDefault()
    {
        Assert.Equal("enabled", (string?)Cache["ClusterMode"]);
        Assert.Equal(2, (int)Cache["NumNodeGroups"]!);
        Assert.Equal(1, (int)Cache["ReplicasPerNodeGroup"]!);
        Assert.Equal("cache.r7g.large", (string?)Cache["CacheNodeType"]);
        Assert.Equal("7.1", (string?)Cache["EngineVersion"]);
    }

    [Fact]
    public void FailsOverAcrossZonesWhenThereIsAReplica()
    {
        Assert.True((bool)Cache["AutomaticFailoverEnabled"]!);
        Assert.True((bool)Cache["MultiAZEnabled"]!);
    }

    [Fact]
    public void IsSingleAzWithoutReplicasButKeepsTheFailoverFlagClusterModeRequires()
    {
        Assert.Equal(0, (int)Single["ReplicasPerNodeGroup"]!);
        Assert.False((bool)Single["MultiAZEnabled"]!);
        Assert.True((bool)Single["AutomaticFailoverEnabled"]!);
    }

    [Fact]
    public void EncryptsInTransitAndAtRestWithACustomerManagedKey()
    {
        Assert.True((bool)Cache["TransitEncryptionEnabled"]!);
        Assert.True((bool)Cache["AtRestEncryptionEnabled"]!);
        var keyId = Cache["KmsKeyId"]!["Fn::GetAtt"]![0]!.GetValue<string>();
        var key = fixture.Stack.Resources.Single(r => r.Id == keyId).Resource;
        Assert.Equal("AWS::KMS::Key", (string?)key["Type"]);
        Assert.True((bool)key["Properties"]!["EnableKeyRotation"]!);
    }

    [Fact]
    public void TakesItsAuthTokenFromAGeneratedSecretByDynamicReference()
    {
        var token = Cache["AuthToken"]!.ToJsonString();
        Assert.StartsWith("{\"Fn::Join\":[\"\",[\"{{resolve:secretsmanager:", token);
        var secret = fixture.Properties("CacheAuthToken", "AWS::SecretsManager::Secret");
        Assert.True((bool)secret["GenerateSecretString"]!["ExcludePunctuation"]!);
        Assert.True((int)secret["GenerateSecretString"]!["PasswordLength"]! >= 32);
    }

    [Fact]
    public void UsesTheIsolatedSubnets()
    {
        var subnets = fixture.Properties("CacheSubnetGroup", "AWS::ElastiCache::SubnetGroup")["SubnetIds"]!.AsArray();
        Assert.Equal(2, subnets.Count);
        Assert.All(subnets, s => Assert.StartsWith("VpcIsolated", (string?)s!["Ref"]));
    }

    [Fact]
    public void AdmitsPort6379OnlyFromGrantedUsers()
    {
        var group = fixture.Properties("CacheSecurityGroup", "AWS::EC2::SecurityGroup");
        Assert.Null(group["SecurityGroupIngress"]);
        // The rule into the cluster's group is the user's: created under the user's security group, never the cluster's.
        var ingress = fixture.Stack.OfType("AWS::EC2::SecurityGroupIngress").Where(i => i.Resource["Properties"]!["GroupId"]!.ToJsonString().Contains("CacheSecurityGroup")).ToArray();
        var (id, rule) = Assert.Single(ingress);
        Assert.StartsWith("ApiSecurityGroupCacheIngress", id);
        Assert.DoesNotContain(fixture.Stack.OfType("AWS::EC2::SecurityGroupIngress"), i => i.Id.StartsWith("Cache", StringComparison.Ordinal));
        Assert.Equal(6379, (int)rule["Properties"]!["FromPort"]!);
        Assert.Equal(6379, (int)rule["Properties"]!["ToPort"]!);
        Assert.StartsWith("ApiSecurityGroup", rule["Properties"]!["SourceSecurityGroupId"]!["Fn::GetAtt"]![0]!.GetValue<string>());
    }

    [Fact]
    public void ParameterGroupIsClusterEnabledWithVolatileLruByDefault()
    {
        var parameters = fixture.Properties("CacheParameterGroup", "AWS::ElastiCache::ParameterGroup");
        Assert.Equal("redis7", (string?)parameters["CacheParameterGroupFamily"]);
        Assert.Equal("yes", (string?)parameters["Properties"]!["cluster-enabled"]);
        Assert.Equal("volatile-lru", (string?)parameters["Properties"]!["maxmemory-policy"]);
    }

    [Fact]
    public void ParameterGroupFollowsTheEngineVersionAndPolicy()
    {
        var parameters = fixture.Properties("SingleParameterGroup", "AWS::ElastiCache::ParameterGroup");
        Assert.Equal("redis6.x", (string?)parameters["CacheParameterGroupFamily"]);
        Assert.Equal("allkeys-lfu", (string?)parameters["Properties"]!["maxmemory-policy"]);
    }

    [Fact]
    public void KeepsSnapshotsAndHasWindowsAndSnapshotsOnDelete()
    {
        Assert.Equal(7, (int)Cache["SnapshotRetentionLimit"]!);
        Assert.Equal("03:00-04:00", (string?)Cache["SnapshotWindow"]);
        Assert.Equal("sun:05:00-sun:06:00", (string?)Cache["PreferredMaintenanceWindow"]);
        Assert.Equal("Snapshot", (string?)fixture.Group("Cache")["DeletionPolicy"]);
    }

    [Fact]
    public void PublishesTheEndpointAndSecretArnAsParameters()
    {
        var endpoint = fixture.Properties("CacheEndpointParameter", "AWS::SSM::Parameter");
        Assert.Equal("/test/cache/endpoint", (string?)endpoint["Name"]);
        Assert.Contains("ConfigurationEndPoint.Address", endpoint["Value"]!.ToJsonString());
        var arn = fixture.Properties("CacheAuthSecretArnParameter", "AWS::SSM::Parameter");
        Assert.Equal("/test/cache/auth-secret-arn", (string?)arn["Name"]);
        Assert.StartsWith("CacheAuthToken", (string?)arn["Value"]!["Ref"]);
    }

    [Fact]
    public void GrantedUsersReadExactlyTheParametersAndTheSecret()
    {
        var policy = fixture.Stack.OfType("AWS::IAM::Policy").Single(p => p.Id.StartsWith("ApiRole", StringComparison.Ordinal)).Resource;
        var statements = policy["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray();
        var secret = statements.Single(s => s!["Action"]!.ToJsonString().Contains("secretsmanager:GetSecretValue"))!;
        Assert.StartsWith("CacheAuthToken", (string?)secret["Resource"]!["Ref"]);
        Assert.Equal(2, statements.Count(s => s!["Action"]!.ToJsonString().Contains("ssm:GetParameter")));
        Assert.DoesNotContain(statements, s => s!["Resource"]!.ToJsonString() == "\"*\"");
        // The user never granted holds no permission at all: no policy of any name is attached to its role.
        var other = fixture.Stack.OfType("AWS::IAM::Role").Single(r => r.Id.StartsWith("OtherRole", StringComparison.Ordinal));
        Assert.Null(other.Resource["Properties"]!["Policies"]);
        Assert.Null(other.Resource["Properties"]!["ManagedPolicyArns"]);
        Assert.DoesNotContain(fixture.Stack.OfType("AWS::IAM::Policy"),
            p => p.Resource["Properties"]!["Roles"]!.AsArray().Any(r => (string?)r!["Ref"] == other.Id));
        Assert.Contains(fixture.Stack.OfType("AWS::IAM::Policy"), // while the granted user's role does have one
            p => p.Resource["Properties"]!["Roles"]!.AsArray().Any(r => ((string?)r!["Ref"])?.StartsWith("ApiRole", StringComparison.Ordinal) == true));
    }
}

/// <summary>The component's validation messages; no synthesis.</summary>
public sealed class RedisClusterValidationTests
{
    private static readonly RedisClusterSettings Valid = new() { NodeType = "cache.r7g.large" };

    public static TheoryData<RedisClusterSettings, string> Rows => new()
    {
        { Valid with { NodeType = "r7g.large" }, "NodeType = r7g.large must be a cache node type such as cache.r7g.large" },
        { Valid with { Shards = 0 }, "Shards = 0 must be between 1 and 500" },
        { Valid with { ReplicasPerShard = 6 }, "ReplicasPerShard = 6 must be between 0 and 5" },
        { Valid with { ReplicasPerShard = -1 }, "ReplicasPerShard = -1 must be between 0 and 5" },
        { Valid with { EngineVersion = "5.0.6" }, "EngineVersion = 5.0.6 must be 6.2 or a Redis 7 version such as 7.1" },
        { Valid with { SnapshotRetentionDays = 36 }, "SnapshotRetentionDays = 36 must be between 0 and 35" },
        { Valid with { SnapshotWindow = "3am" }, "SnapshotWindow = 3am must be a UTC window hh:mm-hh:mm such as 03:00-04:00" },
        { Valid with { MaintenanceWindow = "sunday" }, "MaintenanceWindow = sunday must be a UTC window ddd:hh:mm-ddd:hh:mm such as sun:05:00-sun:06:00" },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void RejectsOutOfRangeSettings(RedisClusterSettings settings, string expected) =>
        Assert.Equal(expected, Assert.Throws<PropsValidationException>(() => RedisCluster.Validate(settings)).Detail);

    [Fact]
    public void AcceptsTheDefaults() => RedisCluster.Validate(Valid);

    [Fact]
    public void ValidatesBeforeCreatingAnything()
    {
        var (stack, vpc) = DataTestStacks.WithVpc();
        Assert.Throws<PropsValidationException>(() => new RedisCluster(stack, "Cache", new RedisClusterProps { Vpc = vpc, NodeType = "cache.t4g.micro", Shards = 0 }));
        Assert.Null(stack.Node.TryFindChild("Cache")?.Node.TryFindChild("Key"));
    }
}
