using Amazon.CDK;

namespace ScalableBackend.Components.Messaging;

/// <summary>
/// The plain-data settings of a <see cref="MessageQueue"/> — everything but the CDK objects it is wired to — so a
/// data file can be validated with the same rules as the component's props (<see cref="MessageQueue.Validate"/>).
/// </summary>
public interface IMessageQueueSettings
{
    /// <summary>How long a message is kept before it expires.</summary>
    Duration? RetentionPeriod { get; }
    /// <summary>How long a received message stays invisible to other consumers.</summary>
    Duration? VisibilityTimeout { get; }
    /// <summary>The longest a consumer takes to process one message.</summary>
    Duration? ConsumerTimeout { get; }
    /// <summary>Receives before a message moves to the dead-letter queue.</summary>
    int? MaxReceiveCount { get; }
    /// <summary>Whether the queue is FIFO.</summary>
    bool? Fifo { get; }
    /// <summary>Whether a FIFO queue deduplicates by content.</summary>
    bool? ContentBasedDeduplication { get; }
    /// <summary>Long-polling wait of a receive.</summary>
    Duration? ReceiveWaitTime { get; }
    /// <summary>How long the dead-letter queue keeps a message.</summary>
    Duration? DeadLetterRetentionPeriod { get; }
}
