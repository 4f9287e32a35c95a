using Amazon.CDK.AWS.KMS;

namespace ScalableBackend.Components.Messaging;

/// <summary>One event type: an SNS topic and the queues of the services that react to it.</summary>
public sealed record EventTopic
{
    /// <summary>The queues every event of this topic is delivered to (raw message delivery), at least one; standard queues only. Required.</summary>
    public required IReadOnlyList<MessageQueue> Subscribers { get; init; }
}

/// <summary>Properties of an <see cref="EventBus"/>.</summary>
public sealed record EventBusProps
{
    /// <summary>The event types, keyed by a stable name such as <c>order-placed</c>; at least one. Required.</summary>
    public required IReadOnlyDictionary<string, EventTopic> Topics { get; init; }

    /// <summary>The customer-managed KMS key encrypting every topic. Default: a new key with rotation, retained on delete.</summary>
    public IKey? EncryptionKey { get; init; }
}
