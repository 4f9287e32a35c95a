using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.KMS;
using ScalableBackend.Components.Data;
using ScalableBackend.Components.Networking;
using ScalableBackend.Components.Tests.Support;

namespace ScalableBackend.Components.Tests.Data;

/// <summary>A database with fixed instance identifiers (one shard with a replica), synthesized once.</summary>
public sealed class NamedShardsFixture
{
    public Synthesized Stack { get; }

    public NamedShardsFixture()
    {
        var (stack, vpc) = DataTestStacks.WithVpc();
        _ = new ShardedDatabase(stack, "Database", new ShardedDatabaseProps
        {
            Vpc = vpc,
            InstanceType = new InstanceType("t4g.micro"),
            Shards = DataTestStacks.EvenShards(1, customize: (_, s) => s with { ReadReplicas = 1 }),
            InstanceIdentifierPrefix = "backend-test",
            LogEncryptionKey = Network.CreateLogKey(stack, "LogKey", "test"),
            LogRetention = Amazon.CDK.AWS.Logs.RetentionDays.ONE_MONTH,
        });
        Stack = Synthesized.Of(stack);
    }
}

public sealed class ShardedDatabaseLogTests(NamedShardsFixture fixture) : IClassFixture<NamedShardsFixture>
{
    [Fact]
    public void InstancesGetStableIdentifiersFromTheirShardIds()
    {
        var ids = fixture.Stack.OfType("AWS::RDS::DBInstance").Select(i => (string?)i.Resource["Properties"]!["DBInstanceIdentifier"]).Order();
        Assert.Equal(new[] { "backend-test-shard1", "backend-test-shard1-replica1" }, ids);
    }

    [Fact]
    public void ExportedLogsGoToEncryptedLogGroupsWithRetentionCreatedBeforeTheInstances()
    {
        var groups = fixture.Stack.OfType("AWS::Logs::LogGroup").ToDictionary(g => (string)g.Resource["Properties"]!["LogGroupName"]!, g => g);
        foreach (var name in new[] { "/aws/rds/instance/backend-test-shard1/postgresql", "/aws/rds/instance/backend-test-shard1/upgrade",
                                     "/aws/rds/instance/backend-test-shard1-replica1/postgresql", "/aws/rds/instance/backend-test-shard1-replica1/upgrade" })
        {
            var properties = groups[name].Resource["Properties"]!;
            Assert.Equal(30, (int)properties["RetentionInDays"]!);
            Assert.NotNull(properties["KmsKeyId"]);
        }
        foreach (var (_, instance) in fixture.Stack.OfType("AWS::RDS::DBInstance"))
        {
            var dependsOn = instance["DependsOn"]!.AsArray().Select(d => (string)d!).ToHashSet();
            var own = groups.Values.Where(g => ((string)g.Resource["Properties"]!["LogGroupName"]!).Contains($"/{instance["Properties"]!["DBInstanceIdentifier"]}/"));
            Assert.All(own, g => Assert.Contains(g.Id, dependsOn));
        }
    }

    [Fact]
    public void NoLambdaSetsRetentionAfterwards() =>
        Assert.Empty(fixture.Stack.OfType("Custom::LogRetention"));

    public static TheoryData<string?, bool, int, string> Invalid => new()
    {
        { "Backend", true, 0, "InstanceIdentifierPrefix = Backend must start with a letter and hold only lower-case letters, digits and single dashes, not ending with a dash" },
        { "backend--prod", true, 0, "InstanceIdentifierPrefix = backend--prod must start with a letter" },
        { "backend-", true, 0, "InstanceIdentifierPrefix = backend- must start with a letter" },
        { "backend", false, 0, "LogEncryptionKey is required with instanceIdentifierPrefix" },
        { new string('b', 50), true, 1, "InstanceIdentifierPrefix = " + new string('b', 50) + " makes the identifier " + new string('b', 50) + "-shard1-replica1 (66 characters); RDS allows at most 63" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void RejectsIdentifiersRdsWouldRefuse(string? prefix, bool withKey, int replicas, string message)
    {
        var (stack, vpc) = DataTestStacks.WithVpc();
        var error = Assert.Throws<PropsValidationException>(() => new ShardedDatabase(stack, "Database", new ShardedDatabaseProps
        {
            Vpc = vpc,
            InstanceType = new InstanceType("t4g.micro"),
            Shards = DataTestStacks.EvenShards(1, customize: (_, s) => s with { ReadReplicas = replicas }),
            InstanceIdentifierPrefix = prefix,
            LogEncryptionKey = withKey ? new Key(stack, "Key") : null,
        }));
        Assert.StartsWith(message, error.Detail);
    }
}
