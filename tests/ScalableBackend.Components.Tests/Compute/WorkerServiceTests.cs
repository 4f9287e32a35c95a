using System.Text.Json.Nodes;
using Amazon.CDK;
using Amazon.CDK.Assertions;
using ScalableBackend.Components.Compute;
using ScalableBackend.Components.Tests.Messaging;
using ScalableBackend.Components.Tests.Support;

namespace ScalableBackend.Components.Tests.Compute;

public sealed class WorkerServiceTests(WorkerServiceFixture fixture) : IClassFixture<WorkerServiceFixture>
{
    private JsonObject Group => fixture.Result.OfType("AWS::AutoScaling::AutoScalingGroup").Single().Resource;
    private JsonObject Backlog => fixture.Result.Properties("AWS::AutoScaling::ScalingPolicy", "WorkerReportsBacklogPerInstanceScaling");

    [Fact]
    public void LaunchTemplateIsHardenedLikeAWebService() =>
        fixture.Result.Template.HasResourceProperties("AWS::EC2::LaunchTemplate", new Dictionary<string, object>
        {
            ["LaunchTemplateData"] = Match.ObjectLike(new Dictionary<string, object>
            {
                ["MetadataOptions"] = new Dictionary<string, object> { ["HttpTokens"] = "required", ["HttpPutResponseHopLimit"] = 1 },
                ["BlockDeviceMappings"] = new object[] { Match.ObjectLike(new Dictionary<string, object> { ["Ebs"] = Match.ObjectLike(new Dictionary<string, object> { ["Encrypted"] = true, ["VolumeType"] = "gp3", ["VolumeSize"] = 20 }) }) },
                ["NetworkInterfaces"] = new object[] { Match.ObjectLike(new Dictionary<string, object> { ["AssociatePublicIpAddress"] = false }) },
                ["InstanceType"] = "t3.small",
            }),
        });

    [Fact]
    public void GroupRunsInPrivateSubnetsWithoutALoadBalancerWithEc2HealthChecksAndARollingUpdate()
    {
        var props = Group["Properties"]!;
        Assert.Equal("EC2", (string?)props["HealthCheckType"]);
        Assert.Equal(300, (int)props["HealthCheckGracePeriod"]!);
        Assert.Null(props["TargetGroupARNs"]);
        Assert.Empty(fixture.Result.OfType("AWS::ElasticLoadBalancingV2::LoadBalancer"));
        Assert.Equal("2", (string?)props["MinSize"]);
        Assert.Equal("10", (string?)props["MaxSize"]);
        Assert.All(props["VPCZoneIdentifier"]!.AsArray(), s => Assert.Contains("Private", s!.ToJsonString()));
        Assert.Equal(2, (int)Group["UpdatePolicy"]!["AutoScalingRollingUpdate"]!["MinInstancesInService"]!);
    }

    [Fact]
    public void InstancesAdmitNoInboundTraffic()
    {
        Assert.Null(fixture.Result.Properties("AWS::EC2::SecurityGroup", "WorkerReportsSecurityGroup")["SecurityGroupIngress"]);
        Assert.Empty(fixture.Result.OfType("AWS::EC2::SecurityGroupIngress"));
    }

    [Fact]
    public void CollectsGroupInServiceInstances()
    {
        var collection = Assert.Single(Group["Properties"]!["MetricsCollection"]!.AsArray())!;
        Assert.Equal("1Minute", (string?)collection["Granularity"]);
        Assert.Contains("GroupInServiceInstances", collection["Metrics"]!.AsArray().Select(m => (string?)m));
    }

    [Fact]
    public void TracksBacklogPerInstanceWithMetricMath()
    {
        Assert.Equal("TargetTrackingScaling", (string?)Backlog["PolicyType"]);
        Assert.StartsWith("WorkerReportsGroup", (string?)Backlog["AutoScalingGroupName"]!["Ref"]);
        var metrics = Backlog["TargetTrackingConfiguration"]!["CustomizedMetricSpecification"]!["Metrics"]!.AsArray();
        var m1 = metrics.Single(m => (string?)m!["Id"] == "m1")!;
        Assert.Equal("AWS/SQS", (string?)m1["MetricStat"]!["Metric"]!["Namespace"]);
        Assert.Equal("ApproximateNumberOfMessagesVisible", (string?)m1["MetricStat"]!["Metric"]!["MetricName"]);
        Assert.StartsWith("JobsQueue", (string?)m1["MetricStat"]!["Metric"]!["Dimensions"]![0]!["Value"]!["Fn::GetAtt"]![0]);
        var m2 = metrics.Single(m => (string?)m!["Id"] == "m2")!;
        Assert.Equal("AWS/AutoScaling", (string?)m2["MetricStat"]!["Metric"]!["Namespace"]);
        Assert.Equal("GroupInServiceInstances", (string?)m2["MetricStat"]!["Metric"]!["MetricName"]);
        Assert.StartsWith("WorkerReportsGroup", (string?)m2["MetricStat"]!["Metric"]!["Dimensions"]![0]!["Value"]!["Ref"]);
        var expression = metrics.Single(m => m!["Expression"] is not null)!;
        Assert.Equal("m1 / m2", (string?)expression["Expression"]);
        Assert.Equal([expression], metrics.Where(m => (bool)m!["ReturnData"]!));
    }

    [Fact]
    public void TargetIsAcceptableLatencyOverAverageProcessingTime() =>
        Assert.Equal(10, (double)Backlog["TargetTrackingConfiguration"]!["TargetValue"]!);

    [Fact]
    public void BatchWindowRaisesCapacityAndThenReturnsIt()
    {
        var actions = fixture.Result.OfType("AWS::AutoScaling::ScheduledAction").ToDictionary(a => a.Id, a => a.Resource["Properties"]!);
        var start = actions.Single(a => a.Key.Contains("BatchNightlyStart")).Value;
        var end = actions.Single(a => a.Key.Contains("BatchNightlyEnd")).Value;
        Assert.Equal("0 1 * * *", (string?)start["Recurrence"]);
        Assert.Equal(8, (int)start["MinSize"]!);
        Assert.Equal("Europe/Berlin", (string?)start["TimeZone"]);
        Assert.Equal("0 5 * * *", (string?)end["Recurrence"]);
        Assert.Equal(2, (int)end["MinSize"]!);
    }

    [Fact]
    public void WorkersMayOnlyConsumeTheirQueueAndDecryptItsKey()
    {
        var statements = fixture.Result.Statements("WorkerReportsInstanceRole");
        var sqs = statements.Single(s => s!.Actions().Any(a => a.StartsWith("sqs:", StringComparison.Ordinal)))!;
        Assert.Equal(["sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:ReceiveMessage"], sqs.Actions().Order());
        Assert.StartsWith("JobsQueue", (string?)sqs["Resource"]!["Fn::GetAtt"]![0]);
        var kms = statements.Single(s => s!.Actions().Any(a => a.StartsWith("kms:", StringComparison.Ordinal)))!;
        Assert.Equal(["kms:Decrypt"], kms.Actions());
        Assert.StartsWith("JobsKey", (string?)kms["Resource"]!["Fn::GetAtt"]![0]);
        Assert.DoesNotContain(statements, s => s!["Resource"]!.ToJsonString().Contains("Other"));
    }
}

/// <summary>The worker tier's validation messages; no synthesis.</summary>
public sealed class WorkerServiceValidationTests
{
    private static readonly WorkerServiceSettings Valid = new()
    {
        MinCapacity = 1,
        MaxCapacity = 4,
        AcceptableLatency = Duration.Minutes(1),
        AverageProcessingTime = Duration.Seconds(10),
    };

    private static Dictionary<string, BatchWindow> Window(string name, string start = "0 1 * * *", string end = "0 5 * * *", int min = 2) =>
        new() { [name] = new BatchWindow { Start = start, End = end, MinCapacity = min } };

    public static TheoryData<WorkerServiceSettings, string> Rows => new()
    {
        { Valid with { MinCapacity = 0 }, "MinCapacity = 0 must be at least 1: backlog per instance has no value while no instance is in service" },
        { Valid with { MinCapacity = 3, MaxCapacity = 2 }, "MaxCapacity = 2 must be >= minCapacity (3)" },
        { Valid with { RootVolumeSizeGiB = 4 }, "RootVolumeSizeGiB = 4 must be between 8 and 16384" },
        { Valid with { HealthCheckGracePeriod = Duration.Hours(3) }, "HealthCheckGracePeriod = 10800s must be at most 7200s" },
        { Valid with { AverageProcessingTime = Duration.Seconds(0) }, "AverageProcessingTime = 0s must be greater than 0s" },
        { Valid with { AcceptableLatency = Duration.Seconds(0) }, "AcceptableLatency = 0s must be greater than 0s" },
        { Valid with { AcceptableLatency = Duration.Seconds(5) }, "AcceptableLatency = 5s must be at least averageProcessingTime (10s): the target backlog per instance would be below one message" },
        { Valid with { BatchWindows = Window("Nightly") }, "BatchWindows = Nightly keys must be lower-case letters, digits and dashes, starting with a letter (at most 40)" },
        { Valid with { BatchWindows = Window("nightly", start: "at 1am") }, "BatchWindows.nightly.Start = at 1am must have 5 fields: minute hour day-of-month month day-of-week" },
        { Valid with { BatchWindows = Window("nightly", end: "0 5 * *") }, "BatchWindows.nightly.End = 0 5 * * must have 5 fields: minute hour day-of-month month day-of-week" },
        { Valid with { BatchWindows = Window("nightly", end: "0 1 * * *") }, "BatchWindows.nightly.End = 0 1 * * * must differ from start" },
        { Valid with { BatchWindows = Window("nightly", min: 5) }, "BatchWindows.nightly.MinCapacity = 5 must be between 1 and maxCapacity (4)" },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void RejectsOutOfRangeSettings(WorkerServiceSettings settings, string expected) =>
        Assert.Equal(expected, Assert.Throws<PropsValidationException>(() => WorkerService.Validate(settings)).Detail);

    [Fact]
    public void AcceptsValidSettings() => WorkerService.Validate(Valid with { BatchWindows = Window("nightly") });
}
