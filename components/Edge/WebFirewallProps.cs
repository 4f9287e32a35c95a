using Amazon.CDK.AWS.KMS;
using Amazon.CDK.AWS.Logs;

namespace ScalableBackend.Components.Edge;

/// <summary>Properties of a <see cref="WebFirewall"/>.</summary>
public sealed record WebFirewallProps : IWebFirewallSettings
{
    /// <summary>The web ACL's name (also the suffix of its log group, <c>aws-waf-logs-&lt;name&gt;</c>). Default: derived from the construct path.</summary>
    public string? Name { get; init; }

    /// <inheritdoc/>
    /// <remarks>Required; 10 to 2,000,000,000.</remarks>
    public required int RateLimitPerIp { get; init; }

    /// <inheritdoc/>
    /// <remarks>Default: <see cref="WebFirewall.DefaultManagedRules"/> (common rule set, known bad inputs, SQL injection).</remarks>
    public IReadOnlyList<string>? ManagedRules { get; init; }

    /// <summary>
    /// The resources to protect, keyed by a stable name: ARNs of API Gateway stages or Application Load Balancers
    /// (in the web ACL's region). Default: none; add more with <see cref="WebFirewall.Associate"/>.
    /// </summary>
    public IReadOnlyDictionary<string, string>? ProtectedResources { get; init; }

    /// <summary>The key encrypting the log group (its policy must admit CloudWatch Logs). Required.</summary>
    public required IKey LogEncryptionKey { get; init; }

    /// <summary>How long the firewall's logs are kept. Default: one year.</summary>
    public RetentionDays? LogRetention { get; init; }
}
