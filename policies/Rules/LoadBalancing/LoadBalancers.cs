using System.Text.Json.Nodes;

namespace ScalableBackend.Policies.Rules.LoadBalancing;

/// <summary>Resource types and attribute lookups shared by the load-balancing rules.</summary>
internal static class LoadBalancers
{
    public const string V2 = "AWS::ElasticLoadBalancingV2::LoadBalancer";
    public const string Classic = "AWS::ElasticLoadBalancing::LoadBalancer";
    public const string Listener = "AWS::ElasticLoadBalancingV2::Listener";
    public const string TargetGroup = "AWS::ElasticLoadBalancingV2::TargetGroup";

    /// <summary>A LoadBalancerAttributes entry by key: its value node, or null when not set.</summary>
    public static JsonNode? Attribute(TemplateResource loadBalancer, string key) =>
        (Values.AsList(loadBalancer["LoadBalancerAttributes"]) ?? [])
            .OfType<JsonObject>()
            .FirstOrDefault(a => Values.IsString(a["Key"], key))?["Value"];

    /// <summary>Internet-facing unless Scheme is literally <c>internal</c> (CloudFormation's default is internet-facing).</summary>
    public static bool IsInternetFacing(TemplateResource loadBalancer) =>
        !Values.IsIntrinsic(loadBalancer["Scheme"]) && !Values.IsString(loadBalancer["Scheme"], "internal");
}

/// <summary>
/// SB-ELB-001. Attribute values that are intrinsics pass; gateway load balancers are skipped, and so are network load
/// balancers without a TLS listener in the set (their access logs record only TLS connections).
/// </summary>
internal sealed class AccessLogs : IPolicyRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "SB-ELB-001", Severity.Warning,
        "Load balancers write access logs",
        "Access logs are the only record of every request at the edge (client, latency, status); without them an incident or an abuse report cannot be investigated. AWS Security Hub ELB.5 (medium) checks application and classic load balancers; a network load balancer logs only TLS connections.",
        "Set the load balancer attribute access_logs.s3.enabled = true with access_logs.s3.bucket (CDK: logAccessLogs), or AccessLoggingPolicy on a classic load balancer.",
        Source: "https://docs.aws.amazon.com/securityhub/latest/userguide/elb-controls.html#elb-5");

    public IReadOnlyList<string> ResourceTypes { get; } = [LoadBalancers.V2, LoadBalancers.Classic];

    public IEnumerable<string> Check(TemplateResource r, RuleContext context)
    {
        if (r.Type == LoadBalancers.Classic)
        {
            var enabled = Values.At(r.Properties, "AccessLoggingPolicy.Enabled");
            if (!Values.IsIntrinsic(enabled) && !Values.IsTrue(enabled))
            {
                yield return $"AccessLoggingPolicy.Enabled {RuleText.Describe(enabled)}";
            }

            yield break;
        }

        if (Values.IsString(context.Resolve(r["Type"]), "gateway"))
        {
            yield break;
        }

        if (Values.IsString(context.Resolve(r["Type"]), "network")
            && !context.Graph.Referrers(r, LoadBalancers.Listener, "LoadBalancerArn").Any(l => Values.IsString(context.Resolve(l["Protocol"]), "TLS")))
        {
            yield break;
        }

        var value = LoadBalancers.Attribute(r, "access_logs.s3.enabled");
        if (!Values.IsIntrinsic(value) && !Values.IsTrue(value))
        {
            yield return $"attribute access_logs.s3.enabled {RuleText.Describe(value)}";
        }
    }
}

/// <summary>
/// SB-ELB-002. An HTTP listener of an internet-facing load balancer passes only when every default action is a
/// redirect to HTTPS. Classic internet-facing load balancers fail on each HTTP listener. Listeners of internal load
/// balancers (Scheme internal, followed through LoadBalancerArn, also across stacks) are not judged: their traffic
/// stays in the VPC. TCP/UDP listeners are not judged (TLS may terminate on the targets); intrinsic protocols pass.
/// </summary>
internal sealed class EncryptedListeners : IPolicyRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "SB-ELB-002", Severity.Error,
        "Listeners use HTTPS/TLS or only redirect HTTP to HTTPS",
        "A plain HTTP listener on an internet-facing load balancer that forwards traffic sends sessions, tokens and personal data across the internet in the clear. AWS Security Hub ELB.1 (medium) requires application load balancers to redirect HTTP to HTTPS.",
        "Serve HTTPS (port 443, a certificate and a modern SslPolicy) and make the HTTP listener a redirect to HTTPS with status HTTP_301.",
        Source: "https://docs.aws.amazon.com/securityhub/latest/userguide/elb-controls.html#elb-1");

    public IReadOnlyList<string> ResourceTypes { get; } = [LoadBalancers.Listener, LoadBalancers.Classic];

    public IEnumerable<string> Check(TemplateResource r, RuleContext context)
    {
        if (r.Type == LoadBalancers.Classic)
        {
            if (!LoadBalancers.IsInternetFacing(r))
            {
                yield break;
            }

            foreach (var listener in (Values.AsList(r["Listeners"]) ?? []).OfType<JsonObject>())
            {
                if (Values.IsString(listener["Protocol"], "HTTP"))
                {
                    yield return $"classic listener on port {Values.AsString(listener["LoadBalancerPort"]) ?? "?"} uses HTTP";
                }
            }

            yield break;
        }

        if (context.Graph.Resolve(r["LoadBalancerArn"]) is { } loadBalancer && !LoadBalancers.IsInternetFacing(loadBalancer))
        {
            yield break;
        }

        if (Values.IsString(context.Resolve(r["Protocol"]), "HTTP") && !OnlyRedirectsToHttps(r["DefaultActions"]))
        {
            yield return $"HTTP listener on port {Values.AsString(r["Port"]) ?? "?"} does not only redirect to HTTPS";
        }
    }

    private static bool OnlyRedirectsToHttps(JsonNode? actions)
    {
        var list = Values.AsList(actions);
        return list is { Count: > 0 } && list.All(a =>
            Values.IsString(a?["Type"], "redirect") && Values.IsString(Values.At(a, "RedirectConfig.Protocol"), "HTTPS"));
    }
}

/// <summary>
/// SB-ELB-003. HTTPS and TLS listeners must name a TLS 1.2+ policy: ELBSecurityPolicy-TLS13-1-2-*,
/// -TLS13-1-3-*, -TLS-1-2-* or -FS-1-2-*. A missing SslPolicy fails (the default of older API versions allows
/// TLS 1.0); an intrinsic passes.
/// </summary>
internal sealed class ModernTlsPolicy : IPolicyRule
{
    private static readonly string[] ModernPrefixes =
    [
        "ELBSecurityPolicy-TLS13-1-2-", "ELBSecurityPolicy-TLS13-1-3-", "ELBSecurityPolicy-TLS-1-2-", "ELBSecurityPolicy-FS-1-2-",
    ];

    public RuleDescriptor Descriptor { get; } = new(
        "SB-ELB-003", Severity.Error,
        "TLS listeners use a modern security policy",
        "Policies such as ELBSecurityPolicy-2016-08 still negotiate TLS 1.0/1.1 and weak ciphers, which PCI DSS and most security baselines forbid; AWS recommends ELBSecurityPolicy-TLS13-1-2-2021-06.",
        "Set SslPolicy: ELBSecurityPolicy-TLS13-1-2-2021-06 (or another TLS13-1-2 / TLS-1-2 / FS-1-2 policy).",
        Source: "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html");

    public IReadOnlyList<string> ResourceTypes { get; } = [LoadBalancers.Listener];

    public IEnumerable<string> Check(TemplateResource r, RuleContext context)
    {
        if (!Values.IsString(r["Protocol"], "HTTPS") && !Values.IsString(r["Protocol"], "TLS"))
        {
            yield break;
        }

        var policy = r["SslPolicy"];
        if (policy is null)
        {
            yield return "SslPolicy is missing; set a TLS 1.2+ policy explicitly";
        }
        else if (!Values.IsIntrinsic(policy)
            && !ModernPrefixes.Any(p => Values.AsString(policy)?.StartsWith(p, StringComparison.Ordinal) == true))
        {
            yield return $"SslPolicy {Values.AsString(policy)} allows TLS versions older than 1.2";
        }
    }
}

/// <summary>SB-ELB-004 (production). Intrinsic attribute values pass.</summary>
internal sealed class LoadBalancerDeletionProtection : IPolicyRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "SB-ELB-004", Severity.Warning,
        "Production load balancers have deletion protection",
        "Deleting or replacing the load balancer changes its DNS name and drops all traffic until clients and DNS catch up. AWS Security Hub ELB.6 (medium).",
        "Set the load balancer attribute deletion_protection.enabled = true (CDK: deletionProtection: true).",
        ProductionOnly: true,
        Source: "https://docs.aws.amazon.com/securityhub/latest/userguide/elb-controls.html#elb-6");

    public IReadOnlyList<string> ResourceTypes { get; } = [LoadBalancers.V2];

    public IEnumerable<string> Check(TemplateResource r, RuleContext context)
    {
        var value = LoadBalancers.Attribute(r, "deletion_protection.enabled");
        if (!Values.IsIntrinsic(value) && !Values.IsTrue(value))
        {
            yield return $"attribute deletion_protection.enabled {RuleText.Describe(value)}";
        }
    }
}

/// <summary>
/// SB-ELB-005. Lambda target groups are skipped. HTTP/HTTPS target groups need a HealthCheckPath other than "/"
/// (written or by default); any target group fails when HealthCheckEnabled is literally false.
/// </summary>
internal sealed class TargetGroupHealthCheck : IPolicyRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "SB-ELB-005", Severity.Warning,
        "Target groups have an explicit health check",
        "Scaling and failover trust the health check: the default path \"/\" often answers 200 from a static page while the application behind it is broken, and a disabled check keeps sending traffic to dead targets.",
        "Keep HealthCheckEnabled on and set HealthCheckPath to an endpoint that checks the application's dependencies (e.g. /health).",
        Source: "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html");

    public IReadOnlyList<string> ResourceTypes { get; } = [LoadBalancers.TargetGroup];

    public IEnumerable<string> Check(TemplateResource r, RuleContext context)
    {
        if (Values.IsString(r["TargetType"], "lambda"))
        {
            yield break;
        }

        if (Values.IsFalse(r["HealthCheckEnabled"]))
        {
            yield return "HealthCheckEnabled is false";
            yield break;
        }

        var protocol = r["HealthCheckProtocol"] ?? r["Protocol"];
        var isHttp = Values.IsString(protocol, "HTTP") || Values.IsString(protocol, "HTTPS");
        var path = context.Resolve(r["HealthCheckPath"]);
        if (isHttp && path is null)
        {
            yield return "HealthCheckPath is missing (default \"/\")";
        }
        else if (isHttp && Values.AsString(path) == "/")
        {
            yield return $"HealthCheckPath is \"/\"{context.ByDefault(r["HealthCheckPath"])}, which a static page answers while the application is broken";
        }
    }
}
