namespace ScalableBackend.Policies.Rules.Messaging;

/// <summary>SB-SNS-001. Any KmsMasterKeyId (literal or intrinsic) passes.</summary>
internal sealed class TopicEncrypted : IPolicyRule
{
    public const string Topic = "AWS::SNS::Topic";

    public RuleDescriptor Descriptor { get; } = new(
        "SB-SNS-001", Severity.Error,
        "SNS topics are encrypted at rest",
        "SNS stores messages until they are delivered; without a KMS key they are not encrypted at rest, and access to them is not governed by a key policy.",
        "Set KmsMasterKeyId (alias/aws/sns or a customer-managed key).");

    public IReadOnlyList<string> ResourceTypes { get; } = [Topic];

    public IEnumerable<string> Check(TemplateResource r, RuleContext context)
    {
        if (r["KmsMasterKeyId"] is null)
        {
            yield return "KmsMasterKeyId is missing";
        }
    }
}

/// <summary>SB-SNS-002. Follows AWS::SNS::TopicPolicy Topics back to the topic.</summary>
internal sealed class TopicSecureTransport : IPolicyRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "SB-SNS-002", Severity.Error,
        "SNS topics deny publishing without TLS",
        "SNS accepts plain HTTP publish requests unless a topic policy refuses them.",
        "Add an AWS::SNS::TopicPolicy for the topic with a Deny statement on Condition Bool aws:SecureTransport = false.");

    public IReadOnlyList<string> ResourceTypes { get; } = [TopicEncrypted.Topic];

    public IEnumerable<string> Check(TemplateResource r, RuleContext context) =>
        RuleText.RequireSecureTransportPolicy(r, context, "AWS::SNS::TopicPolicy", "Topics");
}
