using System.Text.RegularExpressions;
using Amazon.CDK;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.ElastiCache;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.KMS;
using CfnUser = Amazon.CDK.AWS.ElastiCache.CfnUser;
using CfnUserProps = Amazon.CDK.AWS.ElastiCache.CfnUserProps;
using Amazon.CDK.AWS.SSM;
using Constructs;
using ScalableBackend.Components.Data;
using ScalableBackend.Components.Facts;

namespace ScalableBackend.Components.Caching;

/// <summary>
/// ElastiCache for Redis in cluster mode (CDK 2.160 has no L2, so this builds on the L1 resources): a replication
/// group of <see cref="RedisClusterSettings.Shards"/> shards with <see cref="RedisClusterSettings.ReplicasPerShard"/>
/// replicas each (automatic failover, which cluster mode requires, and Multi-AZ whenever there is a replica), TLS in transit, encryption at rest
/// with a customer-managed KMS key, role-based access control with IAM authentication instead of a shared AUTH token —
/// one ElastiCache user per <see cref="RedisClusterProps.Users"/> entry (authentication mode <c>iam</c>, user id =
/// user name, its own key prefix) in a user group whose required <c>default</c> user is disabled — a subnet group on
/// the isolated subnets, its own security group that admits port 6379 only from the users granted with
/// <see cref="GrantConnect(IDataClient, string)"/>, a cluster-enabled parameter group, daily snapshots and a
/// maintenance window. Users find the cluster through an SSM parameter. IAM authentication needs Redis OSS 7 or later
/// (ElastiCache User Guide, "Authenticating with IAM").
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

    /// <summary>The cluster's security group; admits nothing until <see cref="GrantConnect(IDataClient, string)"/>.</summary>
    public ISecurityGroup SecurityGroup { get; }

    /// <summary>The key encrypting the cache at rest (given or created).</summary>
    public IKey EncryptionKey { get; }

    /// <summary>SSM parameter holding the configuration endpoint as <c>host:port</c>.</summary>
    public StringParameter EndpointParameter { get; }

    /// <summary>The ElastiCache users (IAM authentication), keyed by their name in <see cref="RedisClusterProps.Users"/> (ids <c>User&lt;Name&gt;</c>).</summary>
    public IReadOnlyDictionary<string, CfnUser> Users { get; }

    /// <summary>The user group's required <c>default</c> user, disabled (<c>off -@all</c>): a connection that does not authenticate as a named user can do nothing.</summary>
    public CfnUser DefaultUser { get; }

    /// <summary>The user group of the replication group: the disabled default user and every user.</summary>
    public CfnUserGroup UserGroup { get; }

    /// <summary>The prefix of every user id and of the user group id (see <see cref="RedisClusterProps.UserIdPrefix"/>).</summary>
    public string UserIdPrefix { get; }

    /// <summary>Creates the cluster; validates <paramref name="props"/> before creating anything.</summary>
    /// <exception cref="PropsValidationException">A property is out of its allowed range.</exception>
    public RedisCluster(Construct scope, string id, RedisClusterProps props) : base(scope, id)
    {
        Validate(props);
        UserIdPrefix = props.UserIdPrefix ?? Names.UniqueResourceName(this, new UniqueResourceNameOptions { MaxLength = 24, Separator = "-" }).ToLowerInvariant() + "-";
        ValidateUsers(UserIdPrefix, props.Users);
        var replicas = props.ReplicasPerShard ?? 1;
        var engineVersion = props.EngineVersion ?? "7.1";
        var multiAz = replicas >= 1;

        EncryptionKey = props.EncryptionKey ?? new Key(this, "Key", new KeyProps
        {
            Description = $"Encrypts the Redis cluster {Node.Path} at rest",
            EnableKeyRotation = true,
            RemovalPolicy = RemovalPolicy.RETAIN,
        });

        // RBAC: a user group must hold a user named "default"; it is switched off, so only the named users get in.
        DefaultUser = new CfnUser(this, "DefaultUser", new CfnUserProps
        {
            UserId = $"{UserIdPrefix}default",
            UserName = "default",
            Engine = "redis",
            AccessString = "off -@all",
            AuthenticationMode = new Dictionary<string, object> { ["Type"] = "no-password-required" },
        });
        var users = new SortedDictionary<string, CfnUser>(StringComparer.Ordinal);
        foreach (var name in (props.Users ?? []).Order(StringComparer.Ordinal))
            users[name] = new CfnUser(this, $"User{Compute.WebService.ToPascal(name)}", new CfnUserProps
            {
                // IAM authentication requires the user id and the user name to be the same.
                UserId = UserId(name),
                UserName = UserId(name),
                Engine = "redis",
                AccessString = AccessString(name),
                AuthenticationMode = new Dictionary<string, object> { ["Type"] = "iam" },
            });
        Users = users;
        UserGroup = new CfnUserGroup(this, "UserGroup", new CfnUserGroupProps
        {
            UserGroupId = $"{UserIdPrefix}users",
            Engine = "redis",
            UserIds = [DefaultUser.UserId, .. users.Values.Select(u => u.UserId)],
        });
        UserGroup.AddDependency(DefaultUser);
        foreach (var user in users.Values)
            UserGroup.AddDependency(user);

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
            // The group's id never changes as users come and go: adding a user updates the group, not the replication group.
            UserGroupIds = new[] { UserGroup.Ref },
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
                    "the granted clients' security groups reach the port at all, and TLS plus an IAM-authenticated user are required."),
                new Security.PolicyAcknowledgement("AwsSolutions-AEC6",
                    "Authentication is role-based access control instead of the one shared AUTH token: the replication group's " +
                    "user group holds an IAM-authenticated ElastiCache user per service (short-lived SigV4 tokens, no stored " +
                    "password) and a disabled default user, so no connection is served without a named user; the rule looks " +
                    "only for an AuthToken."),
                .. multiAz ? Array.Empty<Security.PolicyAcknowledgement>() :
                [
                    new Security.PolicyAcknowledgement("AwsSolutions-AEC4",
                        "replicasPerShard is 0 in this cluster's settings: one node per shard in one zone, chosen for a cache " +
                        "that holds no data of record (a zone outage empties it; set replicasPerShard ≥ 1 for Multi-AZ)."),
                ],
            ]);
        EndpointParameter = new StringParameter(this, "EndpointParameter", new StringParameterProps
        {
            ParameterName = props.ParameterPrefix is { } prefix ? $"{prefix}/endpoint" : null,
            Description = $"Configuration endpoint (host:port) of the Redis cluster {Node.Path}; connect with TLS as an IAM-authenticated user",
            StringValue = $"{ReplicationGroup.AttrConfigurationEndPointAddress}:{ReplicationGroup.AttrConfigurationEndPointPort}",
        });
    }

    /// <summary>The ElastiCache user id (and user name) of user <paramref name="name"/>: <see cref="UserIdPrefix"/> + name.</summary>
    public string UserId(string name) => UserIdOf(UserIdPrefix, name);

    /// <summary>The ElastiCache user id (and user name) of user <paramref name="name"/> under <paramref name="prefix"/>.</summary>
    public static string UserIdOf(string prefix, string name) => prefix + name;

    /// <summary>
    /// The access string of user <paramref name="name"/>: <c>on ~&lt;name&gt;:* +@all -@dangerous</c> — every data
    /// command, but only on keys under the user's own prefix <c>&lt;name&gt;:</c> (so one service cannot read or
    /// overwrite another's keys in the shared cache), no command in Redis's <c>@dangerous</c> category (FLUSHALL,
    /// KEYS, CONFIG, DEBUG, MONITOR, INFO …), and no pub/sub channel.
    /// </summary>
    public static string AccessString(string name) => $"on ~{name}:* +@all -@dangerous";

    /// <summary>What a user needs to know of this cluster to be granted access; <see cref="RedisClusterReference"/>.</summary>
    public RedisClusterReference Reference => new(Node.Id, SecurityGroup.SecurityGroupId, EndpointParameter, ReplicationGroup.Ref, UserIdPrefix);

    /// <summary>Lets <paramref name="client"/> connect as user <paramref name="user"/>; see <see cref="GrantConnect(RedisClusterReference, IDataClient, string)"/>.</summary>
    /// <exception cref="PropsValidationException"><paramref name="user"/> is not one of this cluster's users.</exception>
    public void GrantConnect(IDataClient client, string user)
    {
        if (!Users.ContainsKey(user))
            throw new PropsValidationException(nameof(user), user, $"is not a user of the cache; its users: {(Users.Count == 0 ? "none" : string.Join(", ", Users.Keys))}");
        GrantConnect(Reference, client, user);
    }

    /// <summary>
    /// Lets a client connect as ElastiCache user <paramref name="user"/> (IAM authentication), creating everything in
    /// the client's scope: admits port 6379 from the client's security group (an ingress rule <c>&lt;Name&gt;Ingress</c>
    /// under it), lets its principal read the endpoint parameter and allows <c>elasticache:Connect</c> on exactly the
    /// replication group and that user — both resources are required ("Authenticating with IAM", ElastiCache User
    /// Guide). No secret is involved: the application signs a short-lived token with the principal's credentials.
    /// Nothing is added to the cluster, which may live in another stack.
    /// </summary>
    public static void GrantConnect(RedisClusterReference cluster, IDataClient client, string user)
    {
        DataClientIngress.Admit(client, $"{cluster.Name}Ingress", cluster.SecurityGroupId, Port, "Redis (TLS) from a granted user");
        cluster.EndpointParameter.GrantRead(client.Grantee);
        var stack = Stack.Of(client.SecurityGroup);
        var prefix = $"arn:{stack.Partition}:elasticache:{stack.Region}:{stack.Account}";
        client.Grantee.GrantPrincipal.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Actions = ["elasticache:Connect"],
            Resources = [$"{prefix}:replicationgroup:{cluster.ReplicationGroupId}", $"{prefix}:user:{UserIdOf(cluster.UserIdPrefix, user)}"],
        }));
    }

    /// <summary>
    /// Checks the user names and the prefix their ids share: ElastiCache user ids start with a letter and hold letters,
    /// digits and hyphens (kept lower-case here, as ElastiCache stores them); a name is lower-case letters, digits and
    /// dashes, listed once, and not <c>default</c> (the group's disabled default user).
    /// </summary>
    /// <exception cref="PropsValidationException">A name or the prefix is out of the allowed range.</exception>
    public static void ValidateUsers(string prefix, IReadOnlyList<string>? users)
    {
        if (!Token.IsUnresolved(prefix) && !UserIdPrefixPattern().IsMatch(prefix))
            throw new PropsValidationException("UserIdPrefix", prefix, "must start with a lower-case letter and hold only lower-case letters, digits and hyphens (ElastiCache user ids)");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < (users?.Count ?? 0); i++)
        {
            var name = users![i];
            if (!UserNamePattern().IsMatch(name))
                throw new PropsValidationException($"Users[{i}]", name, "must be lower-case letters, digits and dashes, starting with a letter");
            if (name == "default")
                throw new PropsValidationException($"Users[{i}]", name, "is the user group's disabled default user; choose another name");
            if (!seen.Add(name))
                throw new PropsValidationException($"Users[{i}]", name, "is listed twice");
        }
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
        if (s.EngineVersion is { } old && old.StartsWith("6.", StringComparison.Ordinal))
            throw new PropsValidationException(nameof(s.EngineVersion), old, "must be 7.0 or later: the cache's users authenticate with IAM, which ElastiCache supports from Redis OSS 7");
        if (s.SnapshotRetentionDays is { } days && (days < 0 || days > 35))
            throw new PropsValidationException(nameof(s.SnapshotRetentionDays), days, "must be between 0 and 35");
        if (s.SnapshotWindow is { } window && !DailyWindowPattern().IsMatch(window))
            throw new PropsValidationException(nameof(s.SnapshotWindow), window, "must be a UTC window hh:mm-hh:mm such as 03:00-04:00");
        if (s.MaintenanceWindow is { } maintenance && !WeeklyWindowPattern().IsMatch(maintenance))
            throw new PropsValidationException(nameof(s.MaintenanceWindow), maintenance, "must be a UTC window ddd:hh:mm-ddd:hh:mm such as sun:05:00-sun:06:00");
    }

    [GeneratedRegex(@"^[a-z][a-z0-9-]*$")]
    private static partial Regex UserIdPrefixPattern();

    [GeneratedRegex(@"^[a-z][a-z0-9-]*$")]
    private static partial Regex UserNamePattern();

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
/// <param name="ReplicationGroupId">The replication group's id (its <c>Ref</c>), which names it in <c>elasticache:Connect</c> and in the IAM token.</param>
/// <param name="UserIdPrefix">The prefix of the cluster's user ids (<see cref="RedisCluster.UserIdPrefix"/>).</param>
public sealed record RedisClusterReference(string Name, string SecurityGroupId, IStringParameter EndpointParameter,
    string ReplicationGroupId, string UserIdPrefix);
