using System.Diagnostics.CodeAnalysis;
using Amazon.CDK.AWS.KMS;
using Amazon.CDK.AWS.Logs;

namespace ScalableBackend.Components.Edge;

/// <summary>
/// The plain-data settings of a <see cref="WebFirewall"/> — everything but the CDK objects it is wired to and what
/// the stack names itself. A data file's record derives from it, so both are validated by
/// <see cref="WebFirewall.Validate"/> with one set of rules and one set of documented defaults.
/// </summary>
public record WebFirewallSettings
{
    /// <summary>
    /// Requests one client IP may send in any 5-minute window before it is blocked, 10 to 2,000,000,000. Default: no
    /// per-IP rule. Leave it out on a web ACL that sees only the API's traffic (a load balancer behind the API: every
    /// request comes from API Gateway's few addresses), or key it on <see cref="WebFirewallProps.ClientIpHeader"/>;
    /// per-client limits belong to the API's usage plans and throttles.
    /// </summary>
    public int? RateLimitPerIp { get; init; }

    /// <summary>
    /// The AWS managed rule groups the web ACL applies, in order. Default: <see cref="WebFirewall.DefaultManagedRules"/>
    /// (common rule set, known bad inputs, SQL injection).
    /// </summary>
    public IReadOnlyList<string>? ManagedRules { get; init; }
}

/// <summary>Properties of a <see cref="WebFirewall"/>: its <see cref="WebFirewallSettings"/> and what it is wired to.</summary>
public sealed record WebFirewallProps : WebFirewallSettings
{
    /// <summary>Creates empty props, to be filled by an object initializer.</summary>
    public WebFirewallProps() { }

    /// <summary>Props from <paramref name="settings"/> (for example a data file's record) and the key encrypting the log group.</summary>
    [SetsRequiredMembers]
    public WebFirewallProps(WebFirewallSettings settings, IKey logEncryptionKey) : base(settings)
    {
        LogEncryptionKey = logEncryptionKey;
    }

    /// <summary>The web ACL's name (also the suffix of its log group, <c>aws-waf-logs-&lt;name&gt;</c>). Default: derived from the construct path.</summary>
    public string? Name { get; init; }

    /// <summary>
    /// The resources to protect, keyed by a stable name: ARNs of API Gateway stages or Application Load Balancers
    /// (in the web ACL's region). Default: none; add more with <see cref="WebFirewall.Associate"/>.
    /// </summary>
    public IReadOnlyDictionary<string, string>? ProtectedResources { get; init; }

    /// <summary>The key encrypting the log group (its policy must admit CloudWatch Logs). Required.</summary>
    public required IKey LogEncryptionKey { get; init; }

    /// <summary>How long the firewall's logs are kept. Default: one year.</summary>
    public RetentionDays? LogRetention { get; init; }

    /// <summary>
    /// A header carrying the client's address that the web ACL's rate rule counts instead of the connection's source
    /// (AWS WAF's forwarded IP), e.g. <c>X-Forwarded-For</c> behind a proxy; requests without a valid address in it are
    /// not counted. Default: none (the source IP).
    /// </summary>
    public string? ClientIpHeader { get; init; }

    /// <summary>
    /// Headers redacted from the logs besides <see cref="WebFirewall.AlwaysRedactedHeaders"/> (authorization, cookie,
    /// x-api-key and the origin secret's header). Default: none.
    /// </summary>
    public IReadOnlyList<string>? RedactedHeaders { get; init; }
}
