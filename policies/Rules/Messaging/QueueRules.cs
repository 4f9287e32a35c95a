namespace ScalableBackend.Policies.Rules.Messaging;

/// <summary>SB-SQS-001. Queues are encrypted with SSE-SQS unless SqsManagedSseEnabled is literally false.</summary>
internal sealed class QueueEncrypted : IPolicyRule
{
    public const string Queue = "AWS::SQS::Queue";

    public RuleDescriptor Descriptor { get; } = new(
        "SB-SQS-001", Severity.Error,
        "SQS queues are encrypted at rest",
        "Messages often carry personal data and tokens; a queue with server-side encryption switched off stores them in the clear.",
        "Keep SQS-managed encryption (do not set SqsManagedSseEnabled: false) or set KmsMasterKeyId.",
        Source: "https://docs.aws.amazon.com/securityhub/latest/userguide/sqs-controls.html#sqs-1");

    public IReadOnlyList<string> ResourceTypes { get; } = [Queue];

    public IEnumerable<string> Check(TemplateResource r, RuleContext context)
    {
        if (r["KmsMasterKeyId"] is null && Values.IsFalse(r["SqsManagedSseEnabled"]))
        {
            yield return "SqsManagedSseEnabled is false and no KmsMasterKeyId is set";
        }
    }
}

/// <summary>SB-SQS-002. Follows AWS::SQS::QueuePolicy Queues back to the queue.</summary>
internal sealed class QueueSecureTransport : IPolicyRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "SB-SQS-002", Severity.Warning,
        "SQS queues deny requests without TLS",
        "SQS accepts plain HTTP requests unless a resource policy refuses them; a misconfigured client then sends messages in the clear. AWS's SQS security best practices recommend a queue policy with aws:SecureTransport; there is no Security Hub control for it, so this is hardening, not a deploy blocker.",
        "Add an AWS::SQS::QueuePolicy for the queue with a Deny statement for all principals on Condition Bool aws:SecureTransport = false.",
        Source: "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-security-best-practices.html#enforce-encryption-data-in-transit");

    public IReadOnlyList<string> ResourceTypes { get; } = [QueueEncrypted.Queue];

    public IEnumerable<string> Check(TemplateResource r, RuleContext context) =>
        SecureTransport.Queue.Require(r, context);
}

/// <summary>
/// SB-SQS-003. A queue is a dead-letter queue when another resource refers to it from a property whose path
/// mentions a dead-letter, redrive or on-failure destination (a queue's RedrivePolicy, a Lambda DeadLetterConfig,
/// an SNS subscription RedrivePolicy, an event source mapping's OnFailure) or when it declares a
/// RedriveAllowPolicy. An intrinsic RedrivePolicy counts as present.
/// </summary>
internal sealed class QueueHasDeadLetterQueue : IPolicyRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "SB-SQS-003", Severity.Warning,
        "SQS queues have a dead-letter queue",
        "Without a redrive policy a message that always fails (a poison message) is retried until it expires, burning consumer capacity and hiding the failure; AWS recommends a dead-letter queue for every source queue whose consumers can fail.",
        "Set RedrivePolicy { deadLetterTargetArn: !GetAtt Dlq.Arn, maxReceiveCount: 3-10 } with a separate dead-letter queue.",
        Source: "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html");

    public IReadOnlyList<string> ResourceTypes { get; } = [QueueEncrypted.Queue];

    public IEnumerable<string> Check(TemplateResource r, RuleContext context)
    {
        if (r["RedrivePolicy"] is not null || r["RedriveAllowPolicy"] is not null || IsDeadLetterTarget(r, context))
        {
            yield break;
        }

        yield return "no RedrivePolicy, and no other resource uses this queue as a dead-letter queue";
    }

    private static bool IsDeadLetterTarget(TemplateResource queue, RuleContext context) =>
        context.Graph.ReferencesTo(queue).Any(reference =>
            reference.Path.Contains("deadletter", StringComparison.OrdinalIgnoreCase)
            || reference.Path.Contains("redrive", StringComparison.OrdinalIgnoreCase)
            || reference.Path.Contains("onfailure", StringComparison.OrdinalIgnoreCase));
}
