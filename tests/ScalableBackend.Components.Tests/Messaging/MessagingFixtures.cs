using ScalableBackend.Components.Data;
using System.Text.Json.Nodes;
using Amazon.CDK;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.IAM;
using Constructs;
using ScalableBackend.Components.Messaging;
using ScalableBackend.Components.Tests.Support;

namespace ScalableBackend.Components.Tests.Messaging;

/// <summary>Builders shared by the messaging fixtures.</summary>
public static class MessagingTestStacks
{
    /// <summary>An EC2 role named <paramref name="id"/>, as a service's instances would have.</summary>
    public static Role Role(Construct scope, string id) => new(scope, id, new RoleProps { AssumedBy = new ServicePrincipal("ec2.amazonaws.com") });

    /// <summary>A service named <paramref name="id"/>: a security group and a role.</summary>
    public static (ISecurityGroup SecurityGroup, Role Role) Service(Construct scope, IVpc vpc, string id)
    {
        var service = new Construct(scope, id);
        return (new SecurityGroup(service, "SecurityGroup", new SecurityGroupProps { Vpc = vpc }), Role(service, "Role"));
    }

    /// <summary>The properties of the single resource of <paramref name="type"/> whose logical id starts with <paramref name="prefix"/>.</summary>
    public static JsonObject Properties(this Synthesized s, string type, string prefix) =>
        s.OfType(type).Single(r => r.Id.StartsWith(prefix, StringComparison.Ordinal)).Resource["Properties"]!.AsObject();

    /// <summary>The statements of the IAM policy attached to the role whose logical id starts with <paramref name="rolePrefix"/>.</summary>
    public static JsonArray Statements(this Synthesized s, string rolePrefix) =>
        s.Properties("AWS::IAM::Policy", rolePrefix)["PolicyDocument"]!["Statement"]!.AsArray();

    /// <summary>
    /// A statement's resource as text: literal parts kept, <c>Ref</c>s as <c>&lt;Name&gt;</c>, any other intrinsic as
    /// <c>&lt;?&gt;</c> — so an ARN built with <c>Fn::Join</c> reads <c>arn:&lt;AWS::Partition&gt;:kafka:…/orders</c>.
    /// </summary>
    public static string Flatten(JsonNode? node) => node switch
    {
        JsonValue v => (string)v!,
        JsonObject o when o["Fn::Join"] is JsonArray join => string.Join((string)join[0]!, join[1]!.AsArray().Select(Flatten)),
        JsonObject o when o["Ref"] is JsonValue r => $"<{(string)r!}>",
        _ => "<?>",
    };

    /// <summary>The resources of a statement, flattened (<see cref="Flatten"/>).</summary>
    public static string[] Resources(this JsonNode statement) => statement["Resource"] is JsonArray a
        ? a.Select(Flatten).ToArray()
        : [Flatten(statement["Resource"])];

    /// <summary>The actions of a statement as a list.</summary>
    public static string[] Actions(this JsonNode statement) => statement["Action"] is JsonArray a
        ? a.Select(x => (string)x!).ToArray()
        : [(string)statement["Action"]!];
}

/// <summary>A standard queue with defaults and a FIFO queue, one producer and one consumer; synthesized once.</summary>
public sealed class QueueFixture
{
    public Synthesized Result { get; }

    public QueueFixture()
    {
        var stack = TestStacks.Empty();
        var orders = new MessageQueue(stack, "Orders", new MessageQueueProps { ConsumerTimeout = Duration.Minutes(2), MaxReceiveCount = 3 });
        _ = new MessageQueue(stack, "Ledger", new MessageQueueProps
        {
            Fifo = true,
            RetentionPeriod = Duration.Days(7),
            VisibilityTimeout = Duration.Minutes(5),
            ConsumerTimeout = Duration.Minutes(1),
        });
        orders.GrantSend(MessagingTestStacks.Role(stack, "Producer"));
        orders.GrantConsume(MessagingTestStacks.Role(stack, "Consumer"));
        // The metrics are rendered into an alarm so the test can read what they are.
        orders.VisibleMessages.CreateAlarm(stack, "VisibleAlarm", new Amazon.CDK.AWS.CloudWatch.CreateAlarmOptions { Threshold = 1, EvaluationPeriods = 1 });
        orders.OldestMessageAge.CreateAlarm(stack, "AgeAlarm", new Amazon.CDK.AWS.CloudWatch.CreateAlarmOptions { Threshold = 1, EvaluationPeriods = 1 });
        orders.DeadLetterMessages.CreateAlarm(stack, "DeadLetterAlarm", new Amazon.CDK.AWS.CloudWatch.CreateAlarmOptions { Threshold = 1, EvaluationPeriods = 1 });
        Result = Synthesized.Of(stack);
    }
}

/// <summary>One topic fanned out to two queues, a publisher and a second topic nobody is granted; synthesized once.</summary>
public sealed class EventBusFixture
{
    public Synthesized Result { get; }

    public EventBusFixture()
    {
        var stack = TestStacks.Empty();
        var billing = new MessageQueue(stack, "Billing");
        var shipping = new MessageQueue(stack, "Shipping");
        var bus = new EventBus(stack, "Events", new EventBusProps
        {
            Topics = new Dictionary<string, EventTopic>
            {
                ["order-placed"] = new() { Subscribers = [billing, shipping] },
                ["order-cancelled"] = new() { Subscribers = [billing] },
            },
        });
        bus.GrantPublish("order-placed", MessagingTestStacks.Role(stack, "Publisher"));
        Result = Synthesized.Of(stack);
    }
}

/// <summary>A Multi-AZ RabbitMQ cluster with users <c>api</c> and <c>shipping</c> (<c>api</c> granted) and a single-instance broker without users; synthesized once.</summary>
public sealed class RabbitMqFixture
{
    public Synthesized Result { get; }

    public RabbitMqFixture()
    {
        var (stack, network) = TestStacks.WithNetwork();
        var broker = new RabbitMqBroker(stack, "Rabbit", new RabbitMqBrokerProps
        {
            Vpc = network.Vpc, InstanceType = "mq.m5.large", Users = ["shipping", "api"], LogRetentionDays = 30, LogEncryptionKey = network.LogEncryptionKey,
        });
        var (sg, role) = MessagingTestStacks.Service(stack, network.Vpc, "Api");
        broker.GrantConnect(new DataClient(sg, role), "api");
        _ = new RabbitMqBroker(stack, "Small", new RabbitMqBrokerProps
        {
            Vpc = network.Vpc, InstanceType = "mq.t3.micro", DeploymentMode = BrokerDeploymentMode.SingleInstance, MaintenanceWindowStart = "wed:22:30",
        });
        Result = Synthesized.Of(stack);
    }
}

/// <summary>
/// An MSK cluster of four brokers over two zones; <c>Api</c> produces to <c>orders</c> and consumes <c>payments</c> in
/// group <c>api-payments</c>, <c>Reader</c> only consumes <c>orders</c>, <c>Watcher</c> only connects; synthesized once.
/// </summary>
public sealed class KafkaFixture
{
    public Synthesized Result { get; }

    public KafkaFixture()
    {
        var (stack, network) = TestStacks.WithNetwork();
        var cluster = new KafkaCluster(stack, "Kafka", new KafkaClusterProps
        {
            Vpc = network.Vpc, InstanceType = "kafka.m5.large", BrokerNodes = 4, LogRetentionDays = 30, LogEncryptionKey = network.LogEncryptionKey,
            MaxVolumeSizeGiB = 2000, StorageTargetUtilizationPercent = 70,
        });
        var (sg, role) = MessagingTestStacks.Service(stack, network.Vpc, "Api");
        cluster.GrantConnect(new DataClient(sg, role), new KafkaAccess { Produces = ["orders"], Consumes = ["payments"], Groups = ["api-payments"] });
        var (readerSg, readerRole) = MessagingTestStacks.Service(stack, network.Vpc, "Reader");
        cluster.GrantConnect(new DataClient(readerSg, readerRole), new KafkaAccess { Consumes = ["orders"] });
        var (watcherSg, watcherRole) = MessagingTestStacks.Service(stack, network.Vpc, "Watcher");
        cluster.GrantConnect(new DataClient(watcherSg, watcherRole), new KafkaAccess());
        Result = Synthesized.Of(stack);
    }
}
