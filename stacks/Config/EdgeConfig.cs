using ScalableBackend.Components.Edge;
using ScalableBackend.Components.Security;

namespace ScalableBackend.Stacks.Config;

// The edge sections of stacks/<env>.yaml: api, firewall and auth. Same rules as EnvironmentConfig: keys are the
// camelCased property names, `required` ones must be present, unknown keys are errors.

/// <summary>The <c>api</c> section: a regional REST API in front of the services.</summary>
public sealed record ApiConfig : ApiGatewaySettings
{
    /// <summary>The custom domain and its certificate. Default: none (the execute-api endpoint only).</summary>
    public ApiDomainConfig? Domain { get; init; }

    /// <summary>
    /// The DNS name the API reaches the load balancer by, e.g. <c>origin.example.com</c>: on the load balancer's
    /// certificate and resolving to the load balancer (an alias record is created when it lies in
    /// <c>domain.hostedZone</c>). API Gateway sends it as the <c>Host</c> header and verifies the certificate against
    /// it, which the load balancer's own AWS name would fail. Required when the load balancer has a certificate.
    /// Default: the load balancer's DNS name, over plain HTTP (only with <c>loadBalancer.allowPlainHttp</c>).
    /// </summary>
    public string? BackendHost { get; init; }

    /// <summary>
    /// The secret the API sends in <c>x-origin-verify</c> and the load balancer requires (generated in Secrets Manager as
    /// <c>backend/&lt;env&gt;/origin-verify</c>). Raise <c>generation</c> to rotate. Default: generation 1.
    /// </summary>
    public OriginSecretSettings? OriginSecret { get; init; }

    /// <summary>The routes, keyed by a stable name; each proxies to the load balancer at the same path.</summary>
    public required IReadOnlyDictionary<string, ApiRouteConfig> Routes { get; init; }

    /// <summary>The routes as <see cref="ApiGateway.Validate"/> checks them.</summary>
    public IReadOnlyDictionary<string, ApiRouteSettings> RouteSettings =>
        Routes.ToDictionary(kv => kv.Key, kv => (ApiRouteSettings)kv.Value);

    /// <summary>The custom domain name, if any.</summary>
    public string? DomainName => Domain?.Name;
}

/// <summary>The <c>api.domain</c> section: the domain name and its certificate (imported ARN or DNS-validated in a hosted zone).</summary>
public sealed record ApiDomainConfig : DomainCertificateSettings;

/// <summary>One entry of <c>api.routes</c>: the route's settings, the service that serves it and who may call it.</summary>
public sealed record ApiRouteConfig : ApiRouteSettings
{
    /// <summary>The key of the service (in <c>services</c>) whose load balancer rule serves this path.</summary>
    public required string Service { get; init; }

    /// <summary>Keys of the services allowed to call this IAM-authorized route (<c>execute-api:Invoke</c> on it alone). Default: none.</summary>
    public IReadOnlyList<string>? Callers { get; init; }

    /// <summary>The component's view of this route.</summary>
    public ApiRoute ToRoute() => new(this);
}

/// <summary>The <c>firewall</c> section: an AWS WAF web ACL on the public entry points, and what it protects.</summary>
public sealed record FirewallConfig : WebFirewallSettings
{
    /// <summary>Also protect the internet-facing load balancer (reachable without the API). Default: true.</summary>
    public bool? ProtectLoadBalancer { get; init; }
}

/// <summary>The <c>auth</c> section: the Cognito user pool that authorizes API routes.</summary>
public sealed record AuthConfig : UserDirectorySettings;
