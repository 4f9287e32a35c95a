using System.Text.RegularExpressions;
using Amazon.CDK;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.ElastiCache;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.KMS;
using Amazon.CDK.AWS.SecretsManager;
using Amazon.CDK.AWS.SSM;
using Constructs;
using ScalableBackend.Components.Data;
using ScalableBackend.Components.Facts;

namespace ScalableBackend.Components.Caching;

/// <summary>
/// ElastiCache for Redis in cluster mode (CDK 2.160 has no L2, so this builds on the L1 resources): a replication
/// group of <see cref="RedisClusterSettings.Shards"/> shards with <see cref="RedisClusterSettings.ReplicasPerShard"/>
/// replicas each (automatic failover, which cluster mode requires, and Multi-AZ whenever there is a replica), TLS in transit, encryption at rest
/// with a customer-managed KMS key, an AUTH token generated in Secrets Manager and passed by dynamic reference,
/// a subnet group on the isolated subnets, its own security group that admits port 6379 only from the users
/// granted with <see cref="GrantConnect(IDataClient)"/>, a cluster-enabled parameter group,
/// daily snapshots and a maintenance window. Users find the cluster through two SSM parameters.
/// </summary>
public sealed partial class RedisCluster : Construct
{
    /// <summary>The port Redis listens on.</summary>
    public const int Port = 6379;

    /// <summary>The replication group.</summary>
    public CfnReplicationGroup ReplicationGroup { get; }

    /// <summary>The subnet group (isolated subnets unless configured otherwise).</summary>
    public CfnSubnetGroup SubnetGroup { get; }

    /// <summary>The cluster-enabled parameter group carrying the eviction policy.</summary>
    public CfnParameterGroup ParameterGroup { get; }

    /// <summary>The cluster's security group; admits nothing until <see cref="GrantConnect(IDataClient)"/>.</summary>
    public ISecurityGroup SecurityGroup { get; }

    /// <summary>The key encrypting the cache at rest and the AUTH token secret (given or created).</summary>
    public IKey EncryptionKey { get; }

    /// <summary>The secret holding the AUTH token (a 64-character alphanumeric string).</summary>
    public ISecret AuthToken { get; }

    /// <summary>SSM parameter holding the configuration endpoint as <c>host:port</c>.</summary>
    public StringParameter EndpointParameter { get; }

    /// <summary>SSM parameter holding the ARN of <see cref="AuthToken"/>.</summary>
    public StringParameter AuthSecretArnParameter { get; }

    /// <summary>Creates the cluster; validates <paramref name="props"/> before creating anything.</summary>
    /// <exception cref="PropsValidationException">A property is out of its allowed range.</exception>
    public RedisCluster(Construct scope, string id, RedisClusterProps props) : base(scope, id)
    {
        Validate(props);
        var replicas = props.ReplicasPerShard ?? 1;
        var engineVersion = props.EngineVersion ?? "7.1";
        var multiAz = replicas >= 1;

        EncryptionKey = props.EncryptionKey ?? new Key(this, "Key", new KeyProps
        {
            Description = $"Encrypts the Redis cluster {Node.Path} at rest and its AUTH token",
            EnableKeyRotation = true,
            RemovalPolicy = RemovalPolicy.RETAIN,
        });

        // Redis AUTH accepts printable ASCII except space, '"', '/' and '@'; alphanumerics avoid all of them.
        AuthToken = new Secret(this, "AuthToken", new SecretProps
        {
            Description = $"AUTH token of the Redis cluster {Node.Path}",
            EncryptionKey = EncryptionKey,
            GenerateSecretString = new SecretStringGenerator
            {
                ExcludePunctuation = true,
                IncludeSpace = false,
                PasswordLength = 64,
            },
        });

        SecurityGroup = new SecurityGroup(this, "SecurityGroup", new SecurityGroupProps
        {
            Vpc = props.Vpc,
            Description = $"Redis cluster {Node.Path}: port {Port} from its granted users only",
            AllowAllOutbound = false,
        });

        SubnetGroup = new CfnSubnetGroup(this, "SubnetGroup", new CfnSubnetGroupProps
        {
            Description = $"Subnets of the Redis cluster {Node.Path}",
            SubnetIds = props.Vpc.SelectSubnets(props.Subnets ?? new SubnetSelection { SubnetType = SubnetType.PRIVATE_ISOLATED }).SubnetIds,
        });

        ParameterGroup = new CfnParameterGroup(this, "ParameterGroup", new CfnParameterGroupProps
        {
            CacheParameterGroupFamily = ParameterGroupFamily(engineVersion),
            Description = $"Parameters of the Redis cluster {Node.Path}",
            Properties = new Dictionary<string, string>
            {
                ["cluster-enabled"] = "yes",
                ["maxmemory-policy"] = PolicyName(props.MaxMemoryPolicy ?? Caching.MaxMemoryPolicy.VolatileLru),
            },
        });

        ReplicationGroup = new CfnReplicationGroup(this, "ReplicationGroup", new CfnReplicationGroupProps
        {
            ReplicationGroupDescription = $"Redis cluster {Node.Path}",
            Engine = "redis",
            EngineVersion = engineVersion,
            CacheNodeType = props.NodeType,
            ClusterMode = "enabled",
            NumNodeGroups = props.Shards ?? 1,
            ReplicasPerNodeGroup = replicas,
            AutomaticFailoverEnabled = true, // required in cluster mode; with replicas, a replica takes over its shard
            MultiAzEnabled = multiAz,
            TransitEncryptionEnabled = true,
            AtRestEncryptionEnabled = true,
            KmsKeyId = EncryptionKey.KeyArn,
            AuthToken = AuthToken.SecretValue.UnsafeUnwrap(), // a {{resolve:secretsmanager:…}} reference, never the value
            CacheSubnetGroupName = SubnetGroup.Ref,
            CacheParameterGroupName = ParameterGroup.Ref,
            SecurityGroupIds = new[] { SecurityGroup.SecurityGroupId },
            Port = Port,
            SnapshotRetentionLimit = props.SnapshotRetentionDays ?? 7,
            SnapshotWindow = props.SnapshotWindow ?? "03:00-04:00",
            PreferredMaintenanceWindow = props.MaintenanceWindow ?? "sun:05:00-sun:06:00",
            AutoMinorVersionUpgrade = true,
        });
        ReplicationGroup.ApplyRemovalPolicy(RemovalPolicy.SNAPSHOT);
        Security.PolicyAcknowledgement.Apply(ReplicationGroup,
            [
                new Security.PolicyAcknowledgement("AwsSolutions-AEC5",
                    $"Redis keeps its standard port {Port}: a non-default port only hides from untargeted scans, while here only " +
                    "the granted clients' security groups reach the port at all, and TLS plus the AUTH token are required."),
                .. multiAz ? Array.Empty<Security.PolicyAcknowledgement>() :
                [
                    new Security.PolicyAcknowledgement("AwsSolutions-AEC4",
                        "replicasPerShard is 0 in this cluster's settings: one node per shard in one zone, chosen for a cache " +
                        "that holds no data of record (a zone outage empties it; set replicasPerShard ≥ 1 for Multi-AZ)."),
                ],
            ]);
        Security.PolicyAcknowledgement.Apply(AuthToken, new Security.PolicyAcknowledgement("AwsSolutions-SMG4",
            "Secrets Manager has no AWS-provided rotation function for an ElastiCache AUTH token (hosted rotation covers RDS, " +
            "Redshift and DocumentDB credentials); a new token is applied with ModifyReplicationGroup " +
            "AuthTokenUpdateStrategy=ROTATE, which keeps the old token valid until clients have switched."));

        EndpointParameter = new StringParameter(this, "EndpointParameter", new StringParameterProps
        {
            ParameterName = props.ParameterPrefix is { } prefix ? $"{prefix}/endpoint" : null,
            Description = $"Configuration endpoint (host:port) of the Redis cluster {Node.Path}; connect with TLS and the AUTH token",
            StringValue = $"{ReplicationGroup.AttrConfigurationEndPointAddress}:{ReplicationGroup.AttrConfigurationEndPointPort}",
        });
        AuthSecretArnParameter = new StringParameter(this, "AuthSecretArnParameter", new StringParameterProps
        {
            ParameterName = props.ParameterPrefix is { } p ? $"{p}/auth-secret-arn" : null,
            Description = $"ARN of the secret holding the AUTH token of the Redis cluster {Node.Path}",
            StringValue = AuthToken.SecretArn,
        });
    }

    /// <summary>What a user needs to know of this cluster to be granted access; <see cref="RedisClusterReference"/>.</summary>
    public RedisClusterReference Reference => new(Node.Id, SecurityGroup.SecurityGroupId, EndpointParameter, AuthSecretArnParameter, AuthToken);

    /// <summary>Lets <paramref name="client"/> connect; see <see cref="GrantConnect(RedisClusterReference, IDataClient)"/>.</summary>
    public void GrantConnect(IDataClient client) => GrantConnect(Reference, client);

    /// <summary>
    /// Lets a user connect, creating everything in the user's scope: admits port 6379 from the client's security group
    /// (an ingress rule <c>&lt;Name&gt;Ingress</c> under it) and lets its principal read the two SSM parameters and
    /// exactly the AUTH token secret (and decrypt it). Nothing is added to the cluster, which may live in another stack.
    /// </summary>
    public static void GrantConnect(RedisClusterReference cluster, IDataClient client)
    {
        DataClientIngress.Admit(client, $"{cluster.Name}Ingress", cluster.SecurityGroupId, Port, "Redis (TLS) from a granted user");
        cluster.EndpointParameter.GrantRead(client.Grantee);
        cluster.AuthSecretArnParameter.GrantRead(client.Grantee);
        DataClientIngress.ReadSecret(client, cluster.AuthToken);
    }

    /// <summary>The parameter group family of an engine version: <c>redis7</c> for 7.x, <c>redis6.x</c> for 6.x.</summary>
    public static string ParameterGroupFamily(string engineVersion) =>
        engineVersion.StartsWith("6.", StringComparison.Ordinal) ? "redis6.x" : "redis" + engineVersion.Split('.')[0];

    /// <summary>The Redis spelling of a policy: <see cref="MaxMemoryPolicy.VolatileLru"/> → <c>volatile-lru</c>.</summary>
    public static string PolicyName(MaxMemoryPolicy policy) => policy switch
    {
        Caching.MaxMemoryPolicy.VolatileLru => "volatile-lru",
        Caching.MaxMemoryPolicy.AllkeysLru => "allkeys-lru",
        Caching.MaxMemoryPolicy.VolatileLfu => "volatile-lfu",
        Caching.MaxMemoryPolicy.AllkeysLfu => "allkeys-lfu",
        Caching.MaxMemoryPolicy.VolatileRandom => "volatile-random",
        Caching.MaxMemoryPolicy.AllkeysRandom => "allkeys-random",
        Caching.MaxMemoryPolicy.VolatileTtl => "volatile-ttl",
        _ => "noeviction",
    };

    /// <summary>Checks the settings of a cluster; throws naming the property, the value and what is allowed.</summary>
    /// <exception cref="PropsValidationException">A setting is out of its allowed range.</exception>
    public static void Validate(RedisClusterSettings s)
    {
        if (!Token.IsUnresolved(s.NodeType) && !NodeTypePattern().IsMatch(s.NodeType))
            throw new PropsValidationException(nameof(s.NodeType), s.NodeType, "must be a cache node type such as cache.r7g.large");
        if (!Token.IsUnresolved(s.NodeType) && AwsFacts.CacheNodeTypes.ExistenceProblem(s.NodeType) is { } nodeTypeProblem)
            throw new PropsValidationException(nameof(s.NodeType), s.NodeType, nodeTypeProblem);
        if (s.Shards is { } shards && (shards < 1 || shards > 500))
            throw new PropsValidationException(nameof(s.Shards), shards, "must be between 1 and 500");
        if (s.ReplicasPerShard is { } replicas && (replicas < 0 || replicas > 5))
            throw new PropsValidationException(nameof(s.ReplicasPerShard), replicas, "must be between 0 and 5");
        if (s.EngineVersion is { } version && !EngineVersionPattern().IsMatch(version))
            throw new PropsValidationException(nameof(s.EngineVersion), version, "must be 6.2 or a Redis 7 version such as 7.1");
        if (s.EngineVersion is { } known && !AwsFacts.RedisVersions.Contains(known))
            throw new PropsValidationException(nameof(s.EngineVersion), known, $"is not an ElastiCache for Redis version; there are {string.Join(", ", AwsFacts.RedisVersions.Where(v => EngineVersionPattern().IsMatch(v)))}");
        if (s.SnapshotRetentionDays is { } days && (days < 0 || days > 35))
            throw new PropsValidationException(nameof(s.SnapshotRetentionDays), days, "must be between 0 and 35");
        if (s.SnapshotWindow is { } window && !DailyWindowPattern().IsMatch(window))
            throw new PropsValidationException(nameof(s.SnapshotWindow), window, "must be a UTC window hh:mm-hh:mm such as 03:00-04:00");
        if (s.MaintenanceWindow is { } maintenance && !WeeklyWindowPattern().IsMatch(maintenance))
            throw new PropsValidationException(nameof(s.MaintenanceWindow), maintenance, "must be a UTC window ddd:hh:mm-ddd:hh:mm such as sun:05:00-sun:06:00");
    }

    [GeneratedRegex(@"^cache\.[a-z0-9]+\.[a-z0-9]+$")]
    private static partial Regex NodeTypePattern();

    [GeneratedRegex(@"^(6\.2|7\.[0-9]+)$")]
    private static partial Regex EngineVersionPattern();

    [GeneratedRegex(@"^([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-3]):[0-5][0-9]$")]
    internal static partial Regex DailyWindowPattern();

    [GeneratedRegex(@"^(mon|tue|wed|thu|fri|sat|sun):([01][0-9]|2[0-3]):[0-5][0-9]-(mon|tue|wed|thu|fri|sat|sun):([01][0-9]|2[0-3]):[0-5][0-9]$")]
    internal static partial Regex WeeklyWindowPattern();
}

/// <summary>
/// What a user of a <see cref="RedisCluster"/> is granted on: given by <see cref="RedisCluster.Reference"/> in the
/// cluster's stack, or built from imported values (secret and parameters imported by ARN and name) in another.
/// </summary>
/// <param name="Name">A stable name for the cluster, unique among the stores a client uses; names the ingress rule (<c>&lt;Name&gt;Ingress</c>).</param>
/// <param name="SecurityGroupId">The cluster's security group.</param>
/// <param name="EndpointParameter">The parameter holding the configuration endpoint.</param>
/// <param name="AuthSecretArnParameter">The parameter holding the AUTH secret's ARN.</param>
/// <param name="AuthToken">The AUTH token secret, with its encryption key.</param>
public sealed record RedisClusterReference(string Name, string SecurityGroupId, IStringParameter EndpointParameter,
    IStringParameter AuthSecretArnParameter, ISecret AuthToken);
