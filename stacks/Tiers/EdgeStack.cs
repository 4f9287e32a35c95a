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

    /// <summary>The load balancer's own web ACL (managed rules, no per-IP rule), when the file has a <c>firewall</c> section.</summary>
    public WebFirewall? LoadBalancerFirewall { get; }

    /// <summary>The secret proving a request came through the API, when the file has an <c>api</c> section.</summary>
    public OriginSecret? Origin { get; }

    /// <summary>The DNS records the deployer must create (no hosted zone for them in the file); each is also an output.</summary>
    public IReadOnlyList<RequiredDnsRecord> RequiredDnsRecords { get; } = [];

    /// <summary>The name of environment <paramref name="env"/>'s origin secret, <c>backend/&lt;env&gt;/origin-verify</c> (service stacks reference it by name).</summary>
    public static string OriginSecretName(string env) => $"backend/{env}/origin-verify";

    /// <summary>
    /// The prefixes whose undeclared paths the API answers 404 (issue 18.2): for every service a route serves, each path
    /// pattern <c>/x/*</c> (not the catch-all <c>/*</c>) gives <c>/x</c>.
    /// </summary>
    public static IReadOnlyList<string> NotFoundPrefixes(EnvironmentConfig config, ApiConfig api) =>
        api.Routes.Values.Select(r => r.Service).Distinct()
            .SelectMany(service => config.Services[service].Routing.PathPatterns ?? [])
            .Where(p => p.Length > 2 && p.EndsWith("/*", StringComparison.Ordinal) && p[..^2].IndexOfAny(['*', '?']) < 0)
            .Select(p => p[..^2])
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToArray();

    /// <summary>The load balancer's alarm (notifying the platform's topic).</summary>
    public Monitoring Monitoring { get; }

    /// <summary>Builds the edge of <paramref name="definition"/> on the platform's exports.</summary>
    public EdgeStack(Construct scope, EnvironmentDefinition definition)
        : base(scope, definition, StackRole.Edge, null, "edge: load balancer, API, firewall, user pool, certificates")
    {
        var config = definition.Config;
        var platform = PlatformStack.ImportInto(this);
        var retention = LogRetention.FromDays(config.Logs.RetentionDays);

        // Issue 18.1: with an API, only requests that came through it reach a service — the API sends the generated
        // secret, every service rule requires it, anything else gets the listener's 403.
        if (config.Api is { } originApi)
            Origin = new OriginSecret(this, "OriginSecret", new OriginSecretProps(originApi.OriginSecret ?? new OriginSecretSettings())
            {
                SecretName = OriginSecretName(Env),
            });

        var lb = config.LoadBalancer;
        LoadBalancer = new ServiceLoadBalancer(this, "LoadBalancer", new ServiceLoadBalancerProps(lb, platform.Vpc)
        {
            Certificate = lb.CertificateArn is { } arn ? Certificate.FromCertificateArn(this, "Certificate", arn) : null,
            SslPolicy = lb.SslPolicy is { } policy ? ToSslPolicy(policy) : null,
            OriginCheck = Origin?.Check,
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
                OriginCheck = Origin?.Check,
                NotFoundPrefixes = NotFoundPrefixes(config, api),
            });
            // The backend host must resolve to the load balancer: alias it where the file gives the zone it lies in,
            // else it is a record the deployer creates (issue 17.9).
            var records = new List<RequiredDnsRecord>(Api.RequiredDnsRecords);
            if (api.BackendHost is { } backendHost && certificate?.HostedZone is { } zone && api.Domain?.HostedZone is { } zoneConfig
                && backendHost.EndsWith("." + zoneConfig.Name, StringComparison.Ordinal))
                _ = new ARecord(this, "BackendHostAlias", new ARecordProps
                {
                    Zone = zone,
                    RecordName = backendHost,
                    Target = RecordTarget.FromAlias(new Amazon.CDK.AWS.Route53.Targets.LoadBalancerTarget(LoadBalancer.LoadBalancer)),
                });
            else if (api.BackendHost is { } unaliased)
                records.Add(LoadBalancer.DnsRecordFor(unaliased));
            records.AddRange(Users?.RequiredDnsRecords ?? []);
            RequiredDnsRecords = records;
            foreach (var record in records.OrderBy(r => r.Name, StringComparer.Ordinal))
                _ = new CfnOutput(this, $"DnsRecord{StackNames.Pascal(record.Name.Replace('.', '-'))}", new CfnOutputProps
                {
                    Value = Fn.Join(" ", [record.Name, record.Type, record.Target]),
                    Description = $"Create this DNS record by hand (no hosted zone in the file): {record.Purpose}",
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
            // The load balancer gets its own web ACL: the managed rules, but no per-IP rule — behind the API every
            // request comes from API Gateway's addresses, so a per-IP limit would block the API (issue 17.5). Per-client
            // limits stay at the API (stage and route throttles, usage plans).
            if ((firewall.ProtectLoadBalancer ?? true) && config.LoadBalancer.InternetFacing != false)
                LoadBalancerFirewall = new WebFirewall(this, "LoadBalancerFirewall", new WebFirewallProps
                {
                    Name = $"backend-{Env}-load-balancer",
                    ManagedRules = firewall.ManagedRules,
                    LogEncryptionKey = platform.LogKey,
                    LogRetention = retention,
                    ProtectedResources = new Dictionary<string, string> { ["load-balancer"] = LoadBalancer.LoadBalancer.LoadBalancerArn },
                });
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
