using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.IAM;
using ScalableBackend.Components.Compute;
using ScalableBackend.Components.Messaging;
using ScalableBackend.Stacks.Config;

namespace ScalableBackend.Stacks;

public sealed partial class BackendStack
{
    /// <summary>The queues, keyed by their name in the file (ids <c>Queue&lt;Name&gt;</c>).</summary>
    public IReadOnlyDictionary<string, MessageQueue> Queues { get; private set; } = new Dictionary<string, MessageQueue>();

    /// <summary>The event topics, when the file has an <c>events</c> section.</summary>
    public EventBus? Events { get; private set; }

    /// <summary>The worker tiers, keyed by their name in the file (ids <c>Worker&lt;Name&gt;</c>).</summary>
    public IReadOnlyDictionary<string, WorkerService> Workers { get; private set; } = new Dictionary<string, WorkerService>();

    /// <summary>The RabbitMQ broker, when the file has <c>brokers.rabbitmq</c>.</summary>
    public RabbitMqBroker? RabbitMq { get; private set; }

    /// <summary>The MSK cluster, when the file has <c>brokers.kafka</c>.</summary>
    public KafkaCluster? Kafka { get; private set; }

    private void AddMessaging(EnvironmentConfig config, IReadOnlyDictionary<string, WebService> services)
    {
        var queues = new Dictionary<string, MessageQueue>();
        foreach (var (name, q) in (config.Queues ?? new Dictionary<string, QueueConfig>()).OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            queues[name] = new MessageQueue(this, $"Queue{WebService.ToPascal(name)}", new MessageQueueProps(q));
        }
        Queues = queues;

        var workers = new Dictionary<string, WorkerService>();
        foreach (var (name, w) in (config.Workers ?? new Dictionary<string, WorkerConfig>()).OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            workers[name] = new WorkerService(this, $"Worker{WebService.ToPascal(name)}",
                new WorkerServiceProps(w, Network.Vpc, queues[w.Queue], new InstanceType(w.InstanceType))
                {
                    // AddObservability grants the agent exactly its log group, parameter and namespace.
                    AttachCloudWatchAgentPolicy = false,
                });
        }
        Workers = workers;

        // Services and workers share one name space; the validator has checked every reference.
        (ISecurityGroup SecurityGroup, IGrantable Role) Member(string name) =>
            services.TryGetValue(name, out var s) ? (s.SecurityGroup, s.Role) : (workers[name].SecurityGroup, workers[name].Role);

        foreach (var (name, q) in (config.Queues ?? new Dictionary<string, QueueConfig>()).OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            foreach (var producer in q.Producers ?? []) queues[name].GrantSend(Member(producer).Role);
            foreach (var consumer in q.Consumers ?? []) queues[name].GrantConsume(Member(consumer).Role);
        }

        if (config.Events is { Count: > 0 } events)
        {
            Events = new EventBus(this, "Events", new EventBusProps
            {
                Topics = events.ToDictionary(kv => kv.Key, kv => new EventTopic { Subscribers = kv.Value.Subscribers.Select(q => queues[q]).ToList() }),
            });
            foreach (var (name, evt) in events.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                foreach (var publisher in evt.Publishers ?? [])
                    Events.GrantPublish(name, Member(publisher).Role);
        }

        if (config.Brokers?.Rabbitmq is { } rabbit)
        {
            RabbitMq = new RabbitMqBroker(this, "RabbitMq", new RabbitMqBrokerProps(rabbit, Network.Vpc));
            foreach (var user in rabbit.Users ?? [])
                RabbitMq.GrantConnect(Member(user).SecurityGroup, Member(user).Role);
        }

        if (config.Brokers?.Kafka is { } kafka)
        {
            Kafka = new KafkaCluster(this, "Kafka", new KafkaClusterProps(kafka, Network.Vpc)
            {
                LogRetentionDays = config.Logs.RetentionDays,
                LogEncryptionKey = LogKey,
            });
            foreach (var user in kafka.Users ?? [])
                Kafka.GrantConnect(Member(user).SecurityGroup, Member(user).Role);
        }
    }
}
