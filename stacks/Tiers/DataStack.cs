using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.KMS;
using Amazon.CDK.AWS.SecretsManager;
using Amazon.CDK.AWS.SNS;
using Amazon.CDK.AWS.SQS;
using Amazon.CDK.AWS.SSM;
using Constructs;
using ScalableBackend.Components.Caching;
using ScalableBackend.Components.Data;
using ScalableBackend.Components.Messaging;
using ScalableBackend.Components.Observability;
using ScalableBackend.Stacks.Config;

namespace ScalableBackend.Stacks;

/// <summary>
/// <c>Backend-&lt;Env&gt;-Data</c>: every store that holds data — the cache, the database shards, the queues, the
/// event topics and the brokers — with their alarms. It grants nobody anything: each user's stack admits itself
/// (an ingress rule under its own security group) and grants its own role, from the values exported here, so adding
/// or removing a user never changes this template. Termination protection where the file asks.
/// </summary>
public sealed class DataStack : EnvironmentStack
{
    /// <summary>The Redis cluster, when the file has a <c>cache</c> section.</summary>
    public RedisCluster? Cache { get; }

    /// <summary>The sharded database, when the file has a <c>database</c> section.</summary>
    public ShardedDatabase? Database { get; }

    /// <summary>The queues, keyed by their name in the file (ids <c>Queue&lt;Name&gt;</c>).</summary>
    public IReadOnlyDictionary<string, MessageQueue> Queues { get; }

    /// <summary>The event topics, when the file has an <c>events</c> section.</summary>
    public EventBus? Events { get; }

    /// <summary>The RabbitMQ broker, when the file has <c>brokers.rabbitmq</c>.</summary>
    public RabbitMqBroker? RabbitMq { get; }

    /// <summary>The MSK cluster, when the file has <c>brokers.kafka</c>.</summary>
    public KafkaCluster? Kafka { get; }

    /// <summary>The alarms of the stores (notifying the platform's topic).</summary>
    public Monitoring Monitoring { get; }

    /// <summary>Builds the data tier of <paramref name="definition"/> on the platform's exports.</summary>
    public DataStack(Construct scope, EnvironmentDefinition definition)
        : base(scope, definition, StackRole.Data, null, "data: cache, database shards, queues, topics, brokers",
            definition.Config.TerminationProtection == true)
    {
        var config = definition.Config;
        var platform = PlatformStack.ImportInto(this);
        var retention = LogRetention.FromDays(config.Logs.RetentionDays);
        Monitoring = new Monitoring(this, "Monitoring", new MonitoringProps
        {
            Thresholds = config.Observability?.Thresholds,
            AlarmTopic = platform.AlarmTopic,
            EnableDashboard = false,
        });

        // Users find the data stores through SSM parameters under /backend/<env>/ (names fixed by StackNames' callers).
        if (config.Cache is { } cache)
        {
            // One ElastiCache user per member in cache.users (IAM authentication), ids unique per account and region.
            Cache = new RedisCluster(this, "Cache", new RedisClusterProps(cache, platform.Vpc)
            {
                ParameterPrefix = $"/backend/{Env}/cache",
                Users = cache.Users,
                UserIdPrefix = CacheUserIdPrefix(Env),
            });
            Monitoring.MonitorCache("main", Cache.ReplicationGroup);
            Export(Exports.CacheSecurityGroupId, Cache.SecurityGroup.SecurityGroupId, "The cache's security group; users add their own ingress");
            Export(Exports.CacheKeyArn, Cache.EncryptionKey.KeyArn, "The key of the cache");
            Export(Exports.CacheReplicationGroupId, Cache.ReplicationGroup.Ref, "The cache's replication group id");
            Export(Exports.CacheEndpoint, $"{Cache.ReplicationGroup.AttrConfigurationEndPointAddress}:{Cache.ReplicationGroup.AttrConfigurationEndPointPort}",
                "The cache's configuration endpoint, host:port (TLS)");
        }

        if (config.Database is { } database)
        {
            Database = new ShardedDatabase(this, "Database", new ShardedDatabaseProps(database, platform.Vpc, new Amazon.CDK.AWS.EC2.InstanceType(database.InstanceType["db.".Length..]))
            {
                LogRetention = retention,
                InstanceIdentifierPrefix = $"backend-{Env}",
                LogEncryptionKey = platform.LogKey,
                ShardMapParameterName = $"/backend/{Env}/database/shard-map",
                // Each member of database.users gets its own PostgreSQL role in every shard, logging in through IAM.
                DatabaseUsers = (database.Users ?? []).Select(ShardedDatabase.UserNameOf).ToArray(),
            });
            foreach (var (id, shard) in Database.Shards.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                Monitoring.MonitorDatabaseShard(id, shard.Writer, shard.Replicas);
                // No member imports the master secret any more; the export stays for operators, and so that a data stack
                // deployed before its members' stacks is not refused for deleting an export still imported.
                Export(Exports.ShardSecretArn(id), shard.Secret.SecretArn, $"The master credentials secret of shard {id} (operators only)");
                Export(Exports.ShardInstanceResourceId(id), shard.InstanceResourceIds[0], $"The DbiResourceId of shard {id}'s writer (rds-db:connect)");
                for (var n = 1; n <= shard.Replicas.Count; n++)
                    Export(Exports.ShardReplicaResourceId(id, n), shard.InstanceResourceIds[n], $"The DbiResourceId of shard {id}'s replica {n} (rds-db:connect)");
                if (shard.Proxy is { } proxy)
                {
                    Export(Exports.ShardProxyEndpoint(id), $"{proxy.Endpoint}:5432", $"The RDS Proxy endpoint of shard {id}, host:port (TLS)");
                    Export(Exports.ShardProxyResourceId(id), shard.ProxyResourceId!, $"The resource id (prx-…) of shard {id}'s RDS Proxy (rds-db:connect)");
                }
            }
            Export(Exports.DatabaseSecurityGroupId, Database.SecurityGroup.SecurityGroupId, "The database shards' security group; users add their own ingress");
            Export(Exports.DatabaseKeyArn, Database.EncryptionKey.KeyArn, "The key of the shards and their credentials secrets");
        }

        var queues = new Dictionary<string, MessageQueue>();
        foreach (var (name, q) in (config.Queues ?? new Dictionary<string, QueueConfig>()).OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var queue = queues[name] = new MessageQueue(this, $"Queue{StackNames.Pascal(name)}", new MessageQueueProps(q));
            Monitoring.MonitorQueue(name, queue.Queue, queue.DeadLetterQueue);
            Export(Exports.QueueArn(name), queue.Queue.QueueArn, $"Queue {name}");
            Export(Exports.QueueUrl(name), queue.Queue.QueueUrl, $"URL of queue {name}");
            Export(Exports.QueueKeyArn(name), queue.EncryptionKey.KeyArn, $"The key of queue {name}");
        }
        Queues = queues;

        if (config.Events is { Count: > 0 } events)
        {
            Events = new EventBus(this, "Events", new EventBusProps
            {
                Topics = events.ToDictionary(kv => kv.Key, kv => new EventTopic { Subscribers = kv.Value.Subscribers.Select(q => queues[q]).ToList() }),
            });
            foreach (var name in events.Keys.Order(StringComparer.Ordinal))
                Export(Exports.TopicArn(name), Events.Topic(name).TopicArn, $"The topic of event {name}");
            Export(Exports.EventsKeyArn, Events.EncryptionKey.KeyArn, "The key of the event topics");
        }

        if (config.Brokers?.Rabbitmq is { } rabbit)
        {
            // One RabbitMQ user per member in brokers.rabbitmq.users, each with its own secret; nobody reads the administrator's.
            RabbitMq = new RabbitMqBroker(this, "RabbitMq", new RabbitMqBrokerProps(rabbit, platform.Vpc)
            {
                Users = rabbit.Users,
                LogRetentionDays = config.Logs.RetentionDays,
                LogEncryptionKey = platform.LogKey,
            });
            Export(Exports.RabbitMqSecurityGroupId, RabbitMq.SecurityGroup.SecurityGroupId, "The RabbitMQ broker's security group; users add their own ingress");
            foreach (var (user, secret) in RabbitMq.UserCredentials)
                Export(Exports.RabbitMqUserSecretArn(user), secret.SecretArn, $"The RabbitMQ credentials secret of user {user}");
            Export(Exports.RabbitMqKeyArn, RabbitMq.EncryptionKey.KeyArn, "The key of the RabbitMQ credentials secrets");
            Export(Exports.RabbitMqEndpoint, Amazon.CDK.Fn.Select(0, RabbitMq.Broker.AttrAmqpEndpoints), "The RabbitMQ broker's AMQPS endpoint");
            // Amazon MQ makes the broker's general log group itself (its service-linked role), named by the broker's id:
            // given the environment's retention and the platform's log key once the broker exists.
            _ = new Components.Observability.ServiceOwnedLogGroup(this, "RabbitMqGeneralLogs", new Components.Observability.ServiceOwnedLogGroupProps
            {
                LogGroupName = $"/aws/amazonmq/broker/{RabbitMq.Broker.AttrId}/general",
                EncryptionKey = platform.LogKey,
                Retention = retention,
                HandlerLogGroup = Components.Observability.EncryptedLogGroup.Create(this, "RabbitMqGeneralLogsHandlerLogs", new Components.Observability.EncryptedLogGroupProps
                {
                    EncryptionKey = platform.LogKey, Retention = retention,
                }),
            });
        }

        if (config.Brokers?.Kafka is { } kafka)
        {
            Kafka = new KafkaCluster(this, "Kafka", new KafkaClusterProps(kafka, platform.Vpc)
            {
                LogRetentionDays = config.Logs.RetentionDays,
                LogEncryptionKey = platform.LogKey,
            });
            Export(Exports.KafkaSecurityGroupId, Kafka.SecurityGroup.SecurityGroupId, "The MSK cluster's security group; users add their own ingress");
            Export(Exports.KafkaClusterArn, Kafka.Cluster.AttrArn, "The MSK cluster");
        }
    }

    /// <summary>
    /// The prefix of the cache's ElastiCache user ids in environment <paramref name="env"/>: <c>backend-&lt;env&gt;-</c>
    /// (user ids are unique per account and region). Member <c>api</c> of prod connects as <c>backend-prod-api</c>.
    /// </summary>
    public static string CacheUserIdPrefix(string env) => $"backend-{env}-";

    /// <summary>The export names of the data stack (each prefixed with <c>Backend-&lt;Env&gt;-Data:</c>).</summary>
    public static class Exports
    {
        /// <summary><c>CacheSecurityGroupId</c>.</summary>
        public const string CacheSecurityGroupId = "CacheSecurityGroupId";
        /// <summary><c>CacheKeyArn</c>.</summary>
        public const string CacheKeyArn = "CacheKeyArn";
        /// <summary><c>CacheEndpoint</c>: <c>host:port</c>.</summary>
        public const string CacheEndpoint = "CacheEndpoint";
        /// <summary><c>RabbitMqEndpoint</c>: <c>amqps://host:5671</c>.</summary>
        public const string RabbitMqEndpoint = "RabbitMqEndpoint";
        /// <summary><c>Database&lt;Shard&gt;ProxyEndpoint</c>: <c>host:port</c>, for shards with a proxy.</summary>
        public static string ShardProxyEndpoint(string shard) => $"Database{StackNames.Pascal(shard)}ProxyEndpoint";
        /// <summary><c>CacheReplicationGroupId</c>.</summary>
        public const string CacheReplicationGroupId = "CacheReplicationGroupId";
        /// <summary><c>DatabaseSecurityGroupId</c>.</summary>
        public const string DatabaseSecurityGroupId = "DatabaseSecurityGroupId";
        /// <summary><c>DatabaseKeyArn</c>.</summary>
        public const string DatabaseKeyArn = "DatabaseKeyArn";
        /// <summary><c>EventsKeyArn</c>.</summary>
        public const string EventsKeyArn = "EventsKeyArn";
        /// <summary><c>RabbitMqSecurityGroupId</c>.</summary>
        public const string RabbitMqSecurityGroupId = "RabbitMqSecurityGroupId";
        /// <summary><c>RabbitMqUser&lt;Name&gt;SecretArn</c>: the credentials secret of RabbitMQ user (member) <paramref name="user"/>.</summary>
        public static string RabbitMqUserSecretArn(string user) => $"RabbitMqUser{StackNames.Pascal(user)}SecretArn";
        /// <summary><c>RabbitMqKeyArn</c>.</summary>
        public const string RabbitMqKeyArn = "RabbitMqKeyArn";
        /// <summary><c>KafkaSecurityGroupId</c>.</summary>
        public const string KafkaSecurityGroupId = "KafkaSecurityGroupId";
        /// <summary><c>KafkaClusterArn</c>.</summary>
        public const string KafkaClusterArn = "KafkaClusterArn";
        /// <summary><c>DatabaseShard&lt;Id&gt;SecretArn</c>: the master secret, which no member reads.</summary>
        public static string ShardSecretArn(string shard) => $"Database{StackNames.Pascal(shard)}SecretArn";
        /// <summary><c>DatabaseShard&lt;Id&gt;ResourceId</c>: the writer's <c>DbiResourceId</c> (<c>db-…</c>).</summary>
        public static string ShardInstanceResourceId(string shard) => $"Database{StackNames.Pascal(shard)}ResourceId";
        /// <summary><c>DatabaseShard&lt;Id&gt;Replica&lt;N&gt;ResourceId</c>: replica <paramref name="replica"/>'s <c>DbiResourceId</c>.</summary>
        public static string ShardReplicaResourceId(string shard, int replica) => $"Database{StackNames.Pascal(shard)}Replica{replica}ResourceId";
        /// <summary><c>DatabaseShard&lt;Id&gt;ProxyResourceId</c>: the proxy's resource id (<c>prx-…</c>), for shards with a proxy.</summary>
        public static string ShardProxyResourceId(string shard) => $"Database{StackNames.Pascal(shard)}ProxyResourceId";
        /// <summary><c>Queue&lt;Name&gt;Arn</c>.</summary>
        public static string QueueArn(string queue) => $"Queue{StackNames.Pascal(queue)}Arn";
        /// <summary><c>Queue&lt;Name&gt;Url</c>, e.g. <c>Backend-Prod-Data:QueueBillingUrl</c>.</summary>
        public static string QueueUrl(string queue) => $"Queue{StackNames.Pascal(queue)}Url";
        /// <summary><c>Queue&lt;Name&gt;KeyArn</c>.</summary>
        public static string QueueKeyArn(string queue) => $"Queue{StackNames.Pascal(queue)}KeyArn";
        /// <summary><c>Topic&lt;Name&gt;Arn</c>.</summary>
        public static string TopicArn(string topic) => $"Topic{StackNames.Pascal(topic)}Arn";
    }
}

/// <summary>
/// The data tier as a consumer stack sees it: each store imported on first use by export name (parameters by their
/// fixed names), never by reference, so the data stack never learns its consumers.
/// </summary>
internal sealed class DataImports(EnvironmentStack consumer)
{
    private readonly Dictionary<string, object> _made = new(StringComparer.Ordinal);
    private string Value(string name) => consumer.ImportValue(StackRole.Data, name);
    private string Env => consumer.Definition.Name;

    private T Once<T>(string id, Func<T> make) where T : class =>
        (T)(_made.TryGetValue(id, out var made) ? made : _made[id] = make());

    private IKey Key(string id, string export) => Once(id, () => Amazon.CDK.AWS.KMS.Key.FromKeyArn(consumer, id, Value(export)));

    private ISecret Secret(string id, string export, IKey key) => Once(id, () => Amazon.CDK.AWS.SecretsManager.Secret.FromSecretAttributes(consumer, id,
        new SecretAttributes { SecretCompleteArn = Value(export), EncryptionKey = key }));

    // By name only: the grants need the ARN, nobody reads the value in the template (no unused template parameter).
    private IStringParameter Parameter(string id, string name) => Once(id, () => StringParameter.FromStringParameterAttributes(consumer, id,
        new StringParameterAttributes { ParameterName = name, ForceDynamicReference = true }));

    /// <summary>The value of the data stack's export <paramref name="name"/>.</summary>
    public string Export(string name) => Value(name);

    public RedisClusterReference Cache() => Once("CacheReference", () => new RedisClusterReference("Cache",
        Value(DataStack.Exports.CacheSecurityGroupId),
        Parameter("CacheEndpointParameter", $"/backend/{Env}/cache/endpoint"),
        Value(DataStack.Exports.CacheReplicationGroupId),
        DataStack.CacheUserIdPrefix(Env)));

    public ShardedDatabaseReference Database() => Once("DatabaseReference", () =>
    {
        var shards = consumer.Definition.Config.Database!.Shards.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToDictionary(kv => kv.Key, kv =>
            new ShardConnectTargets(
                [
                    Value(DataStack.Exports.ShardInstanceResourceId(kv.Key)),
                    .. Enumerable.Range(1, kv.Value.ReadReplicas ?? 0).Select(n => Value(DataStack.Exports.ShardReplicaResourceId(kv.Key, n))),
                ],
                kv.Value.EnableProxy == true ? Value(DataStack.Exports.ShardProxyResourceId(kv.Key)) : null));
        return new ShardedDatabaseReference("Database", Value(DataStack.Exports.DatabaseSecurityGroupId),
            Parameter("DatabaseShardMap", $"/backend/{Env}/database/shard-map"), shards);
    });

    public IQueue Queue(string name) => Once($"Queue{StackNames.Pascal(name)}", () =>
        Amazon.CDK.AWS.SQS.Queue.FromQueueAttributes(consumer, $"Queue{StackNames.Pascal(name)}", new QueueAttributes
        {
            QueueArn = Value(DataStack.Exports.QueueArn(name)),
            QueueUrl = Value(DataStack.Exports.QueueUrl(name)),
            KeyArn = Value(DataStack.Exports.QueueKeyArn(name)),
            Fifo = consumer.Definition.Config.Queues![name].Fifo,
        }));

    public ITopic Topic(string name) => Once($"Topic{StackNames.Pascal(name)}", () =>
        Amazon.CDK.AWS.SNS.Topic.FromTopicArn(consumer, $"Topic{StackNames.Pascal(name)}", Value(DataStack.Exports.TopicArn(name))));

    public IKey EventsKey() => Key("EventsKey", DataStack.Exports.EventsKeyArn);

    public RabbitMqBrokerReference RabbitMq() => Once("RabbitMqReference", () => new RabbitMqBrokerReference("RabbitMq",
        Value(DataStack.Exports.RabbitMqSecurityGroupId)));

    /// <summary>The RabbitMQ credentials secret of user (member) <paramref name="user"/>.</summary>
    public ISecret RabbitMqUserCredentials(string user) => Secret($"RabbitMqUser{StackNames.Pascal(user)}Credentials",
        DataStack.Exports.RabbitMqUserSecretArn(user), Key("RabbitMqKey", DataStack.Exports.RabbitMqKeyArn));

    public KafkaClusterReference Kafka() => Once("KafkaReference", () => new KafkaClusterReference("Kafka",
        Value(DataStack.Exports.KafkaSecurityGroupId), Value(DataStack.Exports.KafkaClusterArn)));
}
