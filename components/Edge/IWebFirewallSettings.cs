namespace ScalableBackend.Components.Edge;

/// <summary>The plain-data settings of a <see cref="WebFirewall"/>, validated by <see cref="WebFirewall.Validate"/>.</summary>
public interface IWebFirewallSettings
{
    /// <summary>Requests one client IP may send in any 5-minute window before it is blocked.</summary>
    int RateLimitPerIp { get; }
    /// <summary>The AWS managed rule groups the web ACL applies, in order.</summary>
    IReadOnlyList<string>? ManagedRules { get; }
}
