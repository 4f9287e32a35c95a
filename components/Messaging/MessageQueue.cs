using Amazon.CDK;
using Amazon.CDK.AWS.CloudWatch;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.KMS;
using Amazon.CDK.AWS.SQS;
using Constructs;

namespace ScalableBackend.Components.Messaging;

/// <summary>
/// An SQS queue for asynchronous work: a dead-letter queue receiving messages after
/// <see cref="MessageQueueSettings.MaxReceiveCount"/> failed receives, both encrypted with a customer-managed KMS key
/// (one per queue unless given), queue policies denying every request without TLS, retention and a visibility
/// timeout that covers the consumer's processing time, long polling, and optionally FIFO with content-based
/// deduplication (a FIFO queue gets a FIFO dead-letter queue). Producers and consumers get exactly their actions
/// through <see cref="GrantSend(IGrantable)"/> and <see cref="GrantConsume(IGrantable)"/>; monitoring reads the typed metrics.
/// </summary>
public sealed class MessageQueue : Construct
{
    /// <summary>The largest visibility timeout and consumer timeout SQS allows.</summary>
    public static readonly TimeSpan MaxVisibility = TimeSpan.FromHours(12);

    /// <summary>The queue.</summary>
    public Queue Queue { get; }

    /// <summary>The dead-letter queue.</summary>
    public Queue DeadLetterQueue { get; }

    /// <summary>The key encrypting both queues (given or created).</summary>
    public IKey EncryptionKey { get; }

    /// <summary>Whether the queue is FIFO.</summary>
    public bool IsFifo { get; }

    /// <summary>Messages available for retrieval (<c>ApproximateNumberOfMessagesVisible</c>, maximum over 1 minute): the backlog.</summary>
    public Metric VisibleMessages { get; }

    /// <summary>Age of the oldest message in seconds (<c>ApproximateAgeOfOldestMessage</c>, maximum over 1 minute): how far consumers lag.</summary>
    public Metric OldestMessageAge { get; }

    /// <summary>Messages in the dead-letter queue (<c>ApproximateNumberOfMessagesVisible</c> of the DLQ, maximum over 1 minute); anything above 0 needs attention.</summary>
    public Metric DeadLetterMessages { get; }

    /// <summary>Creates the queue and its dead-letter queue; validates <paramref name="props"/> before creating anything.</summary>
    /// <exception cref="PropsValidationException">A property is out of its allowed range.</exception>
    public MessageQueue(Construct scope, string id, MessageQueueProps? props = null) : base(scope, id)
    {
        props ??= new MessageQueueProps();
        Validate(props);
        IsFifo = props.Fifo ?? false;
        var consumerTimeout = props.ConsumerTimeout ?? Duration.Seconds(30);

        EncryptionKey = props.EncryptionKey ?? new Key(this, "Key", new KeyProps
        {
            Description = $"Encrypts the queue {Node.Path} and its dead-letter queue",
            EnableKeyRotation = true,
            RemovalPolicy = RemovalPolicy.RETAIN,
        });

        DeadLetterQueue = new Queue(this, "DeadLetterQueue", new QueueProps
        {
            Fifo = IsFifo ? true : null,
            Encryption = QueueEncryption.KMS,
            EncryptionMasterKey = EncryptionKey,
            EnforceSSL = true,
            RetentionPeriod = props.DeadLetterRetentionPeriod ?? Duration.Days(14),
        });
        Queue = new Queue(this, "Queue", new QueueProps
        {
            Fifo = IsFifo ? true : null,
            ContentBasedDeduplication = IsFifo ? props.ContentBasedDeduplication ?? true : null,
            Encryption = QueueEncryption.KMS,
            EncryptionMasterKey = EncryptionKey,
            EnforceSSL = true,
            RetentionPeriod = props.RetentionPeriod ?? Duration.Days(4),
            VisibilityTimeout = props.VisibilityTimeout ?? consumerTimeout,
            ReceiveMessageWaitTime = props.ReceiveWaitTime ?? Duration.Seconds(20),
            DeadLetterQueue = new Amazon.CDK.AWS.SQS.DeadLetterQueue
            {
                Queue = DeadLetterQueue,
                MaxReceiveCount = props.MaxReceiveCount ?? 5,
            },
        });

        var perMinute = new MetricOptions { Statistic = "Maximum", Period = Duration.Minutes(1) };
        VisibleMessages = Queue.MetricApproximateNumberOfMessagesVisible(perMinute);
        OldestMessageAge = Queue.MetricApproximateAgeOfOldestMessage(perMinute);
        DeadLetterMessages = DeadLetterQueue.MetricApproximateNumberOfMessagesVisible(perMinute);
    }

    /// <summary>
    /// Lets <paramref name="producer"/> only send: <c>sqs:SendMessage</c>, <c>sqs:GetQueueAttributes</c> and
    /// <c>sqs:GetQueueUrl</c> on the queue, and <c>kms:GenerateDataKey</c>/<c>kms:Decrypt</c> on exactly its key.
    /// </summary>
    public Grant GrantSend(IGrantable producer) => GrantSend(Queue, producer);

    /// <summary>
    /// <see cref="GrantSend(IGrantable)"/> on any queue with its key, e.g. one imported into the producer's stack with
    /// <c>Queue.FromQueueAttributes</c> (ARN, URL and key ARN): only the producer's policy changes.
    /// </summary>
    /// <exception cref="ArgumentException">The queue has no <c>EncryptionMasterKey</c>.</exception>
    public static Grant GrantSend(IQueue queue, IGrantable producer)
    {
        var grant = queue.Grant(producer, "sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl");
        KeyOf(queue).Grant(producer, "kms:GenerateDataKey", "kms:Decrypt");
        return grant;
    }

    /// <summary>
    /// Lets <paramref name="consumer"/> only consume: <c>sqs:ReceiveMessage</c>, <c>sqs:DeleteMessage</c>,
    /// <c>sqs:ChangeMessageVisibility</c>, <c>sqs:GetQueueAttributes</c> and <c>sqs:GetQueueUrl</c> on the queue,
    /// and <c>kms:Decrypt</c> on exactly its key.
    /// </summary>
    public Grant GrantConsume(IGrantable consumer) => GrantConsume(Queue, consumer);

    /// <summary>
    /// <see cref="GrantConsume(IGrantable)"/> on any queue with its key, e.g. one imported into the consumer's stack:
    /// only the consumer's policy changes.
    /// </summary>
    /// <exception cref="ArgumentException">The queue has no <c>EncryptionMasterKey</c>.</exception>
    public static Grant GrantConsume(IQueue queue, IGrantable consumer)
    {
        var grant = queue.Grant(consumer, "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes", "sqs:GetQueueUrl");
        KeyOf(queue).Grant(consumer, "kms:Decrypt");
        return grant;
    }

    private static IKey KeyOf(IQueue queue) => queue.EncryptionMasterKey
        ?? throw new ArgumentException($"{queue.Node.Path} has no encryption key; import it with its KeyArn", nameof(queue));

    private static bool Known(Duration? d) => d is not null && !d.IsUnresolved();

    private static string Seconds(Duration d) => $"{d.ToSeconds()}s";

    /// <summary>Checks the settings of a queue; throws naming the property, the value and what is allowed.</summary>
    /// <exception cref="PropsValidationException">A setting is out of its allowed range.</exception>
    public static void Validate(MessageQueueSettings s)
    {
        const double min = 60, max = 14 * 24 * 3600, maxVisibility = 12 * 3600;
        if (Known(s.RetentionPeriod) && (s.RetentionPeriod!.ToSeconds() < min || s.RetentionPeriod.ToSeconds() > max))
            throw new PropsValidationException(nameof(s.RetentionPeriod), Seconds(s.RetentionPeriod), "must be between 60s and 14d");
        if (Known(s.DeadLetterRetentionPeriod) && (s.DeadLetterRetentionPeriod!.ToSeconds() < min || s.DeadLetterRetentionPeriod.ToSeconds() > max))
            throw new PropsValidationException(nameof(s.DeadLetterRetentionPeriod), Seconds(s.DeadLetterRetentionPeriod), "must be between 60s and 14d");
        var retention = Known(s.RetentionPeriod) ? s.RetentionPeriod!.ToSeconds() : 4 * 24 * 3600;
        if (Known(s.DeadLetterRetentionPeriod) && s.DeadLetterRetentionPeriod!.ToSeconds() < retention)
            throw new PropsValidationException(nameof(s.DeadLetterRetentionPeriod), Seconds(s.DeadLetterRetentionPeriod),
                $"must be at least retentionPeriod ({retention}s): a dead-lettered message keeps its original enqueue time");
        if (Known(s.ConsumerTimeout) && (s.ConsumerTimeout!.ToSeconds() <= 0 || s.ConsumerTimeout.ToSeconds() > maxVisibility))
            throw new PropsValidationException(nameof(s.ConsumerTimeout), Seconds(s.ConsumerTimeout), "must be greater than 0s and at most 12h");
        if (Known(s.VisibilityTimeout))
        {
            var visibility = s.VisibilityTimeout!.ToSeconds();
            if (visibility > maxVisibility)
                throw new PropsValidationException(nameof(s.VisibilityTimeout), Seconds(s.VisibilityTimeout), "must be at most 12h");
            var consumer = Known(s.ConsumerTimeout) ? s.ConsumerTimeout!.ToSeconds() : 30;
            if (visibility < consumer)
                throw new PropsValidationException(nameof(s.VisibilityTimeout), Seconds(s.VisibilityTimeout),
                    $"must be at least consumerTimeout ({consumer}s), or a message becomes visible again while it is still being processed");
        }
        if (s.MaxReceiveCount is { } receives && (receives < 1 || receives > 1000))
            throw new PropsValidationException(nameof(s.MaxReceiveCount), receives, "must be between 1 and 1000");
        if (s.ContentBasedDeduplication == true && s.Fifo != true)
            throw new PropsValidationException(nameof(s.ContentBasedDeduplication), true, "requires fifo: true");
        if (Known(s.ReceiveWaitTime) && (s.ReceiveWaitTime!.ToSeconds() < 0 || s.ReceiveWaitTime.ToSeconds() > 20))
            throw new PropsValidationException(nameof(s.ReceiveWaitTime), Seconds(s.ReceiveWaitTime), "must be between 0s and 20s");
    }
}
