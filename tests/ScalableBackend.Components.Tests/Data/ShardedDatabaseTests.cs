using System.Text.Json.Nodes;
using Amazon.CDK.AWS.EC2;
using ScalableBackend.Components.Data;
using ScalableBackend.Components.Tests.Support;

namespace ScalableBackend.Components.Tests.Data;

/// <summary>
/// One small stack, synthesized once: a database with defaults — <c>shard1</c> with a read replica and a proxy,
/// <c>shard2</c> plain — and a granted user; and a relaxed single-shard database as a throw-away environment would declare it.
/// </summary>
public sealed class ShardedDatabaseFixture
{
    public Synthesized Stack { get; }

    public ShardedDatabaseFixture()
    {
        var (stack, vpc) = DataTestStacks.WithVpc();
        var database = new ShardedDatabase(stack, "Database", new ShardedDatabaseProps
        {
            Vpc = vpc,
            InstanceType = new InstanceType("r6g.large"),
            Shards = DataTestStacks.EvenShards(2, customize: (n, s) => n == 1 ? s with { ReadReplicas = 1, EnableProxy = true } : s),
            ShardMapParameterName = "/test/database/shard-map",
            DatabaseUsers = ["svc_api", "svc_other"],
            LogEncryptionKey = ScalableBackend.Components.Networking.Network.CreateLogKey(stack, "LogKey", "test"),
        });
        var user = DataTestStacks.User(stack, vpc, "Api");
        database.GrantConnect(new DataClient(user.SecurityGroup, user.Role), ShardedDatabase.UserNameOf("api"));
        DataTestStacks.User(stack, vpc, "Other"); // never granted
        _ = new ShardedDatabase(stack, "Relaxed", new ShardedDatabaseProps
        {
            Vpc = vpc,
            InstanceType = new InstanceType("t4g.micro"),
            Shards = DataTestStacks.EvenShards(1),
            MultiAz = false, DeletionProtection = false, SnapshotOnDelete = false, EnablePerformanceInsights = false,
            AllocatedStorageGiB = 20, MaxAllocatedStorageGiB = 20, BackupRetentionDays = 1, CredentialRotationDays = 0,
        });
        Stack = Synthesized.Of(stack);
    }

    public (string Id, JsonObject Resource) Resource(string type, string idPrefix) =>
        Stack.OfType(type).Single(r => r.Id.StartsWith(idPrefix, StringComparison.Ordinal));

    public JsonObject Properties(string type, string idPrefix) => Resource(type, idPrefix).Resource["Properties"]!.AsObject();
}

public sealed class ShardedDatabaseTests(ShardedDatabaseFixture fixture) : IClassFixture<ShardedDatabaseFixture>
{
    private const string Instance = "AWS::RDS::DBInstance";
    private JsonObject Shard1 => fixture.Properties(Instance, "DatabaseShard1Instance");
    private JsonObject Relaxed => fixture.Properties(Instance, "RelaxedShard1Instance");

    private IEnumerable<(string Id, JsonObject Resource)> DatabaseInstances =>
        fixture.Stack.OfType(Instance).Where(r => r.Id.StartsWith("Database", StringComparison.Ordinal));

    [Fact]
    public void CreatesOneWriterPerShardNamedAfterItsId()
    {
        var writers = DatabaseInstances.Where(r => r.Resource["Properties"]!["SourceDBInstanceIdentifier"] is null).Select(r => r.Id).ToArray();
        Assert.Equal(2, writers.Length);
        Assert.Contains(writers, id => id.StartsWith("DatabaseShard1Instance", StringComparison.Ordinal));
        Assert.Contains(writers, id => id.StartsWith("DatabaseShard2Instance", StringComparison.Ordinal));
    }

    [Fact]
    public void WritersArePostgresInTheIsolatedSubnetsAndNotPublic()
    {
        Assert.Equal("postgres", (string?)Shard1["Engine"]);
        Assert.Equal("17.7", (string?)Shard1["EngineVersion"]);
        Assert.Equal("db.r6g.large", (string?)Shard1["DBInstanceClass"]);
        Assert.False((bool)Shard1["PubliclyAccessible"]!);
        var subnetGroup = fixture.Properties("AWS::RDS::DBSubnetGroup", "DatabaseShard1InstanceSubnetGroup");
        Assert.All(subnetGroup["SubnetIds"]!.AsArray(), s => Assert.StartsWith("VpcIsolated", (string?)s!["Ref"]));
    }

    [Fact]
    public void EncryptsStorageAndPerformanceInsightsWithACustomerManagedKey()
    {
        Assert.All(DatabaseInstances, r =>
        {
            var p = r.Resource["Properties"]!;
            if (p["SourceDBInstanceIdentifier"] is null)
            {
                Assert.True((bool)p["StorageEncrypted"]!);
                Assert.StartsWith("DatabaseKey", p["KmsKeyId"]!["Fn::GetAtt"]![0]!.GetValue<string>());
            }
            Assert.True((bool)p["EnablePerformanceInsights"]!);
            Assert.StartsWith("DatabaseKey", p["PerformanceInsightsKMSKeyId"]!["Fn::GetAtt"]![0]!.GetValue<string>());
        });
    }

    [Fact]
    public void ReplicasInheritTheirSourcesEncryptionWithoutStorageEncryptedOrKmsKeyId()
    {
        // CloudFormation (validator rule F3020) rejects StorageEncrypted with SourceDBInstanceIdentifier; RDS encrypts a
        // same-region replica with its source's key (CreateDBInstanceReadReplica, KmsKeyId).
        var replicas = DatabaseInstances.Where(r => r.Resource["Properties"]!["SourceDBInstanceIdentifier"] is not null).ToArray();
        Assert.NotEmpty(replicas);
        Assert.All(replicas, r =>
        {
            var p = r.Resource["Properties"]!.AsObject();
            Assert.False(p.ContainsKey("StorageEncrypted"), $"{r.Id} sets StorageEncrypted beside SourceDBInstanceIdentifier");
            Assert.False(p.ContainsKey("KmsKeyId"), $"{r.Id} sets KmsKeyId for a same-region replica");
        });
    }

    [Fact]
    public void UsesGp3StorageWithAutoscalingToFourTimesTheAllocationByDefault()
    {
        Assert.Equal("gp3", (string?)Shard1["StorageType"]);
        Assert.Equal("100", (string?)Shard1["AllocatedStorage"]);
        Assert.Equal(400, (int)Shard1["MaxAllocatedStorage"]!);
    }

    [Fact]
    public void TurnsStorageAutoscalingOffWhenTheMaximumEqualsTheAllocation() => Assert.Null(Relaxed["MaxAllocatedStorage"]);

    [Fact]
    public void IsMultiAzDeletionProtectedAndSnapshotsOnDeleteByDefault()
    {
        var (_, writer) = fixture.Resource(Instance, "DatabaseShard1Instance");
        Assert.True((bool)Shard1["MultiAZ"]!);
        Assert.True((bool)Shard1["DeletionProtection"]!);
        Assert.Equal("Snapshot", (string?)writer["DeletionPolicy"]);
        Assert.Equal("Snapshot", (string?)writer["UpdateReplacePolicy"]);
        Assert.Equal(7, (int)Shard1["BackupRetentionPeriod"]!);
    }

    [Fact]
    public void RelaxesProtectionOnlyWhenThePropsSaySo()
    {
        var (_, writer) = fixture.Resource(Instance, "RelaxedShard1Instance");
        Assert.False((bool)Relaxed["MultiAZ"]!);
        Assert.False((bool)Relaxed["DeletionProtection"]!);
        Assert.Equal("Delete", (string?)writer["DeletionPolicy"]);
        Assert.False((bool)Relaxed["EnablePerformanceInsights"]!);
        Assert.Equal(1, (int)Relaxed["BackupRetentionPeriod"]!);
    }

    [Fact]
    public void ExportsLogsWithARetention()
    {
        Assert.Equal(["postgresql", "upgrade"], Shard1["EnableCloudwatchLogsExports"]!.AsArray().Select(e => (string?)e));
        var retentions = fixture.Stack.OfType("Custom::LogRetention").Where(r => r.Id.StartsWith("DatabaseShard1Instance", StringComparison.Ordinal)).ToArray();
        Assert.Equal(2, retentions.Length);
        Assert.All(retentions, r => Assert.Equal(365, (int)r.Resource["Properties"]!["RetentionInDays"]!));
    }

    [Fact]
    public void UsesIamAuthenticationAndRequiresTls()
    {
        Assert.True((bool)Shard1["EnableIAMDatabaseAuthentication"]!);
        var parameters = fixture.Properties("AWS::RDS::DBParameterGroup", "DatabaseParameterGroup");
        Assert.Equal("1", (string?)parameters["Parameters"]!["rds.force_ssl"]);
        Assert.StartsWith("DatabaseParameterGroup", (string?)Shard1["DBParameterGroupName"]!["Ref"]);
    }

    [Fact]
    public void GeneratesCredentialsInSecretsManagerPerShard()
    {
        Assert.Equal("postgres", (string?)Shard1["MasterUsername"]);
        Assert.Contains("{{resolve:secretsmanager:", Shard1["MasterUserPassword"]!.ToJsonString());
        Assert.Equal(3, fixture.Stack.OfType("AWS::SecretsManager::Secret").Count()); // two shards here, one in Relaxed
    }

    [Fact]
    public void AddsTheConfiguredReadReplicasToTheirShardOnly()
    {
        var replicas = DatabaseInstances.Where(r => r.Resource["Properties"]!["SourceDBInstanceIdentifier"] is not null).ToArray();
        var (id, replica) = Assert.Single(replicas);
        Assert.StartsWith("DatabaseShard1Replica1", id);
        Assert.Contains("DatabaseShard1Instance", replica["Properties"]!["SourceDBInstanceIdentifier"]!.ToJsonString());
        Assert.False((bool)replica["Properties"]!["PubliclyAccessible"]!);
    }

    [Fact]
    public void AddsAProxyRequiringTlsWithAUniqueName()
    {
        var proxy = fixture.Properties("AWS::RDS::DBProxy", "DatabaseShard1Proxy");
        Assert.True((bool)proxy["RequireTLS"]!);
        Assert.Equal("POSTGRESQL", (string?)proxy["EngineFamily"]);
        Assert.Matches("^test-database-shard1-[0-9a-f]{8}-proxy$", (string?)proxy["DBProxyName"]);
        Assert.Single(fixture.Stack.OfType("AWS::RDS::DBProxy"));
    }

    [Fact]
    public void AdmitsPort5432OnlyFromGrantedUsersAndItsOwnProxies()
    {
        Assert.Null(fixture.Properties("AWS::EC2::SecurityGroup", "DatabaseSecurityGroup")["SecurityGroupIngress"]);
        // The rotation functions' and the database users function's rules are their own (RotationSecurityGroup and
        // DatabaseUsersSecurityGroup sources); see their tests.
        var rules = fixture.Stack.OfType("AWS::EC2::SecurityGroupIngress")
            .Where(i => i.Resource["Properties"]!["GroupId"]!.ToJsonString().Contains("DatabaseSecurityGroup")
                && !i.Resource["Properties"]!["SourceSecurityGroupId"]!.ToJsonString().Contains("RotationSecurityGroup")
                && !i.Resource["Properties"]!["SourceSecurityGroupId"]!.ToJsonString().Contains("DatabaseUsersSecurityGroup")).ToArray();
        // The user's rule is the user's own (under its security group); the proxies' rule is the database's.
        Assert.Equal(new[] { "ApiSecurityGroupDatabaseIngress", "DatabaseSecurityGroup" },
            rules.Select(r => r.Id.StartsWith("ApiSecurityGroupDatabaseIngress", StringComparison.Ordinal) ? "ApiSecurityGroupDatabaseIngress" : r.Id[..r.Id.IndexOf("Group", StringComparison.Ordinal)] + "Group").Order());
        var ingress = rules.Select(i => i.Resource["Properties"]!).ToArray();
        Assert.Equal(2, ingress.Length);
        Assert.All(ingress, i => Assert.Null(i["CidrIp"]));
        var sources = ingress.Select(i => i["SourceSecurityGroupId"]!["Fn::GetAtt"]![0]!.GetValue<string>()).Order().ToArray();
        Assert.StartsWith("ApiSecurityGroup", sources[0]);
        Assert.StartsWith("DatabaseSecurityGroup", sources[1]); // the proxy, which shares the shards' group
        Assert.Equal(5432, (int)ingress.Single(i => i["SourceSecurityGroupId"]!.ToJsonString().Contains("Api"))["FromPort"]!);
    }

    [Fact]
    public void EveryShardsMasterSecretRotatesMonthlyThroughSecretsManagersHostedFunctionThatReachesOnlyHttpsAndItsShard()
    {
        Assert.Equal("AWS::SecretsManager-2020-07-23", fixture.Stack.Json["Transform"]!.AsArray().Single()!.GetValue<string>());
        var schedules = fixture.Stack.OfType("AWS::SecretsManager::RotationSchedule").Select(r => r.Resource["Properties"]!).ToArray();
        Assert.Equal(2, schedules.Length); // Database's two shards; Relaxed turned rotation off
        foreach (var shard in new[] { "Shard1", "Shard2" })
        {
            var schedule = Assert.Single(schedules, p => ((string)p["SecretId"]!["Ref"]!).StartsWith($"Database{shard}InstanceSecretAttachment", StringComparison.Ordinal));
            Assert.Equal("PostgreSQLSingleUser", (string?)schedule["HostedRotationLambda"]!["RotationType"]);
            Assert.Equal("rate(30 days)", (string?)schedule["RotationRules"]!["ScheduleExpression"]);
            var group = fixture.Properties("AWS::EC2::SecurityGroup", $"Database{shard}RotationSecurityGroup");
            var egress = Assert.Single(group["SecurityGroupEgress"]!.AsArray())!;
            Assert.Equal((443, "0.0.0.0/0"), ((int)egress["FromPort"]!, (string)egress["CidrIp"]!));
            Assert.Contains($"Database{shard}RotationSecurityGroup", schedule["HostedRotationLambda"]!["VpcSecurityGroupIds"]!.ToJsonString());
            Assert.All(schedule["HostedRotationLambda"]!["VpcSubnetIds"]!["Fn::Join"]![1]!.AsArray().Where(n => n is JsonObject),
                s => Assert.StartsWith("VpcPrivate", (string?)s!["Ref"]));
            var toShard = Assert.Single(fixture.Stack.OfType("AWS::EC2::SecurityGroupIngress"),
                i => i.Resource["Properties"]!["SourceSecurityGroupId"]!.ToJsonString().Contains($"Database{shard}RotationSecurityGroup"));
            Assert.Contains("DatabaseSecurityGroup", toShard.Resource["Properties"]!["GroupId"]!.ToJsonString());
        }
    }

    [Fact]
    public void WhatTheSettingsTurnOffIsAcknowledgedForCdkNagOnlyThere()
    {
        static string[] Nag(JsonObject resource) =>
            resource["Metadata"]?["cdk_nag"]?["rules_to_suppress"]?.AsArray().Select(e => (string)e!["id"]!).Order().ToArray() ?? [];
        Assert.Equal(["AwsSolutions-RDS11"], Nag(fixture.Resource(Instance, "DatabaseShard1Instance").Resource));
        Assert.Equal(["AwsSolutions-RDS10", "AwsSolutions-RDS11", "AwsSolutions-RDS3"], Nag(fixture.Resource(Instance, "RelaxedShard1Instance").Resource));
        Assert.Equal(["AwsSolutions-RDS11", "AwsSolutions-RDS2", "AwsSolutions-RDS3"], Nag(fixture.Resource(Instance, "DatabaseShard1Replica1").Resource));
        JsonObject Secret(string path) => fixture.Stack.OfType("AWS::SecretsManager::Secret").Single(r => r.Id.Contains(path, StringComparison.Ordinal)).Resource;
        Assert.Empty(Nag(Secret("DatabaseShard1InstanceSecret")));
        Assert.Equal(["AwsSolutions-SMG4"], Nag(Secret("RelaxedShard1InstanceSecret")));
    }

    private JsonArray ApiStatements => fixture.Stack.OfType("AWS::IAM::Policy").Single(p => p.Id.StartsWith("ApiRole", StringComparison.Ordinal))
        .Resource["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray();

    [Fact]
    public void GrantedUsersReadTheShardMapAndNoSecretAtAll()
    {
        var statements = ApiStatements;
        Assert.DoesNotContain(statements, s => s!["Action"]!.ToJsonString().Contains("secretsmanager:", StringComparison.Ordinal));
        Assert.DoesNotContain(statements, s => s!["Action"]!.ToJsonString().Contains("kms:", StringComparison.Ordinal));
        var map = Assert.Single(statements, s => s!["Action"]!.ToJsonString().Contains("ssm:GetParameter"));
        Assert.Contains("DatabaseShardMap", map!["Resource"]!.ToJsonString());
        // The user never granted holds no permission at all: no policy of any name is attached to its role.
        var other = fixture.Stack.OfType("AWS::IAM::Role").Single(r => r.Id.StartsWith("OtherRole", StringComparison.Ordinal));
        Assert.Null(other.Resource["Properties"]!["Policies"]);
        Assert.Null(other.Resource["Properties"]!["ManagedPolicyArns"]);
        Assert.DoesNotContain(fixture.Stack.OfType("AWS::IAM::Policy"),
            p => p.Resource["Properties"]!["Roles"]!.AsArray().Any(r => (string?)r!["Ref"] == other.Id));
        Assert.Contains(fixture.Stack.OfType("AWS::IAM::Policy"), // while the granted user's role does have one
            p => p.Resource["Properties"]!["Roles"]!.AsArray().Any(r => ((string?)r!["Ref"])?.StartsWith("ApiRole", StringComparison.Ordinal) == true));
    }

    /// <summary>An ARN as text, tokens written as &lt;LogicalId.Attribute&gt; or &lt;Pseudo&gt;.</summary>
    internal static string Text(JsonNode arn) => arn switch
    {
        JsonValue v => v.GetValue<string>(),
        JsonObject o when o["Fn::Join"] is JsonArray join => string.Concat(join[1]!.AsArray().Select(p => Text(p!))),
        JsonObject o when o["Ref"] is { } r => $"<{(string)r!}>",
        JsonObject o when o["Fn::GetAtt"] is JsonArray at => $"<{(string)at[0]!}.{(string)at[1]!}>",
        JsonObject o when o["Fn::Select"] is JsonArray sel => $"<select {(int)sel[0]!} of {Text(sel[1]!["Fn::Split"]![1]!)}>",
        _ => arn.ToJsonString(),
    };

    [Fact]
    public void GrantedUsersConnectThroughIamAsExactlyTheirOwnUserOnEveryInstanceAndProxy()
    {
        var connect = Assert.Single(ApiStatements, s => s!["Action"]!.ToJsonString().Contains("rds-db:connect", StringComparison.Ordinal))!;
        Assert.Equal("\"rds-db:connect\"", connect["Action"]!.ToJsonString());
        var resources = connect["Resource"]!.AsArray().Select(r => Text(r!)).ToArray();
        // shard1: writer, replica, proxy; shard2: writer. Each ends with exactly /svc_api, no wildcard.
        Assert.Equal(4, resources.Length);
        Assert.All(resources, r => Assert.Matches(@"^arn:<AWS::Partition>:rds-db:us-east-1:<AWS::AccountId>:dbuser:.+/svc_api$", r));
        Assert.All(resources, r => Assert.DoesNotContain("*", r, StringComparison.Ordinal));
        Assert.StartsWith("arn:<AWS::Partition>:rds-db:us-east-1:<AWS::AccountId>:dbuser:<DatabaseShard1Instance", resources[0]);
        Assert.EndsWith(".DbiResourceId>/svc_api", resources[0]);
        Assert.StartsWith("arn:<AWS::Partition>:rds-db:us-east-1:<AWS::AccountId>:dbuser:<DatabaseShard1Replica1", resources[1]);
        Assert.EndsWith(".DbiResourceId>/svc_api", resources[1]);
        Assert.Matches(@"dbuser:<select 6 of <DatabaseShard1Proxy[0-9A-F]+\.DBProxyArn>>/svc_api$", resources[2]);
        Assert.StartsWith("arn:<AWS::Partition>:rds-db:us-east-1:<AWS::AccountId>:dbuser:<DatabaseShard2Instance", resources[3]);
    }

    [Fact]
    public void ProxiesRequireIamFromClientsAndConnectAsTheUsersThroughIam()
    {
        var proxy = fixture.Properties("AWS::RDS::DBProxy", "DatabaseShard1Proxy");
        Assert.Equal("IAM_AUTH", (string?)proxy["DefaultAuthScheme"]);
        Assert.All(proxy["Auth"]!.AsArray(), a => Assert.Equal("REQUIRED", (string?)a!["IAMAuth"]));
        var role = (string)proxy["RoleArn"]!["Fn::GetAtt"]![0]!;
        var statements = fixture.Stack.OfType("AWS::IAM::Policy")
            .Where(p => p.Resource["Properties"]!["Roles"]!.AsArray().Any(r => (string?)r!["Ref"] == role))
            .SelectMany(p => p.Resource["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray()).ToArray();
        var connect = Assert.Single(statements, s => s!["Action"]!.ToJsonString().Contains("rds-db:connect", StringComparison.Ordinal))!;
        var resources = connect["Resource"]!.AsArray().Select(r => Text(r!)).ToArray();
        Assert.Equal(2, resources.Length);
        Assert.All(resources, r => Assert.Matches(@"dbuser:<DatabaseShard1Instance[0-9A-F]+\.DbiResourceId>/svc_(api|other)$", r));
        Assert.EndsWith("/svc_api", resources[0]);
        Assert.EndsWith("/svc_other", resources[1]);
    }

    [Theory]
    [InlineData("api", "svc_api")]
    [InlineData("order-api", "svc_order_api")]
    [InlineData("a1-b2", "svc_a1_b2")]
    public void UserNamesComeFromTheMemberKey(string key, string user) => Assert.Equal(user, ShardedDatabase.UserNameOf(key));

    [Theory]
    [InlineData("Api")]
    [InlineData("api.v2")]
    [InlineData("a'; drop role postgres; --")]
    public void MemberKeysThatMakeNoPlainIdentifierAreRefused(string key) =>
        Assert.Contains("lower-case letters, digits and underscores", Assert.Throws<ArgumentException>(() => ShardedDatabase.UserNameOf(key)).Message);

    [Fact]
    public void UserNamesLongerThanPostgresAllowsAreRefused() =>
        Assert.Contains("at most 63", Assert.Throws<ArgumentException>(() => ShardedDatabase.UserNameOf(new string('a', 60))).Message);

    [Theory]
    [InlineData("postgres")]
    [InlineData("rds_superuser")]
    [InlineData("pg_monitor")]
    public void ReservedUserNamesAreRefused(string user) =>
        Assert.Contains("reserved", ShardedDatabase.UserNameProblem(user));

    [Fact]
    public void ShardMapListsEveryShardWithBucketsEndpointsAndSecret()
    {
        var map = fixture.Properties("AWS::SSM::Parameter", "DatabaseShardMap");
        Assert.Equal("/test/database/shard-map", (string?)map["Name"]);
        var parts = map["Value"]!["Fn::Join"]![1]!.AsArray();
        var text = string.Concat(parts.Select(p => p is JsonValue v ? v.GetValue<string>() : "<" + p!.ToJsonString() + ">"));
        Assert.StartsWith("{\"version\":1,\"hash\":\"crc32\",\"bucketCount\":1024,\"shards\":{", text);
        Assert.Contains("\"shard1\":{\"buckets\":[\"0-511\"],\"writer\":\"<{\"Fn::GetAtt\":[\"DatabaseShard1Instance", text);
        Assert.Contains("\"readers\":[\"<{\"Fn::GetAtt\":[\"DatabaseShard1Replica1", text);
        Assert.Contains("\"proxy\":\"<{\"Fn::GetAtt\":[\"DatabaseShard1Proxy", text);
        Assert.Contains("\"shard2\":{\"buckets\":[\"512-1023\"]", text);
        Assert.Contains("\"secretArn\":\"<{\"Ref\":\"DatabaseShard2InstanceSecretAttachment", text);
    }
}

/// <summary>Two small stacks, 4 and 5 shards, each synthesized once.</summary>
public sealed class ShardGrowthFixture
{
    public Synthesized Four { get; } = Build(4);
    public Synthesized Five { get; } = Build(5);

    private static Synthesized Build(int shards)
    {
        var (stack, vpc) = DataTestStacks.WithVpc();
        var database = new ShardedDatabase(stack, "Database", new ShardedDatabaseProps
        {
            Vpc = vpc,
            InstanceType = new InstanceType("r6g.large"),
            // Every shard's bucket range shifts from four to five shards: ownership lives in the shard map only.
            Shards = DataTestStacks.EvenShards(shards, customize: (n, s) => n == 2 ? s with { ReadReplicas = 1, EnableProxy = true } : s),
        });
        var user = DataTestStacks.User(stack, vpc, "Api");
        database.GrantConnect(new DataClient(user.SecurityGroup, user.Role), "svc_api");
        return Synthesized.Of(stack);
    }
}

public sealed class ShardGrowthTests(ShardGrowthFixture fixture) : IClassFixture<ShardGrowthFixture>
{
    private static Dictionary<string, JsonNode> ShardResources(Synthesized stack, int shard) =>
        stack.Resources.Where(r => r.Id.Contains($"DatabaseShard{shard}", StringComparison.Ordinal)).ToDictionary(r => r.Id, r => (JsonNode)r.Resource);

    [Fact]
    public void AddingAFifthShardLeavesEveryResourceOfTheFirstFourUnchanged()
    {
        for (var shard = 1; shard <= 4; shard++)
        {
            var before = ShardResources(fixture.Four, shard);
            var after = ShardResources(fixture.Five, shard);
            Assert.True(before.Count >= 4, $"shard {shard} has only {before.Count} resources");
            Assert.Equal(before.Keys.Order(), after.Keys.Order());
            foreach (var (id, resource) in before)
                Assert.True(JsonNode.DeepEquals(resource, after[id]), $"{id} changed when a fifth shard was added");
        }
    }

    [Fact]
    public void AddingAFifthShardOnlyAddsResources()
    {
        var before = fixture.Four.Resources.Select(r => r.Id).ToHashSet();
        var after = fixture.Five.Resources.Select(r => r.Id).ToHashSet();
        Assert.Subset(after, before);
        Assert.All(after.Except(before), id => Assert.Contains("Shard5", id));
        Assert.NotEmpty(ShardResources(fixture.Five, 5));
    }
}

/// <summary>The component's validation messages; no synthesis.</summary>
public sealed class ShardedDatabaseValidationTests
{
    private static readonly ShardedDatabaseSettings Valid = new() { Shards = DataTestStacks.EvenShards(2) };

    private static BucketRange Range(int from, int to) => new() { From = from, To = to };
    private static BucketMoveSettings Move(int from, int to, string fromShard, string toShard, BucketMoveState state) =>
        new() { Buckets = Range(from, to), FromShard = fromShard, ToShard = toShard, State = state };

    /// <summary>Four shards and an empty fifth, as step 1 of adding a shard leaves them.</summary>
    private static readonly ShardedDatabaseSettings Growing = new()
    {
        Shards = new Dictionary<string, DatabaseShard>(DataTestStacks.EvenShards(4)) { ["shard5"] = new() { Buckets = [] } },
    };
    private static DatabaseShard Shard(params BucketRange[] ranges) => new() { Buckets = ranges };

    public static TheoryData<ShardedDatabaseSettings, string> Rows => new()
    {
        { Valid with { Shards = new Dictionary<string, DatabaseShard>() }, "Shards must declare at least one shard" },
        { Valid with { BucketCount = 0 }, "BucketCount = 0 must be between 1 and 65536" },
        { Valid with { EngineVersion = "12.9" }, "EngineVersion = 12.9 must be a PostgreSQL version major.minor with major 13 or newer, such as 17.7" },
        { Valid with { EngineVersion = "sixteen" }, "EngineVersion = sixteen must be a PostgreSQL version major.minor with major 13 or newer, such as 17.7" },
        { Valid with { AllocatedStorageGiB = 10 }, "AllocatedStorageGiB = 10 must be between 20 and 65536" },
        { Valid with { AllocatedStorageGiB = 100, MaxAllocatedStorageGiB = 50 }, "MaxAllocatedStorageGiB = 50 must be between allocatedStorageGiB (100) and 65536" },
        { Valid with { BackupRetentionDays = 0 }, "BackupRetentionDays = 0 must be between 1 and 35" },
        { Valid with { BackupRetentionDays = 36 }, "BackupRetentionDays = 36 must be between 1 and 35" },
        { Valid with { CredentialRotationDays = -1 }, "CredentialRotationDays = -1 must be between 1 and 1000 days (Secrets Manager's range), or 0 to turn rotation off" },
        { Valid with { CredentialRotationDays = 1001 }, "CredentialRotationDays = 1001 must be between 1 and 1000 days (Secrets Manager's range), or 0 to turn rotation off" },
        { Valid with { BackupWindow = "night" }, "BackupWindow = night must be a UTC window hh:mm-hh:mm such as 03:00-04:00" },
        { Valid with { MaintenanceWindow = "sun" }, "MaintenanceWindow = sun must be a UTC window ddd:hh:mm-ddd:hh:mm such as sun:05:00-sun:06:00" },
        { Valid with { Shards = new Dictionary<string, DatabaseShard> { ["Shard1"] = Shard(Range(0, 1023)) } }, "Shards = Shard1 keys must be lower-case letters, digits and dashes, starting with a letter (at most 40)" },
        { Valid with { Shards = new Dictionary<string, DatabaseShard> { ["shard1"] = Shard(Range(0, 511)), ["shard-1"] = Shard(Range(512, 1023)) } }, "Shards = shard1 has the same construct id (Shard1) as shard-1" },
        { Valid with { Shards = new Dictionary<string, DatabaseShard> { ["shard1"] = Shard(Range(0, 1023)) with { ReadReplicas = 6 } } }, "Shards.shard1.ReadReplicas = 6 must be between 0 and 5" },
        { Valid with { Shards = new Dictionary<string, DatabaseShard> { ["shard1"] = Shard() } }, "Shards = buckets 0-1023 have no owner; every bucket from 0 to 1023 needs exactly one shard" },
        { Growing with { Moves = [Move(896, 1023, "shard4", "shard6", BucketMoveState.Copying)] }, "Moves[0].ToShard = shard6 is not a shard; a shard stays declared while it sends or receives buckets (finish the move, then remove the entry and the shard)" },
        { Growing with { Moves = [Move(896, 1023, "shard4", "shard4", BucketMoveState.Copying)] }, "Moves[0].ToShard = shard4 is also fromShard; a move goes from one shard to another" },
        { Growing with { Moves = [Move(896, 1024, "shard4", "shard5", BucketMoveState.Copying)] }, "Moves[0].Buckets.To = 1024 must be between from (896) and 1023 (bucketCount 1024)" },
        { Growing with { Moves = [Move(896, 1023, "shard4", "shard5", BucketMoveState.Switched)] }, "Moves[0].Buckets = 896-1023 is switched, so shard5 serves it: list it in shards.shard5.buckets and remove it from shards.shard4.buckets (bucket 896 is listed under shard4)" },
        { Growing with { Moves = [Move(0, 10, "shard1", "shard5", BucketMoveState.Copying), Move(10, 20, "shard1", "shard5", BucketMoveState.Copying)] }, "Moves[1].Buckets = 10-20 overlaps moves[0] (bucket 10); a bucket moves once at a time" },
        { Growing with { Shards = Growing.Shards.Where(kv => kv.Key != "shard5").ToDictionary(), Moves = [Move(896, 1023, "shard4", "shard5", BucketMoveState.Copying)] }, "Moves[0].ToShard = shard5 is not a shard; a shard stays declared while it sends or receives buckets (finish the move, then remove the entry and the shard)" },
        { Growing with { Shards = new Dictionary<string, DatabaseShard>(Growing.Shards) { ["shard4"] = Shard(Range(768, 895)), ["shard5"] = Shard(Range(896, 1023)) }, Moves = [Move(896, 1023, "shard4", "shard5", BucketMoveState.Copying)] }, "Moves[0].Buckets = 896-1023 is copying, so shard4 still serves it: keep it in shards.shard4.buckets until the switch (bucket 896 is listed under shard5)" },
        { Valid with { Shards = new Dictionary<string, DatabaseShard> { ["shard1"] = Shard(Range(-1, 1023)) } }, "Shards.shard1.Buckets[0].From = -1 must be between 0 and 1023 (bucketCount 1024)" },
        { Valid with { Shards = new Dictionary<string, DatabaseShard> { ["shard1"] = Shard(Range(0, 1024)) } }, "Shards.shard1.Buckets[0].To = 1024 must be between from (0) and 1023 (bucketCount 1024)" },
        { Valid with { Shards = new Dictionary<string, DatabaseShard> { ["shard1"] = Shard(Range(10, 5)) } }, "Shards.shard1.Buckets[0].To = 5 must be between from (10) and 1023 (bucketCount 1024)" },
        { Valid with { Shards = new Dictionary<string, DatabaseShard> { ["shard1"] = Shard(Range(0, 511)), ["shard2"] = Shard(Range(500, 1023)) } }, "Shards.shard2.Buckets[0] = 500-1023 overlaps buckets of shard shard1 (bucket 500); every bucket has exactly one owner" },
        { Valid with { Shards = new Dictionary<string, DatabaseShard> { ["shard1"] = Shard(Range(0, 511)), ["shard2"] = Shard(Range(600, 1023)) } }, "Shards = buckets 512-599 have no owner; every bucket from 0 to 1023 needs exactly one shard" },
    };

    private static readonly DateOnly December2026 = new(2026, 12, 1);

    [Fact]
    public void RejectsRotationInAVpcWithoutEgressUnlessSubnetsAreGivenOrRotationIsOff()
    {
        var stack = TestStacks.Empty();
        var isolated = new Vpc(stack, "Vpc", new VpcProps
        {
            AvailabilityZones = ["us-east-1a", "us-east-1b"], NatGateways = 0,
            SubnetConfiguration = [new SubnetConfiguration { Name = "Isolated", SubnetType = SubnetType.PRIVATE_ISOLATED, CidrMask = 24 }],
        });
        ShardedDatabaseProps Props(int? days, SubnetSelection? subnets = null) => new(Valid with { CredentialRotationDays = days }, isolated, new InstanceType("t4g.micro")) { RotationSubnets = subnets };

        var error = Assert.Throws<PropsValidationException>(() => new ShardedDatabase(stack, "Rotating", Props(null)));
        Assert.Equal("CredentialRotationDays = 30 needs subnets from which the rotation function reaches the Secrets Manager API, and the VPC has no private subnets with egress: give rotationSubnets (with a NAT gateway or a Secrets Manager interface endpoint), or set 0 to turn rotation off", error.Detail);
        _ = new ShardedDatabase(stack, "Off", Props(0));
        _ = new ShardedDatabase(stack, "Endpoint", Props(7, new SubnetSelection { SubnetType = SubnetType.PRIVATE_ISOLATED }));
        var schedules = Synthesized.Of(stack).OfType("AWS::SecretsManager::RotationSchedule").ToArray();
        Assert.Equal(2, schedules.Length); // Endpoint's two shards; Off has none
        Assert.All(schedules, s => Assert.Equal("rate(7 days)", (string?)s.Resource["Properties"]!["RotationRules"]!["ScheduleExpression"]));
    }

    [Fact]
    public void RejectsAVersionPastItsCreationDeadlineNamingTheDeadline() =>
        Assert.Equal("EngineVersion = 16.4 can no longer be created: RDS stopped creating new instances on it on 2025-10-01; creatable: 14.20, 15.15, 16.11, 17.7",
            Assert.Throws<PropsValidationException>(() => ShardedDatabase.Validate(Valid with { EngineVersion = "16.4" }, December2026)).Detail);

    [Fact]
    public void RejectsAVersionOnItsCreationDeadline() =>
        Assert.Contains("stopped creating new instances on it on 2026-10-01",
            Assert.Throws<PropsValidationException>(() => ShardedDatabase.Validate(Valid with { EngineVersion = "16.9" }, new DateOnly(2026, 10, 1))).Detail);

    [Fact]
    public void RejectsAVersionTheDataFileDoesNotList() =>
        Assert.Equal("EngineVersion = 17.5 is not an RDS for PostgreSQL version in components/Data/postgres-versions.json (retrieved 2026-12-01); creatable: 14.20, 15.15, 16.11, 17.7",
            Assert.Throws<PropsValidationException>(() => ShardedDatabase.Validate(Valid with { EngineVersion = "17.5" }, December2026)).Detail);

    [Fact]
    public void AcceptsAVersionBeforeItsDeadlineAndWarnsWithinNinetyDays()
    {
        ShardedDatabase.Validate(Valid with { EngineVersion = "16.9" }, new DateOnly(2026, 8, 1));
        Assert.Equal("PostgreSQL 16.9: RDS stops creating new instances on it on 2026-10-01 (61 days); new shards, replicas and replacements fail after that. Move to one of 14.20, 15.15, 16.11, 17.7.",
            ShardedDatabase.CreationDeadlineWarning("16.9", new DateOnly(2026, 8, 1)));
        Assert.Null(ShardedDatabase.CreationDeadlineWarning("16.9", new DateOnly(2026, 7, 2))); // 91 days before
        Assert.Null(ShardedDatabase.CreationDeadlineWarning(PostgresVersions.Default, December2026));
    }

    [Fact]
    public void TheVersionsFileSaysItsSourceAndDateAndTheDefaultIsCreatable()
    {
        Assert.Contains("release calendar", PostgresVersions.Source, StringComparison.Ordinal);
        Assert.Equal(new DateOnly(2026, 12, 1), PostgresVersions.Retrieved);
        Assert.Contains(PostgresVersions.Default, PostgresVersions.CreatableOn(PostgresVersions.Retrieved));
        ShardedDatabase.Validate(Valid with { EngineVersion = PostgresVersions.Default }, PostgresVersions.Retrieved);
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void RejectsOutOfRangeSettings(ShardedDatabaseSettings settings, string expected) =>
        Assert.Equal(expected, Assert.Throws<PropsValidationException>(() => ShardedDatabase.Validate(settings)).Detail);

    [Fact]
    public void AcceptsEachStepOfAddingAShard()
    {
        ShardedDatabase.Validate(Growing);
        ShardedDatabase.Validate(Growing with { Moves = [Move(896, 1023, "shard4", "shard5", BucketMoveState.Copying)] });
        var switched = new Dictionary<string, DatabaseShard>(Growing.Shards) { ["shard4"] = Shard(Range(768, 895)), ["shard5"] = Shard(Range(896, 1023)) };
        ShardedDatabase.Validate(Growing with { Shards = switched, Moves = [Move(896, 1023, "shard4", "shard5", BucketMoveState.Switched)] });
        ShardedDatabase.Validate(Growing with { Shards = switched, Moves = [Move(896, 1023, "shard4", "shard5", BucketMoveState.Cleaned)] });
        ShardedDatabase.Validate(Growing with { Shards = switched });
    }

    [Fact]
    public void AcceptsSeveralRangesPerShardAndAnEqualMaximum() => ShardedDatabase.Validate(Valid with
    {
        Shards = new Dictionary<string, DatabaseShard> { ["a"] = Shard(Range(0, 9), Range(20, 29)), ["b"] = Shard(Range(10, 19)) },
        BucketCount = 30,
        AllocatedStorageGiB = 50,
        MaxAllocatedStorageGiB = 50,
    });
}

/// <summary>A database in step 2 of adding a shard: shard5 created empty, buckets 896–1023 copying from shard4; synthesized once.</summary>
public sealed class ShardMovesFixture
{
    public string MapText { get; }

    public ShardMovesFixture()
    {
        var (stack, vpc) = DataTestStacks.WithVpc();
        _ = new ShardedDatabase(stack, "Database", new ShardedDatabaseProps
        {
            Vpc = vpc,
            InstanceType = new InstanceType("r6g.large"),
            Shards = new Dictionary<string, DatabaseShard>(DataTestStacks.EvenShards(4)) { ["shard5"] = new() { Buckets = [] } },
            Moves = [new BucketMoveSettings { Buckets = new BucketRange { From = 896, To = 1023 }, FromShard = "shard4", ToShard = "shard5", State = BucketMoveState.Copying }],
        });
        var map = Synthesized.Of(stack).OfType("AWS::SSM::Parameter").Single(r => r.Id.StartsWith("DatabaseShardMap", StringComparison.Ordinal)).Resource["Properties"]!.AsObject();
        MapText = string.Concat(map["Value"]!["Fn::Join"]![1]!.AsArray().Select(p => p is JsonValue v ? v.GetValue<string>() : "<token>"));
    }
}

public sealed class ShardMovesTests(ShardMovesFixture fixture) : IClassFixture<ShardMovesFixture>
{
    [Fact]
    public void PublishesVersion2WithTheEmptyShardAndTheMove()
    {
        Assert.StartsWith("{\"version\":2,\"hash\":\"crc32\",\"bucketCount\":1024,\"shards\":{", fixture.MapText);
        Assert.Contains("\"shard4\":{\"buckets\":[\"768-1023\"]", fixture.MapText);
        Assert.Contains("\"shard5\":{\"buckets\":[],\"writer\":\"<token>:<token>\"", fixture.MapText);
        Assert.EndsWith(",\"moves\":[{\"buckets\":\"896-1023\",\"from\":\"shard4\",\"to\":\"shard5\",\"state\":\"copying\"}]}", fixture.MapText);
    }
}
