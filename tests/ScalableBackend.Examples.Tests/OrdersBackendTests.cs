using System.Text.Json.Nodes;
using Amazon.CDK;
using Amazon.CDK.Assertions;
using ScalableBackend.Examples.OrdersBackend;
using ScalableBackend.Policies;

namespace ScalableBackend.Examples.Tests;

/// <summary>The example, synthesized once as its Program does.</summary>
public sealed class OrdersBackendFixture
{
    public Template Template { get; }
    public JsonObject Json { get; }

    public OrdersBackendFixture()
    {
        System.Environment.SetEnvironmentVariable("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20");
        var app = new App(new AppProps { Outdir = Directory.CreateTempSubdirectory("sb-example-").FullName });
        var stack = new OrdersBackendStack(app, "Orders-Example", "eu-west-1", ["eu-west-1a", "eu-west-1b"],
            "arn:aws:acm:eu-west-1:123456789012:certificate/00000000-0000-4000-8000-000000000000");
        Template = Template.FromStack(stack);
        Json = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(Template.ToJSON()))!.AsObject();
    }
}

/// <summary>Examples are part of the test suite: the consumer's stack synthesizes offline and passes the policy pack.</summary>
public sealed class OrdersBackendTests(OrdersBackendFixture fixture) : IClassFixture<OrdersBackendFixture>
{
    [Fact]
    public void ComposesTheComponentsIntoOneBackend()
    {
        fixture.Template.ResourceCountIs("AWS::ElasticLoadBalancingV2::LoadBalancer", 1);
        fixture.Template.ResourceCountIs("AWS::AutoScaling::AutoScalingGroup", 2);
        fixture.Template.ResourceCountIs("AWS::ElastiCache::ReplicationGroup", 1);
        fixture.Template.ResourceCountIs("AWS::SQS::Queue", 2); // the job queue and its dead-letter queue
    }

    [Fact]
    public void WorkersScaleOnBacklogPerInstance() =>
        fixture.Template.HasResourceProperties("AWS::AutoScaling::ScalingPolicy", new Dictionary<string, object>
        {
            ["TargetTrackingConfiguration"] = Match.ObjectLike(new Dictionary<string, object>
            {
                ["CustomizedMetricSpecification"] = Match.ObjectLike(new Dictionary<string, object> { ["Metrics"] = Match.AnyValue() }),
                ["TargetValue"] = 20, // 5 minutes acceptable latency ÷ 15 s per message
            }),
        });

    [Fact]
    public void BothTiersRunTheirImagesOnThePinnedMachineImageAndWaitForSignals()
    {
        var templates = fixture.Json["Resources"]!.AsObject().Where(r => (string)r.Value!["Type"]! == "AWS::EC2::LaunchTemplate").ToArray();
        Assert.Equal(2, templates.Length);
        foreach (var (_, template) in templates)
        {
            var data = template!["Properties"]!["LaunchTemplateData"]!;
            Assert.Equal(OrdersBackendStack.MachineImages.X86_64, (string)data["ImageId"]!);
            Assert.Contains("cfn-signal", data["UserData"]!.ToJsonString(), StringComparison.Ordinal);
        }
        var userData = string.Concat(templates.Select(t => t.Value!.ToJsonString()));
        Assert.Contains("orders-api:1.4.2", userData, StringComparison.Ordinal);
        Assert.Contains("orders-worker:1.4.2", userData, StringComparison.Ordinal);
        Assert.DoesNotContain("AWS::EC2::Image::Id", fixture.Json.ToJsonString(), StringComparison.Ordinal);
        foreach (var (_, group) in fixture.Json["Resources"]!.AsObject().Where(r => (string)r.Value!["Type"]! == "AWS::AutoScaling::AutoScalingGroup"))
            Assert.True((bool)group!["UpdatePolicy"]!["AutoScalingRollingUpdate"]!["WaitOnResourceSignals"]!);
    }

    [Fact]
    public void PassesThePolicyPackWithTheComponentsDefaults()
    {
        var document = TemplateDocument.FromJson(fixture.Json, "Orders-Example.template.json");
        Assert.Contains(document.Resources, r => r.Type == "AWS::ElastiCache::ReplicationGroup");
        var findings = PolicyEngine.Default.Check(document);
        var blocking = findings.Where(Findings.IsBlocking).Select(f => $"{f.RuleId} {f.LogicalId}: {f.Message}").ToArray();
        Assert.True(blocking.Length == 0, string.Join("\n", blocking));
    }
}
