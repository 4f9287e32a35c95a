using Amazon.CDK;
using Amazon.CDK.AWS.CertificateManager;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.ElasticLoadBalancingV2;
using Amazon.CDK.AWS.KMS;
using Constructs;
using ScalableBackend.Components.Caching;
using ScalableBackend.Components.Compute;
using ScalableBackend.Components.Data;
using ScalableBackend.Components.Networking;
using ScalableBackend.Components.Observability;
using ScalableBackend.Stacks.Config;

namespace ScalableBackend.Stacks;

/// <summary>
/// One environment's backend: the network, the shared load balancer and every configured service, composed
/// from the components with exactly what the environment file says. Construct ids are fixed names or the
/// service keys from the file, never list positions, so adding a service renames nothing.
/// </summary>
public sealed partial class BackendStack : Stack
{
    /// <summary>The environment this stack was built from.</summary>
    public EnvironmentDefinition Definition { get; }

    /// <summary>The network.</summary>
    public Network Network { get; }

    /// <summary>The key encrypting every log group of the environment.</summary>
    public IKey LogKey { get; }

    /// <summary>The shared load balancer.</summary>
    public ServiceLoadBalancer LoadBalancer { get; }

    /// <summary>The services, keyed by their name in the file.</summary>
    public IReadOnlyDictionary<string, WebService> Services { get; }

    /// <summary>The Redis cluster, when the file has a <c>cache</c> section.</summary>
    public RedisCluster? Cache { get; }

    /// <summary>The sharded database, when the file has a <c>database</c> section.</summary>
    public ShardedDatabase? Database { get; }

    /// <summary>Builds the stack named <see cref="EnvironmentDefinition.StackName"/> in <paramref name="scope"/>.</summary>
    public BackendStack(Construct scope, EnvironmentDefinition definition)
        : base(scope, definition.StackName, new StackProps
        {
            StackName = definition.StackName,
            Description = $"ScalableBackend {definition.Name} environment (from {definition.File})",
            Env = new Amazon.CDK.Environment { Region = definition.Config.Region, Account = definition.Config.Account },
        })
    {
        Definition = definition;
        var config = definition.Config;
        // The zones come from the file. With a concrete account the CDK would otherwise ask the CDK CLI to look
        // them up (which needs credentials); seeding the context it would cache keeps synthesis offline.
        if (config.Account is { } account)
            Node.SetContext($"availability-zones:account={account}:region={config.Region}", config.Network.AvailabilityZones.ToArray());
        Tags.SetTag("Environment", definition.Name);
        Tags.SetTag("ManagedBy", "ScalableBackend");
        foreach (var (key, value) in config.Tags ?? new Dictionary<string, string>())
            Tags.SetTag(key, value);

        var retention = LogRetention.FromDays(config.Logs.RetentionDays);
        LogKey = Network.CreateLogKey(this, "LogKey", $"{definition.Name} environment");
        Network = new Network(this, "Network", new NetworkProps(config.Network)
        {
            FlowLogRetention = retention,
            LogEncryptionKey = LogKey,
        });

        var lb = config.LoadBalancer;
        LoadBalancer = new ServiceLoadBalancer(this, "LoadBalancer", new ServiceLoadBalancerProps(lb, Network.Vpc)
        {
            Certificate = lb.CertificateArn is { } arn ? Certificate.FromCertificateArn(this, "Certificate", arn) : null,
            SslPolicy = lb.SslPolicy is { } policy ? ToSslPolicy(policy) : null,
        });

        var services = new Dictionary<string, WebService>();
        foreach (var (name, service) in config.Services.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            services[name] = new WebService(this, $"Service{WebService.ToPascal(name)}",
                new WebServiceProps(service, Network.Vpc, LoadBalancer.ServiceListener, new InstanceType(service.InstanceType))
                {
                    // AddObservability grants the agent exactly its log group, parameter and namespace.
                    AttachCloudWatchAgentPolicy = false,
                });
        }
        Services = services;

        // Users find the data stores through SSM parameters under /backend/<env>/, granted per declared user.
        if (config.Cache is { } cache)
        {
            Cache = new RedisCluster(this, "Cache", new RedisClusterProps(cache, Network.Vpc)
            {
                ParameterPrefix = $"/backend/{definition.Name}/cache",
            });
            foreach (var user in cache.Users ?? [])
                Cache.GrantConnect(services[user]);
        }

        if (config.Database is { } database)
        {
            Database = new ShardedDatabase(this, "Database", new ShardedDatabaseProps(database, Network.Vpc, new InstanceType(database.InstanceType["db.".Length..]))
            {
                LogRetention = retention,
                InstanceIdentifierPrefix = $"backend-{definition.Name}",
                LogEncryptionKey = LogKey,
                ShardMapParameterName = $"/backend/{definition.Name}/database/shard-map",
            });
            foreach (var user in database.Users ?? [])
                Database.GrantConnect(services[user]);
        }

        AddMessaging(config, services);
        AddEdge(definition, retention);
        AddObservability(config, retention);

        _ = new CfnOutput(this, "LoadBalancerDnsName", new CfnOutputProps
        {
            Value = LoadBalancer.LoadBalancer.LoadBalancerDnsName,
            Description = "DNS name of the load balancer; point the service domains here",
        });
    }

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
