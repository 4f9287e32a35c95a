using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Logs;
using LogRetention = ScalableBackend.Components.Observability.LogRetention;
using Constructs;
using ScalableBackend.Components.Caching;
using ScalableBackend.Components.Compute;
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
            // Named, so the container's log driver (rendered into the boot script before the agent exists) can name it.
            LogGroupName = LogGroupName(stack, key),
        });
        // The container writes here from its first second: no instance before the group.
        ((Amazon.CDK.CfnResource)launchTemplate.Node.DefaultChild!).AddDependency((Amazon.CDK.CfnResource)agent.LogGroup.Node.DefaultChild!);
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
            RedisCluster.GrantConnect(data.Cache(), client, key);
        if (Has(config.Database?.Users, key))
            ShardedDatabase.GrantConnect(data.Database(), client, ShardedDatabase.UserNameOf(key));
        foreach (var (name, queue) in (config.Queues ?? new Dictionary<string, QueueConfig>()).OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (Has(queue.Producers, key)) MessageQueue.GrantSend(data.Queue(name), client.Grantee);
            if (Has(queue.Consumers, key)) MessageQueue.GrantConsume(data.Queue(name), client.Grantee);
        }
        foreach (var (name, evt) in (config.Events ?? new Dictionary<string, EventConfig>()).OrderBy(kv => kv.Key, StringComparer.Ordinal))
            if (Has(evt.Publishers, key))
                EventBus.GrantPublish(data.Topic(name), data.EventsKey(), client.Grantee);
        if (Has(config.Brokers?.Rabbitmq?.Users, key))
            RabbitMqBroker.GrantConnect(data.RabbitMq(), client, data.RabbitMqUserCredentials(key));
        if (config.Brokers?.Kafka is { } kafka && Has(kafka.Users, key))
            KafkaCluster.GrantConnect(data.Kafka(), client, kafka.AccessOf(key));

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
            Components.Security.PolicyAcknowledgement.ApplyToGrants(client.Grantee, new Components.Security.PolicyAcknowledgement(
                @"AwsSolutions-IAM5[/^Resource::arn:<AWS::Partition>:execute-api:.*$/]",
                "execute-api:Invoke on exactly the declared internal routes: API Gateway's method ARN writes each path " +
                "parameter (and {proxy+}) as *, so the * stands for the route's own parameters, not for other routes."));
        }
    }

    /// <summary>The member's log group (agent and container): <c>/backend/&lt;env&gt;/service|worker/&lt;key&gt;</c>.</summary>
    public static string LogGroupName(EnvironmentStack stack, string key) =>
        $"/backend/{stack.Definition.Name}/{(stack.Identity.Role == StackRole.Worker ? "worker" : "service")}/{key}";

    /// <summary>
    /// The environment variables the file's relationships hand member <paramref name="key"/>'s container, named by
    /// <see cref="ContainerContract"/>: the queues it sends to or consumes, the events it publishes, the cache, the
    /// database's shard map and shard secrets (and proxies), the brokers. Values are imported names, URLs, endpoints and
    /// ARNs — never a secret's value. Only what the member is granted is listed.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Environment(EnvironmentStack stack, string key, DataImports data, int? port, string? workerQueue)
    {
        var config = stack.Definition.Config;
        static bool Has(IReadOnlyList<string>? members, string key) => members?.Contains(key) == true;
        var env = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            [ContainerContract.Environment] = stack.Definition.Name,
            [ContainerContract.Member] = key,
            [ContainerContract.Region] = config.Region,
        };
        if (port is { } p) env[ContainerContract.Port] = p.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (workerQueue is not null)
            env[ContainerContract.WorkerQueueUrl] = data.Export(DataStack.Exports.QueueUrl(workerQueue));
        foreach (var (name, queue) in config.Queues ?? new Dictionary<string, QueueConfig>())
            if (Has(queue.Producers, key) || Has(queue.Consumers, key) || name == workerQueue)
                env[ContainerContract.QueueUrl(name)] = data.Export(DataStack.Exports.QueueUrl(name));
        foreach (var (name, evt) in config.Events ?? new Dictionary<string, EventConfig>())
            if (Has(evt.Publishers, key))
                env[ContainerContract.TopicArn(name)] = data.Export(DataStack.Exports.TopicArn(name));
        if (Has(config.Cache?.Users, key))
        {
            env[ContainerContract.CacheEndpoint] = data.Export(DataStack.Exports.CacheEndpoint);
            env[ContainerContract.CacheReplicationGroupId] = data.Export(DataStack.Exports.CacheReplicationGroupId);
            env[ContainerContract.CacheUser] = RedisCluster.UserIdOf(DataStack.CacheUserIdPrefix(stack.Definition.Name), key);
        }
        if (config.Database is { } database && Has(database.Users, key))
        {
            env[ContainerContract.DatabaseShardMapParameter] = $"/backend/{stack.Definition.Name}/database/shard-map";
            env[ContainerContract.DatabaseUser] = ShardedDatabase.UserNameOf(key);
            foreach (var (id, shard) in database.Shards)
                if (shard.EnableProxy == true)
                    env[ContainerContract.DatabaseShardProxyEndpoint(id)] = data.Export(DataStack.Exports.ShardProxyEndpoint(id));
        }
        if (Has(config.Brokers?.Rabbitmq?.Users, key))
        {
            env[ContainerContract.RabbitMqEndpoint] = data.Export(DataStack.Exports.RabbitMqEndpoint);
            env[ContainerContract.RabbitMqCredentialsSecretArn] = data.Export(DataStack.Exports.RabbitMqUserSecretArn(key));
        }
        if (Has(config.Brokers?.Kafka?.Users, key))
            env[ContainerContract.KafkaClusterArn] = data.Export(DataStack.Exports.KafkaClusterArn);
        return env;
    }

    /// <summary>
    /// What a Kafka user's application needs beyond connecting: <c>kafka:GetBootstrapBrokers</c> on the cluster
    /// (CloudFormation publishes no bootstrap brokers; the application asks for them with the cluster's ARN).
    /// </summary>
    public static void GrantBootstrapBrokers(EnvironmentStack stack, string key, IDataClient client, DataImports data)
    {
        if (stack.Definition.Config.Brokers?.Kafka?.Users?.Contains(key) != true)
            return;
        Amazon.CDK.AWS.IAM.Grant.AddToPrincipal(new GrantOnPrincipalOptions
        {
            Grantee = client.Grantee,
            Actions = ["kafka:GetBootstrapBrokers"],
            ResourceArns = [data.Export(DataStack.Exports.KafkaClusterArn)],
        });
    }

    // As API Gateway's method ARNs spell a path: every {parameter} (including {proxy+}) becomes *.
    private static string PathForArn(string path) => System.Text.RegularExpressions.Regex.Replace(path, @"\{[^}]*\}", "*");
}
