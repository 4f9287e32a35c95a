using Amazon.CDK;
using Amazon.CDK.AWS.CloudWatch;
using Constructs;
using ScalableBackend.Stacks.Config;

namespace ScalableBackend.Stacks;

/// <summary>
/// <c>Backend-&lt;Env&gt;-Operations</c>: what must see every other stack — the environment's dashboard
/// (<c>Backend-&lt;Env&gt;</c>), a row per load balancer, service, worker, queue and database shard, drawn from the
/// other stacks' exports. Stateless and deployed last; adding a service changes it and the new service's stack only.
/// </summary>
public sealed class OperationsStack : EnvironmentStack
{
    /// <summary>The environment's dashboard.</summary>
    public Dashboard Dashboard { get; }

    /// <summary>Builds the operations stack of <paramref name="definition"/>.</summary>
    public OperationsStack(Construct scope, EnvironmentDefinition definition)
        : base(scope, definition, StackRole.Operations, null, "operations: the dashboard")
    {
        var config = definition.Config;
        Dashboard = new Dashboard(this, "Dashboard", new DashboardProps
        {
            DashboardName = StackNames.EnvironmentPrefix(Env),
            DefaultInterval = Duration.Hours(3),
        });

        var loadBalancer = ImportValue(StackRole.Edge, EdgeStack.Exports.LoadBalancerFullName);
        Row("Load balancer shared",
            Metric("AWS/ApplicationELB", "RequestCount", "Sum", new() { ["LoadBalancer"] = loadBalancer }),
            Metric("AWS/ApplicationELB", "TargetResponseTime", "p99", new() { ["LoadBalancer"] = loadBalancer }),
            Metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", "Sum", new() { ["LoadBalancer"] = loadBalancer }));

        foreach (var key in config.Services.Keys.Order(StringComparer.Ordinal))
        {
            var targetGroup = new Dictionary<string, string>
            {
                ["LoadBalancer"] = loadBalancer,
                ["TargetGroup"] = ImportValue(StackRole.Service, ServiceStack.Exports.TargetGroupFullName, key),
            };
            var group = ImportValue(StackRole.Service, ServiceStack.Exports.AutoScalingGroupName, key);
            Row($"Service {key}",
                Metric("AWS/ApplicationELB", "RequestCount", "Sum", targetGroup),
                Metric("AWS/ApplicationELB", "TargetResponseTime", "p99", targetGroup),
                Metric("AWS/ApplicationELB", "HealthyHostCount", "Minimum", targetGroup),
                Metric("AWS/EC2", "CPUUtilization", "Average", new() { ["AutoScalingGroupName"] = group }));
        }

        foreach (var key in (config.Workers?.Keys ?? []).Order(StringComparer.Ordinal))
        {
            var group = ImportValue(StackRole.Worker, WorkerStack.Exports.AutoScalingGroupName, key);
            Row($"Worker {key}",
                Metric("AWS/EC2", "CPUUtilization", "Average", new() { ["AutoScalingGroupName"] = group }),
                Metric("AWS/AutoScaling", "GroupInServiceInstances", "Average", new() { ["AutoScalingGroupName"] = group }));
        }

        foreach (var name in (config.Queues?.Keys ?? []).Order(StringComparer.Ordinal))
        {
            var queueName = Fn.Select(5, Fn.Split(":", ImportValue(StackRole.Data, DataStack.Exports.QueueArn(name))));
            Row($"Queue {name}",
                Metric("AWS/SQS", "ApproximateNumberOfMessagesVisible", "Maximum", new() { ["QueueName"] = queueName }),
                Metric("AWS/SQS", "ApproximateAgeOfOldestMessage", "Maximum", new() { ["QueueName"] = queueName }));
        }

        // Database instances have fixed identifiers (backend-<env>-<shard>): no export needed.
        foreach (var shard in (config.Database?.Shards.Keys ?? []).Order(StringComparer.Ordinal))
        {
            var instance = new Dictionary<string, string> { ["DBInstanceIdentifier"] = $"backend-{Env}-{shard}" };
            Row($"Database shard {shard}",
                Metric("AWS/RDS", "CPUUtilization", "Average", instance),
                Metric("AWS/RDS", "DatabaseConnections", "Maximum", instance),
                Metric("AWS/RDS", "FreeStorageSpace", "Minimum", instance));
        }
    }

    private static Metric Metric(string ns, string name, string statistic, Dictionary<string, string> dimensions) => new(new MetricProps
    {
        Namespace = ns,
        MetricName = name,
        Statistic = statistic,
        Period = Duration.Minutes(1),
        DimensionsMap = dimensions,
    });

    private void Row(string title, params Metric[] metrics)
    {
        var widgets = new List<IWidget> { new TextWidget(new TextWidgetProps { Markdown = $"### {title}", Width = 24, Height = 1 }) };
        widgets.AddRange(metrics.Select(m => (IWidget)new GraphWidget(new GraphWidgetProps { Title = $"{title}: {m.MetricName}", Left = [m], Width = 6, Height = 6 })));
        Dashboard.AddWidgets(widgets.ToArray());
    }
}
