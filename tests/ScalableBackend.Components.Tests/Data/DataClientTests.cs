using Amazon.CDK;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.KMS;
using Amazon.CDK.AWS.SecretsManager;
using Amazon.CDK.AWS.SSM;
using ScalableBackend.Components.Caching;
using ScalableBackend.Components.Data;
using ScalableBackend.Components.Tests.Support;

namespace ScalableBackend.Components.Tests.Data;

/// <summary>
/// Granting from another stack by reference: a cluster in one stack, its user in another, the grant built from imported
/// values. The cluster's stack learns nothing of its user; the user's stack holds the ingress and the statements.
/// </summary>
public sealed class DataClientFixture
{
    public Synthesized Producer { get; }
    public Synthesized Consumer { get; }

    public DataClientFixture()
    {
        var (producer, vpc) = DataTestStacks.WithVpc();
        _ = new RedisCluster(producer, "Cache", new RedisClusterProps { Vpc = vpc, NodeType = "cache.t4g.small", ParameterPrefix = "/test/cache", Users = ["api"], UserIdPrefix = "test-" });
        var app = (App)producer.Node.Scope!;
        var consumer = new Stack(app, "Consumer", new StackProps { Env = new Amazon.CDK.Environment { Region = "us-east-1" } });
        var userVpc = Vpc.FromVpcAttributes(consumer, "Vpc", new VpcAttributes
        {
            VpcId = Fn.ImportValue("Test:VpcId"), AvailabilityZones = ["us-east-1a", "us-east-1b"],
        });
        var user = DataTestStacks.User(consumer, userVpc, "Api");
        var reference = new RedisClusterReference("Cache", Fn.ImportValue("Test:CacheSecurityGroupId"),
            StringParameter.FromStringParameterName(consumer, "Endpoint", "/test/cache/endpoint"),
            Fn.ImportValue("Test:CacheReplicationGroupId"), "test-");
        RedisCluster.GrantConnect(reference, new DataClient(user.SecurityGroup, user.Role), "api");
        Producer = Synthesized.Of(producer);
        Consumer = Synthesized.Of(consumer);
    }
}

public sealed class DataClientTests(DataClientFixture fixture) : IClassFixture<DataClientFixture>
{
    [Fact]
    public void TheProducerHoldsNoRuleOutputOrStatementForItsUser()
    {
        Assert.Empty(fixture.Producer.OfType("AWS::EC2::SecurityGroupIngress"));
        Assert.Empty(fixture.Producer.OfType("AWS::IAM::Policy"));
        Assert.Null(fixture.Producer.Json["Outputs"]);
    }

    [Fact]
    public void TheConsumerAdmitsItselfIntoTheImportedGroup()
    {
        var (id, rule) = Assert.Single(fixture.Consumer.OfType("AWS::EC2::SecurityGroupIngress"));
        Assert.StartsWith("ApiSecurityGroupCacheIngress", id);
        Assert.Equal("{\"Fn::ImportValue\":\"Test:CacheSecurityGroupId\"}", rule["Properties"]!["GroupId"]!.ToJsonString());
        Assert.Equal(RedisCluster.Port, (int)rule["Properties"]!["FromPort"]!);
    }

    [Fact]
    public void TheConsumersRoleReadsTheParameterAndConnectsToTheImportedGroupAsItsUserWithNoSecret()
    {
        var statements = fixture.Consumer.OfType("AWS::IAM::Policy").Single().Resource["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray();
        Assert.Equal(1, statements.Count(s => s!["Action"]!.ToJsonString().Contains("ssm:GetParameter")));
        var connect = Assert.Single(statements, s => s!["Action"]!.ToJsonString() == "\"elasticache:Connect\"")!;
        Assert.Contains("{\"Fn::ImportValue\":\"Test:CacheReplicationGroupId\"}", connect["Resource"]![0]!.ToJsonString());
        Assert.EndsWith(":user:test-api\"]]}", connect["Resource"]![1]!.ToJsonString());
        Assert.DoesNotContain(statements, s => s!["Action"]!.ToJsonString().Contains("secretsmanager:") || s["Action"]!.ToJsonString().Contains("kms:"));
    }
}
