using System.Text.Json.Nodes;

namespace ScalableBackend.Policies.Rules.S3;

/// <summary>SB-S3-001. Any BucketEncryption with a rule (or an intrinsic) passes.</summary>
internal sealed class BucketEncrypted : IPolicyRule
{
    public const string Bucket = "AWS::S3::Bucket";

    public RuleDescriptor Descriptor { get; } = new(
        "SB-S3-001", Severity.Warning,
        "S3 buckets declare encryption at rest",
        "Since January 2023 S3 encrypts every new object with SSE-S3 when the bucket declares nothing, so an undeclared bucket is encrypted; declaring it documents the choice and is where SSE-KMS (a key policy and an audit trail) is chosen for sensitive data. ELB access-log buckets accept only SSE-S3.",
        "Set BucketEncryption.ServerSideEncryptionConfiguration (SSE-S3 or, for sensitive data, aws:kms with a key).",
        Source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/default-encryption-faq.html");

    public IReadOnlyList<string> ResourceTypes { get; } = [Bucket];

    public IEnumerable<string> Check(TemplateResource r, RuleContext context)
    {
        var encryption = r["BucketEncryption"];
        if (encryption is null
            || (!Values.IsIntrinsic(encryption) && Values.At(encryption, "ServerSideEncryptionConfiguration") is not JsonNode))
        {
            yield return "BucketEncryption is missing";
        }
    }
}

/// <summary>SB-S3-002. Follows AWS::S3::BucketPolicy Bucket back to the bucket.</summary>
internal sealed class BucketSecureTransport : IPolicyRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "SB-S3-002", Severity.Error,
        "S3 buckets deny requests without TLS",
        "S3 serves plain HTTP unless the bucket policy refuses it; objects and signed requests can then travel unencrypted. AWS Security Hub S3.5 (medium) requires a bucket policy that denies requests without SSL on the bucket and its objects.",
        "Add an AWS::S3::BucketPolicy with a Deny statement on Condition Bool aws:SecureTransport = false (CDK: enforceSSL: true).",
        Source: "https://docs.aws.amazon.com/securityhub/latest/userguide/s3-controls.html#s3-5");

    public IReadOnlyList<string> ResourceTypes { get; } = [BucketEncrypted.Bucket];

    public IEnumerable<string> Check(TemplateResource r, RuleContext context) =>
        SecureTransport.Bucket.Require(r, context);
}

/// <summary>
/// SB-S3-003. New buckets block public access by default (since April 2023), so an absent configuration passes;
/// any of the four settings written as false fails.
/// </summary>
internal sealed class BucketBlocksPublicAccess : IPolicyRule
{
    private static readonly string[] Settings = ["BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"];

    public RuleDescriptor Descriptor { get; } = new(
        "SB-S3-003", Severity.Error,
        "S3 buckets block public access",
        "Turning off a public access block lets one ACL or policy statement publish the bucket's contents to the internet; serve public content through CloudFront instead.",
        "Remove PublicAccessBlockConfiguration overrides, or set all four settings to true (CDK: BlockPublicAccess.BLOCK_ALL).",
        Source: "https://docs.aws.amazon.com/securityhub/latest/userguide/s3-controls.html#s3-8");

    public IReadOnlyList<string> ResourceTypes { get; } = [BucketEncrypted.Bucket];

    public IEnumerable<string> Check(TemplateResource r, RuleContext context)
    {
        var block = r["PublicAccessBlockConfiguration"] as JsonObject;
        var off = Settings.Where(s => Values.IsFalse(block?[s])).ToList();
        if (off.Count > 0)
        {
            yield return $"PublicAccessBlockConfiguration turns off {string.Join(", ", off)}";
        }
    }
}
