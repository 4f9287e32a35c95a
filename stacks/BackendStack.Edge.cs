using Amazon.CDK;
using Amazon.CDK.AWS.Logs;
using Amazon.CDK.AWS.Route53;
using ScalableBackend.Components.Compute;
using ScalableBackend.Components.Edge;
using ScalableBackend.Components.Security;
using ScalableBackend.Stacks.Config;

namespace ScalableBackend.Stacks;

public sealed partial class BackendStack
{
    /// <summary>The Cognito user directory, when the file has an <c>auth</c> section.</summary>
    public UserDirectory? Users { get; private set; }

    /// <summary>The REST API, when the file has an <c>api</c> section.</summary>
    public ApiGateway? Api { get; private set; }

    /// <summary>The web ACL, when the file has a <c>firewall</c> section.</summary>
    public WebFirewall? Firewall { get; private set; }

    /// <summary>The edge: the user directory, the API in front of the load balancer and the firewall on both.</summary>
    private void AddEdge(EnvironmentDefinition definition, RetentionDays retention)
    {
        var config = definition.Config;
        if (config.Auth is { } auth)
            Users = new UserDirectory(this, "Users", new UserDirectoryProps(auth) { Name = $"backend-{definition.Name}" });

        if (config.Api is { } api)
        {
            var certificate = api.Domain is { } domain
                ? new DomainCertificate(this, "ApiCertificate", new DomainCertificateProps(domain))
                : null;
            // The API proxies to the load balancer over HTTPS. An environment without a certificate (dev) serves
            // plain HTTP by its file's explicit choice, so its API reaches the load balancer over HTTP; no policy rule
            // covers integration URIs, and the plain listener itself carries the SB-ELB-002 acknowledgement.
            var scheme = LoadBalancer.HttpsListener is null ? "http" : "https";
            Api = new ApiGateway(this, "Api", new ApiGatewayProps(api,
                $"{scheme}://{api.BackendHost ?? LoadBalancer.LoadBalancer.LoadBalancerDnsName}",
                api.Routes.ToDictionary(kv => kv.Key, kv => kv.Value.ToRoute()),
                LogKey)
            {
                Name = $"backend-{definition.Name}",
                UserPool = Users?.UserPool,
                AccessLogRetention = retention,
                DomainName = api.Domain?.Name,
                Certificate = certificate?.Certificate,
                HostedZone = certificate?.HostedZone,
            });
            // The backend host must resolve to the load balancer: alias it where the file gives the zone it lies in.
            if (api.BackendHost is { } backendHost && certificate?.HostedZone is { } zone && api.Domain?.HostedZone is { } zoneConfig
                && backendHost.EndsWith("." + zoneConfig.Name, StringComparison.Ordinal))
                _ = new ARecord(this, "BackendHostAlias", new ARecordProps
                {
                    Zone = zone,
                    RecordName = backendHost,
                    Target = RecordTarget.FromAlias(new Amazon.CDK.AWS.Route53.Targets.LoadBalancerTarget(LoadBalancer.LoadBalancer)),
                });
            // Internal routes: each declared caller may invoke exactly those routes, nothing else.
            foreach (var (route, settings) in api.Routes.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                foreach (var caller in settings.Callers ?? [])
                    Api.GrantInvoke(route, Services[caller].Role);
            _ = new CfnOutput(this, "ApiUrl", new CfnOutputProps { Value = Api.Api.Url, Description = "Invoke URL of the API stage" });
        }

        if (config.Firewall is { } firewall)
        {
            Firewall = new WebFirewall(this, "Firewall", new WebFirewallProps(firewall, LogKey)
            {
                Name = $"backend-{definition.Name}",
                LogRetention = retention,
            });
            if (Api is not null)
                Firewall.Associate("api", Api.Stage.StageArn);
            // The load balancer is public too: without the web ACL on it, clients could skip the API's protection.
            if ((firewall.ProtectLoadBalancer ?? true) && config.LoadBalancer.InternetFacing != false)
                Firewall.Associate("load-balancer", LoadBalancer.LoadBalancer.LoadBalancerArn);
        }
    }
}
