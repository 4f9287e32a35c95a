using ScalableBackend.Components.Data;
using System.Text.Json.Nodes;
using Amazon.CDK.AWS.EC2;
using ScalableBackend.Components.Caching;
using ScalableBackend.Components.Tests.Support;

namespace ScalableBackend.Components.Tests.Caching;

/// <summary>
/// One small stack, synthesized once: a cluster with defaults (2 shards, users <c>api</c> and <c>web</c>, <c>api</c>
/// granted) and one without replicas.
/// </summary>
public sealed class RedisClusterFixture
{
    public Synthesized Stack { get; }

    public RedisClusterFixture()
    {
        var (stack, vpc) = DataTestStacks.WithVpc();
        var cache = new RedisCluster(stack, "Cache", new RedisClusterProps
        {
            Vpc = vpc, NodeType = "cache.r7g.large", Shards = 2, ParameterPrefix = "/test/cache", Users = ["web", "api"], UserIdPrefix = "test-",
        });
        var user = DataTestStacks.User(stack, vpc, "Api");
        cache.GrantConnect(new DataClient(user.SecurityGroup, user.Role), "api");
        DataTestStacks.User(stack, vpc, "Other"); // never granted
        _ = new RedisCluster(stack, "Single", new RedisClusterProps
        {
            Vpc = vpc, NodeType = "cache.t4g.micro", ReplicasPerShard = 0, EngineVersion = "7.0", MaxMemoryPolicy = MaxMemoryPolicy.AllkeysLfu,
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
    public void AuthenticatesNamedUsersThroughItsUserGroupAndHasNoAuthToken()
    {
        Assert.Null(Cache["AuthToken"]);
        Assert.Empty(fixture.Stack.OfType("AWS::SecretsManager::Secret"));
        var groupId = (string?)Assert.Single(Cache["UserGroupIds"]!.AsArray())!["Ref"];
        Assert.StartsWith("CacheUserGroup", groupId);
        var group = fixture.Properties("CacheUserGroup", "AWS::ElastiCache::UserGroup");
        Assert.Equal("test-users", (string?)group["UserGroupId"]);
        Assert.Equal(["test-default", "test-api", "test-web"], group["UserIds"]!.AsArray().Select(u => (string)u!));
    }

    [Fact]
    public void TheRequiredDefaultUserIsDisabled()
    {
        var user = fixture.Properties("CacheDefaultUser", "AWS::ElastiCache::User");
        Assert.Equal("default", (string?)user["UserName"]);
        Assert.Equal("test-default", (string?)user["UserId"]);
        Assert.StartsWith("off ", (string?)user["AccessString"]);
        Assert.Contains("-@all", (string?)user["AccessString"]);
    }

    [Fact]
    public void EachUserAuthenticatesWithIamAndReachesOnlyItsOwnKeys()
    {
        var api = fixture.Properties("CacheUserApi", "AWS::ElastiCache::User");
        Assert.Equal("iam", (string?)api["AuthenticationMode"]!["Type"]);
        Assert.Equal("test-api", (string?)api["UserId"]);
        Assert.Equal("test-api", (string?)api["UserName"]); // IAM authentication requires user id = user name
        Assert.Equal("on ~api:* +@all -@dangerous", (string?)api["AccessString"]);
        Assert.Null(api["Passwords"]);
        Assert.Equal("on ~web:* +@all -@dangerous", (string?)fixture.Properties("CacheUserWeb", "AWS::ElastiCache::User")["AccessString"]);
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
        Assert.Equal("redis7", (string?)parameters["CacheParameterGroupFamily"]);
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
    public void PublishesTheEndpointAsAParameter()
    {
        var endpoint = fixture.Properties("CacheEndpointParameter", "AWS::SSM::Parameter");
        Assert.Equal("/test/cache/endpoint", (string?)endpoint["Name"]);
        Assert.Contains("ConfigurationEndPoint.Address", endpoint["Value"]!.ToJsonString());
        Assert.DoesNotContain(fixture.Stack.OfType("AWS::SSM::Parameter"), p => p.Id.StartsWith("CacheAuth", StringComparison.Ordinal));
    }

    [Fact]
    public void GrantedUsersConnectAsExactlyTheirOwnUserToExactlyThisReplicationGroup()
    {
        var policy = fixture.Stack.OfType("AWS::IAM::Policy").Single(p => p.Id.StartsWith("ApiRole", StringComparison.Ordinal)).Resource;
        var statements = policy["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray();
        var connect = statements.Single(s => s!["Action"]!.ToJsonString() == "\"elasticache:Connect\"")!;
        var resources = connect["Resource"]!.AsArray().Select(r => Messaging.MessagingTestStacks.Flatten(r)).ToArray();
        Assert.Equal(["arn:<AWS::Partition>:elasticache:us-east-1:<AWS::AccountId>:replicationgroup:<CacheReplicationGroup>",
            "arn:<AWS::Partition>:elasticache:us-east-1:<AWS::AccountId>:user:test-api"],
            resources.Select(r => System.Text.RegularExpressions.Regex.Replace(r, "<CacheReplicationGroup[0-9A-F]+>", "<CacheReplicationGroup>")));
        Assert.DoesNotContain(statements, s => s!["Action"]!.ToJsonString().Contains("secretsmanager:"));
        Assert.Equal(1, statements.Count(s => s!["Action"]!.ToJsonString().Contains("ssm:GetParameter")));
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
        { Valid with { EngineVersion = "6.2" }, "EngineVersion = 6.2 must be 7.0 or later: the cache's users authenticate with IAM, which ElastiCache supports from Redis OSS 7" },
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

    public static TheoryData<string, string[], string> UserRows => new()
    {
        { "test-", ["api", "Api"], "Users[1] = Api must be lower-case letters, digits and dashes, starting with a letter" },
        { "test-", ["default"], "Users[0] = default is the user group's disabled default user; choose another name" },
        { "test-", ["api", "api"], "Users[1] = api is listed twice" },
        { "Test_", ["api"], "UserIdPrefix = Test_ must start with a lower-case letter and hold only lower-case letters, digits and hyphens (ElastiCache user ids)" },
    };

    [Theory]
    [MemberData(nameof(UserRows))]
    public void RejectsUserNamesThatMakeNoElastiCacheUserId(string prefix, string[] users, string expected) =>
        Assert.Equal(expected, Assert.Throws<PropsValidationException>(() => RedisCluster.ValidateUsers(prefix, users)).Detail);

    [Fact]
    public void GrantsOnlyItsOwnUsers()
    {
        var (stack, vpc) = DataTestStacks.WithVpc();
        var cache = new RedisCluster(stack, "Cache", new RedisClusterProps { Vpc = vpc, NodeType = "cache.t4g.micro", Users = ["api"] });
        var user = DataTestStacks.User(stack, vpc, "Web");
        Assert.Equal("user = web is not a user of the cache; its users: api",
            Assert.Throws<PropsValidationException>(() => cache.GrantConnect(new DataClient(user.SecurityGroup, user.Role), "web")).Detail);
    }

    [Fact]
    public void ValidatesBeforeCreatingAnything()
    {
        var (stack, vpc) = DataTestStacks.WithVpc();
        Assert.Throws<PropsValidationException>(() => new RedisCluster(stack, "Cache", new RedisClusterProps { Vpc = vpc, NodeType = "cache.t4g.micro", Shards = 0 }));
        Assert.Null(stack.Node.TryFindChild("Cache")?.Node.TryFindChild("Key"));
    }
}

/// <summary>Adding a user adds an ElastiCache user and changes the user group's list — and nothing else: the replication group stays as it is.</summary>
public sealed class RedisClusterUserStabilityTests
{
    private static Synthesized With(params string[] users)
    {
        var (stack, vpc) = DataTestStacks.WithVpc();
        _ = new RedisCluster(stack, "Cache", new RedisClusterProps { Vpc = vpc, NodeType = "cache.r7g.large", Users = users, UserIdPrefix = "test-" });
        return Synthesized.Of(stack);
    }

    [Fact]
    public void AddingAUserLeavesTheReplicationGroupAndTheOtherUsersUntouched()
    {
        var before = With("web").Resources.ToDictionary(r => r.Id, r => (JsonNode)r.Resource);
        var after = With("web", "api").Resources.ToDictionary(r => r.Id, r => (JsonNode)r.Resource);
        Assert.Empty(before.Keys.Except(after.Keys));
        var added = Assert.Single(after.Keys.Except(before.Keys));
        Assert.StartsWith("CacheUserApi", added);
        var changed = before.Keys.Where(id => !JsonNode.DeepEquals(before[id], after[id])).ToList();
        Assert.Equal([before.Keys.Single(id => id.StartsWith("CacheUserGroup", StringComparison.Ordinal))], changed);
        Assert.Contains(before.Keys, id => id.StartsWith("CacheReplicationGroup", StringComparison.Ordinal));
    }
}
