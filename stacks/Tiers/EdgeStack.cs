using Amazon.CDK;
using Amazon.CDK.AWS.APIGateway;
using Amazon.CDK.AWS.CertificateManager;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.ElasticLoadBalancingV2;
using Amazon.CDK.AWS.Route53;
using Constructs;
using ScalableBackend.Components.Compute;
using ScalableBackend.Components.Edge;
using ScalableBackend.Components.Observability;
using ScalableBackend.Components.Security;
using ScalableBackend.Stacks.Config;

namespace ScalableBackend.Stacks;

/// <summary>
/// <c>Backend-&lt;Env&gt;-Edge</c>: what clients reach — the shared load balancer with its listeners, the REST API,
/// the web ACL, the user pool and the certificates — and the load balancer's alarm. Services attach their own target
/// groups and listener rules from their stacks; internal callers grant themselves <c>execute-api:Invoke</c>.
/// </summary>
public sealed class EdgeStack : EnvironmentStack
{
    /// <summary>The shared load balancer.</summary>
    public ServiceLoadBalancer LoadBalancer { get; }

    /// <summary>The Cognito user directory, when the file has an <c>auth</c> section.</summary>
    public UserDirectory? Users { get; }

    /// <summary>The REST API, when the file has an <c>api</c> section.</summary>
    public ApiGateway? Api { get; }

    /// <summary>The web ACL, when the file has a <c>firewall</c> section.</summary>
    public WebFirewall? Firewall { get; }

    /// <summary>The load balancer's alarm (notifying the platform's topic).</summary>
    public Monitoring Monitoring { get; }

    /// <summary>Builds the edge of <paramref name="definition"/> on the platform's exports.</summary>
    public EdgeStack(Construct scope, EnvironmentDefinition definition)
        : base(scope, definition, StackRole.Edge, null, "edge: load balancer, API, firewall, user pool, certificates")
    {
        var config = definition.Config;
        var platform = PlatformStack.ImportInto(this);
        var retention = LogRetention.FromDays(config.Logs.RetentionDays);

        var lb = config.LoadBalancer;
        LoadBalancer = new ServiceLoadBalancer(this, "LoadBalancer", new ServiceLoadBalancerProps(lb, platform.Vpc)
        {
            Certificate = lb.CertificateArn is { } arn ? Certificate.FromCertificateArn(this, "Certificate", arn) : null,
            SslPolicy = lb.SslPolicy is { } policy ? ToSslPolicy(policy) : null,
        });

        if (config.Auth is { } auth)
            Users = new UserDirectory(this, "Users", new UserDirectoryProps(auth) { Name = $"backend-{Env}" });

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
                platform.LogKey)
            {
                Name = $"backend-{Env}",
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
            _ = new CfnOutput(this, "ApiUrl", new CfnOutputProps { Value = Api.Api.Url, Description = "Invoke URL of the API stage" });
            Export(Exports.ApiId, Api.Api.RestApiId, "The REST API; internal callers grant themselves execute-api:Invoke on its routes");
            Export(Exports.ApiRootResourceId, Api.Api.RestApiRootResourceId, "The REST API's root resource");
        }

        if (config.Firewall is { } firewall)
        {
            Firewall = new WebFirewall(this, "Firewall", new WebFirewallProps(firewall, platform.LogKey)
            {
                Name = $"backend-{Env}",
                LogRetention = retention,
            });
            if (Api is not null)
                Firewall.Associate("api", Api.Stage.StageArn);
            // The load balancer is public too: without the web ACL on it, clients could skip the API's protection.
            if ((firewall.ProtectLoadBalancer ?? true) && config.LoadBalancer.InternetFacing != false)
                Firewall.Associate("load-balancer", LoadBalancer.LoadBalancer.LoadBalancerArn);
        }

        Monitoring = new Monitoring(this, "Monitoring", new MonitoringProps
        {
            Thresholds = config.Observability?.Thresholds,
            AlarmTopic = platform.AlarmTopic,
            EnableDashboard = false,
        });
        Monitoring.MonitorLoadBalancer("shared", LoadBalancer.LoadBalancer);

        _ = new CfnOutput(this, "LoadBalancerDnsName", new CfnOutputProps
        {
            Value = LoadBalancer.LoadBalancer.LoadBalancerDnsName,
            Description = "DNS name of the load balancer; point the service domains here",
        });
        Export(Exports.LoadBalancerSecurityGroupId, LoadBalancer.SecurityGroup.SecurityGroupId, "The load balancer's security group; services admit it and add its egress");
        Export(Exports.ServiceListenerArn, LoadBalancer.ServiceListener.ListenerArn, "The listener services add their rules to");
        Export(Exports.LoadBalancerFullName, LoadBalancer.LoadBalancer.LoadBalancerFullName, "The load balancer's full name (metric dimension)");
    }

    /// <summary>The export names of the edge stack (each prefixed with <c>Backend-&lt;Env&gt;-Edge:</c>).</summary>
    public static class Exports
    {
        /// <summary><c>LoadBalancerSecurityGroupId</c>.</summary>
        public const string LoadBalancerSecurityGroupId = "LoadBalancerSecurityGroupId";
        /// <summary><c>ServiceListenerArn</c>: HTTPS where there is a certificate, else HTTP.</summary>
        public const string ServiceListenerArn = "ServiceListenerArn";
        /// <summary><c>LoadBalancerFullName</c>.</summary>
        public const string LoadBalancerFullName = "LoadBalancerFullName";
        /// <summary><c>ApiId</c>.</summary>
        public const string ApiId = "ApiId";
        /// <summary><c>ApiRootResourceId</c>.</summary>
        public const string ApiRootResourceId = "ApiRootResourceId";
    }

    /// <summary>The listener services attach to, with the load balancer's security group, imported into <paramref name="consumer"/>.</summary>
    internal static IApplicationListener ImportListener(EnvironmentStack consumer)
    {
        // Mutable and without all outbound: the service's stack adds the load balancer's egress to its own port.
        var securityGroup = SecurityGroup.FromSecurityGroupId(consumer, "LoadBalancerSecurityGroup",
            consumer.ImportValue(StackRole.Edge, Exports.LoadBalancerSecurityGroupId),
            new SecurityGroupImportOptions { AllowAllOutbound = false, Mutable = true });
        return ApplicationListener.FromApplicationListenerAttributes(consumer, "Listener", new ApplicationListenerAttributes
        {
            ListenerArn = consumer.ImportValue(StackRole.Edge, Exports.ServiceListenerArn),
            SecurityGroup = securityGroup,
        });
    }

    /// <summary>The REST API imported into <paramref name="consumer"/>, for <c>execute-api:Invoke</c> grants.</summary>
    internal static IRestApi ImportApi(EnvironmentStack consumer) =>
        RestApi.FromRestApiAttributes(consumer, "Api", new RestApiAttributes
        {
            RestApiId = consumer.ImportValue(StackRole.Edge, Exports.ApiId),
            RootResourceId = consumer.ImportValue(StackRole.Edge, Exports.ApiRootResourceId),
        });

    private static SslPolicy ToSslPolicy(string name) =>
        Enum.GetValues<SslPolicy>().FirstOrDefault(p => PolicyName(p) == name) is var found && PolicyName(found) == name
            ? found
            : throw new ArgumentOutOfRangeException(nameof(name), name, "not a known TLS policy");

    private static string PolicyName(SslPolicy policy) => policy switch
    {
        SslPolicy.RECOMMENDED_TLS => "ELBSecurityPolicy-TLS13-1-2-2021-06",
        SslPolicy.TLS13_RES => "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
        SslPolicy.TLS13_EXT1 => "ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06",
        SslPolicy.TLS13_EXT2 => "ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06",
        SslPolicy.TLS13_13 => "ELBSecurityPolicy-TLS13-1-3-2021-06",
        SslPolicy.FORWARD_SECRECY_TLS12_RES_GCM => "ELBSecurityPolicy-FS-1-2-Res-2020-10",
        SslPolicy.FORWARD_SECRECY_TLS12_RES => "ELBSecurityPolicy-FS-1-2-Res-2019-08",
        SslPolicy.TLS12 => "ELBSecurityPolicy-TLS-1-2-2017-01",
        SslPolicy.TLS12_EXT => "ELBSecurityPolicy-TLS-1-2-Ext-2018-06",
        _ => "",
    };
}
