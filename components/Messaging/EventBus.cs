using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.KMS;
using Amazon.CDK.AWS.SNS;
using Amazon.CDK.AWS.SNS.Subscriptions;
using Constructs;
using ScalableBackend.Components.Security;
using ScalableBackend.Components.Compute;

namespace ScalableBackend.Components.Messaging;

/// <summary>
/// Event-driven decoupling: one KMS-encrypted SNS topic per event type, each with a topic policy denying requests
/// without TLS, fanned out to the queues of the services that react to the event (raw message delivery; each
/// queue's policy admits <c>sqs:SendMessage</c> from SNS only for that topic, via <c>aws:SourceArn</c>). Services
/// publish an event instead of calling each other; <see cref="GrantPublish(string, IGrantable)"/> gives a producer <c>sns:Publish</c>
/// on exactly its topic.
/// </summary>
/// <remarks>
/// SNS rather than EventBridge: every event here goes to a fixed set of queues (pure fan-out, no content
/// routing), SNS delivers to SQS with raw message delivery and a per-topic <c>aws:SourceArn</c> condition,
/// topics take a customer-managed key and a TLS-only resource policy that the policy pack checks
/// (SB-SNS-001/002), and FIFO topics exist should ordered fan-out be needed; EventBridge's pattern routing,
/// archive and replay are not needed and its event bus would add a second key and policy model.
/// </remarks>
public sealed class EventBus : Construct
{
    private readonly Dictionary<string, Topic> _topics = new(StringComparer.Ordinal);

    /// <summary>The key encrypting every topic (given or created).</summary>
    public IKey EncryptionKey { get; }

    /// <summary>The topics, keyed by event name.</summary>
    public IReadOnlyDictionary<string, Topic> Topics => _topics;

    /// <summary>Creates the topics and subscriptions; validates <paramref name="props"/> before creating anything.</summary>
    /// <exception cref="PropsValidationException">A property is out of its allowed range.</exception>
    public EventBus(Construct scope, string id, EventBusProps props) : base(scope, id)
    {
        Validate(props);
        // Each subscribed queue's key lets sns.amazonaws.com decrypt only for this bus's topics (aws:SourceArn), not for
        // any topic of any account (confused deputy). CDK 2.160 writes that condition only under this feature flag,
        // which construct context scopes to the bus.
        Node.SetContext("@aws-cdk/aws-sns-subscriptions:restrictSqsDescryption", true);
        EncryptionKey = props.EncryptionKey ?? new Key(this, "Key", new KeyProps
        {
            Description = $"Encrypts the event topics of {Node.Path}",
            EnableKeyRotation = true,
            RemovalPolicy = RemovalPolicy.RETAIN,
        });
        foreach (var (name, topic) in props.Topics.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var snsTopic = new Topic(this, $"Topic{WebService.ToPascal(name)}", new TopicProps
            {
                MasterKey = EncryptionKey,
            });
            TopicTransport.DenyPublishWithoutTls(snsTopic);
            foreach (var queue in topic.Subscribers)
                snsTopic.AddSubscription(new SqsSubscription(queue.Queue, new SqsSubscriptionProps { RawMessageDelivery = true }));
            _topics[name] = snsTopic;
        }
    }

    /// <summary>The topic of event <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">The bus has no such topic.</exception>
    public Topic Topic(string name) => _topics.TryGetValue(name, out var topic)
        ? topic
        : throw new KeyNotFoundException($"{Node.Path} has no topic {name}; topics: {string.Join(", ", _topics.Keys)}");

    /// <summary>
    /// Lets <paramref name="publisher"/> publish event <paramref name="name"/>: <c>sns:Publish</c> on exactly that
    /// topic, and <c>kms:GenerateDataKey*</c>/<c>kms:Decrypt</c> on the topics' key (SNS encrypts under the caller's grant).
    /// </summary>
    public Grant GrantPublish(string name, IGrantable publisher) => GrantPublish(Topic(name), EncryptionKey, publisher);

    /// <summary>
    /// <see cref="GrantPublish(string, IGrantable)"/> on any topic and its key, e.g. both imported into the publisher's
    /// stack by ARN: only the publisher's policy changes.
    /// </summary>
    public static Grant GrantPublish(ITopic topic, IKey key, IGrantable publisher)
    {
        var grant = topic.GrantPublish(publisher);
        key.Grant(publisher, "kms:GenerateDataKey*", "kms:Decrypt");
        Security.PolicyAcknowledgement.ApplyToGrants(publisher, new Security.PolicyAcknowledgement("AwsSolutions-IAM5[Action::kms:GenerateDataKey*]",
            "Publishing to a KMS-encrypted SNS topic needs kms:GenerateDataKey* and kms:Decrypt on the topic's key (SNS " +
            "developer guide, \"Managing Amazon SNS encryption keys\"); the statement names exactly that key."));
        return grant;
    }

    /// <summary>Checks the topics; throws naming the property, the value and what is allowed.</summary>
    /// <exception cref="PropsValidationException">A topic key is malformed or a topic has no (or a FIFO) subscriber.</exception>
    public static void Validate(EventBusProps props)
    {
        const string p = nameof(props.Topics);
        if (props.Topics.Count == 0)
            throw new PropsValidationException(p, null, "must declare at least one topic");
        foreach (var (name, topic) in props.Topics)
        {
            if (!WebService.IsValidKey(name))
                throw new PropsValidationException(p, name, "keys must be lower-case letters, digits and dashes, starting with a letter (at most 40)");
            var at = $"{p}.{name}.{nameof(topic.Subscribers)}";
            if (topic.Subscribers.Count == 0)
                throw new PropsValidationException(at, null, "must list at least one queue");
            for (var i = 0; i < topic.Subscribers.Count; i++)
            {
                if (topic.Subscribers[i].IsFifo)
                    throw new PropsValidationException($"{at}[{i}]", topic.Subscribers[i].Node.Id, "is a FIFO queue; a standard topic delivers only to standard queues");
                if (topic.Subscribers.Take(i).Contains(topic.Subscribers[i]))
                    throw new PropsValidationException($"{at}[{i}]", topic.Subscribers[i].Node.Id, "is listed twice");
            }
        }
    }
}
