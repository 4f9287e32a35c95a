namespace ScalableBackend.Components.Edge;

/// <summary>The plain-data settings of one API route, validated by <see cref="ApiGateway.Validate"/>.</summary>
public interface IApiRouteSettings
{
    /// <summary>The resource path, e.g. <c>/orders/{proxy+}</c>.</summary>
    string Path { get; }
    /// <summary>The HTTP method, e.g. <c>GET</c>, or <c>ANY</c>.</summary>
    string Method { get; }
    /// <summary>Whether the route needs no authorization.</summary>
    bool? Public { get; }
    /// <summary>Whether the route is internal and authorized by IAM (SigV4).</summary>
    bool? Iam { get; }
    /// <summary>Whether callers must send an API key of a usage plan.</summary>
    bool? ApiKeyRequired { get; }
    /// <summary>The JSON schema (draft 4) request bodies must match, as JSON text.</summary>
    string? Schema { get; }
    /// <summary>The stage throttle for this route.</summary>
    ApiThrottle? Throttle { get; }
    /// <summary>Per-tier throttles for this route, keyed by tier.</summary>
    IReadOnlyDictionary<string, ApiThrottle>? TierThrottles { get; }
}

/// <summary>The plain-data settings of an <see cref="ApiGateway"/>, validated by <see cref="ApiGateway.Validate"/>.</summary>
public interface IApiGatewaySettings
{
    /// <summary>The stage name.</summary>
    string? StageName { get; }
    /// <summary>The stage-wide throttle.</summary>
    ApiThrottle Throttle { get; }
    /// <summary>The client tiers (usage plans), keyed by tier name.</summary>
    IReadOnlyDictionary<string, ApiTier>? Tiers { get; }
    /// <summary>The routes, keyed by a stable name.</summary>
    IReadOnlyDictionary<string, IApiRouteSettings> RouteSettings { get; }
    /// <summary>Whether a Cognito user pool is available to authorize routes.</summary>
    bool HasUserPool { get; }
    /// <summary>The custom domain name, if any.</summary>
    string? DomainName { get; }
}
