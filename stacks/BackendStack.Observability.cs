using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Logs;
using Constructs;
using ScalableBackend.Components.Compute;
using ScalableBackend.Components.Observability;
using ScalableBackend.Stacks.Config;

namespace ScalableBackend.Stacks;

public sealed partial class BackendStack
{
    /// <summary>The alarm topic, the alarms of every component and the dashboard.</summary>
    public Monitoring Monitoring { get; private set; } = null!;

    /// <summary>The central log pipeline: subscription filters from every service and worker log group into Firehose, then OpenSearch and/or S3.</summary>
    public CentralLogging CentralLogging { get; private set; } = null!;

    /// <summary>The environment's X-Ray sampling rule.</summary>
    public TraceSampling TraceSampling { get; private set; } = null!;

    /// <summary>The CloudWatch agent configuration of every service and worker, keyed by its name in the file.</summary>
    public IReadOnlyDictionary<string, CloudWatchAgentConfig> Agents { get; private set; } = new Dictionary<string, CloudWatchAgentConfig>();

    /// <summary>
    /// Adds the agent to every service and worker (created as the child <c>Agent</c> of the service, where the
    /// service itself would create it), central logging fed from their log groups, the sampling rule, and
    /// monitoring of every component present.
    /// </summary>
    private void AddObservability(EnvironmentConfig config, RetentionDays retention)
    {
        var o = config.Observability ?? new ObservabilityConfig();
        var env = Definition.Name;

        var logging = o.Logging ?? new LoggingConfig { ArchiveOnly = true };
        CentralLogging = new CentralLogging(this, "Logging", new CentralLoggingProps(logging, Network.Vpc, LogKey, retention)
        {
            DomainName = logging.Search is null ? null : $"backend-{env}-logs",
        });

        var instances = Services.Select(kv => (kv.Key, (Construct)kv.Value, kv.Value.LaunchTemplate, kv.Value.Role))
            .Concat(Workers.Select(kv => (kv.Key, (Construct)kv.Value, kv.Value.LaunchTemplate, kv.Value.Role)))
            .OrderBy(i => i.Key, StringComparer.Ordinal);
        var agents = new Dictionary<string, CloudWatchAgentConfig>();
        foreach (var (name, owner, launchTemplate, role) in instances)
        {
            var agent = new CloudWatchAgentConfig(owner, "Agent", new CloudWatchAgentConfigProps
            {
                ServiceName = name,
                LogEncryptionKey = LogKey,
                LogRetention = retention,
                ParameterName = $"/backend/{env}/{name}/cloudwatch-agent",
            });
            // The launch template renders its user data at synthesis, so commands added now still reach the instances.
            agent.AddToUserData(launchTemplate.UserData!);
            agent.Grant(role);
            CentralLogging.Subscribe(name, agent.LogGroup);
            agents[name] = agent;
        }
        Agents = agents;

        TraceSampling = new TraceSampling(this, "TraceSampling",
            new TraceSamplingProps(o.Sampling ?? new SamplingConfig(), $"backend-{env}"));

        Monitoring = new Monitoring(this, "Monitoring", new MonitoringProps(o) { DashboardName = Definition.StackName });
        Monitoring.MonitorLoadBalancer("shared", LoadBalancer.LoadBalancer);
        foreach (var (name, service) in Services.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            Monitoring.MonitorService(name, service.TargetGroup, service.AutoScalingGroup);
        foreach (var (name, worker) in Workers.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            Monitoring.MonitorWorker(name, worker.AutoScalingGroup);
        if (Cache is { } cache)
            Monitoring.MonitorCache("main", cache.ReplicationGroup);
        if (Database is { } database)
            foreach (var (id, shard) in database.Shards.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                Monitoring.MonitorDatabaseShard(id, shard.Writer, shard.Replicas);
        foreach (var (name, queue) in Queues.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            Monitoring.MonitorQueue(name, queue.Queue, queue.DeadLetterQueue);
        if (CentralLogging.Domain is { } domain)
            Monitoring.MonitorSearchDomain("logs", domain);
    }
}
