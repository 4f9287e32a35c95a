using System.Text.RegularExpressions;
using Amazon.CDK;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.KMS;
using Amazon.CDK.AWS.Logs;
using Amazon.CDK.AWS.RDS;
using Amazon.CDK.AWS.SecretsManager;
using Amazon.CDK.AWS.SSM;
using Constructs;
using ScalableBackend.Components.Observability;
using ScalableBackend.Components.Caching;
using ScalableBackend.Components.Compute;
using ScalableBackend.Sharding;
using ScalableBackend.Components.Facts;

namespace ScalableBackend.Components.Data;

/// <summary>The resources of one shard of a <see cref="ShardedDatabase"/>.</summary>
/// <param name="Id">The shard's stable id, e.g. <c>shard1</c>.</param>
/// <param name="Writer">The shard's primary instance.</param>
/// <param name="Replicas">Its read replicas, in order (<c>Replica1</c>, <c>Replica2</c>, …).</param>
/// <param name="Proxy">Its RDS Proxy, or null when the shard has none.</param>
public sealed record ShardResources(string Id, DatabaseInstance Writer, IReadOnlyList<DatabaseInstanceReadReplica> Replicas, DatabaseProxy? Proxy)
{
    /// <summary>The secret holding the shard's generated master credentials (read by the shard's rotation, its proxy and the role manager only).</summary>
    public ISecret Secret => Writer.Secret!;

    /// <summary>The resource ids (<c>DbiResourceId</c>, <c>db-…</c>) of the writer and then each replica: the instance part of an <c>rds-db:connect</c> ARN.</summary>
    /// <remarks>Read from each <c>AWS::RDS::DBInstance</c>'s <c>DbiResourceId</c> attribute: CDK 2.160's
    /// <c>DatabaseInstanceReadReplica.InstanceResourceId</c> resolves to the replica's ARN instead.</remarks>
    public IReadOnlyList<string> InstanceResourceIds =>
        [ResourceIdOf(Writer), .. Replicas.Select(ResourceIdOf)];

    private static string ResourceIdOf(Constructs.IConstruct instance) => ((CfnDBInstance)instance.Node.DefaultChild!).AttrDbiResourceId;

    /// <summary>The proxy's resource id (<c>prx-…</c>, the last part of its ARN): the proxy part of an <c>rds-db:connect</c> ARN; null without a proxy.</summary>
    public string? ProxyResourceId => Proxy is { } proxy ? Fn.Select(6, Fn.Split(":", proxy.DbProxyArn)) : null;

    /// <summary>What a user is granted <c>rds-db:connect</c> on in this shard.</summary>
    public ShardConnectTargets ConnectTargets => new(InstanceResourceIds, ProxyResourceId);
}

/// <summary>The resource ids a database user connects to in one shard with IAM authentication.</summary>
/// <param name="InstanceResourceIds">The writer's and the replicas' <c>DbiResourceId</c> (<c>db-…</c>).</param>
/// <param name="ProxyResourceId">The proxy's resource id (<c>prx-…</c>), or null when the shard has no proxy.</param>
public sealed record ShardConnectTargets(IReadOnlyList<string> InstanceResourceIds, string? ProxyResourceId);

/// <summary>
/// PostgreSQL split over independent RDS instances, one per shard. Each shard is keyed by a stable id that its
/// construct id comes from, so adding a shard only adds resources. Every instance: storage encrypted with a
/// customer-managed KMS key, gp3 storage with autoscaling, Multi-AZ, automated backups, deletion protection and a
/// final snapshot on delete (as configured), Performance Insights, <c>postgresql</c> and <c>upgrade</c> log exports
/// with a retention, IAM authentication, TLS required (<c>rds.force_ssl = 1</c>), credentials generated in Secrets
/// Manager, no public access, isolated subnets. A shard may add read replicas and an RDS Proxy (TLS and IAM required,
/// end-to-end IAM to the writer). One security group admits port 5432 only from users granted with
/// <see cref="GrantConnect(IDataClient, string)"/>.
/// <para>
/// <b>Identities.</b> Each of <see cref="ShardedDatabaseProps.DatabaseUsers"/> is a PostgreSQL role in every shard
/// (<see cref="Users"/>) that logs in only through IAM database authentication; a user's grant is
/// <c>rds-db:connect</c> on exactly its role, and no user reads the master secrets (their rotation, the proxies and
/// the role manager do).
/// </para>
/// <para>
/// <b>Routing.</b> The key space is divided into <see cref="ShardedDatabaseSettings.BucketCount"/> virtual buckets
/// (default 1024); the application computes <c>bucket = crc32(UTF-8 key) mod bucketCount</c> and looks the bucket up
/// in the shard map, the SSM parameter <see cref="ShardMap"/>: a JSON document listing, per shard id, the buckets it
/// owns, the writer endpoint, the reader (replica) endpoints, the proxy endpoint and the master secret's ARN (for operators). Each
/// shard owns explicitly configured bucket ranges, so adding a shard adds instances and changes only the shard map;
/// moving buckets to the new shard — copying their rows, then switching ownership — is the application's job.
/// </para>
/// </summary>
public sealed partial class ShardedDatabase : Construct
{
    /// <summary>The port PostgreSQL and the proxies listen on.</summary>
    public const int Port = 5432;

    /// <summary>The hash the application maps a key to a bucket with, as named in the shard map.</summary>
    public const string HashFunction = Sharding.ShardMap.HashFunction;

    /// <summary>The key encrypting storage, Performance Insights and the credentials secrets (given or created).</summary>
    public IKey EncryptionKey { get; }

    /// <summary>The security group of every instance, replica and proxy; admits nothing from outside until <see cref="GrantConnect(IDataClient, string)"/>.</summary>
    public ISecurityGroup SecurityGroup { get; }

    /// <summary>The parameter group of every instance: <c>rds.force_ssl = 1</c>.</summary>
    public IParameterGroup ParameterGroup { get; }

    /// <summary>The shards, keyed by their stable id.</summary>
    public IReadOnlyDictionary<string, ShardResources> Shards { get; }

    /// <summary>The roles of <see cref="ShardedDatabaseProps.DatabaseUsers"/> in every shard; null without users.</summary>
    public DatabaseUsers? Users { get; }

    /// <summary>The SSM parameter holding the shard map (JSON); see the class summary for its shape.</summary>
    public StringParameter ShardMap { get; }

    /// <summary>Creates the shards; validates <paramref name="props"/> before creating anything.</summary>
    /// <exception cref="PropsValidationException">A property is out of its allowed range.</exception>
    public ShardedDatabase(Construct scope, string id, ShardedDatabaseProps props) : base(scope, id)
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        Validate(props, today);
        ValidateIdentifiers(props);
        foreach (var user in props.DatabaseUsers ?? [])
            if (UserNameProblem(user) is { } problem)
                throw new PropsValidationException(nameof(props.DatabaseUsers), user, problem);
        var version = props.EngineVersion ?? PostgresVersions.Default;
        if (CreationDeadlineWarning(version, today) is { } warning)
            Annotations.Of(this).AddWarningV2("@scalable-backend/data:engine-version-creation-ends", warning);
        var engine = DatabaseInstanceEngine.Postgres(new PostgresInstanceEngineProps
        {
            Version = PostgresEngineVersion.Of(version, version.Split('.')[0]),
        });
        var allocated = props.AllocatedStorageGiB ?? 100;
        var maximum = props.MaxAllocatedStorageGiB ?? Math.Min(65536, allocated * 4);
        var subnets = props.Subnets ?? new SubnetSelection { SubnetType = SubnetType.PRIVATE_ISOLATED };
        var removal = props.SnapshotOnDelete ?? true ? RemovalPolicy.SNAPSHOT : RemovalPolicy.DESTROY;
        var deletionProtection = props.DeletionProtection ?? true;
        var insights = props.EnablePerformanceInsights ?? true;
        var logRetention = props.LogRetention ?? RetentionDays.ONE_YEAR;
        string[] logExports = ["postgresql", "upgrade"];
        var rotationDays = props.CredentialRotationDays ?? 30;
        var users = (props.DatabaseUsers ?? []).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        if (rotationDays > 0 && props.RotationSubnets is null && props.Vpc.PrivateSubnets.Length == 0)
            throw new PropsValidationException(nameof(props.CredentialRotationDays), rotationDays,
                "needs subnets from which the rotation function reaches the Secrets Manager API, and the VPC has no private " +
                "subnets with egress: give rotationSubnets (with a NAT gateway or a Secrets Manager interface endpoint), or set 0 to turn rotation off");

        EncryptionKey = props.EncryptionKey ?? new Key(this, "Key", new KeyProps
        {
            Description = $"Encrypts the database shards of {Node.Path}, their Performance Insights and credentials",
            EnableKeyRotation = true,
            RemovalPolicy = RemovalPolicy.RETAIN,
        });
        SecurityGroup = new SecurityGroup(this, "SecurityGroup", new SecurityGroupProps
        {
            Vpc = props.Vpc,
            Description = $"Database shards of {Node.Path}: port {Port} from granted users only",
            AllowAllOutbound = false,
        });
        ParameterGroup = new ParameterGroup(this, "ParameterGroup", new ParameterGroupProps
        {
            Engine = engine,
            Description = $"Database shards of {Node.Path}: TLS required",
            Parameters = new Dictionary<string, string> { ["rds.force_ssl"] = "1" },
        });

        var shards = new Dictionary<string, ShardResources>();
        foreach (var (shardId, shard) in props.Shards.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var shardScope = new Construct(this, ConstructIdOf(shardId));
            var writerId = props.InstanceIdentifierPrefix is { } prefix ? $"{prefix}-{shardId}" : null;
            var writerLogs = ExportLogGroups(shardScope, "Instance", writerId, props, logRetention);
            var writer = new DatabaseInstance(shardScope, "Instance", new DatabaseInstanceProps
            {
                InstanceIdentifier = writerId,
                Engine = engine,
                InstanceType = props.InstanceType,
                Vpc = props.Vpc,
                VpcSubnets = subnets,
                SecurityGroups = new[] { SecurityGroup },
                Credentials = Credentials.FromGeneratedSecret("postgres", new CredentialsBaseOptions { EncryptionKey = EncryptionKey }),
                ParameterGroup = ParameterGroup,
                StorageEncrypted = true,
                StorageEncryptionKey = EncryptionKey,
                StorageType = StorageType.GP3,
                AllocatedStorage = allocated,
                MaxAllocatedStorage = maximum > allocated ? maximum : null,
                MultiAz = props.MultiAz ?? true,
                BackupRetention = Duration.Days(props.BackupRetentionDays ?? 7),
                PreferredBackupWindow = props.BackupWindow ?? "03:00-04:00",
                PreferredMaintenanceWindow = props.MaintenanceWindow ?? "sun:05:00-sun:06:00",
                DeletionProtection = deletionProtection,
                RemovalPolicy = removal,
                EnablePerformanceInsights = insights,
                PerformanceInsightEncryptionKey = insights ? EncryptionKey : null,
                CloudwatchLogsExports = logExports,
                CloudwatchLogsRetention = writerLogs is null ? logRetention : null,
                IamAuthentication = true,
                PubliclyAccessible = false,
                AutoMinorVersionUpgrade = true,
                CopyTagsToSnapshot = true,
                CaCertificate = CaCertificate.RDS_CA_RSA2048_G1,
            });

            foreach (var group in writerLogs ?? []) writer.Node.AddDependency(group);
            AcknowledgeWriter(writer, props);
            if (rotationDays > 0)
            {
                // Secrets Manager's hosted single-user rotation for RDS for PostgreSQL (the function is deployed by the
                // AWS::SecretsManager-2020-07-23 transform): it needs the shard's port and the Secrets Manager API.
                var rotationGroup = new SecurityGroup(shardScope, "RotationSecurityGroup", new SecurityGroupProps
                {
                    Vpc = props.Vpc,
                    Description = $"Credential rotation of {shardScope.Node.Path}: HTTPS to Secrets Manager, PostgreSQL to the shard",
                    AllowAllOutbound = false,
                });
                rotationGroup.AddEgressRule(Peer.AnyIpv4(), Amazon.CDK.AWS.EC2.Port.Tcp(443), "HTTPS to the Secrets Manager API");
                var rotation = HostedRotation.PostgreSqlSingleUser(new SingleUserHostedRotationOptions
                {
                    Vpc = props.Vpc,
                    SecurityGroups = new[] { rotationGroup },
                    VpcSubnets = props.RotationSubnets ?? new SubnetSelection { SubnetType = SubnetType.PRIVATE_WITH_EGRESS },
                });
                writer.Secret!.AddRotationSchedule("Rotation", new RotationScheduleOptions
                {
                    HostedRotation = rotation,
                    AutomaticallyAfter = Duration.Days(rotationDays),
                });
                writer.Connections.AllowDefaultPortFrom(rotation, "PostgreSQL from the credential rotation function");
            }
            else
            {
                // writer.Secret is the target attachment; the generated secret is the instance's child "Secret".
                Security.PolicyAcknowledgement.Apply(writer.Node.FindChild("Secret"), new Security.PolicyAcknowledgement("AwsSolutions-SMG4",
                    "credentialRotationDays: 0 in this database's settings turns the scheduled rotation of the master credentials off."));
            }

            var replicas = new List<DatabaseInstanceReadReplica>();
            for (var n = 1; n <= (shard.ReadReplicas ?? 0); n++)
            {
                var replicaId = writerId is null ? null : $"{writerId}-replica{n}";
                var replicaLogs = ExportLogGroups(shardScope, $"Replica{n}", replicaId, props, logRetention);
                replicas.Add(new DatabaseInstanceReadReplica(shardScope, $"Replica{n}", new DatabaseInstanceReadReplicaProps
                {
                    InstanceIdentifier = replicaId,
                    SourceDatabaseInstance = writer,
                    InstanceType = props.InstanceType,
                    Vpc = props.Vpc,
                    VpcSubnets = subnets,
                    SecurityGroups = new[] { SecurityGroup },
                    ParameterGroup = ParameterGroup,
                    // No StorageEncrypted/KmsKeyId: a replica in its source's region is always encrypted with the
                    // source's key, and CloudFormation rejects StorageEncrypted beside SourceDBInstanceIdentifier (F3020).
                    StorageType = StorageType.GP3,
                    MaxAllocatedStorage = maximum > allocated ? maximum : null,
                    PreferredMaintenanceWindow = props.MaintenanceWindow ?? "sun:05:00-sun:06:00",
                    DeletionProtection = deletionProtection,
                    RemovalPolicy = removal,
                    EnablePerformanceInsights = insights,
                    PerformanceInsightEncryptionKey = insights ? EncryptionKey : null,
                    CloudwatchLogsExports = logExports,
                    CloudwatchLogsRetention = replicaLogs is null ? logRetention : null,
                    IamAuthentication = true,
                    PubliclyAccessible = false,
                    AutoMinorVersionUpgrade = true,
                    CaCertificate = CaCertificate.RDS_CA_RSA2048_G1,
                }));
                foreach (var group in replicaLogs ?? []) replicas[^1].Node.AddDependency(group);
                Security.PolicyAcknowledgement.Apply(replicas[^1],
                    [
                        DefaultPortAcknowledgement,
                        new Security.PolicyAcknowledgement("AwsSolutions-RDS2",
                            "A read replica is encrypted with its source's key without saying so: CloudFormation rejects " +
                            "StorageEncrypted beside SourceDBInstanceIdentifier (validator F3020), and the writer is encrypted."),
                        new Security.PolicyAcknowledgement("AwsSolutions-RDS3",
                            "A read replica serves reads only; the shard's availability rests on its writer (Multi-AZ unless " +
                            "the settings turn it off), and the shard map lets readers fall back to the writer."),
                    ]);
            }

            DatabaseProxy? proxy = null;
            if (shard.EnableProxy ?? false)
            {
                proxy = new DatabaseProxy(shardScope, "Proxy", new DatabaseProxyProps
                {
                    ProxyTarget = ProxyTarget.FromInstance(writer),
                    Secrets = new[] { writer.Secret! },
                    Vpc = props.Vpc,
                    VpcSubnets = subnets,
                    SecurityGroups = new[] { SecurityGroup },
                    RequireTLS = true,
                    // Clients authenticate to the proxy with IAM only (Auth[].IAMAuth: REQUIRED).
                    IamAuth = true,
                    DebugLogging = false,
                    // Proxy names are unique per account and region; CDK would name every shard's proxy "Proxy".
                    DbProxyName = ProxyNameOf(shardScope),
                });
                EnableEndToEndIam(proxy, writer, users);
            }
            // The proxy shares the shards' security group: CDK adds the self-referencing rule that lets it reach the writer.
            shards[shardId] = new ShardResources(shardId, writer, replicas, proxy);
        }
        Shards = shards;

        if (users.Length > 0)
        {
            var usersSubnets = props.RotationSubnets ?? new SubnetSelection { SubnetType = SubnetType.PRIVATE_WITH_EGRESS };
            if (props.RotationSubnets is null && props.Vpc.PrivateSubnets.Length == 0)
                throw new PropsValidationException(nameof(props.DatabaseUsers), string.Join(", ", users),
                    "need subnets from which the database users function reaches the Secrets Manager API and CloudFormation, and the VPC has no " +
                    "private subnets with egress: give rotationSubnets (with a NAT gateway or interface endpoints)");
            Users = new DatabaseUsers(this, "Users", new DatabaseUsersProps
            {
                Users = users,
                Shards = shards.Values.Select(s => ((Construct)s.Writer.Node.Scope!, s.Writer)).ToArray(),
                Vpc = props.Vpc,
                Subnets = usersSubnets,
                DatabaseSecurityGroup = SecurityGroup,
                SecretKey = EncryptionKey,
                LogEncryptionKey = props.LogEncryptionKey
                    ?? throw new PropsValidationException(nameof(props.LogEncryptionKey), null, "is required with databaseUsers: the database users function's log group is created encrypted"),
                LogRetention = logRetention,
            });
        }

        ShardMap = new StringParameter(this, "ShardMap", new StringParameterProps
        {
            ParameterName = props.ShardMapParameterName,
            Description = $"Shard map of {Node.Path}: {HashFunction}(key) mod bucketCount → bucket → shard endpoints and secret",
            Tier = ParameterTier.INTELLIGENT_TIERING,
            StringValue = ShardMapDocument(props, shards).ToJson(),
        });
    }

    /// <summary>
    /// The shard map through the schema clients read (<c>ScalableBackend.ShardMap</c>): version 1 while nothing moves,
    /// version 2 with moves or a shard without buckets. Endpoints are tokens here; CloudFormation joins them in.
    /// </summary>
    private static Sharding.ShardMap ShardMapDocument(ShardedDatabaseSettings settings, IReadOnlyDictionary<string, ShardResources> shards) => new(
        settings.BucketCount ?? 1024,
        shards.ToDictionary(kv => kv.Key, kv => new ShardEntry
        {
            Buckets = settings.Shards[kv.Key].Buckets.Select(b => new Sharding.BucketRange(b.From, b.To)).ToArray(),
            Writer = kv.Value.Writer.InstanceEndpoint.SocketAddress,
            Readers = kv.Value.Replicas.Select(r => r.InstanceEndpoint.SocketAddress).ToArray(),
            Proxy = kv.Value.Proxy is { } p ? $"{p.Endpoint}:{Port}" : null,
            SecretArn = kv.Value.Secret.SecretArn,
        }),
        (settings.Moves ?? []).Select(m => new BucketMove(new Sharding.BucketRange(m.Buckets.From, m.Buckets.To), m.FromShard, m.ToShard, m.State switch
        {
            BucketMoveState.Copying => MoveState.Copying,
            BucketMoveState.Switched => MoveState.Switched,
            _ => MoveState.Cleaned,
        })).ToArray());

    /// <summary>What a user needs to know of this database to be granted access; <see cref="ShardedDatabaseReference"/>.</summary>
    public ShardedDatabaseReference Reference =>
        new(Node.Id, SecurityGroup.SecurityGroupId, ShardMap, Shards.ToDictionary(kv => kv.Key, kv => kv.Value.ConnectTargets));

    /// <summary>Lets <paramref name="client"/> connect as <paramref name="user"/>; see <see cref="GrantConnect(ShardedDatabaseReference, IDataClient, string)"/>.</summary>
    public void GrantConnect(IDataClient client, string user) => GrantConnect(Reference, client, user);

    /// <summary>
    /// Lets a user connect as PostgreSQL role <paramref name="user"/> (see <see cref="UserNameOf"/>) with IAM database
    /// authentication, creating everything in the user's scope: admits port 5432 (instances, replicas and proxies) from
    /// the client's security group (an ingress rule <c>&lt;Name&gt;Ingress</c> under it), lets its principal read the
    /// shard map parameter, and allows <c>rds-db:connect</c> on exactly
    /// <c>arn:${Partition}:rds-db:${Region}:${Account}:dbuser:&lt;resource id&gt;/&lt;user&gt;</c> for every shard's writer,
    /// replicas (<c>db-…</c>) and proxy (<c>prx-…</c>). No credentials secret is readable: the master secrets stay with
    /// the rotation, the proxies and the role manager. Nothing is added to the database, which may live in another stack;
    /// the role itself must be among <see cref="ShardedDatabaseProps.DatabaseUsers"/>.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="user"/> is not a valid database user name.</exception>
    public static void GrantConnect(ShardedDatabaseReference database, IDataClient client, string user)
    {
        if (UserNameProblem(user) is { } problem)
            throw new ArgumentException($"user \"{user}\" {problem}", nameof(user));
        DataClientIngress.Admit(client, $"{database.Name}Ingress", database.SecurityGroupId, Port, "PostgreSQL (TLS) from a granted user");
        database.ShardMap.GrantRead(client.Grantee);
        var stack = Stack.Of(client.SecurityGroup);
        var resources = database.Shards.OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .SelectMany(kv => kv.Value.InstanceResourceIds.Append(kv.Value.ProxyResourceId).OfType<string>())
            .Select(resourceId => DbUserArn(stack, resourceId, user))
            .ToArray();
        client.Grantee.GrantPrincipal.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = $"ConnectTo{database.Name}",
            Actions = ["rds-db:connect"],
            Resources = resources,
        }));
    }

    /// <summary>
    /// The PostgreSQL role of member <paramref name="memberKey"/> (a service's or worker's key): <c>svc_</c> and the key
    /// with dashes as underscores (<c>order-api</c> → <c>svc_order_api</c>); deterministic, so the stacks, the roles
    /// created in every shard and the container's <c>SB_DATABASE_USER</c> agree.
    /// </summary>
    /// <exception cref="ArgumentException">The name would not be a valid database user (see <see cref="UserNameProblem"/>).</exception>
    public static string UserNameOf(string memberKey)
    {
        var user = "svc_" + memberKey.Replace('-', '_');
        return UserNameProblem(user) is { } problem
            ? throw new ArgumentException($"member key \"{memberKey}\" makes the database user \"{user}\", which {problem}", nameof(memberKey))
            : user;
    }

    /// <summary>
    /// Why <paramref name="user"/> cannot be a database user here, or null: it must be a lower-case PostgreSQL identifier
    /// that needs no quoting (a letter, then letters, digits and underscores), at most 63 characters (PostgreSQL's
    /// NAMEDATALEN − 1), not reserved by PostgreSQL or RDS (<c>pg_…</c>, <c>rds…</c>) and not the master user <c>postgres</c>.
    /// </summary>
    public static string? UserNameProblem(string user) =>
        !UserNamePattern().IsMatch(user) ? "must start with a lower-case letter and hold only lower-case letters, digits and underscores"
        : user.Length > 63 ? $"has {user.Length} characters; PostgreSQL allows at most 63"
        : user.StartsWith("pg_", StringComparison.Ordinal) || user.StartsWith("rds", StringComparison.Ordinal) || user == "postgres"
            ? "is reserved (pg_…, rds…, postgres)"
        : null;

    [GeneratedRegex("^[a-z][a-z0-9_]*$")]
    private static partial Regex UserNamePattern();

    /// <summary><c>arn:${Partition}:rds-db:${Region}:${Account}:dbuser:&lt;resourceId&gt;/&lt;user&gt;</c> in <paramref name="stack"/>'s partition, region and account.</summary>
    private static string DbUserArn(Stack stack, string resourceId, string user) => stack.FormatArn(new ArnComponents
    {
        Service = "rds-db",
        Resource = "dbuser",
        ResourceName = $"{resourceId}/{user}",
        ArnFormat = ArnFormat.COLON_RESOURCE_NAME,
    });

    /// <summary>
    /// RDS Proxy end-to-end IAM authentication (<c>DefaultAuthScheme: IAM_AUTH</c>): the proxy connects to the writer as
    /// the client's own user with an IAM token, so no user needs a secret of its own. Its role may connect to the writer
    /// (<c>db-…</c>) as exactly <paramref name="users"/>. The master secret stays registered (CDK 2.160's proxy needs
    /// one) with IAM required too; nothing grants <c>rds-db:connect</c> on the proxy as the master user.
    /// </summary>
    private static void EnableEndToEndIam(DatabaseProxy proxy, DatabaseInstance writer, IReadOnlyList<string> users)
    {
        // CDK 2.160's L2 predates the property (AWS::RDS::DBProxy DefaultAuthScheme, September 2025).
        ((CfnDBProxy)proxy.Node.DefaultChild!).AddPropertyOverride("DefaultAuthScheme", "IAM_AUTH");
        if (users.Count == 0) return;
        var role = (IRole)proxy.Node.FindChild("IAMRole");
        role.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "ConnectAsTheDatabaseUsers",
            Actions = ["rds-db:connect"],
            Resources = users.Select(user => DbUserArn(Stack.Of(proxy), ((CfnDBInstance)writer.Node.DefaultChild!).AttrDbiResourceId, user)).ToArray(),
        }));
    }

    private static readonly Security.PolicyAcknowledgement DefaultPortAcknowledgement = new("AwsSolutions-RDS11",
        $"PostgreSQL keeps its standard port {Port}: a non-default port only hides from untargeted scans, while here only " +
        "the granted clients' security groups reach the port at all, and TLS (rds.force_ssl) is required.");

    /// <summary>What the writer knowingly leaves to its settings: the default port, and Multi-AZ or deletion protection when turned off.</summary>
    private static void AcknowledgeWriter(DatabaseInstance writer, ShardedDatabaseSettings settings) =>
        Security.PolicyAcknowledgement.Apply(writer,
            [
                DefaultPortAcknowledgement,
                .. settings.MultiAz ?? true ? Array.Empty<Security.PolicyAcknowledgement>() :
                [
                    new Security.PolicyAcknowledgement("AwsSolutions-RDS3",
                        "multiAz: false in this database's settings: a writer without a standby, accepted where a zone " +
                        "outage may stop the shard until it is restored (backups and point-in-time recovery stay on)."),
                ],
                .. settings.DeletionProtection ?? true ? Array.Empty<Security.PolicyAcknowledgement>() :
                [
                    new Security.PolicyAcknowledgement("AwsSolutions-RDS10",
                        "deletionProtection: false in this database's settings, so the environment can be torn down; " +
                        "deleting still takes a final snapshot unless snapshotOnDelete is false."),
                ],
            ]);

    private static string ProxyNameOf(IConstruct shardScope) =>
        (Names.UniqueResourceName(shardScope, new UniqueResourceNameOptions { MaxLength = 54, Separator = "-" }) + "-proxy")
            .ToLowerInvariant().Replace("--", "-", StringComparison.Ordinal);

    /// <summary>
    /// The log groups RDS exports <c>postgresql</c> and <c>upgrade</c> logs of instance <paramref name="identifier"/>
    /// into, created before the instance with the retention and the log key; null without fixed identifiers.
    /// </summary>
    private static LogGroup[]? ExportLogGroups(Construct shardScope, string instanceId, string? identifier, ShardedDatabaseProps props, RetentionDays retention) =>
        identifier is null
            ? null
            : new[] { "postgresql", "upgrade" }.Select(log => EncryptedLogGroup.Create(shardScope, $"{instanceId}{WebService.ToPascal(log)}Log", new EncryptedLogGroupProps
            {
                LogGroupName = $"/aws/rds/instance/{identifier}/{log}",
                EncryptionKey = props.LogEncryptionKey!,
                Retention = retention,
            })).ToArray();

    /// <summary>Checks the instance identifier prefix: the longest identifier it makes must be a valid RDS identifier.</summary>
    private static void ValidateIdentifiers(ShardedDatabaseProps props)
    {
        if (props.InstanceIdentifierPrefix is not { } prefix) return;
        if (!IdentifierPrefixPattern().IsMatch(prefix) || prefix.Contains("--", StringComparison.Ordinal))
            throw new PropsValidationException(nameof(props.InstanceIdentifierPrefix), prefix, "must start with a letter and hold only lower-case letters, digits and single dashes, not ending with a dash");
        if (props.LogEncryptionKey is null)
            throw new PropsValidationException(nameof(props.LogEncryptionKey), null, "is required with instanceIdentifierPrefix: the exported log groups it names are created encrypted");
        var longest = props.Shards.Select(kv => $"{prefix}-{kv.Key}" + ((kv.Value.ReadReplicas ?? 0) > 0 ? $"-replica{kv.Value.ReadReplicas}" : "")).MaxBy(id => id.Length)!;
        if (longest.Length > 63)
            throw new PropsValidationException(nameof(props.InstanceIdentifierPrefix), prefix, $"makes the identifier {longest} ({longest.Length} characters); RDS allows at most 63");
    }

    [GeneratedRegex("^[a-z][a-z0-9-]*[a-z0-9]$")]
    private static partial Regex IdentifierPrefixPattern();

    /// <summary>The construct id of shard <paramref name="shardId"/>: <c>shard1</c> → <c>Shard1</c>, <c>eu-2</c> → <c>Eu2</c>.</summary>
    public static string ConstructIdOf(string shardId) => WebService.ToPascal(shardId);

    /// <summary>
    /// The warning for a version whose creation deadline (<see cref="PostgresVersions"/>) is at most
    /// <see cref="PostgresVersions.WarningDays"/> days after <paramref name="today"/>; null otherwise.
    /// </summary>
    public static string? CreationDeadlineWarning(string version, DateOnly today) =>
        PostgresVersions.All.TryGetValue(version, out var known) && known.CreationEnds is { } end && end > today && end.DayNumber - today.DayNumber <= PostgresVersions.WarningDays
            ? $"PostgreSQL {version}: RDS stops creating new instances on it on {end:yyyy-MM-dd} ({end.DayNumber - today.DayNumber} days); new shards, replicas and replacements fail after that. Move to one of {string.Join(", ", PostgresVersions.CreatableOn(end))}."
            : null;

    /// <summary>
    /// Checks the settings of a sharded database; throws naming the property path, the value and what is allowed. The
    /// engine version must be one <see cref="PostgresVersions"/> knows and still creatable on <paramref name="today"/>
    /// (default: today, UTC).
    /// </summary>
    /// <exception cref="PropsValidationException">A setting is out of its allowed range.</exception>
    public static void Validate(ShardedDatabaseSettings s, DateOnly? today = null)
    {
        const string shardsKey = nameof(s.Shards);
        if (s.Shards.Count < 1)
            throw new PropsValidationException(shardsKey, null, "must declare at least one shard");
        var bucketCount = s.BucketCount ?? 1024;
        if (bucketCount < 1 || bucketCount > 65536)
            throw new PropsValidationException(nameof(s.BucketCount), bucketCount, "must be between 1 and 65536");
        if (s.EngineVersion is { } version && (EngineVersionPattern().Match(version) is not { Success: true } m || int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) < 13))
            throw new PropsValidationException(nameof(s.EngineVersion), version, $"must be a PostgreSQL version major.minor with major 13 or newer, such as {PostgresVersions.Default}");
        // Whether the version exists at all (AwsFacts, from AWS's validator); then whether it can still be created (PostgresVersions).
        if (s.EngineVersion is { } existing && !AwsFacts.PostgresVersions.Contains(existing))
            throw new PropsValidationException(nameof(s.EngineVersion), existing, $"is not an RDS for PostgreSQL version{AwsFacts.DidYouMean(existing, AwsFacts.PostgresVersions.Where(v => v.StartsWith(existing.Split('.')[0] + ".", StringComparison.Ordinal)))}");
        if (s.EngineVersion is { } listed)
        {
            var day = today ?? DateOnly.FromDateTime(DateTime.UtcNow);
            var creatable = string.Join(", ", PostgresVersions.CreatableOn(day));
            if (!PostgresVersions.All.TryGetValue(listed, out var known))
                throw new PropsValidationException(nameof(s.EngineVersion), listed, $"is not an RDS for PostgreSQL version in components/Data/postgres-versions.json (retrieved {PostgresVersions.Retrieved:yyyy-MM-dd}); creatable: {creatable}");
            if (known.CreationEnds is { } end && end <= day)
                throw new PropsValidationException(nameof(s.EngineVersion), listed, $"can no longer be created: RDS stopped creating new instances on it on {end:yyyy-MM-dd}; creatable: {creatable}");
        }
        var allocated = s.AllocatedStorageGiB ?? 100;
        if (allocated < 20 || allocated > 65536)
            throw new PropsValidationException(nameof(s.AllocatedStorageGiB), allocated, "must be between 20 and 65536");
        if (s.MaxAllocatedStorageGiB is { } max && (max < allocated || max > 65536))
            throw new PropsValidationException(nameof(s.MaxAllocatedStorageGiB), max, $"must be between allocatedStorageGiB ({allocated}) and 65536");
        if (s.BackupRetentionDays is { } days && (days < 1 || days > 35))
            throw new PropsValidationException(nameof(s.BackupRetentionDays), days, "must be between 1 and 35");
        if (s.CredentialRotationDays is { } rotation && (rotation < 0 || rotation > 1000))
            throw new PropsValidationException(nameof(s.CredentialRotationDays), rotation, "must be between 1 and 1000 days (Secrets Manager's range), or 0 to turn rotation off");
        if (s.BackupWindow is { } window && !RedisCluster.DailyWindowPattern().IsMatch(window))
            throw new PropsValidationException(nameof(s.BackupWindow), window, "must be a UTC window hh:mm-hh:mm such as 03:00-04:00");
        if (s.MaintenanceWindow is { } maintenance && !RedisCluster.WeeklyWindowPattern().IsMatch(maintenance))
            throw new PropsValidationException(nameof(s.MaintenanceWindow), maintenance, "must be a UTC window ddd:hh:mm-ddd:hh:mm such as sun:05:00-sun:06:00");

        var owners = new string?[bucketCount];
        var constructIds = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (shardId, shard) in s.Shards.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var at = $"{shardsKey}.{shardId}";
            if (!WebService.IsValidKey(shardId))
                throw new PropsValidationException(shardsKey, shardId, "keys must be lower-case letters, digits and dashes, starting with a letter (at most 40)");
            if (constructIds.TryGetValue(ConstructIdOf(shardId), out var twin))
                throw new PropsValidationException(shardsKey, shardId, $"has the same construct id ({ConstructIdOf(shardId)}) as {twin}");
            constructIds[ConstructIdOf(shardId)] = shardId;
            if (shard.ReadReplicas is { } replicas && (replicas < 0 || replicas > 5))
                throw new PropsValidationException($"{at}.{nameof(shard.ReadReplicas)}", replicas, "must be between 0 and 5");
            for (var i = 0; i < shard.Buckets.Count; i++)
            {
                var range = shard.Buckets[i];
                var rangeAt = $"{at}.{nameof(shard.Buckets)}[{i}]";
                if (range.From < 0 || range.From >= bucketCount)
                    throw new PropsValidationException($"{rangeAt}.{nameof(range.From)}", range.From, $"must be between 0 and {bucketCount - 1} (bucketCount {bucketCount})");
                if (range.To < range.From || range.To >= bucketCount)
                    throw new PropsValidationException($"{rangeAt}.{nameof(range.To)}", range.To, $"must be between from ({range.From}) and {bucketCount - 1} (bucketCount {bucketCount})");
                for (var b = range.From; b <= range.To; b++)
                {
                    if (owners[b] is { } owner)
                        throw new PropsValidationException(rangeAt, range.ToString(), $"overlaps buckets of shard {owner} (bucket {b}); every bucket has exactly one owner");
                    owners[b] = shardId;
                }
            }
        }
        var missing = Array.FindIndex(owners, o => o is null);
        if (missing >= 0)
        {
            var end = missing;
            while (end + 1 < bucketCount && owners[end + 1] is null) end++;
            throw new PropsValidationException(shardsKey, $"buckets {missing}-{end}", $"have no owner; every bucket from 0 to {bucketCount - 1} needs exactly one shard");
        }
        ValidateMoves(s, bucketCount, owners);
    }

    /// <summary>Checks the moves: known, distinct shards; ranges in the bucket space, moving once at a time, listed under the shard that serves them in their state.</summary>
    private static void ValidateMoves(ShardedDatabaseSettings s, int bucketCount, string?[] owners)
    {
        var moves = s.Moves ?? [];
        var movedBy = new int?[bucketCount];
        for (var i = 0; i < moves.Count; i++)
        {
            var move = moves[i];
            var at = $"{nameof(s.Moves)}[{i}]";
            var range = move.Buckets;
            if (range.From < 0 || range.From >= bucketCount)
                throw new PropsValidationException($"{at}.{nameof(move.Buckets)}.{nameof(range.From)}", range.From, $"must be between 0 and {bucketCount - 1} (bucketCount {bucketCount})");
            if (range.To < range.From || range.To >= bucketCount)
                throw new PropsValidationException($"{at}.{nameof(move.Buckets)}.{nameof(range.To)}", range.To, $"must be between from ({range.From}) and {bucketCount - 1} (bucketCount {bucketCount})");
            foreach (var (key, shard) in new[] { (nameof(move.FromShard), move.FromShard), (nameof(move.ToShard), move.ToShard) })
                if (!s.Shards.ContainsKey(shard))
                    throw new PropsValidationException($"{at}.{key}", shard, "is not a shard; a shard stays declared while it sends or receives buckets (finish the move, then remove the entry and the shard)");
            if (move.FromShard == move.ToShard)
                throw new PropsValidationException($"{at}.{nameof(move.ToShard)}", move.ToShard, "is also fromShard; a move goes from one shard to another");
            var owner = move.State == BucketMoveState.Copying ? move.FromShard : move.ToShard;
            for (var b = range.From; b <= range.To; b++)
            {
                if (movedBy[b] is { } other)
                    throw new PropsValidationException($"{at}.{nameof(move.Buckets)}", range.ToString(), $"overlaps moves[{other}] (bucket {b}); a bucket moves once at a time");
                movedBy[b] = i;
                if (owners[b] != owner)
                    throw new PropsValidationException($"{at}.{nameof(move.Buckets)}", range.ToString(), move.State == BucketMoveState.Copying
                        ? $"is copying, so {move.FromShard} still serves it: keep it in shards.{move.FromShard}.buckets until the switch (bucket {b} is listed under {owners[b]})"
                        : $"is {ConfigName(move.State)}, so {move.ToShard} serves it: list it in shards.{move.ToShard}.buckets and remove it from shards.{move.FromShard}.buckets (bucket {b} is listed under {owners[b]})");
            }
        }
    }

    private static string ConfigName(BucketMoveState state) => state.ToString().ToLowerInvariant();

    [GeneratedRegex(@"^(\d{2})\.\d+$")]
    private static partial Regex EngineVersionPattern();
}

/// <summary>
/// What a user of a <see cref="ShardedDatabase"/> is granted on: given by <see cref="ShardedDatabase.Reference"/> in the
/// database's stack, or built from imported values in another.
/// </summary>
/// <param name="Name">A stable name for the database, unique among the stores a client uses; names the ingress rule (<c>&lt;Name&gt;Ingress</c>).</param>
/// <param name="SecurityGroupId">The security group of every instance, replica and proxy.</param>
/// <param name="ShardMap">The shard map parameter.</param>
/// <param name="Shards">Every shard's IAM connection targets (instance and proxy resource ids), keyed by shard id.</param>
public sealed record ShardedDatabaseReference(string Name, string SecurityGroupId, IStringParameter ShardMap,
    IReadOnlyDictionary<string, ShardConnectTargets> Shards);
