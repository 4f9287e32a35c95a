using Amazon.CDK;
using Amazon.CDK.AWS.KMS;

namespace ScalableBackend.Components.Messaging;

/// <summary>
/// The plain-data settings of a <see cref="MessageQueue"/> — everything but the CDK objects it is wired to. A data
/// file's record derives from it, so both are validated by <see cref="MessageQueue.Validate"/> with one set of rules
/// and one set of documented defaults.
/// </summary>
public record MessageQueueSettings
{
    /// <summary>How long a message is kept before it expires, 60 seconds to 14 days. Default: 4 days.</summary>
    public Duration? RetentionPeriod { get; init; }

    /// <summary>
    /// How long a received message stays invisible to other consumers, at most 12 hours and at least
    /// <see cref="ConsumerTimeout"/> (otherwise a second consumer receives a message the first is still processing).
    /// Default: <see cref="ConsumerTimeout"/>.
    /// </summary>
    public Duration? VisibilityTimeout { get; init; }

    /// <summary>The longest a consumer takes to process one message, greater than 0 and at most 12 hours. Default: 30 seconds.</summary>
    public Duration? ConsumerTimeout { get; init; }

    /// <summary>Receives after which a message that keeps failing moves to the dead-letter queue, 1–1000. Default: 5.</summary>
    public int? MaxReceiveCount { get; init; }

    /// <summary>Whether the queue (and its dead-letter queue) is FIFO: ordered, exactly-once processing per message group. Default: false.</summary>
    public bool? Fifo { get; init; }

    /// <summary>Whether a FIFO queue deduplicates by a SHA-256 of the body; only for FIFO queues. Default: true for a FIFO queue.</summary>
    public bool? ContentBasedDeduplication { get; init; }

    /// <summary>Long-polling wait of a receive, 0–20 seconds. Default: 20 seconds (fewer empty receives).</summary>
    public Duration? ReceiveWaitTime { get; init; }

    /// <summary>How long the dead-letter queue keeps a message, 60 seconds to 14 days and at least <see cref="RetentionPeriod"/>. Default: 14 days.</summary>
    public Duration? DeadLetterRetentionPeriod { get; init; }
}

/// <summary>Properties of a <see cref="MessageQueue"/>: its <see cref="MessageQueueSettings"/> and its key.</summary>
public sealed record MessageQueueProps : MessageQueueSettings
{
    /// <summary>Creates empty props, to be filled by an object initializer.</summary>
    public MessageQueueProps() { }

    /// <summary>Props from <paramref name="settings"/> (for example a data file's record).</summary>
    public MessageQueueProps(MessageQueueSettings settings) : base(settings) { }

    /// <summary>The customer-managed KMS key encrypting the queue and its dead-letter queue. Default: a new key with rotation for this queue, retained on delete.</summary>
    public IKey? EncryptionKey { get; init; }
}
