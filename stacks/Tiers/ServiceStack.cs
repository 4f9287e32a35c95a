using Amazon.CDK.AWS.EC2;
using Constructs;
using ScalableBackend.Components.Compute;
using ScalableBackend.Components.Data;
using ScalableBackend.Components.Observability;
using ScalableBackend.Stacks.Config;

namespace ScalableBackend.Stacks;

/// <summary>
/// <c>Backend-&lt;Env&gt;-Service-&lt;Name&gt;</c>: one service and everything that is only its own — the group,
/// launch template, role and security group, the target group and its listener rule on the shared listener, scaling,
/// its alarms, its log group and subscription — and every grant it needs from the producers. Deploys alone:
/// <c>npx cdk deploy Backend-Prod-Service-Api</c>. Tagged <c>ScalableBackend:Service=&lt;key&gt;</c>.
/// </summary>
public sealed class ServiceStack : EnvironmentStack
{
    /// <summary>The stack tag naming the service's file key; the simulator reads it from the group's tags.</summary>
    public const string TagKey = "ScalableBackend:Service";

    /// <summary>The service's key in the environment file.</summary>
    public string Key { get; }

    /// <summary>The service (construct id <c>Service&lt;Name&gt;</c>, as before the split).</summary>
    public WebService Service { get; }

    /// <summary>The service's CloudWatch agent configuration and log group.</summary>
    public CloudWatchAgentConfig Agent { get; }

    /// <summary>The service's alarms (notifying the platform's topic).</summary>
    public Monitoring Monitoring { get; }

    /// <summary>Builds service <paramref name="key"/> of <paramref name="definition"/> on the platform's, data's and edge's exports.</summary>
    public ServiceStack(Construct scope, EnvironmentDefinition definition, string key)
        : base(scope, definition, StackRole.Service, key, $"service {key}")
    {
        Key = key;
        // On the stack and on every taggable resource in it (the group's tags propagate to its instances).
        Amazon.CDK.Tags.Of(this).Add(TagKey, key);
        var config = definition.Config;
        var settings = config.Services[key];
        var platform = PlatformStack.ImportInto(this);
        var data = new DataImports(this);
        var runtime = MemberRuntime.For(this, key, $"services.{key}", settings);

        Service = new WebService(this, $"Service{StackNames.Pascal(key)}",
            new WebServiceProps(settings, platform.Vpc, EdgeStack.ImportListener(this), new InstanceType(settings.InstanceType))
            {
                Container = runtime.Container,
                MachineImage = runtime.MachineImage,
                CustomBootScript = runtime.BootScript,
                ContainerEnvironment = MemberWiring.Environment(this, key, data, settings.Port ?? 8080, null),
                // The agent's log group, created just below under its fixed name.
                LogGroup = Amazon.CDK.AWS.Logs.LogGroup.FromLogGroupName(this, "ContainerLogGroup", MemberWiring.LogGroupName(this, key)),
                // MemberWiring grants the agent exactly its log group, parameter and namespace.
                AttachCloudWatchAgentPolicy = false,
                // Only requests through the API (they carry the edge's origin secret), referenced by name.
                OriginCheck = config.Api is { } api
                    ? Components.Security.OriginCheck.ForSecret(EdgeStack.OriginSecretName(definition.Name), api.OriginSecret?.Generation ?? 1)
                    : null,
            });
        Agent = MemberWiring.Observe(this, platform, key, Service, Service.LaunchTemplate, CloudWatchAgentConfig.NamespacesReadBy(settings.Scaling));
        var client = new DataClient(Service.SecurityGroup, Service.Role);
        MemberWiring.Grant(this, key, client, data);
        MemberWiring.GrantBootstrapBrokers(this, key, client, data);

        Monitoring = new Monitoring(this, "Monitoring", new MonitoringProps
        {
            Thresholds = config.Observability?.Thresholds,
            AlarmTopic = platform.AlarmTopic,
            EnableDashboard = false,
        });
        Monitoring.MonitorService(key, Service.TargetGroup, Service.AutoScalingGroup);

        Export(Exports.AutoScalingGroupName, Service.AutoScalingGroup.AutoScalingGroupName, $"The Auto Scaling group of service {key}");
        Export(Exports.TargetGroupFullName, Service.TargetGroup.TargetGroupFullName, $"The target group of service {key} (metric dimension)");
    }

    /// <summary>The export names of a service stack (each prefixed with <c>Backend-&lt;Env&gt;-Service-&lt;Name&gt;:</c>); read by the operations stack.</summary>
    public static class Exports
    {
        /// <summary><c>AutoScalingGroupName</c>.</summary>
        public const string AutoScalingGroupName = "AutoScalingGroupName";
        /// <summary><c>TargetGroupFullName</c>.</summary>
        public const string TargetGroupFullName = "TargetGroupFullName";
    }
}
