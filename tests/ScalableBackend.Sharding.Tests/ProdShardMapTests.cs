using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.CDK;
using Amazon.CDK.AWS.EC2;
using ScalableBackend.Components.Data;
using ScalableBackend.Sharding.Tests.Support;
using ScalableBackend.Stacks.Config;

namespace ScalableBackend.Sharding.Tests;

/// <summary>
/// The shard map the component publishes for prod's shards (stacks/prod.yaml's database section, through
/// <see cref="ShardedDatabase"/>), synthesized once, with CloudFormation's join resolved to made-up endpoints as
/// RDS would fill them in.
/// </summary>
public sealed class ProdShardMapFixture
{
    public DatabaseConfig Settings { get; }
    public string Json { get; }

    public ProdShardMapFixture()
    {
        System.Environment.SetEnvironmentVariable("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20");
        Settings = EnvironmentLoader.Load("prod").Config.Database ?? throw new InvalidOperationException("prod has no database section");
        var app = new App();
        var stack = new Stack(app, "Prod", new StackProps { Env = new Amazon.CDK.Environment { Region = "us-east-1" } });
        var vpc = new Vpc(stack, "Vpc", new VpcProps
        {
            AvailabilityZones = ["us-east-1a", "us-east-1b"],
            NatGateways = 0,
            SubnetConfiguration = [new SubnetConfiguration { Name = "Isolated", SubnetType = SubnetType.PRIVATE_ISOLATED, CidrMask = 24 }],
        });
        _ = new ShardedDatabase(stack, "Database", new ShardedDatabaseProps(Settings with { CredentialRotationDays = 0 }, vpc, new InstanceType(Settings.InstanceType.Replace("db.", "", StringComparison.Ordinal))));
        var template = JsonNode.Parse(JsonSerializer.Serialize(Amazon.CDK.Assertions.Template.FromStack(stack).ToJSON()))!;
        var parameter = template["Resources"]!.AsObject().Single(r => r.Key.StartsWith("DatabaseShardMap", StringComparison.Ordinal)).Value!;
        Json = Resolve(parameter["Properties"]!["Value"]!);
    }

    /// <summary>CloudFormation's value of <paramref name="node"/>: joins joined, attributes and references replaced by values shaped like RDS's.</summary>
    private static string Resolve(JsonNode node) => node switch
    {
        JsonValue v => v.GetValue<string>(),
        JsonObject o when o["Fn::Join"] is JsonArray join => string.Join(join[0]!.GetValue<string>(), join[1]!.AsArray().Select(p => Resolve(p!))),
        JsonObject o when o["Fn::GetAtt"] is JsonArray att => (att[0]!.GetValue<string>(), att[1]!.GetValue<string>()) switch
        {
            (var id, "Endpoint.Address") => $"{id.ToLowerInvariant()}.abc123.us-east-1.rds.amazonaws.com",
            (_, "Endpoint.Port") => "5432",
            (var id, "Endpoint") => $"{id.ToLowerInvariant()}.proxy-abc123.us-east-1.rds.amazonaws.com",
            var other => throw new InvalidOperationException($"unexpected attribute {other}"),
        },
        JsonObject o when o["Ref"] is JsonValue r => $"arn:aws:secretsmanager:us-east-1:123456789012:secret:{r.GetValue<string>()}",
        _ => throw new InvalidOperationException($"unexpected intrinsic {node.ToJsonString()}"),
    };
}

// In the PostgreSQL collection although it needs no server: the CDK's jsii runtime is not thread-safe, and
// StagedMoveTests synthesizes there too, so every test that synthesizes runs in one collection, one at a time.
[Collection(PostgresCollection.Name)]
public sealed class ProdShardMapTests(ProdShardMapFixture fixture) : IClassFixture<ProdShardMapFixture>
{
    private ShardMap Map => ShardMap.Parse(fixture.Json);

    [Fact]
    public void ReadsTheMapTheComponentPublishesForProd()
    {
        Assert.Equal(1, Map.Version);
        Assert.Equal(fixture.Settings.BucketCount ?? 1024, Map.BucketCount);
        Assert.Equal(fixture.Settings.Shards.Keys.Order(StringComparer.Ordinal), Map.Shards.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void EveryBucketRoutesToTheShardProdYamlGivesIt()
    {
        for (var bucket = 0; bucket < Map.BucketCount; bucket++)
        {
            var owner = fixture.Settings.Shards.Single(s => s.Value.Buckets.Any(r => bucket >= r.From && bucket <= r.To)).Key;
            Assert.Equal(owner, Map.ShardOf(bucket));
        }
    }

    [Fact]
    public void KeysRouteByCrc32ModTheBucketCount()
    {
        // crc32("123456789") = 0xCBF43926; mod 1024 = 294, which prod gives to shard2 (256-511).
        Assert.Equal(new ShardRoute(294, "shard2", null), Map.Route("123456789"));
        foreach (var key in Enumerable.Range(0, 500).Select(i => $"customer-{i}"))
            Assert.Equal(Map.ShardOf((int)(Crc32.Compute(System.Text.Encoding.UTF8.GetBytes(key)) % 1024)), Map.Route(key).Shard);
    }

    [Fact]
    public void EndpointsFollowEachShardsProxyAndReplicas()
    {
        foreach (var (id, shard) in fixture.Settings.Shards)
        {
            var entry = Map.Shards[id];
            Assert.Equal(shard.EnableProxy ?? false, entry.Proxy is not null);
            Assert.Equal(shard.ReadReplicas ?? 0, entry.Readers.Count);
            Assert.EndsWith(":5432", entry.Writer);
            Assert.StartsWith("arn:aws:secretsmanager:", entry.SecretArn);
        }
    }

    [Fact]
    public void WritesTheSameTextBack() => Assert.Equal(fixture.Json, Map.ToJson());
}
