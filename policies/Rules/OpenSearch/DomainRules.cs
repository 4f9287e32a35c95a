namespace ScalableBackend.Policies.Rules.OpenSearch;

/// <summary>Resource types of OpenSearch and legacy Elasticsearch domains.</summary>
internal static class Domains
{
    public static readonly IReadOnlyList<string> Types = ["AWS::OpenSearchService::Domain", "AWS::Elasticsearch::Domain"];

    /// <summary>A nested flag must be literally true; intrinsics pass.</summary>
    public static IEnumerable<string> RequireTrue(TemplateResource r, string path)
    {
        var value = Values.At(r.Properties, path);
        if (!Values.IsIntrinsic(value) && !Values.IsTrue(value))
        {
            yield return $"{path} {RuleText.Describe(value)}";
        }
    }
}

/// <summary>SB-OS-001.</summary>
internal sealed class DomainEncryptedAtRest : IPolicyRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "SB-OS-001", Severity.Error,
        "Search domains encrypt data at rest",
        "Indices, logs and automated snapshots of an unencrypted domain are stored in the clear.",
        "Set EncryptionAtRestOptions.Enabled: true.",
        Source: "https://docs.aws.amazon.com/securityhub/latest/userguide/opensearch-controls.html#opensearch-1");

    public IReadOnlyList<string> ResourceTypes => Domains.Types;

    public IEnumerable<string> Check(TemplateResource r, RuleContext context) =>
        Domains.RequireTrue(r, "EncryptionAtRestOptions.Enabled");
}

/// <summary>SB-OS-002. A missing TLSSecurityPolicy means the service default Policy-Min-TLS-1-0-2019-07.</summary>
internal sealed class DomainEnforcesHttps : IPolicyRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "SB-OS-002", Severity.Error,
        "Search domains require HTTPS with TLS 1.2",
        "Without EnforceHTTPS the endpoint accepts plaintext HTTP; the default TLS policy still allows TLS 1.0 and 1.1.",
        "Set DomainEndpointOptions.EnforceHTTPS: true and TLSSecurityPolicy: Policy-Min-TLS-1-2-PFS-2023-10 (or Policy-Min-TLS-1-2-2019-07).",
        Source: "https://docs.aws.amazon.com/securityhub/latest/userguide/opensearch-controls.html#opensearch-8");

    public IReadOnlyList<string> ResourceTypes => Domains.Types;

    public IEnumerable<string> Check(TemplateResource r, RuleContext context)
    {
        foreach (var message in Domains.RequireTrue(r, "DomainEndpointOptions.EnforceHTTPS"))
        {
            yield return message;
        }

        var policy = Values.At(r.Properties, "DomainEndpointOptions.TLSSecurityPolicy");
        if (!Values.IsIntrinsic(policy)
            && Values.AsString(policy)?.StartsWith("Policy-Min-TLS-1-2", StringComparison.Ordinal) != true)
        {
            yield return $"DomainEndpointOptions.TLSSecurityPolicy {(policy is null ? "is missing (default allows TLS 1.0)" : RuleText.Describe(policy))}";
        }
    }
}

/// <summary>SB-OS-003.</summary>
internal sealed class DomainNodeToNodeEncryption : IPolicyRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "SB-OS-003", Severity.Error,
        "Search domains encrypt node-to-node traffic",
        "Without node-to-node encryption, shard replication and queries between data nodes travel in plaintext inside the VPC.",
        "Set NodeToNodeEncryptionOptions.Enabled: true.",
        Source: "https://docs.aws.amazon.com/securityhub/latest/userguide/opensearch-controls.html#opensearch-3");

    public IReadOnlyList<string> ResourceTypes => Domains.Types;

    public IEnumerable<string> Check(TemplateResource r, RuleContext context) =>
        Domains.RequireTrue(r, "NodeToNodeEncryptionOptions.Enabled");
}
