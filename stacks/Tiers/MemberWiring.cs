using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Logs;
using LogRetention = ScalableBackend.Components.Observability.LogRetention;
using Constructs;
using ScalableBackend.Components.Caching;
using ScalableBackend.Components.Data;
using ScalableBackend.Components.Messaging;
using ScalableBackend.Components.Observability;
using ScalableBackend.Stacks.Config;

namespace ScalableBackend.Stacks;

/// <summary>What a service's or worker's stack adds around its component: the agent, the log subscription, every grant.</summary>
internal static class MemberWiring
{
    /// <summary>
    /// The CloudWatch agent (the child <c>Agent</c> of <paramref name="owner"/>, where the component itself would create
    /// it), granted exactly its log group, parameter and namespaces (the agent's and <paramref name="metricNamespaces"/>,
    /// the ones the member's scaling triggers read), installed on <paramref name="launchTemplate"/> (which waits for the
    /// grant), and its log group subscribed to central logging.
    /// </summary>
    public static CloudWatchAgentConfig Observe(EnvironmentStack stack, PlatformImports platform, string key, Construct owner,
        LaunchTemplate launchTemplate, IReadOnlyList<string> metricNamespaces)
    {
        var env = stack.Definition.Name;
        var agent = new CloudWatchAgentConfig(owner, "Agent", new CloudWatchAgentConfigProps
        {
            ServiceName = key,
            LogEncryptionKey = platform.LogKey,
            LogRetention = LogRetention.FromDays(stack.Definition.Config.Logs.RetentionDays),
            ParameterName = $"/backend/{env}/{key}/cloudwatch-agent",
            ApplicationMetricNamespaces = metricNamespaces,
        });
        // The launch template renders its user data at synthesis, so commands added now still reach the instances.
        agent.Install(launchTemplate);
        // The filter lives with its log group; the delivery stream and the role it uses are the platform's.
        _ = new CfnSubscriptionFilter(stack, "LogSubscription", new CfnSubscriptionFilterProps
        {
            LogGroupName = agent.LogGroup.LogGroupName,
            DestinationArn = platform.LogStreamArn,
            RoleArn = platform.LogSubscriptionRoleArn,
            FilterPattern = "",
        });
        return agent;
    }

    /// <summary>
    /// Every grant the file gives member <paramref name="key"/> (a service or a worker): the stores it uses, the queues
    /// it sends to or consumes, the events it publishes, the brokers it connects to and the internal routes it calls —
    /// all created in <paramref name="stack"/> from the producers' exports.
    /// </summary>
    public static void Grant(EnvironmentStack stack, string key, IDataClient client, DataImports data)
    {
        var config = stack.Definition.Config;
        static bool Has(IReadOnlyList<string>? members, string key) => members?.Contains(key) == true;

        if (Has(config.Cache?.Users, key))
            RedisCluster.GrantConnect(data.Cache(), client);
        if (Has(config.Database?.Users, key))
            ShardedDatabase.GrantConnect(data.Database(), client);
        foreach (var (name, queue) in (config.Queues ?? new Dictionary<string, QueueConfig>()).OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (Has(queue.Producers, key)) MessageQueue.GrantSend(data.Queue(name), client.Grantee);
            if (Has(queue.Consumers, key)) MessageQueue.GrantConsume(data.Queue(name), client.Grantee);
        }
        foreach (var (name, evt) in (config.Events ?? new Dictionary<string, EventConfig>()).OrderBy(kv => kv.Key, StringComparer.Ordinal))
            if (Has(evt.Publishers, key))
                EventBus.GrantPublish(data.Topic(name), data.EventsKey(), client.Grantee);
        if (Has(config.Brokers?.Rabbitmq?.Users, key))
            RabbitMqBroker.GrantConnect(data.RabbitMq(), client);
        if (Has(config.Brokers?.Kafka?.Users, key))
            KafkaCluster.GrantConnect(data.Kafka(), client);

        // Internal routes: each declared caller may invoke exactly those routes (the API's own ARN format), nothing else.
        var routes = (config.Api?.Routes ?? new Dictionary<string, ApiRouteConfig>())
            .Where(kv => kv.Value.Iam == true && Has(kv.Value.Callers, key)).OrderBy(kv => kv.Key, StringComparer.Ordinal).ToArray();
        if (routes.Length > 0)
        {
            var api = EdgeStack.ImportApi(stack);
            var stage = config.Api!.StageName ?? "v1"; // ApiGateway's default stage
            foreach (var (_, route) in routes)
                Amazon.CDK.AWS.IAM.Grant.AddToPrincipal(new GrantOnPrincipalOptions
                {
                    Grantee = client.Grantee,
                    Actions = ["execute-api:Invoke"],
                    ResourceArns = [api.ArnForExecuteApi(route.Method, PathForArn(route.Path), stage)],
                });
        }
    }

    // As API Gateway's method ARNs spell a path: every {parameter} (including {proxy+}) becomes *.
    private static string PathForArn(string path) => System.Text.RegularExpressions.Regex.Replace(path, @"\{[^}]*\}", "*");
}
