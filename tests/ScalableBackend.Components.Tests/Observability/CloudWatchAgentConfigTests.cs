using System.Text.Json.Nodes;
using Amazon.CDK.AWS.Logs;
using ScalableBackend.Components.Compute;
using ScalableBackend.Components.Observability;
using ScalableBackend.Components.Tests.Support;

namespace ScalableBackend.Components.Tests.Observability;

public sealed class CloudWatchAgentConfigTests(AgentFixture fixture) : IClassFixture<AgentFixture>
{
    private const string Parameter = "AWS::SSM::Parameter";
    private const string Policy = "AWS::IAM::Policy";

    private string Configuration(string prefix) => TemplateText.Flatten(fixture.Stack.Props(Parameter, prefix)["Value"]);

    [Fact]
    public void ShipsTheApplicationLogFilesIntoTheServiceLogGroup()
    {
        var config = JsonNode.Parse(Configuration("ApiAgentParameter"))!;
        var file = config["logs"]!["logs_collected"]!["files"]!["collect_list"]![0]!;
        Assert.Equal("/var/log/app/*.log", (string?)file["file_path"]);
        var logGroupId = fixture.Stack.ById("AWS::Logs::LogGroup", "ApiAgentLogGroup").Id;
        Assert.Equal($"{{Ref:{logGroupId}}}", (string?)file["log_group_name"]);
        Assert.Equal("{instance_id}", (string?)file["log_stream_name"]);
    }

    [Fact]
    public void CollectsMemoryAndDiskMetricsPerAutoScalingGroup()
    {
        var metrics = JsonNode.Parse(Configuration("ApiAgentParameter"))!["metrics"]!;
        Assert.Equal("CWAgent", (string?)metrics["namespace"]);
        Assert.Equal("mem_used_percent", (string?)metrics["metrics_collected"]!["mem"]!["measurement"]![0]);
        Assert.Equal("used_percent", (string?)metrics["metrics_collected"]!["disk"]!["measurement"]![0]);
        Assert.Equal("${aws:AutoScalingGroupName}", (string?)metrics["append_dimensions"]!["AutoScalingGroupName"]);
    }

    [Fact]
    public void RunsTheXRayReceiverOnTheSdkDefaultAddress()
    {
        var xray = JsonNode.Parse(Configuration("ApiAgentParameter"))!["traces"]!["traces_collected"]!["xray"]!;
        Assert.Equal("127.0.0.1:2000", (string?)xray["bind_address"]);
        Assert.Equal("127.0.0.1:2000", (string?)xray["tcp_proxy"]!["bind_address"]);
    }

    [Fact]
    public void LeavesTracingOutWhenDisabledAndTakesTheGivenFilesAndNamespace()
    {
        var config = JsonNode.Parse(Configuration("WorkerAgentParameter"))!;
        Assert.Null(config["traces"]);
        Assert.Equal(2, config["logs"]!["logs_collected"]!["files"]!["collect_list"]!.AsArray().Count);
        Assert.Equal("Backend/Worker", (string?)config["metrics"]!["namespace"]);
        Assert.Equal("/test/worker/agent", (string?)fixture.Stack.Props(Parameter, "WorkerAgentParameter")["Name"]);
    }

    [Fact]
    public void TheServiceLogGroupHasTheRetentionAndTheKmsKey()
    {
        var api = fixture.Stack.Props("AWS::Logs::LogGroup", "ApiAgentLogGroup");
        Assert.Equal(14, (int)api["RetentionInDays"]!);
        Assert.NotNull(api["KmsKeyId"]);
        Assert.Equal("Retain", (string?)fixture.Stack.ById("AWS::Logs::LogGroup", "ApiAgentLogGroup").Resource["DeletionPolicy"]);
        Assert.Equal("/test/worker", (string?)fixture.Stack.Props("AWS::Logs::LogGroup", "WorkerAgentLogGroup")["LogGroupName"]);
    }

    [Fact]
    public void BootCommandsInstallTheAgentAndApplyTheParameter()
    {
        Assert.Contains(fixture.BootCommands, c => c.Contains("install -y amazon-cloudwatch-agent", StringComparison.Ordinal));
        var apply = Assert.Single(fixture.BootCommands, c => c.Contains("amazon-cloudwatch-agent-ctl", StringComparison.Ordinal));
        Assert.Matches(@"-a fetch-config -m ec2 -c ssm:\$\{Token\[.+\]\} -s && break;", apply);
        Assert.Contains("amazon-cloudwatch-agent-ctl", fixture.UserDataText);
    }

    [Fact]
    public void BootCommandsRetryInstallingAndFetchingTheConfiguration()
    {
        // User data runs once; an instance that boots before its role may read the parameter must try again.
        Assert.Equal(2, fixture.BootCommands.Count);
        Assert.All(fixture.BootCommands, c => Assert.Matches(@"^for attempt in \$\(seq 1 30\); do .+ && break; echo .+; sleep 10; done$", c));
    }

    [Fact]
    public void InstallOrdersTheLaunchTemplateAfterTheAgentPolicyAndItsParameter_ThroughItsReference()
    {
        var (_, launchTemplate) = fixture.Stack.ById("AWS::EC2::LaunchTemplate", "JobsLaunchTemplate");
        var dependsOn = launchTemplate["DependsOn"]!.AsArray().Select(d => (string)d!).ToArray();
        Assert.Contains(fixture.Stack.ById("AWS::IAM::Policy", "JobsAgentPolicy").Id, dependsOn);
        // The parameter comes first through the user data's Ref to it; repeating it in DependsOn is validator W3005.
        var parameter = fixture.Stack.ById("AWS::SSM::Parameter", "JobsAgentParameter").Id;
        Assert.DoesNotContain(parameter, dependsOn);
        Assert.Contains($"{{\"Ref\":\"{parameter}\"}}", launchTemplate["Properties"]!["LaunchTemplateData"]!["UserData"]!.ToJsonString());
        var policy = fixture.Stack.Props("AWS::IAM::Policy", "JobsAgentPolicy");
        Assert.Contains("JobsRole", policy["Roles"]!.ToJsonString());
        Assert.Contains("amazon-cloudwatch-agent-ctl", TemplateText.Flatten(launchTemplate["Properties"]!["LaunchTemplateData"]!["UserData"]));
    }

    [Fact]
    public void GrantsGetParameterOnExactlyItsParameter()
    {
        var statements = Statements("ApiAgentPolicy");
        var read = statements.Single(s => (string?)s["Sid"] == "ReadAgentConfiguration");
        Assert.Equal("ssm:GetParameter", (string?)read["Action"]);
        var parameterId = fixture.Stack.ById(Parameter, "ApiAgentParameter").Id;
        Assert.EndsWith($":parameter/{{Ref:{parameterId}}}", TemplateText.Flatten(read["Resource"]));
    }

    [Fact]
    public void GrantsLogWritesOnExactlyItsLogGroup()
    {
        var ship = Statements("ApiAgentPolicy").Single(s => (string?)s["Sid"] == "ShipApplicationLogs");
        var logGroupId = fixture.Stack.ById("AWS::Logs::LogGroup", "ApiAgentLogGroup").Id;
        Assert.Equal($"{{GetAtt:{logGroupId}.Arn}}", TemplateText.Flatten(ship["Resource"]));
    }

    [Fact]
    public void GrantsTheXRayDaemonActionsAndAcknowledgesTheirWildcard()
    {
        var traces = Statements("ApiAgentPolicy").Single(s => (string?)s["Sid"] == "SendTraces");
        var actions = traces["Action"]!.AsArray().Select(a => (string?)a).ToArray();
        Assert.Contains("xray:PutTraceSegments", actions);
        Assert.Contains("xray:GetSamplingTargets", actions);
        Assert.Equal("*", (string?)traces["Resource"]);
        var ack = fixture.Stack.ById(Policy, "ApiAgentPolicy").Resource["Metadata"]!["ScalableBackend"]!["Acknowledgements"]![0]!;
        Assert.Equal("SB-IAM-002", (string?)ack["Rule"]);
        Assert.Contains("X-Ray", (string?)ack["Reason"]);
    }

    [Fact]
    public void PinsMetricPublishingToItsNamespace()
    {
        var put = Statements("WorkerAgentPolicy").Single(s => (string?)s["Sid"] == "PublishAgentMetrics");
        Assert.Equal("Backend/Worker", (string?)put["Condition"]!["StringEquals"]!["cloudwatch:namespace"]);
        Assert.DoesNotContain(Statements("WorkerAgentPolicy"), s => (string?)s["Sid"] == "SendTraces");
    }

    [Fact]
    public void PinsMetricPublishingToExactlyTheAgentsAndTheApplicationsNamespaces()
    {
        var put = Statements("JobsAgentPolicy").Single(s => (string?)s["Sid"] == "PublishAgentMetrics");
        Assert.Equal(["CWAgent", "Backend/Jobs", "Backend/Api"], put["Condition"]!["StringEquals"]!["cloudwatch:namespace"]!.AsArray().Select(n => (string?)n));
    }

    [Fact]
    public void RunsTheStatsdListenerOnLoopbackUnlessDisabled()
    {
        // CloudWatch user guide, "Retrieve custom metrics with StatsD": metrics_collected.statsd, service_address ip:port (UDP).
        var statsd = JsonNode.Parse(Configuration("ApiAgentParameter"))!["metrics"]!["metrics_collected"]!["statsd"]!;
        Assert.Equal("127.0.0.1:8125", (string?)statsd["service_address"]);
        Assert.Null(JsonNode.Parse(Configuration("JobsAgentParameter"))!["metrics"]!["metrics_collected"]!["statsd"]);
    }

    [Fact]
    public void ScalingTriggersOnNamespacesTheInstancesPublishOrAwsPublishesPass()
    {
        var scaling = new ServiceScaling
        {
            CustomMetrics = new Dictionary<string, CustomMetricTarget> { ["latency"] = new() { Metric = new() { Namespace = "Backend/Api", MetricName = "LatencyP99Ms" }, Target = 250 } },
            StepScaling = new Dictionary<string, StepScalingTrigger> { ["queue"] = new() { Metric = new() { Namespace = "AWS/SQS", MetricName = "ApproximateNumberOfMessagesVisible" }, Steps = [] } },
        };
        Assert.Equal(["Backend/Api"], CloudWatchAgentConfig.NamespacesReadBy(scaling));
        CloudWatchAgentConfig.ValidateScalingMetrics(scaling, ["CWAgent", "Backend/Api"]);
    }

    [Fact]
    public void RejectsAScalingTriggerOnANamespaceNothingPublishes()
    {
        var scaling = new ServiceScaling
        {
            StepScaling = new Dictionary<string, StepScalingTrigger> { ["in-flight"] = new() { Metric = new() { Namespace = "Backend/Api", MetricName = "InFlightRequests" }, Steps = [] } },
        };
        Assert.Equal("Scaling.StepScaling.in-flight.Metric.Namespace = Backend/Api is published by nothing: the instances may publish only CWAgent; declare it among the agent's application metric namespaces",
            Assert.Throws<PropsValidationException>(() => CloudWatchAgentConfig.ValidateScalingMetrics(scaling, ["CWAgent"])).Detail);
    }

    [Fact]
    public void AttachesItsPolicyToTheGrantedRole()
    {
        var roles = fixture.Stack.Props(Policy, "ApiAgentPolicy")["Roles"]!.AsArray();
        Assert.StartsWith("ApiRole", (string?)Assert.Single(roles)!["Ref"]);
    }

    private JsonObject[] Statements(string prefix) =>
        fixture.Stack.Props(Policy, prefix)["PolicyDocument"]!["Statement"]!.AsArray().Select(s => s!.AsObject()).ToArray();

    public static TheoryData<CloudWatchAgentSettings, string> Rows => new()
    {
        { new CloudWatchAgentSettings { LogFiles = [] }, "LogFiles must list at least one file when given" },
        { new CloudWatchAgentSettings { LogFiles = ["app.log"] }, "LogFiles = app.log must be absolute paths such as /var/log/app/*.log" },
        { new CloudWatchAgentSettings { MetricsNamespace = "AWS/EC2" }, "MetricsNamespace = AWS/EC2 must be 1 to 255 characters and not start with AWS/" },
        { new CloudWatchAgentSettings { MetricsIntervalSeconds = 45 }, "MetricsIntervalSeconds = 45 must be 10, 30 or a multiple of 60" },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void RejectsOutOfRangeSettings(CloudWatchAgentSettings settings, string expected) =>
        Assert.Equal(expected, Assert.Throws<PropsValidationException>(() => CloudWatchAgentConfig.Validate(settings)).Detail);

    [Fact]
    public void AcceptsTheDefaults() => CloudWatchAgentConfig.Validate(new CloudWatchAgentSettings());

    [Fact]
    public void RejectsARelativeParameterNameBeforeCreatingAnything()
    {
        var stack = TestStacks.Empty();
        var key = ScalableBackend.Components.Networking.Network.CreateLogKey(stack, "Key", "test");
        var e = Assert.Throws<PropsValidationException>(() => new CloudWatchAgentConfig(stack, "Agent", new CloudWatchAgentConfigProps
        {
            ServiceName = "api", LogEncryptionKey = key, LogRetention = RetentionDays.ONE_DAY, ParameterName = "agent",
        }));
        Assert.Equal("ParameterName = agent must start with /", e.Detail);
        Assert.Null(stack.Node.TryFindChild("Agent")?.Node.TryFindChild("LogGroup"));
    }

    [Fact]
    public void EncryptedLogGroupRejectsAnInvalidName()
    {
        var stack = TestStacks.Empty();
        var key = ScalableBackend.Components.Networking.Network.CreateLogKey(stack, "Key", "test");
        var e = Assert.Throws<PropsValidationException>(() => EncryptedLogGroup.Create(stack, "Logs", new EncryptedLogGroupProps
        {
            EncryptionKey = key, Retention = RetentionDays.ONE_DAY, LogGroupName = "bad name",
        }));
        Assert.Equal("LogGroupName = bad name must be 1 to 512 characters: letters, digits, _ - / . #", e.Detail);
    }
}

public sealed class TraceSamplingTests(AgentFixture fixture) : IClassFixture<AgentFixture>
{
    private JsonObject Rule(string prefix) => fixture.Stack.Props("AWS::XRay::SamplingRule", prefix)["SamplingRule"]!.AsObject();

    [Fact]
    public void SamplesTheReservoirAndTheRateOfEveryRequest()
    {
        var rule = Rule("SamplingRule");
        Assert.Equal("backend-test", (string?)rule["RuleName"]);
        Assert.Equal(0.1, (double)rule["FixedRate"]!);
        Assert.Equal(2, (int)rule["ReservoirSize"]!);
        foreach (var any in new[] { "ServiceName", "ServiceType", "Host", "HTTPMethod", "URLPath", "ResourceARN" })
            Assert.Equal("*", (string?)rule[any]);
    }

    [Fact]
    public void DefaultsToOneRequestPerSecondAndFivePercent()
    {
        var rule = Rule("DefaultSamplingRule");
        Assert.Equal(0.05, (double)rule["FixedRate"]!);
        Assert.Equal(1, (int)rule["ReservoirSize"]!);
        Assert.Equal(1000, (int)rule["Priority"]!);
    }

    public static TheoryData<TraceSamplingSettings, string> Rows => new()
    {
        { new TraceSamplingSettings { Rate = 1.5 }, "Rate = 1.5 must be between 0 and 1" },
        { new TraceSamplingSettings { Reservoir = -1 }, "Reservoir = -1 must be between 0 and 10000" },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void RejectsOutOfRangeSettings(TraceSamplingSettings settings, string expected) =>
        Assert.Equal(expected, Assert.Throws<PropsValidationException>(() => TraceSampling.Validate(settings)).Detail);

    [Theory]
    [InlineData("a rule with spaces", 1000, "RuleName = a rule with spaces must be 1 to 32 letters, digits, - or _")]
    [InlineData("ok", 0, "Priority = 0 must be between 1 and 9999")]
    public void RejectsAnInvalidRuleNameOrPriority(string name, int priority, string expected)
    {
        var stack = TestStacks.Empty();
        Assert.Equal(expected, Assert.Throws<PropsValidationException>(() => new TraceSampling(stack, "Sampling", new TraceSamplingProps { RuleName = name, Priority = priority })).Detail);
    }
}
