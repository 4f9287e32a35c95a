namespace ScalableBackend.Policies.Rules.Messaging;

/// <summary>SB-SNS-001. Any KmsMasterKeyId (literal or intrinsic) passes.</summary>
internal sealed class TopicEncrypted : IPolicyRule
{
    public const string Topic = "AWS::SNS::Topic";

    public RuleDescriptor Descriptor { get; } = new(
        "SB-SNS-001", Severity.Warning,
        "SNS topics are encrypted at rest",
        "SNS stores messages on encrypted disks by default; server-side encryption with a KMS key (which AWS recommends) encrypts each message before storage and puts reading it under a key policy and CloudTrail.",
        "Set KmsMasterKeyId (alias/aws/sns or a customer-managed key).",
        Source: "https://docs.aws.amazon.com/sns/latest/dg/sns-data-encryption.html");

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
        "SB-SNS-002", Severity.Warning,
        "SNS topics deny publishing without TLS",
        "SNS accepts plain HTTP publish requests unless a topic policy refuses them; AWS's SNS security best practices recommend a topic policy with aws:SecureTransport. There is no Security Hub control for it, so this is hardening, not a deploy blocker.",
        "Add an AWS::SNS::TopicPolicy for the topic with a Deny statement on Condition Bool aws:SecureTransport = false.",
        Source: "https://docs.aws.amazon.com/sns/latest/dg/sns-security-best-practices.html#enforce-encryption-data-in-transit");

    public IReadOnlyList<string> ResourceTypes { get; } = [TopicEncrypted.Topic];

    public IEnumerable<string> Check(TemplateResource r, RuleContext context) =>
        SecureTransport.Topic.Require(r, context);
}
