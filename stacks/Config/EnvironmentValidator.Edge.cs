using System.Text.RegularExpressions;
using ScalableBackend.Components.Edge;
using ScalableBackend.Components.Security;

namespace ScalableBackend.Stacks.Config;

public static partial class EnvironmentValidator
{
    /// <summary>The <c>api</c>, <c>firewall</c> and <c>auth</c> sections: ranges (the components' own checks) and cross references.</summary>
    private static void ValidateEdge(string file, EnvironmentConfig config)
    {
        ConfigException Error(string path, string problem) => new(file, path, problem);
        var declared = string.Join(", ", config.Services.Keys.Order(StringComparer.Ordinal));

        if (config.Auth is { } auth)
            Mapped(file, "auth", () => UserDirectory.Validate(auth));

        if (config.Api is { } api)
        {
            if (config.LoadBalancer.InternetFacing == false)
                throw Error("api", "needs an internet-facing load balancer: the API's HTTP integration cannot reach an internal one (loadBalancer.internetFacing is false)");
            Mapped(file, "api", () => ApiGateway.Validate(api, api.RouteSettings, hasUserPool: config.Auth is not null, api.DomainName,
                config.Auth is { } directory ? UserDirectory.OAuthScopes(directory) : null));
            if (api.Domain is { } domain)
                Mapped(file, "api.domain", () => DomainCertificate.Validate(domain));
            if (api.OriginSecret is { } origin)
                Mapped(file, "api.originSecret", () => OriginSecret.Validate(origin));
            if (config.LoadBalancer.CertificateArn is not null && api.BackendHost is null)
                throw Error("api.backendHost", "is required when loadBalancer.certificateArn is set: API Gateway verifies the load balancer's certificate against this name (e.g. origin.example.com)");
            if (api.BackendHost is { } host && !HostNamePattern().IsMatch(host))
                throw Error("api.backendHost", $"= {host} must be a DNS name such as origin.example.com");
            // One certificate for both names (the load balancer's and the API's custom domain): its names must say so.
            if (api.Domain is { CertificateArn: { } domainArn } sharedDomain && domainArn == config.LoadBalancer.CertificateArn)
            {
                if (sharedDomain.Names is null)
                    throw Error("api.domain.names", $"are required when api.domain uses the load balancer's certificate: list the names it covers, so that {sharedDomain.Name} and {api.BackendHost ?? "api.backendHost"} are both checked");
                if (api.BackendHost is { } backend && !DomainCertificate.Covers(sharedDomain.Names, backend))
                    throw Error("api.domain.names", $"= [{string.Join(", ", sharedDomain.Names)}] do not cover api.backendHost ({backend}), which the load balancer serves with the same certificate");
            }
            foreach (var (name, route) in api.Routes.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                var at = $"api.routes.{name}";
                if (!config.Services.TryGetValue(route.Service, out var service))
                    throw Error($"{at}.service", $"= {route.Service} is not a service; declared: {declared}");
                // The API's requests carry Host: backendHost (or the load balancer's own name); a service that routes
                // only by other host names would never receive them.
                if (service.Routing.HostHeaders is { Count: > 0 } hosts && (api.BackendHost is null || !hosts.Contains(api.BackendHost)))
                    throw Error($"{at}.service", $"= {route.Service} routes only hostHeaders [{string.Join(", ", hosts)}], which the API's requests (Host: {api.BackendHost ?? "the load balancer's DNS name"}) never match; add api.backendHost to them");
                var patterns = service.Routing.PathPatterns ?? [];
                var sample = PathParameterPattern().Replace(route.Path, "x");
                if (patterns.Count > 0 && !patterns.Any(p => GlobMatches(p, sample)))
                    throw Error($"{at}.path", $"= {route.Path} is not routed to services.{route.Service} by its pathPatterns ({string.Join(", ", patterns)})");
                var callers = route.Callers ?? [];
                if (callers.Count > 0 && route.Iam != true)
                    throw Error($"{at}.callers", "are only allowed on iam routes: other routes are not authorized by IAM");
                for (var i = 0; i < callers.Count; i++)
                {
                    if (!config.Services.ContainsKey(callers[i]))
                        throw Error($"{at}.callers[{i}]", $"= {callers[i]} is not a service; declared: {declared}");
                    if (callers.Take(i).Contains(callers[i]))
                        throw Error($"{at}.callers[{i}]", $"= {callers[i]} is listed twice");
                }
            }
            if (config.Firewall is null)
                throw Error("firewall", "is required when api is declared: the public stage needs a web ACL (policy SB-API-002)");
        }

        if (config.LoadBalancer.CertificateNames is { } lbNames)
        {
            for (var i = 0; i < lbNames.Count; i++)
                if (!CertificateNamePattern().IsMatch(lbNames[i]))
                    throw Error($"loadBalancer.certificateNames[{i}]", $"= {lbNames[i]} must be a DNS name such as origin.example.com or *.example.com");
            if (config.LoadBalancer.CertificateArn is null)
                throw Error("loadBalancer.certificateNames", "describe loadBalancer.certificateArn, which is not set");
            var hosts = config.Services.OrderBy(kv => kv.Key, StringComparer.Ordinal)
                .SelectMany(kv => (kv.Value.Routing.HostHeaders ?? []).Select(h => (At: $"services.{kv.Key}.routing.hostHeaders", Host: h)));
            if (config.Api?.BackendHost is { } backendHost)
                hosts = hosts.Prepend(("api.backendHost", backendHost));
            foreach (var (at, h) in hosts)
                if (!h.Contains('*') && !DomainCertificate.Covers(lbNames, h))
                    throw Error(at, $"= {h} is not covered by loadBalancer.certificateNames ({string.Join(", ", lbNames)}): clients verifying TLS would reject it");
        }

        if (config.Firewall is { } firewall)
        {
            Mapped(file, "firewall", () => WebFirewall.Validate(firewall));
            if (firewall.ProtectLoadBalancer == true && config.LoadBalancer.InternetFacing == false)
                throw Error("firewall.protectLoadBalancer", "= true needs an internet-facing load balancer (loadBalancer.internetFacing is false)");
        }
    }

    [GeneratedRegex(@"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")]
    private static partial Regex HostNamePattern();

    [GeneratedRegex(@"^(?=.{1,253}$)(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")]
    private static partial Regex CertificateNamePattern();

    /// <summary>Whether an ALB path pattern (<c>*</c> any characters, <c>?</c> one) matches <paramref name="path"/>.</summary>
    private static bool GlobMatches(string pattern, string path) =>
        Regex.IsMatch(path, "^" + Regex.Escape(pattern).Replace("\\*", ".*").Replace("\\?", ".") + "$");

    [GeneratedRegex(@"\{[A-Za-z0-9_]+\+?\}")]
    private static partial Regex PathParameterPattern();
}
