using System.Text.Json.Nodes;
using ScalableBackend.Components.Observability;
using ScalableBackend.Components.Tests.Support;

namespace ScalableBackend.Components.Tests.Observability;

public sealed class MonitoringTests(MonitoringFixture fixture) : IClassFixture<MonitoringFixture>
{
    private const string Alarm = "AWS::CloudWatch::Alarm";
    private string TopicId => fixture.Stack.ById("AWS::SNS::Topic", "MonitoringAlarmTopic").Id;

    private static string MetricName(JsonObject alarm) => (string?)alarm["MetricName"] ?? "";
    private static string[] MathMetricNames(JsonObject alarm) =>
        alarm["Metrics"]!.AsArray().Where(m => m!["MetricStat"] is not null).Select(m => (string)m!["MetricStat"]!["Metric"]!["MetricName"]!).ToArray();
    private static string Expression(JsonObject alarm) => (string)alarm["Metrics"]!.AsArray().Single(m => m!["Expression"] is not null)!["Expression"]!;

    [Fact]
    public void TheTopicIsEncryptedWithAKeyCloudWatchMayUse()
    {
        var topic = fixture.Stack.Props("AWS::SNS::Topic", "MonitoringAlarmTopic");
        var keyId = fixture.Stack.ById("AWS::KMS::Key", "MonitoringTopicKey").Id;
        Assert.Equal($"{{GetAtt:{keyId}.Arn}}", TemplateText.Flatten(topic["KmsMasterKeyId"]));
        var keyPolicy = fixture.Stack.Props("AWS::KMS::Key", "MonitoringTopicKey")["KeyPolicy"]!["Statement"]!.AsArray();
        Assert.Contains(keyPolicy, s => (string?)s!["Principal"]?["Service"] == "cloudwatch.amazonaws.com");
    }

    [Fact]
    public void TheTopicDeniesPublishingWithoutTls()
    {
        var policy = fixture.Stack.OfType("AWS::SNS::TopicPolicy").Single().Resource["Properties"]!;
        Assert.Equal($"{{Ref:{TopicId}}}", TemplateText.Flatten(policy["Topics"]![0]));
        Assert.Contains(policy["PolicyDocument"]!["Statement"]!.AsArray(),
            s => (string?)s!["Effect"] == "Deny" && (string?)s["Action"] == "sns:Publish" && (string?)s["Condition"]!["Bool"]!["aws:SecureTransport"] == "false");
    }

    /// <summary>
    /// What CloudWatch needs to deliver an alarm to an encrypted topic (SNS developer guide, "Amazon SNS topic policies
    /// for CloudWatch alarms"/"Encrypting topics published by AWS services"): the topic policy allows
    /// cloudwatch.amazonaws.com sns:Publish, and the key policy kms:Decrypt and kms:GenerateDataKey*, both limited to
    /// this account (aws:SourceAccount) and its alarms (aws:SourceArn arn:…:cloudwatch:region:account:alarm:*).
    /// </summary>
    [Theory]
    [InlineData("topic")]
    [InlineData("key")]
    public void CloudWatchAlarmsOfThisAccountMayPublishToTheTopicAndUseItsKey(string document)
    {
        var statements = document == "topic"
            ? fixture.Stack.OfType("AWS::SNS::TopicPolicy").Single().Resource["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray()
            : fixture.Stack.Props("AWS::KMS::Key", "MonitoringTopicKey")["KeyPolicy"]!["Statement"]!.AsArray();
        string[] needed = document == "topic" ? ["sns:Publish"] : ["kms:Decrypt", "kms:GenerateDataKey*"];
        var allow = Assert.Single(statements, s => (string?)s!["Effect"] == "Allow" && (string?)s["Principal"]?["Service"] == "cloudwatch.amazonaws.com")!;
        var actions = allow["Action"] is JsonArray list ? list.Select(a => (string)a!).ToArray() : [(string)allow["Action"]!];
        Assert.Equal(needed, actions.Order(StringComparer.Ordinal));
        if (document == "topic") Assert.Equal($"{{Ref:{TopicId}}}", TemplateText.Flatten(allow["Resource"]));
        Assert.Equal("{Ref:AWS::AccountId}", TemplateText.Flatten(allow["Condition"]!["StringEquals"]!["aws:SourceAccount"]));
        Assert.Equal("arn:{Ref:AWS::Partition}:cloudwatch:us-east-1:{Ref:AWS::AccountId}:alarm:*",
            TemplateText.Flatten(allow["Condition"]!["ArnLike"]!["aws:SourceArn"]));
        // No Deny of the topic's policy applies to CloudWatch publishing over TLS.
        Assert.All(statements.Where(s => (string?)s!["Effect"] == "Deny"),
            s => Assert.Equal("false", (string?)s!["Condition"]?["Bool"]?["aws:SecureTransport"]));
    }

    /// <summary>
    /// A group's failed launches and terminations page the alarm topic through EventBridge (Auto Scaling user guide,
    /// "Amazon EC2 Auto Scaling event reference"); EventBridge may publish and use the topic's key only from this
    /// account's rules. Successful scaling stays out of the topic, which the group acknowledges for cdk-nag AS3.
    /// </summary>
    [Fact]
    public void FailedLaunchesAndTerminationsOfEachGroupReachTheTopicThroughEventBridge()
    {
        var rules = fixture.Stack.OfType("AWS::Events::Rule").Select(r => r.Resource["Properties"]!).ToArray();
        Assert.Equal(2, rules.Length); // service api and worker jobs (the same group in this fixture)
        Assert.All(rules, rule =>
        {
            Assert.Equal(["aws.autoscaling"], rule["EventPattern"]!["source"]!.AsArray().Select(n => (string)n!));
            Assert.Equal(["EC2 Instance Launch Unsuccessful", "EC2 Instance Terminate Unsuccessful"],
                rule["EventPattern"]!["detail-type"]!.AsArray().Select(n => (string)n!));
            Assert.Contains("ServiceApiGroup", rule["EventPattern"]!["detail"]!["AutoScalingGroupName"]!.ToJsonString());
            Assert.Equal($"{{Ref:{TopicId}}}", TemplateText.Flatten(rule["Targets"]![0]!["Arn"]));
        });
        var keyPolicy = fixture.Stack.Props("AWS::KMS::Key", "MonitoringTopicKey")["KeyPolicy"]!["Statement"]!.AsArray();
        var events = Assert.Single(keyPolicy, s => (string?)s!["Sid"] == "AllowEventBridgeRules")!;
        Assert.Equal("events.amazonaws.com", (string?)events["Principal"]!["Service"]);
        Assert.Equal("arn:{Ref:AWS::Partition}:events:us-east-1:{Ref:AWS::AccountId}:rule/*", TemplateText.Flatten(events["Condition"]!["ArnLike"]!["aws:SourceArn"]));
        var topicPolicy = fixture.Stack.OfType("AWS::SNS::TopicPolicy").Single().Resource["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray();
        Assert.Contains(topicPolicy, s => (string?)s!["Sid"] == "AllowEventBridgeRulesToPublish");
        var group = fixture.Stack.OfType("AWS::AutoScaling::AutoScalingGroup").Single().Resource;
        Assert.Contains("AwsSolutions-AS3", group["Metadata"]!["cdk_nag"]!.ToJsonString());
    }

    [Fact]
    public void SubscribesTheEmailsAndHttpsEndpoints()
    {
        var subscriptions = fixture.Stack.OfType("AWS::SNS::Subscription").Select(s => s.Resource["Properties"]!).ToArray();
        Assert.Equal(new[]
            {
                "email:oncall@example.com", "email:team@example.com",
                "https:https://events.example.com/hook", "https:{{resolve:secretsmanager:backend/test/pager-url:SecretString:::}}",
            },
            subscriptions.Select(s => $"{s["Protocol"]}:{s["Endpoint"]}").Order(StringComparer.Ordinal));
        Assert.All(subscriptions, s => Assert.Equal($"{{Ref:{TopicId}}}", TemplateText.Flatten(s["TopicArn"])));
    }

    [Fact]
    public void EveryAlarmNotifiesTheTopicOnAlarmAndOk()
    {
        var alarms = fixture.Stack.OfType(Alarm).Select(a => a.Resource["Properties"]!).ToArray();
        Assert.Equal(24, alarms.Length);
        Assert.All(alarms, a =>
        {
            Assert.Equal($"{{Ref:{TopicId}}}", TemplateText.Flatten(Assert.Single(a["AlarmActions"]!.AsArray())));
            Assert.Equal($"{{Ref:{TopicId}}}", TemplateText.Flatten(Assert.Single(a["OKActions"]!.AsArray())));
        });
    }

    [Fact]
    public void TheLoadBalancer5xxRateIsMetricMathOverRequests()
    {
        var alarm = fixture.Alarm("LoadBalancerSharedServerErrorRate");
        Assert.Contains("/ requests", Expression(alarm));
        Assert.Equal(new[] { "HTTPCode_ELB_5XX_Count", "HTTPCode_Target_5XX_Count", "RequestCount" }, MathMetricNames(alarm).Order());
        Assert.Equal(5, (double)alarm["Threshold"]!);
        Assert.Equal("notBreaching", (string?)alarm["TreatMissingData"]);
    }

    [Fact]
    public void WatchesEachServicesP99UnhealthyHostsAndCpu()
    {
        var p99 = fixture.Alarm("ServiceApiP99ResponseTime");
        Assert.Equal(("TargetResponseTime", "p99", 2d), (MetricName(p99), (string?)p99["ExtendedStatistic"], (double)p99["Threshold"]!));
        var unhealthy = fixture.Alarm("ServiceApiUnhealthyHosts");
        Assert.Equal("UnHealthyHostCount", MetricName(unhealthy));
        Assert.Equal("GreaterThanOrEqualToThreshold", (string?)unhealthy["ComparisonOperator"]);
        var cpu = fixture.Alarm("ServiceApiCpu");
        Assert.Equal("CPUUtilization", MetricName(cpu));
        Assert.Equal("AutoScalingGroupName", (string?)cpu["Dimensions"]![0]!["Name"]);
        Assert.Equal("missing", (string?)cpu["TreatMissingData"]);
    }

    [Fact]
    public void WatchesAWorkersCpu()
    {
        var cpu = fixture.Alarm("WorkerJobsCpu");
        Assert.Equal(("CPUUtilization", 80d), (MetricName(cpu), (double)cpu["Threshold"]!));
    }

    [Fact]
    public void WatchesEachCacheShardsBusiestNode()
    {
        foreach (var shard in new[] { "0001", "0002" })
        {
            var cpu = fixture.Alarm($"CacheMainShard{shard}Cpu");
            Assert.Equal("MAX([m1, m2])", Expression(cpu));
            var nodes = cpu["Metrics"]!.AsArray().Where(m => m!["MetricStat"] is not null)
                .Select(m => TemplateText.Flatten(m!["MetricStat"]!["Metric"]!["Dimensions"]![0]!["Value"])).ToArray();
            Assert.Equal(new[] { $"-{shard}-001", $"-{shard}-002" }, nodes.Select(n => n[n.IndexOf('}')..][1..]));
            Assert.Equal(new[] { "DatabaseMemoryUsagePercentage", "DatabaseMemoryUsagePercentage" }, MathMetricNames(fixture.Alarm($"CacheMainShard{shard}Memory")));
            Assert.Equal("Evictions", MathMetricNames(fixture.Alarm($"CacheMainShard{shard}Evictions"))[0]);
            Assert.Equal("ReplicationLag", MathMetricNames(fixture.Alarm($"CacheMainShard{shard}ReplicationLag"))[0]);
        }
    }

    [Fact]
    public void AThresholdOverrideReplacesOnlyItsDefault()
    {
        Assert.Equal(65, (double)fixture.Alarm("CacheMainShard0001Cpu")["Threshold"]!);
        Assert.Equal(80, (double)fixture.Alarm("CacheMainShard0001Memory")["Threshold"]!);
    }

    [Fact]
    public void WatchesEachDatabaseShardAndItsReplicas()
    {
        foreach (var shard in new[] { "Shard1", "Shard2" })
        {
            Assert.Equal("CPUUtilization", MetricName(fixture.Alarm($"Database{shard}Cpu")));
            var storage = fixture.Alarm($"Database{shard}FreeStorage");
            Assert.Equal(("FreeStorageSpace", "LessThanThreshold", 5d * 1024 * 1024 * 1024), (MetricName(storage), (string?)storage["ComparisonOperator"], (double)storage["Threshold"]!));
            Assert.Equal("DatabaseConnections", MetricName(fixture.Alarm($"Database{shard}Connections")));
        }
        Assert.Equal("ReplicaLag", MetricName(fixture.Alarm("DatabaseShard1Replica1Lag")));
        Assert.DoesNotContain(fixture.Stack.OfType(Alarm), a => a.Id.StartsWith("MonitoringDatabaseShard2Replica", StringComparison.Ordinal));
    }

    [Fact]
    public void WatchesQueueAgeAndDeadLetters()
    {
        var age = fixture.Alarm("QueueOrdersOldestMessageAge");
        Assert.Equal(("ApproximateAgeOfOldestMessage", 300d), (MetricName(age), (double)age["Threshold"]!));
        var dead = fixture.Alarm("QueueOrdersDeadLetters");
        Assert.Equal("ApproximateNumberOfMessagesVisible", MetricName(dead));
        Assert.Contains("OrdersDlq", TemplateText.Flatten(dead["Dimensions"]![0]!["Value"]));
        Assert.Equal("notBreaching", (string?)dead["TreatMissingData"]);
    }

    [Fact]
    public void WatchesSearchClusterRedAndFreeStorage()
    {
        var red = fixture.Alarm("SearchLogsClusterRed");
        Assert.Equal(("ClusterStatus.red", 1d), (MetricName(red), (double)red["Threshold"]!));
        Assert.Equal(5d * 1024, (double)fixture.Alarm("SearchLogsFreeStorage")["Threshold"]!);
    }

    [Fact]
    public void TheDashboardHasARowPerComponent()
    {
        var dashboard = fixture.Stack.Props("AWS::CloudWatch::Dashboard", "MonitoringDashboard");
        Assert.Equal("backend-test", (string?)dashboard["DashboardName"]);
        var body = TemplateText.Flatten(dashboard["DashboardBody"]);
        foreach (var row in new[] { "Load balancer shared", "Service api", "Worker jobs", "Cache main", "Database shard shard1", "Database shard shard2", "Queue orders", "Search domain logs" })
            Assert.Contains($"### {row}", body);
    }

    public static TheoryData<MonitoringSettings, string> Rows => new()
    {
        { new MonitoringSettings { AlarmEmails = ["oncall"] }, "AlarmEmails[0] = oncall must be an email address such as oncall@example.com" },
        { new MonitoringSettings { AlarmEmails = ["a@example.com", "A@example.com"] }, "AlarmEmails[1] = A@example.com is listed twice" },
        { new MonitoringSettings { AlarmHttpsEndpoints = ["http://hooks.example.com"] }, "AlarmHttpsEndpoints[0] = http://hooks.example.com must be an https:// URL" },
        { new MonitoringSettings { AlarmHttpsEndpoints = ["https://h.example.com", "https://h.example.com"] }, "AlarmHttpsEndpoints[1] = https://h.example.com is listed twice" },
        // A paging integration key in the URL (as prod.yaml had it) must come from a secret; the message never repeats it.
        { new MonitoringSettings { AlarmHttpsEndpoints = ["https://events.pagerduty.com/integration/00000000000000000000000000000000/enqueue"] },
            "AlarmHttpsEndpoints[0] = https://events.pagerduty.com/… looks like it carries a key (user info, a query or a token-like path segment); store the URL in Secrets Manager and list the secret's name under alarmHttpsEndpointSecrets" },
        { new MonitoringSettings { AlarmHttpsEndpoints = ["https://hooks.example.com/alert?token=abc"] },
            "AlarmHttpsEndpoints[0] = https://hooks.example.com/… looks like it carries a key (user info, a query or a token-like path segment); store the URL in Secrets Manager and list the secret's name under alarmHttpsEndpointSecrets" },
        { new MonitoringSettings { AlarmHttpsEndpoints = ["https://user:pw@hooks.example.com/alert"] },
            "AlarmHttpsEndpoints[0] = https://hooks.example.com/… looks like it carries a key (user info, a query or a token-like path segment); store the URL in Secrets Manager and list the secret's name under alarmHttpsEndpointSecrets" },
        { new MonitoringSettings { AlarmHttpsEndpointSecrets = ["pager url"] }, "AlarmHttpsEndpointSecrets[0] = pager url must be a Secrets Manager secret name (1-512 letters, digits and /_+=.@-) or ARN" },
        { new MonitoringSettings { AlarmHttpsEndpointSecrets = ["backend/pager", "backend/pager"] }, "AlarmHttpsEndpointSecrets[1] = backend/pager is listed twice" },
        { new MonitoringSettings { Thresholds = new() { CacheMemoryPercent = 120 } }, "Thresholds.CacheMemoryPercent = 120 must be greater than 0 and at most 100" },
        { new MonitoringSettings { Thresholds = new() { QueueOldestMessageAgeSeconds = 0 } }, "Thresholds.QueueOldestMessageAgeSeconds = 0 must be greater than 0" },
        { new MonitoringSettings { Thresholds = new() { DeadLetterMessages = 0.5 } }, "Thresholds.DeadLetterMessages = 0.5 must be a whole number, at least 1" },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void RejectsOutOfRangeSettings(MonitoringSettings settings, string expected) =>
        Assert.Equal(expected, Assert.Throws<PropsValidationException>(() => Monitoring.Validate(settings)).Detail);

    [Fact]
    public void AcceptsTheDefaults() => Monitoring.Validate(new MonitoringSettings());

    [Fact]
    public void ValidatesBeforeCreatingAnything()
    {
        var stack = TestStacks.Empty();
        Assert.Throws<PropsValidationException>(() => new Monitoring(stack, "Monitoring", new MonitoringProps { AlarmEmails = ["nobody"] }));
        Assert.Null(stack.Node.TryFindChild("Monitoring")?.Node.TryFindChild("AlarmTopic"));
    }
}
