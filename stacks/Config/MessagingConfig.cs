using Amazon.CDK;
using ScalableBackend.Components.Compute;
using ScalableBackend.Components.Messaging;

namespace ScalableBackend.Stacks.Config;

// The messaging part of the schema of stacks/<env>.yaml: queues, events, brokers and workers.

/// <summary>One entry of the <c>queues</c> section: an SQS queue with its dead-letter queue, and who sends and consumes.</summary>
public sealed record QueueConfig : MessageQueueSettings
{
    /// <summary>Keys of the services or workers that may send to the queue. Default: none.</summary>
    public IReadOnlyList<string>? Producers { get; init; }

    /// <summary>Keys of further services or workers that consume the queue (a worker whose <c>queue</c> is this one always does). Default: none.</summary>
    public IReadOnlyList<string>? Consumers { get; init; }
}

/// <summary>One entry of the <c>events</c> section: an SNS topic fanned out to queues.</summary>
public sealed record EventConfig
{
    /// <summary>Keys of the services or workers that may publish the event. Default: none.</summary>
    public IReadOnlyList<string>? Publishers { get; init; }

    /// <summary>Keys of the (standard) queues every event is delivered to; at least one.</summary>
    public required IReadOnlyList<string> Subscribers { get; init; }
}

/// <summary>The <c>brokers</c> section; each broker is optional.</summary>
public sealed record BrokersConfig
{
    /// <summary>Amazon MQ for RabbitMQ. Default: none.</summary>
    public RabbitMqConfig? Rabbitmq { get; init; }

    /// <summary>Amazon MSK. Default: none.</summary>
    public KafkaConfig? Kafka { get; init; }
}

/// <summary>The <c>brokers.rabbitmq</c> section: the broker's settings and who connects.</summary>
public sealed record RabbitMqConfig : RabbitMqBrokerSettings
{
    /// <summary>
    /// Keys of the services or workers that may connect: each gets its own RabbitMQ user named after its key (a generated
    /// secret only it may read; configure/read on <c>&lt;key&gt;.*</c>, write on those and the default exchange) and
    /// AMQPS 5671. No member reads the administrator's secret. Default: none.
    /// </summary>
    public IReadOnlyList<string>? Users { get; init; }
}

/// <summary>
/// The <c>brokers.kafka</c> section: the cluster's settings, who connects, and which topics and consumer groups each
/// user may use; brokers log with the environment's <c>logs.retentionDays</c>.
/// </summary>
public sealed record KafkaConfig : KafkaClusterSettings
{
    /// <summary>Keys of the services or workers that may connect (9098 with IAM) and describe the cluster. Default: none.</summary>
    public IReadOnlyList<string>? Users { get; init; }

    /// <summary>
    /// The topics users may produce to or consume from, keyed by their Kafka name (1–249 of letters, digits, <c>.</c>,
    /// <c>_</c>, <c>-</c>); each names its producers and consumers among <see cref="Users"/>. A user is granted exactly
    /// these topics' ARNs. The topics themselves are created by an operator (no user may create or alter topics).
    /// Default: none.
    /// </summary>
    public IReadOnlyDictionary<string, KafkaTopicConfig>? Topics { get; init; }

    /// <summary>The consumer groups users may join and commit offsets in, keyed by group id (Kafka's topic name rule). Default: none.</summary>
    public IReadOnlyDictionary<string, KafkaGroupConfig>? Groups { get; init; }

    /// <summary>What the file grants user <paramref name="key"/> on the cluster's topics and groups (empty lists when nothing).</summary>
    public KafkaAccess AccessOf(string key)
    {
        static bool Has(IReadOnlyList<string>? members, string key) => members?.Contains(key) == true;
        var topics = (Topics ?? new Dictionary<string, KafkaTopicConfig>()).OrderBy(kv => kv.Key, StringComparer.Ordinal).ToList();
        return new KafkaAccess
        {
            Produces = topics.Where(t => Has(t.Value.Producers, key)).Select(t => t.Key).ToList(),
            Consumes = topics.Where(t => Has(t.Value.Consumers, key)).Select(t => t.Key).ToList(),
            Groups = (Groups ?? new Dictionary<string, KafkaGroupConfig>()).Where(g => Has(g.Value.Members, key))
                .Select(g => g.Key).Order(StringComparer.Ordinal).ToList(),
        };
    }
}

/// <summary>One entry of <c>brokers.kafka.topics</c>: who writes to and who reads from the topic.</summary>
public sealed record KafkaTopicConfig
{
    /// <summary>Keys of the users (in <c>brokers.kafka.users</c>) that write to the topic. Default: none.</summary>
    public IReadOnlyList<string>? Producers { get; init; }

    /// <summary>Keys of the users (in <c>brokers.kafka.users</c>) that read from the topic. Default: none.</summary>
    public IReadOnlyList<string>? Consumers { get; init; }
}

/// <summary>One entry of <c>brokers.kafka.groups</c>: who joins the consumer group.</summary>
public sealed record KafkaGroupConfig
{
    /// <summary>Keys of the users (in <c>brokers.kafka.users</c>) that join the group. At least one.</summary>
    public required IReadOnlyList<string> Members { get; init; }
}

/// <summary>One entry of the <c>workers</c> section: an autoscaling tier's settings, its instance type and the queue it consumes.</summary>
public sealed record WorkerConfig : WorkerServiceSettings, IMemberConfig
{
    /// <summary>The EC2 instance type, e.g. <c>t3.small</c>.</summary>
    public required string InstanceType { get; init; }

    /// <summary>What the instances run: the image (tag or digest), command, environment and secrets by declared name. Not with <see cref="BootScript"/>. Default: none.</summary>
    public new ContainerConfig? Container { get; init; }

    /// <summary>A team's baked AMI, e.g. <c>ami-0abcdef1234567890</c>; goes with <see cref="BootScript"/> and replaces <c>machineImages</c> for this worker. Default: none.</summary>
    public string? MachineImage { get; init; }

    /// <summary>A boot script file (relative to the environment file) run on <see cref="MachineImage"/> instead of a container; its exit code decides the signal. Default: none.</summary>
    public string? BootScript { get; init; }
    /// <summary>Key of the queue the workers consume.</summary>
    public required string Queue { get; init; }
}
