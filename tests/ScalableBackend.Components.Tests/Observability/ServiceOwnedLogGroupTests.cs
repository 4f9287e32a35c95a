using System.Text.Json.Nodes;
using Amazon.CDK;
using Amazon.CDK.AWS.KMS;
using Amazon.CDK.AWS.Logs;
using ScalableBackend.Components.Observability;
using ScalableBackend.Components.Tests.Support;

namespace ScalableBackend.Components.Tests.Observability;

/// <summary>A service-owned group named by a deploy-time id (as Amazon MQ's), kept 30 days under a given key; synthesized once.</summary>
public sealed class ServiceOwnedLogGroupFixture
{
    public Synthesized Result { get; }

    public ServiceOwnedLogGroupFixture()
    {
        var stack = TestStacks.Empty();
        var key = new Key(stack, "LogKey");
        var brokerId = new CfnParameter(stack, "BrokerId").ValueAsString;
        _ = new ServiceOwnedLogGroup(stack, "BrokerLogs", new ServiceOwnedLogGroupProps
        {
            LogGroupName = $"/aws/amazonmq/broker/{brokerId}/general",
            EncryptionKey = key,
            Retention = RetentionDays.ONE_MONTH,
            HandlerLogGroup = EncryptedLogGroup.Create(stack, "HandlerLogs", new EncryptedLogGroupProps { EncryptionKey = key, Retention = RetentionDays.ONE_MONTH }),
        });
        Result = Synthesized.Of(stack);
    }
}

/// <summary>Issue 18.11: Amazon MQ's own log group gets the environment's retention and key, through three CloudWatch Logs calls scoped to it.</summary>
public sealed class ServiceOwnedLogGroupTests(ServiceOwnedLogGroupFixture fixture) : IClassFixture<ServiceOwnedLogGroupFixture>
{
    private JsonNode Call(string action) =>
        fixture.Result.OfType("Custom::AWS").Single(r => Join(r.Resource["Properties"]!["Create"]!).Contains($"\"action\":\"{action}\"", StringComparison.Ordinal)).Resource;

    // The call as the provider reads it: an Fn::Join's literal parts as they are, its tokens as JSON.
    private static string Join(JsonNode node) =>
        node is JsonObject o && o["Fn::Join"] is JsonArray join
            ? string.Concat(join[1]!.AsArray().Select(part => part is JsonValue v && v.TryGetValue<string>(out var text) ? text : part!.ToJsonString()))
            : node is JsonValue value && value.TryGetValue<string>(out var plain) ? plain : node.ToJsonString();

    [Theory]
    [InlineData("createLogGroup")]
    [InlineData("associateKmsKey")]
    [InlineData("putRetentionPolicy")]
    public void EachCallRunsOnCreateAndOnUpdateWithTheGroupsName(string action)
    {
        var properties = Call(action)["Properties"]!;
        Assert.Equal(Join(properties["Create"]!), Join(properties["Update"]!));
        Assert.Contains("/aws/amazonmq/broker/", Join(properties["Create"]!));
        Assert.Contains("{\"Ref\":\"BrokerId\"}", Join(properties["Create"]!));
        Assert.Null(properties["Delete"]); // the events stay
    }

    [Fact]
    public void AGroupTheServiceMadeFirstIsKeptAndThenGivenTheKeyAndRetention()
    {
        Assert.Contains("ResourceAlreadyExistsException", Join(Call("createLogGroup")["Properties"]!["Create"]!));
        Assert.DoesNotContain("ignoreErrorCodesMatching", Join(Call("associateKmsKey")["Properties"]!["Create"]!));
        Assert.Contains("LogKey", Join(Call("associateKmsKey")["Properties"]!["Create"]!));
        Assert.Contains("\"retentionInDays\":30", Join(Call("putRetentionPolicy")["Properties"]!["Create"]!));
        // Key and retention wait for the group.
        var create = fixture.Result.OfType("Custom::AWS").Single(r => r.Id.StartsWith("BrokerLogsCreate", StringComparison.Ordinal)).Id;
        Assert.Contains(create, Join(Call("associateKmsKey")["DependsOn"]!));
        Assert.Contains(create, Join(Call("putRetentionPolicy")["DependsOn"]!));
    }

    [Fact]
    public void TheFunctionMayCallOnlyTheseActionsOnOnlyThisGroupAndWriteOnlyItsOwnLogs()
    {
        var policies = fixture.Result.OfType("AWS::IAM::Policy").ToArray();
        Assert.Equal(3, policies.Length);
        foreach (var (_, policy) in policies)
        {
            var statements = policy["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray();
            Assert.Equal(2, statements.Count);
            Assert.Equal("[\"logs:CreateLogGroup\",\"logs:AssociateKmsKey\",\"logs:PutRetentionPolicy\"]", Join(statements[0]!["Action"]!));
            Assert.All(statements[0]!["Resource"]!.AsArray(), r => Assert.Contains("log-group:/aws/amazonmq/broker/", Join(r!)));
            Assert.Equal("[\"logs:CreateLogStream\",\"logs:PutLogEvents\"]", Join(statements[1]!["Action"]!));
            Assert.Contains("HandlerLogs", Join(statements[1]!["Resource"]!));
        }
        var (_, role) = fixture.Result.OfType("AWS::IAM::Role").Single();
        Assert.Null(role["Properties"]!["ManagedPolicyArns"]); // not AWSLambdaBasicExecutionRole (logs on every group)
    }

    [Fact]
    public void TheFunctionRunsOnASupportedRuntimeAndLogsToItsEncryptedGroup()
    {
        var (_, function) = fixture.Result.OfType("AWS::Lambda::Function").Single();
        Assert.Equal("nodejs24.x", (string?)function["Properties"]!["Runtime"]);
        Assert.Contains("HandlerLogs", Join(function["Properties"]!["LoggingConfig"]!));
        Assert.Null(function["DependsOn"]);
    }
}
