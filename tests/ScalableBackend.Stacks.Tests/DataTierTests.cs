using System.Text.Json.Nodes;
using ScalableBackend.Stacks.Config;

namespace ScalableBackend.Stacks.Tests;

/// <summary>The cache and the sharded database as the environment files declare them.</summary>
[Collection(EnvironmentCollection.Name)]
public sealed class DataTierTests(EnvironmentFixture environments)
{
    private const string Instance = "AWS::RDS::DBInstance";

    private static IEnumerable<(string Id, JsonObject Resource)> Writers(EnvironmentTemplates env) =>
        env.Data.OfType(Instance).Where(r => r.Resource["Properties"]!["SourceDBInstanceIdentifier"] is null);

    private static JsonObject ReplicationGroup(EnvironmentTemplates env) =>
        env.Data.OfType("AWS::ElastiCache::ReplicationGroup").Single().Resource["Properties"]!.AsObject();

    [Fact]
    public void ProdCacheIsShardedReplicatedEncryptedAndFailsOverAcrossZones()
    {
        var group = ReplicationGroup(environments.Prod);
        Assert.True((int)group["NumNodeGroups"]! >= 2);
        Assert.True((int)group["ReplicasPerNodeGroup"]! >= 1);
        Assert.True((bool)group["TransitEncryptionEnabled"]!);
        Assert.True((bool)group["AtRestEncryptionEnabled"]!);
        Assert.NotNull(group["KmsKeyId"]);
        Assert.True((bool)group["AutomaticFailoverEnabled"]!);
        Assert.True((bool)group["MultiAZEnabled"]!);
        Assert.Null(group["AuthToken"]);
        Assert.StartsWith("CacheUserGroup", (string?)Assert.Single(group["UserGroupIds"]!.AsArray())!["Ref"]);
    }

    [Fact]
    public void EveryCacheUserHasItsOwnIamUserInTheGroupWithTheDefaultUserDisabled()
    {
        foreach (var env in environments.All)
        {
            var name = env.Definition.Name;
            var users = env.Data.OfType("AWS::ElastiCache::User").Select(u => u.Resource["Properties"]!).ToList();
            var members = env.Definition.Config.Cache!.Users!;
            Assert.Equal(members.Select(m => $"backend-{name}-{m}").Append($"backend-{name}-default").Order(),
                users.Select(u => (string)u["UserId"]!).Order());
            Assert.All(users.Where(u => (string?)u["UserName"] != "default"), u =>
            {
                Assert.Equal("iam", (string?)u["AuthenticationMode"]!["Type"]);
                Assert.Equal((string?)u["UserId"], (string?)u["UserName"]);
            });
            Assert.StartsWith("off ", (string?)users.Single(u => (string?)u["UserName"] == "default")["AccessString"]);
            var group = Assert.Single(env.Data.OfType("AWS::ElastiCache::UserGroup")).Resource["Properties"]!;
            Assert.Equal($"backend-{name}-users", (string?)group["UserGroupId"]);
            Assert.Equal(users.Count, group["UserIds"]!.AsArray().Count);
        }
    }

    [Fact]
    public void CacheUsersConnectAsThemselvesAndNoMemberReadsACacheSecret()
    {
        foreach (var env in environments.All)
            foreach (var member in env.Members)
            {
                var statements = member.OfType("AWS::IAM::Policy").SelectMany(p => p.Resource["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray()).ToList();
                var connect = statements.Where(s => s!["Action"]!.ToJsonString().Contains("elasticache:")).ToList();
                if (env.Definition.Config.Cache?.Users?.Contains(member.Identity.Key!) != true)
                {
                    Assert.Empty(connect);
                    continue;
                }
                var statement = Assert.Single(connect)!;
                Assert.Equal("\"elasticache:Connect\"", statement["Action"]!.ToJsonString());
                var resources = statement["Resource"]!.AsArray().Select(r => r!.ToJsonString()).ToArray();
                Assert.Equal(2, resources.Length);
                Assert.Contains($"Backend-{StackNames.Pascal(env.Definition.Name)}-Data:CacheReplicationGroupId", resources[0]);
                Assert.EndsWith($":user:backend-{env.Definition.Name}-{member.Identity.Key}\"]]}}", resources[1]);
                Assert.DoesNotContain(statements, s => s!.ToJsonString().Contains("CacheAuthSecretArn"));
            }
    }

    [Fact]
    public void ProdHasAtLeastFourProtectedEncryptedPrivateShards()
    {
        var writers = Writers(environments.Prod).ToArray();
        Assert.True(writers.Length >= 4, $"{writers.Length} shards");
        foreach (var (id, writer) in writers)
        {
            var p = writer["Properties"]!;
            Assert.True((bool)p["StorageEncrypted"]!, id);
            Assert.True((bool)p["MultiAZ"]!, id);
            Assert.True((bool)p["DeletionProtection"]!, id);
            Assert.Equal("Snapshot", (string?)writer["DeletionPolicy"]);
            Assert.Equal("Snapshot", (string?)writer["UpdateReplacePolicy"]);
            Assert.True((int)p["BackupRetentionPeriod"]! >= 7, id);
            Assert.False((bool)p["PubliclyAccessible"]!, id);
            Assert.False(p["MasterUserPassword"] is JsonValue, id); // a dynamic reference, never a literal
            Assert.Contains("{{resolve:secretsmanager:", p["MasterUserPassword"]!.ToJsonString());
        }
    }

    [Fact]
    public void ProdHasAShardWithAReadReplicaAndAProxyRequiringTls()
    {
        Assert.Contains(environments.Prod.Data.OfType(Instance), r => r.Resource["Properties"]!["SourceDBInstanceIdentifier"] is not null);
        var proxies = environments.Prod.Data.OfType("AWS::RDS::DBProxy").ToArray();
        Assert.NotEmpty(proxies);
        Assert.All(proxies, p => Assert.True((bool)p.Resource["Properties"]!["RequireTLS"]!));
        Assert.Equal(proxies.Length, proxies.Select(p => (string?)p.Resource["Properties"]!["DBProxyName"]).Distinct().Count());
    }

    [Fact]
    public void ShardMapParameterListsEveryShard()
    {
        foreach (var env in environments.All)
        {
            var map = env.Data.OfType("AWS::SSM::Parameter").Single(p => p.Id.StartsWith("DatabaseShardMap", StringComparison.Ordinal)).Resource["Properties"]!;
            Assert.Equal($"/backend/{env.Definition.Name}/database/shard-map", (string?)map["Name"]);
            var value = string.Concat(map["Value"]!["Fn::Join"]![1]!.AsArray().Select(p => p is JsonValue v ? v.GetValue<string>() : p!.ToJsonString()));
            foreach (var shard in env.Definition.Config.Database!.Shards.Keys)
            {
                Assert.Contains($"\"{shard}\":{{\"buckets\":[\"", value);
                Assert.Contains($"Database{Components.Data.ShardedDatabase.ConstructIdOf(shard)}Instance", value);
            }
            Assert.Equal(env.Definition.Config.Database!.Shards.Count, Writers(env).Count());
        }
    }

    [Fact]
    public void DevIsSmallerSingleAzAndUnprotectedByItsFileAlone()
    {
        var dev = environments.Dev;
        var (_, writer) = Assert.Single(Writers(dev));
        Assert.False((bool)writer["Properties"]!["MultiAZ"]!);
        Assert.False((bool)writer["Properties"]!["DeletionProtection"]!);
        Assert.Equal("Delete", (string?)writer["DeletionPolicy"]);
        var group = ReplicationGroup(dev);
        Assert.Equal(1, (int)group["NumNodeGroups"]!);
        Assert.Equal(0, (int)group["ReplicasPerNodeGroup"]!);
        Assert.True(Writers(dev).Count() < Writers(environments.Prod).Count());
    }

    [Fact]
    public void StagingAndProdKeepBackupsForAWeekAndAreMultiAz()
    {
        foreach (var env in new[] { environments.Staging, environments.Prod })
        {
            Assert.All(Writers(env), w => Assert.True((int)w.Resource["Properties"]!["BackupRetentionPeriod"]! >= 7));
            Assert.All(Writers(env), w => Assert.True((bool)w.Resource["Properties"]!["MultiAZ"]!));
            Assert.True((bool)ReplicationGroup(env)["MultiAZEnabled"]!);
        }
    }

    [Fact]
    public void DataStoresAdmitOnlyTheDeclaredServices()
    {
        foreach (var env in environments.All)
        {
            foreach (var (section, users, port) in new[] { ("Cache", env.Definition.Config.Cache!.Users!, 6379), ("Database", env.Definition.Config.Database!.Users!, 5432) })
            {
                var group = env.Data.OfType("AWS::EC2::SecurityGroup").Single(g => g.Id.StartsWith($"{section}SecurityGroup", StringComparison.Ordinal));
                Assert.Null(group.Resource["Properties"]!["SecurityGroupIngress"]);
                // The data stack publishes the group whether or not anyone uses it; users import it by name.
                var export = env.Data.Outputs[$"{section}SecurityGroupId"]!;
                Assert.Equal(group.Id, (string?)export["Value"]!["Fn::GetAtt"]![0]);
                var imported = $"{{\"Fn::ImportValue\":\"{env.Data.Name}:{section}SecurityGroupId\"}}";
                var ingress = env.AllResources.Where(r => (string?)r.Resource["Type"] == "AWS::EC2::SecurityGroupIngress")
                    .Where(r => r.Resource["Properties"]!["GroupId"]!.ToJsonString() is var g && (g == imported || (r.Stack == env.Data && g.Contains(group.Id))))
                    .ToArray();
                Assert.All(ingress, i => Assert.Null(i.Resource["Properties"]!["CidrIp"]));
                // Within the data stack the group admits only itself (the database's proxies reach their shards through it)
                // and, for the database, each shard's credential-rotation function and the database users function.
                Assert.All(ingress.Where(i => i.Stack == env.Data), i => Assert.Matches(
                    section == "Database" ? $"{group.Id}|DatabaseShard[0-9]+RotationSecurityGroup|DatabaseUsersSecurityGroup" : group.Id,
                    i.Resource["Properties"]!["SourceSecurityGroupId"]!.ToJsonString()));
                var granted = ingress.Where(i => i.Stack != env.Data).ToArray();
                var expected = users.Select(u => $"{env.Service(u).Name}/Service{Components.Compute.WebService.ToPascal(u)}SecurityGroup").Order().ToArray();
                Assert.Equal(expected, granted.Select(i =>
                {
                    var source = i.Resource["Properties"]!["SourceSecurityGroupId"]!["Fn::GetAtt"]![0]!.GetValue<string>();
                    return $"{i.Stack.Name}/{source[..(source.IndexOf("SecurityGroup", StringComparison.Ordinal) + "SecurityGroup".Length)]}";
                }).Order());
                Assert.All(granted, i => Assert.Equal(port, (int)i.Resource["Properties"]!["FromPort"]!));
            }
        }
    }

    [Fact]
    public void OnlyDeclaredServicesMayReadTheDataTiersSecrets()
    {
        // The database and the cache take IAM authentication (no secret); a RabbitMQ user reads its own secret only.
        foreach (var env in environments.All)
        {
            var readers = env.OfType("AWS::IAM::Policy")
                .Where(p => p.Resource["Properties"]!["PolicyDocument"]!.ToJsonString().Contains("secretsmanager:GetSecretValue"))
                .Where(p => p.Id.StartsWith("Service", StringComparison.Ordinal))
                // A container's own declared secrets (its boot policy) are ContainerTemplateTests' subject.
                .Where(p => !p.Id.Contains("BootPolicy", StringComparison.Ordinal))
                .ToArray();
            var rabbitUsers = env.Definition.Config.Brokers?.Rabbitmq?.Users ?? [];
            var services = env.Definition.Config.Services.Keys;
            var expected = services.Where(rabbitUsers.Contains)
                .Select(key => $"Service{string.Concat(key.Split('-').Select(part => char.ToUpperInvariant(part[0]) + part[1..]))}InstanceRoleDefaultPolicy")
                .Order(StringComparer.Ordinal).ToArray();
            Assert.Equal(expected, readers.Select(r => r.Id[..^8]).Order(StringComparer.Ordinal));
            foreach (var (_, policy) in readers)
            {
                var reads = policy["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray()
                    .Where(st => st!["Action"]!.ToJsonString().Contains("secretsmanager:GetSecretValue")).ToArray();
                var read = Assert.Single(reads)!["Resource"]!.ToJsonString();
                Assert.Contains("RabbitMqUser", read);
                Assert.DoesNotContain("RabbitMqCredentialsArn", read);
            }
        }
    }

    [Fact]
    public void DatabaseLogExportsGetTheEnvironmentsRetention()
    {
        foreach (var env in environments.All)
        {
            // Two exported logs (postgresql, upgrade) per instance, each in a group the stack creates with the retention.
            var groups = env.Data.OfType("AWS::Logs::LogGroup")
                .Where(g => g.Resource["Properties"]!["LogGroupName"]?.ToString().StartsWith("/aws/rds/instance/", StringComparison.Ordinal) == true)
                .ToArray();
            Assert.Equal(env.Data.OfType(Instance).Count() * 2, groups.Length);
            Assert.Equal(groups.Length, env.OfType("AWS::Logs::LogGroup").Count(g => g.Resource["Properties"]!["LogGroupName"]?.ToString().StartsWith("/aws/rds/instance/", StringComparison.Ordinal) == true));
            Assert.All(groups, g => Assert.Equal(env.Definition.Config.Logs.RetentionDays, (int)g.Resource["Properties"]!["RetentionInDays"]!));
        }
    }
}

/// <summary>Adding a database shard to an environment file only adds resources.</summary>
public sealed class ShardStabilityTests
{
    private static string WithShards(int count)
    {
        var size = 1024 / count;
        var shards = string.Concat(Enumerable.Range(1, count).Select(n =>
            $"    shard{n}:\n      buckets: [{{ from: {(n - 1) * size}, to: {(n == count ? 1023 : n * size - 1)} }}]\n" + (n == 2 ? "      readReplicas: 1\n      enableProxy: true\n" : "")));
        return ConfigValidationTests.Valid + $"\ndatabase:\n  instanceType: db.t4g.medium\n  users: [api]\n  shards:\n{shards}";
    }

    private static EnvironmentTemplates Synthesize(int shards) =>
        Synth.Environment(EnvironmentLoader.Parse("dev", "stacks/dev.yaml", WithShards(shards)));

    [Fact]
    public void AddingAFifthShardChangesNoResourceOfShardsOneToFour()
    {
        var before = Synthesize(4);
        var after = Synthesize(5);
        for (var shard = 1; shard <= 4; shard++)
        {
            var old = before.Resources.Where(r => r.Id.Contains($"DatabaseShard{shard}", StringComparison.Ordinal)).ToDictionary(r => r.Id, r => (JsonNode)r.Resource);
            var now = after.Resources.Where(r => r.Id.Contains($"DatabaseShard{shard}", StringComparison.Ordinal)).ToDictionary(r => r.Id, r => (JsonNode)r.Resource);
            Assert.True(old.Count >= 4, $"shard{shard} has {old.Count} resources");
            Assert.Equal(old.Keys.Order(), now.Keys.Order());
            foreach (var (id, resource) in old)
                Assert.True(JsonNode.DeepEquals(resource, now[id]), $"{id} changed when a fifth shard was added");
        }
        Assert.Empty(before.Resources.Select(r => r.Id).Except(after.Resources.Select(r => r.Id)));
        Assert.Contains(after.Resources, r => r.Id.StartsWith("DatabaseShard5Instance", StringComparison.Ordinal));
    }
}

/// <summary>A new cache user is a new ElastiCache user in the Data stack's user group: nothing is renamed or replaced, the replication group is untouched.</summary>
public sealed class CacheUserStabilityTests
{
    [Fact]
    public void AddingACacheUserChangesOnlyTheUserGroupAndTheNewMembersOwnStack()
    {
        const string from = "  replicasPerShard: 1\n  users: [api]\n";
        Assert.Contains(from, ConfigValidationTests.ValidWithDataTier);
        var before = Synth.Environment(EnvironmentLoader.Parse("dev", "stacks/dev.yaml", ConfigValidationTests.ValidWithDataTier));
        var after = Synth.Environment(EnvironmentLoader.Parse("dev", "stacks/dev.yaml",
            ConfigValidationTests.ValidWithDataTier.Replace(from, "  replicasPerShard: 1\n  users: [api, web]\n", StringComparison.Ordinal)));

        var old = before.Data.Resources.ToDictionary(r => r.Id, r => (JsonNode)r.Resource);
        var now = after.Data.Resources.ToDictionary(r => r.Id, r => (JsonNode)r.Resource);
        Assert.Empty(old.Keys.Except(now.Keys));
        Assert.StartsWith("CacheUserWeb", Assert.Single(now.Keys.Except(old.Keys)));
        var changed = old.Keys.Where(id => !JsonNode.DeepEquals(old[id], now[id])).ToList();
        Assert.StartsWith("CacheUserGroup", Assert.Single(changed));
        Assert.Contains(old.Keys, id => id.StartsWith("CacheReplicationGroup", StringComparison.Ordinal));
        // The api's stack is as it was; web's gains its own connect grant.
        Assert.Equal(before.Service("api").Json.ToJsonString(), after.Service("api").Json.ToJsonString());
        Assert.Contains(":user:backend-dev-web", after.Service("web").Json.ToJsonString(), StringComparison.Ordinal);
    }
}
