using System.Text.Json.Nodes;
using Amazon.CDK;
using Amazon.CDK.AWS.CertificateManager;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.OpenSearchService;
using Amazon.CDK.AWS.SQS;
using ScalableBackend.Components.Caching;
using ScalableBackend.Components.Compute;
using ScalableBackend.Components.Data;
using ScalableBackend.Components.Networking;
using ScalableBackend.Components.Observability;
using ScalableBackend.Components.Tests.Support;

namespace ScalableBackend.Components.Tests.Observability;

/// <summary>Helpers over synthesized templates.</summary>
internal static class TemplateText
{
    /// <summary>Flattens a value built with Fn::Join into text; Ref and Fn::GetAtt become <c>{Ref:Id}</c> / <c>{GetAtt:Id.Attr}</c>.</summary>
    public static string Flatten(JsonNode? node) => node switch
    {
        JsonValue v => v.ToString(),
        JsonObject o when o["Fn::Join"] is JsonArray join => string.Join(join[0]!.GetValue<string>(), join[1]!.AsArray().Select(Flatten)),
        JsonObject o when o["Ref"] is { } r => $"{{Ref:{r}}}",
        JsonObject o when o["Fn::GetAtt"] is JsonArray a => $"{{GetAtt:{a[0]}.{a[1]}}}",
        _ => node?.ToJsonString() ?? "",
    };

    public static (string Id, JsonObject Resource) ById(this Synthesized stack, string type, string prefix) =>
        stack.OfType(type).Single(r => r.Id.StartsWith(prefix, StringComparison.Ordinal));

    public static JsonObject Props(this Synthesized stack, string type, string prefix) =>
        stack.ById(type, prefix).Resource["Properties"]!.AsObject();
}

/// <summary>
/// One stack, synthesized once: the agent configuration of two services (one with defaults, granted to a role and
/// written into user data; one without tracing and with custom files) and an X-Ray sampling rule.
/// </summary>
public sealed class AgentFixture
{
    public Synthesized Stack { get; }
    public IReadOnlyList<string> BootCommands { get; }
    public string UserDataText { get; }

    public AgentFixture()
    {
        var (stack, _) = DataTestStacks.WithVpc();
        var key = Network.CreateLogKey(stack, "LogKey", "test");
        var agent = new CloudWatchAgentConfig(stack, "ApiAgent", new CloudWatchAgentConfigProps
        {
            ServiceName = "api", LogEncryptionKey = key, LogRetention = Amazon.CDK.AWS.Logs.RetentionDays.TWO_WEEKS,
        });
        var role = new Role(stack, "ApiRole", new RoleProps { AssumedBy = new ServicePrincipal("ec2.amazonaws.com") });
        agent.Grant(role);
        var userData = UserData.ForLinux();
        agent.AddToUserData(userData);
        BootCommands = agent.BootCommands;
        UserDataText = userData.Render();
        var quiet = new CloudWatchAgentConfig(stack, "WorkerAgent", new CloudWatchAgentConfigProps
        {
            ServiceName = "worker", LogEncryptionKey = key, LogRetention = Amazon.CDK.AWS.Logs.RetentionDays.ONE_WEEK,
            LogFiles = ["/var/log/worker/*.log", "/var/log/worker/jobs.log"], EnableTracing = false, MetricsNamespace = "Backend/Worker",
            ParameterName = "/test/worker/agent", LogGroupName = "/test/worker",
        });
        quiet.Grant(new Role(stack, "WorkerRole", new RoleProps { AssumedBy = new ServicePrincipal("ec2.amazonaws.com") }));
        var jobs = new CloudWatchAgentConfig(stack, "JobsAgent", new CloudWatchAgentConfigProps
        {
            ServiceName = "jobs", LogEncryptionKey = key, LogRetention = Amazon.CDK.AWS.Logs.RetentionDays.ONE_WEEK, ParameterName = "/test/jobs/agent",
            ApplicationMetricNamespaces = ["Backend/Jobs", "Backend/Api"], EnableStatsd = false,
        });
        jobs.Install(new LaunchTemplate(stack, "JobsLaunchTemplate", new LaunchTemplateProps
        {
            InstanceType = new InstanceType("t3.micro"), MachineImage = MachineImage.LatestAmazonLinux2023(), UserData = UserData.ForLinux(),
            Role = new Role(stack, "JobsRole", new RoleProps { AssumedBy = new ServicePrincipal("ec2.amazonaws.com") }),
        }));
        _ = new TraceSampling(stack, "Sampling", new TraceSamplingProps { RuleName = "backend-test", Rate = 0.1, Reservoir = 2 });
        _ = new TraceSampling(stack, "DefaultSampling", new TraceSamplingProps { RuleName = "backend-defaults" });
        Stack = Synthesized.Of(stack);
    }
}

/// <summary>
/// One stack, synthesized once: central logging into a zone-aware search domain with dedicated masters and a
/// subscribed log group, and an archive-only pipeline expiring within 30 days.
/// </summary>
public sealed class CentralLoggingFixture
{
    public Synthesized Stack { get; }

    public CentralLoggingFixture()
    {
        var (stack, vpc) = DataTestStacks.WithVpc();
        var key = Network.CreateLogKey(stack, "LogKey", "test");
        var logging = new CentralLogging(stack, "Logging", new CentralLoggingProps
        {
            Vpc = vpc, LogEncryptionKey = key, LogRetention = Amazon.CDK.AWS.Logs.RetentionDays.ONE_YEAR,
            Search = new LogSearchDomain
            {
                InstanceType = "r6g.xlarge.search", InstanceCount = 2, DedicatedMasters = true, MasterInstanceType = "m6g.large.search",
                ZoneAwareness = true, VolumeSizeGiB = 100,
            },
            DomainName = "backend-test-logs",
            ArchiveExpirationDays = 400,
            ArchiveTransitionDays = 60,
        });
        var group = EncryptedLogGroup.Create(stack, "ApiLogs", new EncryptedLogGroupProps { EncryptionKey = key, Retention = Amazon.CDK.AWS.Logs.RetentionDays.ONE_MONTH });
        logging.Subscribe("api", group);
        var peer = new SecurityGroup(stack, "Bastion", new SecurityGroupProps { Vpc = vpc });
        logging.AllowSearchFrom(peer, "Operators");
        _ = new CentralLogging(stack, "ArchiveOnly", new CentralLoggingProps
        {
            Vpc = vpc, LogEncryptionKey = key, LogRetention = Amazon.CDK.AWS.Logs.RetentionDays.TWO_WEEKS, ArchiveOnly = true, ArchiveExpirationDays = 14,
        });
        Stack = Synthesized.Of(stack);
    }
}

/// <summary>
/// One stack, synthesized once: a load balancer with a service, a Redis cluster (2 shards, 1 replica), a database
/// with a replica shard and a plain shard, a queue with its dead-letter queue and an imported search domain, all
/// monitored with two emails, an HTTPS endpoint and one threshold override.
/// </summary>
public sealed class MonitoringFixture
{
    public Synthesized Stack { get; }

    public MonitoringFixture()
    {
        var (stack, network) = TestStacks.WithNetwork();
        var vpc = network.Vpc;
        var lb = new ServiceLoadBalancer(stack, "LoadBalancer", new ServiceLoadBalancerProps
        {
            Vpc = vpc, Certificate = Certificate.FromCertificateArn(stack, "Cert", "arn:aws:acm:us-east-1:123456789012:certificate/abc"),
        });
        var service = new WebService(stack, "ServiceApi", new WebServiceProps
        {
            Vpc = vpc, Listener = lb.ServiceListener, Routing = new ServiceRouting { Priority = 10, PathPatterns = ["/api/*"] },
            InstanceType = new InstanceType("t3.micro"), MinCapacity = 1, MaxCapacity = 2,
        });
        var cache = new RedisCluster(stack, "Cache", new RedisClusterProps { Vpc = vpc, NodeType = "cache.r7g.large", Shards = 2 });
        var database = new ShardedDatabase(stack, "Database", new ShardedDatabaseProps
        {
            Vpc = vpc, InstanceType = new InstanceType("r6g.large"),
            Shards = DataTestStacks.EvenShards(2, customize: (n, s) => n == 1 ? s with { ReadReplicas = 1 } : s),
        });
        var dlq = new Queue(stack, "OrdersDlq", new QueueProps { Encryption = QueueEncryption.KMS_MANAGED });
        var queue = new Queue(stack, "Orders", new QueueProps
        {
            Encryption = QueueEncryption.KMS_MANAGED, DeadLetterQueue = new DeadLetterQueue { Queue = dlq, MaxReceiveCount = 3 },
        });
        var domain = Domain.FromDomainAttributes(stack, "Search", new DomainAttributes
        {
            DomainArn = "arn:aws:es:us-east-1:123456789012:domain/logs", DomainEndpoint = "https://vpc-logs-abc.us-east-1.es.amazonaws.com",
        });

        var monitoring = new Monitoring(stack, "Monitoring", new MonitoringProps
        {
            AlarmEmails = ["oncall@example.com", "team@example.com"],
            AlarmHttpsEndpoints = ["https://events.example.com/hook"],
            AlarmHttpsEndpointSecrets = ["backend/test/pager-url"],
            Thresholds = new AlarmThresholds { CacheCpuPercent = 65 },
            DashboardName = "backend-test",
        });
        monitoring.MonitorLoadBalancer("shared", lb.LoadBalancer);
        monitoring.MonitorService("api", service.TargetGroup, service.AutoScalingGroup);
        monitoring.MonitorWorker("jobs", service.AutoScalingGroup);
        monitoring.MonitorCache("main", cache.ReplicationGroup);
        foreach (var (id, shard) in database.Shards)
            monitoring.MonitorDatabaseShard(id, shard.Writer, shard.Replicas);
        monitoring.MonitorQueue("orders", queue, dlq);
        monitoring.MonitorSearchDomain("logs", domain);
        Stack = Synthesized.Of(stack);
    }

    public JsonObject Alarm(string id) => Stack.Props("AWS::CloudWatch::Alarm", "Monitoring" + id);
}
