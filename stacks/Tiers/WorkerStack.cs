using Amazon.CDK.AWS.EC2;
using Constructs;
using ScalableBackend.Components.Compute;
using ScalableBackend.Components.Data;
using ScalableBackend.Components.Observability;
using ScalableBackend.Stacks.Config;

namespace ScalableBackend.Stacks;

/// <summary>
/// <c>Backend-&lt;Env&gt;-Worker-&lt;Name&gt;</c>: one worker tier — group, launch template, role, backlog scaling,
/// batch windows, its alarm, its log group and subscription — and every grant it needs, including consuming its queue
/// (imported from the data stack). Tagged <c>ScalableBackend:Worker=&lt;key&gt;</c>.
/// </summary>
public sealed class WorkerStack : EnvironmentStack
{
    /// <summary>The stack tag naming the worker's file key; the simulator reads it from the group's tags.</summary>
    public const string TagKey = "ScalableBackend:Worker";

    /// <summary>The worker's key in the environment file.</summary>
    public string Key { get; }

    /// <summary>The worker tier (construct id <c>Worker&lt;Name&gt;</c>, as before the split).</summary>
    public WorkerService Worker { get; }

    /// <summary>The worker's CloudWatch agent configuration and log group.</summary>
    public CloudWatchAgentConfig Agent { get; }

    /// <summary>The worker's alarm (notifying the platform's topic).</summary>
    public Monitoring Monitoring { get; }

    /// <summary>Builds worker <paramref name="key"/> of <paramref name="definition"/> on the platform's and data's exports.</summary>
    public WorkerStack(Construct scope, EnvironmentDefinition definition, string key)
        : base(scope, definition, StackRole.Worker, key, $"worker {key}")
    {
        Key = key;
        // On the stack and on every taggable resource in it (the group's tags propagate to its instances).
        Amazon.CDK.Tags.Of(this).Add(TagKey, key);
        var config = definition.Config;
        var settings = config.Workers![key];
        var platform = PlatformStack.ImportInto(this);
        var data = new DataImports(this);
        var runtime = MemberRuntime.For(this, key, $"workers.{key}", settings);

        Worker = new WorkerService(this, $"Worker{StackNames.Pascal(key)}",
            new WorkerServiceProps(settings, platform.Vpc, data.Queue(settings.Queue), new InstanceType(settings.InstanceType))
            {
                Container = runtime.Container,
                MachineImage = runtime.MachineImage,
                CustomBootScript = runtime.BootScript,
                ContainerEnvironment = MemberWiring.Environment(this, key, data, null, settings.Queue),
                // The agent's log group, created just below under its fixed name.
                LogGroup = Amazon.CDK.AWS.Logs.LogGroup.FromLogGroupName(this, "ContainerLogGroup", MemberWiring.LogGroupName(this, key)),
                // MemberWiring grants the agent exactly its log group, parameter and namespace.
                AttachCloudWatchAgentPolicy = false,
            });
        Agent = MemberWiring.Observe(this, platform, key, Worker, Worker.LaunchTemplate, []);
        var client = new DataClient(Worker.SecurityGroup, Worker.Role);
        MemberWiring.Grant(this, key, client, data);
        MemberWiring.GrantBootstrapBrokers(this, key, client, data);

        Monitoring = new Monitoring(this, "Monitoring", new MonitoringProps
        {
            Thresholds = config.Observability?.Thresholds,
            AlarmTopic = platform.AlarmTopic,
            EnableDashboard = false,
        });
        Monitoring.MonitorWorker(key, Worker.AutoScalingGroup);

        Export(Exports.AutoScalingGroupName, Worker.AutoScalingGroup.AutoScalingGroupName, $"The Auto Scaling group of worker {key}");
    }

    /// <summary>The export names of a worker stack (each prefixed with <c>Backend-&lt;Env&gt;-Worker-&lt;Name&gt;:</c>); read by the operations stack.</summary>
    public static class Exports
    {
        /// <summary><c>AutoScalingGroupName</c>.</summary>
        public const string AutoScalingGroupName = "AutoScalingGroupName";
    }
}
