using Amazon.CDK.Assertions;
using ScalableBackend.Components.Compute;
using ScalableBackend.Components.Tests.Support;

namespace ScalableBackend.Components.Tests.Compute;

public sealed class WebServiceTests(HttpsServiceFixture fixture, HttpsTargetsFixture httpsTargets)
    : IClassFixture<HttpsServiceFixture>, IClassFixture<HttpsTargetsFixture>
{
    [Fact]
    public void TargetsAndHealthChecksUseHttpByDefault() =>
        Template.HasResourceProperties("AWS::ElasticLoadBalancingV2::TargetGroup", new Dictionary<string, object>
        {
            ["Protocol"] = "HTTP", ["HealthCheckProtocol"] = "HTTP",
        });

    [Fact]
    public void InstancesMayUseTheCloudWatchAgentByDefault() =>
        Assert.Contains("CloudWatchAgentServerPolicy", fixture.Result.OfType("AWS::IAM::Role").Single(r => r.Id.Contains("InstanceRole", StringComparison.Ordinal)).Resource["Properties"]!["ManagedPolicyArns"]!.ToJsonString());

    [Fact]
    public void TheManagedAgentPolicyCanBeLeftToAScopedGrant() =>
        Assert.DoesNotContain("CloudWatchAgentServerPolicy", httpsTargets.Result.OfType("AWS::IAM::Role").Single(r => r.Id.Contains("InstanceRole", StringComparison.Ordinal)).Resource["Properties"]!["ManagedPolicyArns"]?.ToJsonString() ?? "");

    [Fact]
    public void InstancesGetSessionManagerButReadNoParameterThroughIt()
    {
        // AmazonSSMManagedInstanceCore allows ssm:GetParameter* on every parameter; the scoped policy has Session Manager's actions only.
        var (_, role) = fixture.Result.OfType("AWS::IAM::Role").Single(r => r.Id.Contains("InstanceRole", StringComparison.Ordinal));
        Assert.DoesNotContain("AmazonSSMManagedInstanceCore", role["Properties"]!["ManagedPolicyArns"]?.ToJsonString() ?? "");
        var (_, policy) = fixture.Result.OfType("AWS::IAM::Policy").Single(p => p.Id.Contains("SessionManagerPolicy", StringComparison.Ordinal));
        var actions = policy["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray().SelectMany(s => s!["Action"]!.AsArray().Select(a => (string)a!)).Order(StringComparer.Ordinal);
        Assert.Equal(["ssm:UpdateInstanceInformation", "ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel", "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel"], actions);
        Assert.Contains("InstanceRole", policy["Properties"]!["Roles"]!.ToJsonString());
    }

    [Fact]
    public void TlsToTargetsIsAnOptionPerService() =>
        httpsTargets.Result.Template.HasResourceProperties("AWS::ElasticLoadBalancingV2::TargetGroup", new Dictionary<string, object>
        {
            ["Protocol"] = "HTTPS", ["Port"] = 8443, ["HealthCheckProtocol"] = "HTTPS",
        });

    private Template Template => fixture.Result.Template;

    [Fact]
    public void RoutesByPathAndHostWithTheGivenPriority() =>
        Template.HasResourceProperties("AWS::ElasticLoadBalancingV2::ListenerRule", new Dictionary<string, object>
        {
            ["Priority"] = 42,
            ["Actions"] = new object[] { Match.ObjectLike(new Dictionary<string, object> { ["Type"] = "forward" }) },
            ["Conditions"] = Match.ArrayWith(new object[]
            {
                Match.ObjectLike(new Dictionary<string, object> { ["Field"] = "path-pattern" }),
                Match.ObjectLike(new Dictionary<string, object> { ["Field"] = "host-header" }),
            }),
        });

    [Fact]
    public void TargetGroupHasDefaultHealthCheckAndTheChosenAlgorithm() =>
        Template.HasResourceProperties("AWS::ElasticLoadBalancingV2::TargetGroup", new Dictionary<string, object>
        {
            ["Port"] = 9000,
            ["HealthCheckPath"] = "/health",
            ["HealthCheckIntervalSeconds"] = 15,
            ["HealthCheckTimeoutSeconds"] = 5,
            ["Matcher"] = new Dictionary<string, object> { ["HttpCode"] = "200-299" },
            ["TargetGroupAttributes"] = Match.ArrayWith(new object[]
            {
                new Dictionary<string, object> { ["Key"] = "deregistration_delay.timeout_seconds", ["Value"] = "30" },
                new Dictionary<string, object> { ["Key"] = "load_balancing.algorithm.type", ["Value"] = "least_outstanding_requests" },
            }),
        });

    [Fact]
    public void LaunchTemplateIsHardened() =>
        Template.HasResourceProperties("AWS::EC2::LaunchTemplate", new Dictionary<string, object>
        {
            ["LaunchTemplateData"] = Match.ObjectLike(new Dictionary<string, object>
            {
                ["MetadataOptions"] = new Dictionary<string, object> { ["HttpTokens"] = "required", ["HttpPutResponseHopLimit"] = 1 },
                ["BlockDeviceMappings"] = new object[] { Match.ObjectLike(new Dictionary<string, object> { ["Ebs"] = Match.ObjectLike(new Dictionary<string, object> { ["Encrypted"] = true, ["VolumeType"] = "gp3", ["VolumeSize"] = 20 }) }) },
                ["NetworkInterfaces"] = new object[] { Match.ObjectLike(new Dictionary<string, object> { ["AssociatePublicIpAddress"] = false }) },
                ["InstanceType"] = "t3.micro",
            }),
        });

    [Fact]
    public void GroupRunsInPrivateSubnetsWithElbHealthChecksAndARollingUpdate()
    {
        var (_, asg) = fixture.Result.OfType("AWS::AutoScaling::AutoScalingGroup").Single();
        Assert.Equal("ELB", (string?)asg["Properties"]!["HealthCheckType"]);
        Assert.Equal(300, (int)asg["Properties"]!["HealthCheckGracePeriod"]!);
        Assert.Equal("2", (string?)asg["Properties"]!["MinSize"]);
        Assert.Equal("6", (string?)asg["Properties"]!["MaxSize"]);
        Assert.Null(asg["Properties"]!["DesiredCapacity"]);
        Assert.All(asg["Properties"]!["VPCZoneIdentifier"]!.AsArray(), s => Assert.Contains("Private", s!.ToJsonString()));
        Assert.Equal(2, (int)asg["UpdatePolicy"]!["AutoScalingRollingUpdate"]!["MinInstancesInService"]!);
    }

    [Fact]
    public void LoadBalancerMayReachInstancesOnlyOnTheServicePort()
    {
        var (_, ingress) = fixture.Result.OfType("AWS::EC2::SecurityGroupIngress").Single();
        Assert.Equal(9000, (int)ingress["Properties"]!["FromPort"]!);
        Assert.NotNull(ingress["Properties"]!["SourceSecurityGroupId"]);
    }

    [Fact]
    public void ScalesOnCpu() =>
        Template.HasResourceProperties("AWS::AutoScaling::ScalingPolicy", new Dictionary<string, object>
        {
            ["TargetTrackingConfiguration"] = Match.ObjectLike(new Dictionary<string, object>
            {
                ["PredefinedMetricSpecification"] = new Dictionary<string, object> { ["PredefinedMetricType"] = "ASGAverageCPUUtilization" },
                ["TargetValue"] = 55,
            }),
        });

    [Fact]
    public void ScalesOnRequestsPerTarget() =>
        Template.HasResourceProperties("AWS::AutoScaling::ScalingPolicy", new Dictionary<string, object>
        {
            ["TargetTrackingConfiguration"] = Match.ObjectLike(new Dictionary<string, object>
            {
                ["PredefinedMetricSpecification"] = Match.ObjectLike(new Dictionary<string, object> { ["PredefinedMetricType"] = "ALBRequestCountPerTarget" }),
                ["TargetValue"] = 500,
            }),
        });

    [Fact]
    public void TracksACustomMetricUnderAnIdFromItsKey()
    {
        var policy = fixture.Result.OfType("AWS::AutoScaling::ScalingPolicy").Single(p => p.Id.Contains("MetricQueueLatencyScaling"));
        var config = policy.Resource["Properties"]!["TargetTrackingConfiguration"]!;
        Assert.Equal("LatencyMs", (string?)config["CustomizedMetricSpecification"]!["MetricName"]);
        Assert.Equal(200, (double)config["TargetValue"]!);
        Assert.True((bool)config["DisableScaleIn"]!);
    }

    [Fact]
    public void StepScalesOnACustomMetricAlarm()
    {
        Template.HasResourceProperties("AWS::CloudWatch::Alarm", new Dictionary<string, object>
        {
            ["MetricName"] = "Backlog", ["Threshold"] = 100, ["EvaluationPeriods"] = 2, ["ComparisonOperator"] = "GreaterThanOrEqualToThreshold",
        });
        Template.HasResourceProperties("AWS::AutoScaling::ScalingPolicy", new Dictionary<string, object>
        {
            ["PolicyType"] = "StepScaling",
            ["StepAdjustments"] = new object[] { Match.ObjectLike(new Dictionary<string, object> { ["ScalingAdjustment"] = 3 }) },
        });
    }

    [Fact]
    public void SchedulesCapacityUnderAnIdFromItsKey()
    {
        var action = fixture.Result.OfType("AWS::AutoScaling::ScheduledAction").Single();
        Assert.Contains("ScheduleNightlyBatch", action.Id);
        Assert.Equal("0 1 * * *", (string?)action.Resource["Properties"]!["Recurrence"]);
        Assert.Equal(4, (int)action.Resource["Properties"]!["MinSize"]!);
    }

    [Theory]
    [InlineData("queue-latency", "QueueLatency")]
    [InlineData("api", "Api")]
    [InlineData("a-b-c", "ABC")]
    public void KeysBecomePascalCaseIds(string key, string id) => Assert.Equal(id, WebService.ToPascal(key));

    [Theory]
    [InlineData("api", true)]
    [InlineData("order-service2", true)]
    [InlineData("Api", false)]
    [InlineData("2api", false)]
    [InlineData("api_v2", false)]
    public void ValidKeysAreLowerCaseDashed(string key, bool valid) => Assert.Equal(valid, WebService.IsValidKey(key));

    [Fact]
    public void ValidationErrorsCarryThePropertyPathAndValueForLibraryUsers()
    {
        var settings = new WebServiceSettings { Routing = new ServiceRouting { Priority = 1, PathPatterns = ["/x"] }, MinCapacity = 3, MaxCapacity = 2 };
        var error = Assert.Throws<PropsValidationException>(() => WebService.Validate(settings));
        Assert.Equal("MaxCapacity", error.Path);
        Assert.Equal(2, error.Value);
        Assert.Equal("MaxCapacity = 2 must be >= minCapacity (3) and at least 1", error.Detail);
    }
}
