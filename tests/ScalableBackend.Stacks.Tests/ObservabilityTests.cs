using System.Text.Json.Nodes;
using ScalableBackend.Components.Compute;

namespace ScalableBackend.Stacks.Tests;

/// <summary>Central logging, alarms, dashboards and tracing, asserted on the environments synthesized once per run.</summary>
[Collection(EnvironmentCollection.Name)]
public sealed class ObservabilityTests(EnvironmentFixture environments)
{
    private const string Domain = "AWS::OpenSearchService::Domain";
    private const string Stream = "AWS::KinesisFirehose::DeliveryStream";
    private const string Alarm = "AWS::CloudWatch::Alarm";

    private static string Flatten(JsonNode? node) => node switch
    {
        JsonValue v => v.ToString(),
        JsonObject o when o["Fn::Join"] is JsonArray join => string.Join(join[0]!.GetValue<string>(), join[1]!.AsArray().Select(Flatten)),
        JsonObject o when o["Fn::Base64"] is { } inner => Flatten(inner),
        JsonObject o when o["Ref"] is { } r => $"{{Ref:{r}}}",
        JsonObject o when o["Fn::GetAtt"] is JsonArray a => $"{{GetAtt:{a[0]}.{a[1]}}}",
        _ => node?.ToJsonString() ?? "",
    };

    private static JsonObject Props(JsonObject resource) => resource["Properties"]!.AsObject();

    [Fact]
    public void ProdIndexesLogsIntoAnEncryptedZoneAwareSearchDomainWithDedicatedMasters()
    {
        var domain = Props(Assert.Single(environments.Prod.Platform.OfType(Domain)).Resource);
        Assert.Single(environments.Prod.OfType(Domain));
        Assert.True((bool)domain["EncryptionAtRestOptions"]!["Enabled"]!);
        Assert.NotNull(domain["EncryptionAtRestOptions"]!["KmsKeyId"]);
        Assert.True((bool)domain["NodeToNodeEncryptionOptions"]!["Enabled"]!);
        Assert.True((bool)domain["DomainEndpointOptions"]!["EnforceHTTPS"]!);
        Assert.StartsWith("Policy-Min-TLS-1-2", (string?)domain["DomainEndpointOptions"]!["TLSSecurityPolicy"]);
        Assert.True((bool)domain["ClusterConfig"]!["ZoneAwarenessEnabled"]!);
        Assert.True((bool)domain["ClusterConfig"]!["DedicatedMasterEnabled"]!);
        Assert.True((bool)domain["AdvancedSecurityOptions"]!["Enabled"]!);
        Assert.NotNull(domain["VPCOptions"]);
    }

    [Fact]
    public void ProdStreamsIntoTheDomainWithS3Backup()
    {
        var domainId = environments.Prod.Platform.OfType(Domain).Single().Id;
        var destination = environments.Prod.Platform.OfType(Stream).Select(s => Props(s.Resource)["AmazonopensearchserviceDestinationConfiguration"]).Single(d => d is not null)!;
        Assert.Equal($"{{GetAtt:{domainId}.Arn}}", Flatten(destination["DomainARN"]));
        Assert.Equal("AllDocuments", (string?)destination["S3BackupMode"]);
        Assert.Contains("LoggingArchive", Flatten(destination["S3Configuration"]!["BucketARN"]));
        Assert.NotNull(destination["VpcConfiguration"]);
    }

    [Fact]
    public void EveryServiceAndWorkerLogGroupIsSubscribedToCentralLogging()
    {
        foreach (var env in environments.All)
        {
            var streamId = env.Platform.OfType(Stream).Single().Id;
            // The platform publishes its stream; each member's stack subscribes its own log group to it.
            Assert.Equal($"{{GetAtt:{streamId}.Arn}}", Flatten(env.Platform.Outputs["LogStreamArn"]!["Value"]));
            var imported = $"{{\"Fn::ImportValue\":\"{env.Platform.Name}:LogStreamArn\"}}";
            var members = env.Definition.Config.Services.Keys.Select(k => (Stack: env.Service(k), Owner: $"Service{WebService.ToPascal(k)}"))
                .Concat((env.Definition.Config.Workers ?? new Dictionary<string, Config.WorkerConfig>()).Keys.Select(k => (Stack: env.Worker(k), Owner: $"Worker{WebService.ToPascal(k)}")));
            foreach (var (stack, owner) in members)
            {
                var filter = Props(Assert.Single(stack.OfType("AWS::Logs::SubscriptionFilter")).Resource);
                Assert.Equal(imported, filter["DestinationArn"]!.ToJsonString());
                Assert.StartsWith($"{{Ref:{owner}AgentLogGroup", Flatten(filter["LogGroupName"]), StringComparison.Ordinal);
            }
            Assert.Equal(members.Count(), env.OfType("AWS::Logs::SubscriptionFilter").Count());
        }
    }

    [Fact]
    public void ProdAlarmsOnEveryComponentKindAndWiresEachToTheAlarmTopic()
    {
        var prod = environments.Prod;
        var topicId = prod.Platform.OfType("AWS::SNS::Topic").Single(t => t.Id.StartsWith("MonitoringAlarmTopic", StringComparison.Ordinal)).Id;
        Assert.Single(prod.OfType("AWS::SNS::Topic"), t => t.Id.StartsWith("MonitoringAlarmTopic", StringComparison.Ordinal));
        Assert.Equal($"{{Ref:{topicId}}}", Flatten(prod.Platform.Outputs["AlarmTopicArn"]!["Value"]));
        // Step scaling policies own their alarms (actions: the scaling policy); ours are under Monitoring, each in the
        // stack of what it watches, notifying the platform's topic (by reference there, by its export elsewhere).
        var alarms = prod.AllResources.Where(a => (string?)a.Resource["Type"] == Alarm && a.Id.StartsWith("Monitoring", StringComparison.Ordinal)).ToArray();
        foreach (var (kind, stack) in new[]
        {
            ("MonitoringLoadBalancer", prod.Edge), ("MonitoringServiceApi", prod.Service("api")), ("MonitoringServiceWeb", prod.Service("web")),
            ("MonitoringWorkerBilling", prod.Worker("billing")), ("MonitoringCache", prod.Data), ("MonitoringDatabase", prod.Data),
            ("MonitoringQueue", prod.Data), ("MonitoringSearch", prod.Platform),
        })
        {
            Assert.Contains(alarms, a => a.Id.StartsWith(kind, StringComparison.Ordinal));
            Assert.All(alarms.Where(a => a.Id.StartsWith(kind, StringComparison.Ordinal)), a => Assert.Same(stack, a.Stack));
        }
        Assert.All(alarms, a =>
        {
            var topic = a.Stack == prod.Platform ? $"{{Ref:{topicId}}}" : $"{{\"Fn::ImportValue\":\"{prod.Platform.Name}:AlarmTopicArn\"}}";
            Assert.Contains(topic, Props(a.Resource)["AlarmActions"]!.AsArray().Select(Flatten));
            Assert.Contains(topic, Props(a.Resource)["OKActions"]!.AsArray().Select(Flatten));
        });
    }

    [Fact]
    public void ProdAlertsTheAddressesInItsFile()
    {
        var emails = environments.Prod.Platform.OfType("AWS::SNS::Subscription").Select(s => Props(s.Resource))
            .Where(s => (string?)s["Protocol"] == "email").Select(s => (string?)s["Endpoint"]).ToArray();
        Assert.Equal(environments.Prod.Definition.Config.Observability!.AlarmEmails!.Order(), emails.Order());
    }

    [Fact]
    public void EveryEnvironmentHasOneDashboardNamedAfterItsStack()
    {
        foreach (var env in environments.All)
        {
            Assert.Equal(env.Definition.StackName, (string?)Props(Assert.Single(env.OfType("AWS::CloudWatch::Dashboard")).Resource)["DashboardName"]);
            Assert.Single(env.Operations.OfType("AWS::CloudWatch::Dashboard"));
        }
    }

    [Fact]
    public void EveryInstanceBootsTheCloudWatchAgentFromItsParameter()
    {
        foreach (var env in environments.All)
            Assert.All(env.OfType("AWS::EC2::LaunchTemplate"), lt =>
                Assert.Matches(@"amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -c ssm:\{Ref:\w+AgentParameter\w+\} -s",
                    Flatten(lt.Resource["Properties"]!["LaunchTemplateData"]!["UserData"])));
    }

    [Fact]
    public void EveryLaunchTemplateWaitsForItsAgentPolicyAndRetriesFetchingTheConfiguration()
    {
        foreach (var env in environments.All)
            foreach (var member in env.Members)
            {
                var (_, lt) = Assert.Single(member.OfType("AWS::EC2::LaunchTemplate"));
                var (policyId, _) = Assert.Single(member.OfType("AWS::IAM::Policy"), p => p.Id.Contains("AgentPolicy", StringComparison.Ordinal));
                Assert.Contains(policyId, lt["DependsOn"]!.AsArray().Select(d => (string?)d));
                Assert.Matches(@"for attempt in \$\(seq 1 30\); do /opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl -a fetch-config",
                    Flatten(lt["Properties"]!["LaunchTemplateData"]!["UserData"]));
            }
    }

    [Fact]
    public void ProdsApiInstancesMayPublishExactlyTheNamespacesItsScalingTriggersRead()
    {
        var (_, policy) = Assert.Single(environments.Prod.Service("api").OfType("AWS::IAM::Policy"), p => p.Id.Contains("AgentPolicy", StringComparison.Ordinal));
        var put = policy["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray().Single(s => (string?)s!["Sid"] == "PublishAgentMetrics")!;
        Assert.Equal(["CWAgent", "Backend/Api"], put["Condition"]!["StringEquals"]!["cloudwatch:namespace"]!.AsArray().Select(n => (string?)n));
    }

    [Fact]
    public void TheAlarmTopicLetsThisAccountsCloudWatchAlarmsPublish()
    {
        foreach (var env in environments.All)
        {
            var policy = Assert.Single(env.Platform.OfType("AWS::SNS::TopicPolicy")).Resource;
            // Two publishers: this account's alarms, and its EventBridge rules (the groups' failed launches).
            var allows = policy["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray().Where(s => (string?)s!["Effect"] == "Allow").ToArray();
            Assert.Equal(["cloudwatch.amazonaws.com", "events.amazonaws.com"], allows.Select(s => (string?)s!["Principal"]!["Service"]).Order(StringComparer.Ordinal));
            var rules = allows.Single(s => (string?)s!["Principal"]!["Service"] == "events.amazonaws.com")!;
            Assert.Equal("sns:Publish", (string?)rules["Action"]);
            Assert.Contains(":rule/*", Flatten(rules["Condition"]!["ArnLike"]!["aws:SourceArn"]));
            var allow = allows.Single(s => (string?)s!["Principal"]!["Service"] == "cloudwatch.amazonaws.com")!;
            Assert.Equal("sns:Publish", (string?)allow["Action"]);
            Assert.NotNull(allow["Condition"]!["StringEquals"]!["aws:SourceAccount"]);
            Assert.Contains(":alarm:*", Flatten(allow["Condition"]!["ArnLike"]!["aws:SourceArn"]));
        }
    }

    [Fact]
    public void EveryEnvironmentSamplesTracesAsItsFileSays()
    {
        foreach (var env in environments.All)
        {
            Assert.Single(env.OfType("AWS::XRay::SamplingRule"));
            var rule = Props(Assert.Single(env.Platform.OfType("AWS::XRay::SamplingRule")).Resource)["SamplingRule"]!;
            Assert.Equal($"backend-{env.Definition.Name}", (string?)rule["RuleName"]);
            Assert.Equal(env.Definition.Config.Observability?.Sampling?.Rate ?? 0.05, (double)rule["FixedRate"]!);
        }
    }

    [Fact]
    public void DevArchivesLogsToS3WithoutASearchDomain()
    {
        Assert.DoesNotContain(environments.Dev.OfType(Domain), _ => true);
        Assert.NotNull(Props(environments.Dev.Platform.OfType(Stream).Single().Resource)["ExtendedS3DestinationConfiguration"]);
    }

    [Fact]
    public void EveryLogGroupKeepsEventsForTheFilesRetentionEncryptedWithAKey()
    {
        foreach (var env in environments.All)
        {
            foreach (var (id, group) in env.OfType("AWS::Logs::LogGroup"))
            {
                Assert.True(group["Properties"]?["RetentionInDays"] is JsonValue days && (int)days == env.Definition.Config.Logs.RetentionDays,
                    $"{env.Definition.StackName}/{id} does not keep events for logs.retentionDays ({env.Definition.Config.Logs.RetentionDays})");
                Assert.True(group["Properties"]?["KmsKeyId"] is not null, $"{env.Definition.StackName}/{id} has no KmsKeyId");
            }
        }
    }

    [Fact]
    public void TheRabbitMqBrokersOwnLogGroupGetsTheFilesRetentionAndThePlatformsLogKey()
    {
        // Amazon MQ creates /aws/amazonmq/broker/<id>/general itself; the Data stack's calls give it retention and key.
        var checkedEnvironments = 0;
        foreach (var env in environments.All.Where(e => e.Definition.Config.Brokers?.Rabbitmq is not null))
        {
            var calls = env.Data.OfType("Custom::AWS").Select(r => r.Resource["Properties"]!["Create"]!.ToJsonString()).ToArray();
            string Call(string action) => Assert.Single(calls, c => c.Contains(action, StringComparison.Ordinal));
            var retention = Call("putRetentionPolicy");
            Assert.Contains($"retentionInDays\\u0022:{env.Definition.Config.Logs.RetentionDays}}}", retention);
            Assert.Contains("/aws/amazonmq/broker/", retention);
            Assert.Contains("RabbitMqBroker", retention);
            Assert.Contains("Platform:LogKeyArn", Call("associateKmsKey"));
            Assert.Contains("Platform:LogKeyArn", Call("createLogGroup"));
            checkedEnvironments++;
        }
        Assert.True(checkedEnvironments >= 1);
    }
}
