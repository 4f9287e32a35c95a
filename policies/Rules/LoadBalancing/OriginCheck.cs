using System.Text.Json.Nodes;

namespace ScalableBackend.Policies.Rules.LoadBalancing;

/// <summary>
/// SB-ELB-006. Judges an internet-facing application load balancer (Scheme <c>internet-facing</c> or absent; Type
/// <c>application</c> or absent) that a REST API of the set fronts: an <c>AWS::ApiGateway::Method</c> whose
/// <c>Integration.Uri</c> refers to the load balancer (its <c>DNSName</c> in a <c>Fn::Join</c>/<c>Fn::Sub</c>, also
/// through <c>Fn::ImportValue</c>), or whose host is a value (wildcards match) of a <c>host-header</c> condition of one
/// of the load balancer's listener rules (the name the API calls it by, resolved to it by DNS outside the template).
/// Such a load balancer must admit only what came through the API: every listener (found through
/// <c>LoadBalancerArn</c>, also across stacks) has default actions that do not <c>forward</c> (a fixed response such as
/// 403, or a redirect to HTTPS), and every listener rule on it that forwards has an <c>http-header</c> condition on a
/// header the API's integrations to it add (<c>Integration.RequestParameters</c>
/// <c>integration.request.header.&lt;name&gt;</c>, names compared ignoring case). Intrinsic default actions, rule actions
/// or conditions pass (unknown). HTTP APIs (v2) and integrations written in an OpenAPI <c>Body</c> are not read.
/// </summary>
internal sealed class OriginCheckBehindApi : IPolicyRule
{
    private const string Method = "AWS::ApiGateway::Method";
    private const string ListenerRule = "AWS::ElasticLoadBalancingV2::ListenerRule";
    private const string HeaderParameter = "integration.request.header.";

    public RuleDescriptor Descriptor { get; } = new(
        "SB-ELB-006", Severity.Error,
        "Internet-facing load balancers behind an API admit only requests that came through it",
        "When a REST API's integrations call an internet-facing load balancer, anyone who learns the load balancer's name can call it directly and skip everything the API enforces: authorizers and IAM auth, request validation, API keys, throttling and the web ACL. AWS's pattern for a load balancer that must serve only its front door is a secret custom header that the front door adds and every listener rule requires, with a default action that answers 403.",
        "Have every integration add a secret header (Integration.RequestParameters integration.request.header.<name> from a Secrets Manager dynamic reference), make each listener's default action a fixed-response 403 (or a redirect to HTTPS) and give every forwarding listener rule an http-header condition on that header (components: ServiceLoadBalancerProps.OriginCheck with ApiGatewayProps.OriginCheck); or make the load balancer internal behind a VPC link.",
        Source: "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/restrict-access-to-load-balancer.html");

    public IReadOnlyList<string> ResourceTypes { get; } = [LoadBalancers.V2];

    public IEnumerable<string> Check(TemplateResource r, RuleContext context)
    {
        var type = context.Resolve(r["Type"]);
        if ((type is not null && !Values.IsString(type, "application")) || !LoadBalancers.IsInternetFacing(r))
        {
            yield break;
        }

        var listeners = context.Graph.Referrers(r, LoadBalancers.Listener, "LoadBalancerArn").ToList();
        var rules = listeners.ToDictionary(l => l, l => context.Graph.Referrers(l, ListenerRule, "ListenerArn").ToList());
        var hosts = rules.Values.SelectMany(list => list).SelectMany(HostHeaders).ToList();
        var integrations = context.Graph.OfType(Method).Where(m => Calls(m, r, hosts, context)).ToList();
        if (integrations.Count == 0)
        {
            yield break;
        }

        var headers = integrations.SelectMany(AddedHeaders).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var required = headers.Count == 0 ? "a header the API adds (its integrations add none)" : string.Join(" or ", headers.Order(StringComparer.Ordinal));
        var front = $"{context.NameOf(integrations[0])}{(integrations.Count > 1 ? $" and {integrations.Count - 1} more" : "")}";
        foreach (var listener in listeners)
        {
            if (Values.AsList(listener["DefaultActions"]) is { } defaults && defaults.Any(Forwards))
            {
                yield return $"listener {context.NameOf(listener)} forwards by default, so a request that did not come through the API (integration {front}) reaches a target; make its default action a fixed-response 403";
            }

            foreach (var rule in rules[listener])
            {
                if (Values.AsList(rule["Actions"]) is not { } actions || !actions.Any(Forwards)
                    || Values.AsList(rule["Conditions"]) is not { } conditions)
                {
                    continue;
                }

                if (!conditions.Any(c => RequiresHeader(c, headers)))
                {
                    yield return $"listener rule {context.NameOf(rule)} on {context.NameOf(listener)} forwards without an http-header condition on {required}, so it also serves requests that did not come through the API (integration {front})";
                }
            }
        }
    }

    private static bool Forwards(JsonNode? action) => Values.IsString(action?["Type"], "forward");

    private static bool RequiresHeader(JsonNode? condition, HashSet<string> headers) =>
        Values.IsString(condition?["Field"], "http-header")
        && Values.AsString(Values.At(condition, "HttpHeaderConfig.HttpHeaderName")) is { } name
        && headers.Contains(name)
        && Values.AsList(Values.At(condition, "HttpHeaderConfig.Values")) is { Count: > 0 };

    /// <summary>The host-header values of a listener rule's conditions (HostHeaderConfig.Values, or the legacy Values).</summary>
    private static IEnumerable<string> HostHeaders(TemplateResource rule) =>
        (Values.AsList(rule["Conditions"]) ?? [])
            .Where(c => Values.IsString(c?["Field"], "host-header"))
            .SelectMany(c => Values.AsList(Values.At(c, "HostHeaderConfig.Values") ?? c?["Values"]) ?? [])
            .Select(Values.AsString)
            .OfType<string>();

    private static bool Calls(TemplateResource method, TemplateResource loadBalancer, List<string> hosts, RuleContext context)
    {
        if (context.Graph.Referrers(loadBalancer, Method, "Integration.Uri").Contains(method))
        {
            return true;
        }

        var uri = context.Graph.Text(Values.At(method.Properties, "Integration.Uri"), method.Template);
        var start = uri?.IndexOf("://", StringComparison.Ordinal) ?? -1;
        if (start < 0)
        {
            return false;
        }

        var host = uri![(start + 3)..].Split('/', ':')[0];
        return hosts.Any(h => Glob.Matches(h.ToLowerInvariant(), host.ToLowerInvariant()));
    }

    private static IEnumerable<string> AddedHeaders(TemplateResource method) =>
        (Values.At(method.Properties, "Integration.RequestParameters") as JsonObject ?? [])
            .Where(p => p.Key.StartsWith(HeaderParameter, StringComparison.OrdinalIgnoreCase))
            .Select(p => p.Key[HeaderParameter.Length..]);
}
