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
        var domain = Props(Assert.Single(environments.Prod.OfType(Domain)).Resource);
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
        var domainId = environments.Prod.OfType(Domain).Single().Id;
        var destination = environments.Prod.OfType(Stream).Select(s => Props(s.Resource)["AmazonopensearchserviceDestinationConfiguration"]).Single(d => d is not null)!;
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
            var streamId = env.OfType(Stream).Single().Id;
            var filters = env.OfType("AWS::Logs::SubscriptionFilter").Select(f => Props(f.Resource)).ToArray();
            Assert.All(filters, f => Assert.Equal($"{{GetAtt:{streamId}.Arn}}", Flatten(f["DestinationArn"])));
            var sources = filters.Select(f => Flatten(f["LogGroupName"])).ToArray();
            var owners = env.Definition.Config.Services.Keys.Select(k => $"Service{WebService.ToPascal(k)}")
                .Concat((env.Definition.Config.Workers ?? new Dictionary<string, Config.WorkerConfig>()).Keys.Select(k => $"Worker{WebService.ToPascal(k)}"));
            foreach (var owner in owners)
                Assert.Contains(sources, s => s.StartsWith($"{{Ref:{owner}AgentLogGroup", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void ProdAlarmsOnEveryComponentKindAndWiresEachToTheAlarmTopic()
    {
        var topicId = environments.Prod.OfType("AWS::SNS::Topic").Single(t => t.Id.StartsWith("MonitoringAlarmTopic", StringComparison.Ordinal)).Id;
        // Step scaling policies own their alarms (actions: the scaling policy); ours are under Monitoring.
        var alarms = environments.Prod.OfType(Alarm).Where(a => a.Id.StartsWith("Monitoring", StringComparison.Ordinal)).ToArray();
        foreach (var kind in new[] { "MonitoringLoadBalancer", "MonitoringService", "MonitoringCache", "MonitoringDatabase", "MonitoringQueue", "MonitoringSearch" })
            Assert.Contains(alarms, a => a.Id.StartsWith(kind, StringComparison.Ordinal));
        Assert.All(alarms, a =>
        {
            Assert.Contains($"{{Ref:{topicId}}}", Props(a.Resource)["AlarmActions"]!.AsArray().Select(Flatten));
            Assert.Contains($"{{Ref:{topicId}}}", Props(a.Resource)["OKActions"]!.AsArray().Select(Flatten));
        });
    }

    [Fact]
    public void ProdAlertsTheAddressesInItsFile()
    {
        var emails = environments.Prod.OfType("AWS::SNS::Subscription").Select(s => Props(s.Resource))
            .Where(s => (string?)s["Protocol"] == "email").Select(s => (string?)s["Endpoint"]).ToArray();
        Assert.Equal(environments.Prod.Definition.Config.Observability!.AlarmEmails!.Order(), emails.Order());
    }

    [Fact]
    public void EveryEnvironmentHasOneDashboardNamedAfterItsStack()
    {
        foreach (var env in environments.All)
            Assert.Equal(env.Definition.StackName, (string?)Props(Assert.Single(env.OfType("AWS::CloudWatch::Dashboard")).Resource)["DashboardName"]);
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
    public void EveryEnvironmentSamplesTracesAsItsFileSays()
    {
        foreach (var env in environments.All)
        {
            var rule = Props(Assert.Single(env.OfType("AWS::XRay::SamplingRule")).Resource)["SamplingRule"]!;
            Assert.Equal($"backend-{env.Definition.Name}", (string?)rule["RuleName"]);
            Assert.Equal(env.Definition.Config.Observability?.Sampling?.Rate ?? 0.05, (double)rule["FixedRate"]!);
        }
    }

    [Fact]
    public void DevArchivesLogsToS3WithoutASearchDomain()
    {
        Assert.DoesNotContain(environments.Dev.OfType(Domain), _ => true);
        Assert.NotNull(Props(environments.Dev.OfType(Stream).Single().Resource)["ExtendedS3DestinationConfiguration"]);
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
}
