using System.Text.RegularExpressions;
using Amazon.CDK;
using Amazon.CDK.AWS.AmazonMQ;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.KMS;
using ScalableBackend.Components.Networking;
using ScalableBackend.Components.Observability;
using LogRetention = ScalableBackend.Components.Observability.LogRetention;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.Logs;
using Amazon.CDK.AWS.SecretsManager;
using Constructs;
using ScalableBackend.Components.Facts;

using ScalableBackend.Components.Data;

namespace ScalableBackend.Components.Messaging;

/// <summary>
/// Amazon MQ for RabbitMQ (CDK 2.160 has no L2, so this builds on <see cref="CfnBroker"/>): a private broker
/// (<c>PubliclyAccessible: false</c>) in the isolated subnets, a three-node <c>CLUSTER_MULTI_AZ</c> cluster or a
/// <c>SINGLE_INSTANCE</c> as the props say, administrator credentials generated in Secrets Manager and passed by
/// dynamic reference, general logs to CloudWatch, automatic minor version upgrades in a weekly maintenance window,
/// and a security group admitting AMQPS (5671) only from the services granted with
/// <see cref="GrantConnect(IDataClient, string)"/>. Each of <see cref="RabbitMqBrokerProps.Users"/> gets its own
/// RabbitMQ user — a generated secret and a custom resource that creates the user through the RabbitMQ management
/// HTTP API (CloudFormation sets only a RabbitMQ broker's administrator) — so no service holds the administrator's
/// credentials.
/// </summary>
/// <remarks>
/// Amazon MQ for RabbitMQ encrypts at rest with an AWS-owned key only (customer-managed keys are an ActiveMQ
/// feature), and writes its logs through its service-linked role to a log group it creates and names after the
/// broker id (<c>/aws/amazonmq/broker/&lt;id&gt;/general</c>), which therefore is not part of the template.
/// </remarks>
public sealed partial class RabbitMqBroker : Construct
{
    /// <summary>The AMQPS port.</summary>
    public const int AmqpsPort = 5671;

    /// <summary>The broker.</summary>
    public CfnBroker Broker { get; }

    /// <summary>The broker's security group; admits AMQPS only from granted services (<see cref="GrantConnect(IDataClient, string)"/>) and HTTPS only from <see cref="UserProvisioner"/>.</summary>
    public ISecurityGroup SecurityGroup { get; }

    /// <summary>The secret holding the administrator credentials as JSON <c>{"username", "password"}</c>.</summary>
    public ISecret Credentials { get; }

    /// <summary>The key encrypting <see cref="Credentials"/> and every user's secret (given or created).</summary>
    public IKey EncryptionKey { get; }

    /// <summary>
    /// Each user's secret, JSON <c>{"username", "password"}</c> with the user's name as its username, keyed by name
    /// (ids <c>User&lt;Name&gt;Credentials</c>).
    /// </summary>
    public IReadOnlyDictionary<string, ISecret> UserCredentials { get; }

    /// <summary>The custom resources that create each user on the broker (type <c>Custom::RabbitMqUser</c>, ids <c>User&lt;Name&gt;</c>).</summary>
    public IReadOnlyDictionary<string, CustomResource> UserResources { get; }

    /// <summary>The function behind <see cref="UserResources"/> (<c>rabbitmq-users.js</c>, inline); null without users.</summary>
    public CfnFunction? UserProvisioner { get; }

    /// <summary>The log group of <see cref="UserProvisioner"/>; null without users.</summary>
    public ILogGroup? UserProvisionerLogGroup { get; }

    /// <summary>The runtime of <see cref="UserProvisioner"/>.</summary>
    public static readonly Runtime UserProvisionerRuntime = new("nodejs24.x", RuntimeFamily.NODEJS, new LambdaRuntimeProps { SupportsInlineCode = true });

    /// <summary>The source of <see cref="UserProvisioner"/> (embedded <c>Messaging/rabbitmq-users.js</c>), as the template inlines it.</summary>
    public static string UserProvisionerSource { get; } = ReadSource();

    /// <summary>Creates the broker; validates <paramref name="props"/> before creating anything.</summary>
    /// <exception cref="PropsValidationException">A property is out of its allowed range.</exception>
    public RabbitMqBroker(Construct scope, string id, RabbitMqBrokerProps props) : base(scope, id)
    {
        Validate(props);
        ValidateUsers(props.AdminUsername ?? "broker-admin", props.Users);
        if (props.LogRetentionDays is { } days && !LogRetention.IsAllowed(days))
            throw new PropsValidationException(nameof(props.LogRetentionDays), days, $"must be one of {string.Join(", ", LogRetention.AllowedDays)}");
        var cluster = (props.DeploymentMode ?? BrokerDeploymentMode.ClusterMultiAz) == BrokerDeploymentMode.ClusterMultiAz;
        var window = (props.MaintenanceWindowStart ?? "sun:03:00").Split(':');

        EncryptionKey = props.EncryptionKey ?? new Key(this, "Key", new KeyProps
        {
            Description = $"Encrypts the credentials of the RabbitMQ broker {Node.Path}",
            EnableKeyRotation = true,
            RemovalPolicy = RemovalPolicy.RETAIN,
        });
        // Amazon MQ passwords: 12–250 characters, at least 4 distinct, no ',', ':' or '='.
        Credentials = new Secret(this, "Credentials", new SecretProps
        {
            Description = $"Administrator credentials of the RabbitMQ broker {Node.Path}",
            EncryptionKey = EncryptionKey,
            GenerateSecretString = new SecretStringGenerator
            {
                SecretStringTemplate = System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string> { ["username"] = props.AdminUsername ?? "broker-admin" }),
                GenerateStringKey = "password",
                ExcludePunctuation = true,
                IncludeSpace = false,
                PasswordLength = 32,
            },
        });

        SecurityGroup = new SecurityGroup(this, "SecurityGroup", new SecurityGroupProps
        {
            Vpc = props.Vpc,
            Description = $"RabbitMQ broker {Node.Path}: AMQPS {AmqpsPort} from its granted services only",
            AllowAllOutbound = false,
        });

        var subnets = props.Vpc.SelectSubnets(props.Subnets ?? new SubnetSelection { SubnetType = SubnetType.PRIVATE_ISOLATED }).SubnetIds;
        Broker = new CfnBroker(this, "Broker", new CfnBrokerProps
        {
            // A physical name is required; derived from the construct path so it is unique and stable (at most 50 characters).
            BrokerName = Names.UniqueResourceName(this, new UniqueResourceNameOptions { MaxLength = 50, Separator = "-" }),
            EngineType = "RABBITMQ",
            EngineVersion = props.EngineVersion ?? "3.13",
            HostInstanceType = props.InstanceType,
            DeploymentMode = cluster ? "CLUSTER_MULTI_AZ" : "SINGLE_INSTANCE",
            PubliclyAccessible = false,
            AutoMinorVersionUpgrade = true,
            SubnetIds = cluster ? subnets : new[] { subnets[0] },
            SecurityGroups = new[] { SecurityGroup.SecurityGroupId },
            Users = new object[]
            {
                new CfnBroker.UserProperty
                {
                    Username = Credentials.SecretValueFromJson("username").UnsafeUnwrap(), // {{resolve:secretsmanager:…}}
                    Password = Credentials.SecretValueFromJson("password").UnsafeUnwrap(), // {{resolve:secretsmanager:…}}, never the value
                },
            },
            Logs = new CfnBroker.LogListProperty { General = true },
            MaintenanceWindowStartTime = new CfnBroker.MaintenanceWindowProperty
            {
                DayOfWeek = DayName(window[0]),
                TimeOfDay = $"{window[1]}:{window[2]}",
                TimeZone = "UTC",
            },
        });
        Security.PolicyAcknowledgement.Apply(Credentials, new Security.PolicyAcknowledgement("AwsSolutions-SMG4",
            "Secrets Manager has no AWS-provided rotation function for Amazon MQ users, and CloudFormation sets a RabbitMQ " +
            "broker's users only at creation (later changes go through the RabbitMQ management API), so a scheduled " +
            "rotation would leave the secret and the broker disagreeing."));

        var users = (props.Users ?? []).Order(StringComparer.Ordinal).ToList();
        var credentials = new SortedDictionary<string, ISecret>(StringComparer.Ordinal);
        var resources = new SortedDictionary<string, CustomResource>(StringComparer.Ordinal);
        foreach (var user in users)
        {
            var secret = credentials[user] = new Secret(this, $"User{Compute.WebService.ToPascal(user)}Credentials", new SecretProps
            {
                Description = $"Credentials of RabbitMQ user {user} of the broker {Node.Path}",
                EncryptionKey = EncryptionKey,
                GenerateSecretString = new SecretStringGenerator
                {
                    SecretStringTemplate = System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string> { ["username"] = user }),
                    GenerateStringKey = "password",
                    ExcludePunctuation = true,
                    IncludeSpace = false,
                    PasswordLength = 32,
                },
            });
            Security.PolicyAcknowledgement.Apply(secret, new Security.PolicyAcknowledgement("AwsSolutions-SMG4",
                "Secrets Manager has no AWS-provided rotation function for RabbitMQ users; the user is set on the broker by " +
                "this construct's custom resource when it is created, so a scheduled rotation would leave the secret and the " +
                "broker disagreeing. A new password is a new secret version followed by an update of the user resource."));
        }
        UserCredentials = credentials;

        if (users.Count > 0)
        {
            var provisioner = Provisioner(props);
            UserProvisioner = provisioner.Function;
            UserProvisionerLogGroup = provisioner.LogGroup;
            foreach (var user in users)
            {
                var resource = resources[user] = new CustomResource(this, $"User{Compute.WebService.ToPascal(user)}", new CustomResourceProps
                {
                    ServiceToken = provisioner.Function.AttrArn,
                    ResourceType = "Custom::RabbitMqUser",
                    Properties = new Dictionary<string, object>
                    {
                        ["Username"] = user,
                        ["AmqpEndpoint"] = Fn.Select(0, Broker.AttrAmqpEndpoints),
                        ["AdminSecretArn"] = Credentials.SecretArn,
                        ["UserSecretArn"] = credentials[user].SecretArn,
                        ["VirtualHost"] = "/",
                        ["Configure"] = Permissions(user).Configure,
                        ["Write"] = Permissions(user).Write,
                        ["Read"] = Permissions(user).Read,
                    },
                });
                // The function must be able to read the secrets and reach the broker before CloudFormation calls it.
                resource.Node.AddDependency(provisioner.Policy, provisioner.Ingress, provisioner.Egress);
            }
        }
        UserResources = resources;
    }

    /// <summary>
    /// The permissions user <paramref name="name"/> holds on the virtual host <c>/</c> (RabbitMQ access control: regular
    /// expressions over resource names): it configures (declares, deletes) only queues and exchanges named
    /// <c>&lt;name&gt;.…</c>; writes (publishes, binds its queues) to those and to the default exchange
    /// (<c>amq.default</c>), so it may send to any queue by name; and reads (consumes, binds from) only its own.
    /// A service therefore cannot consume or purge another service's queue, and cross-service messages go to the
    /// receiver's queue through the default exchange.
    /// </summary>
    public static (string Configure, string Write, string Read) Permissions(string name)
    {
        var own = $"^{Regex.Escape(name)}\\.";
        return (own, $"^({Regex.Escape(name)}\\..*|amq\\.default)$", own);
    }

    private sealed record ProvisionerParts(CfnFunction Function, ILogGroup LogGroup, Policy Policy, CfnSecurityGroupIngress Ingress, CfnSecurityGroupEgress Egress);

    // One function for all users: in the VPC's egress subnets (it calls Secrets Manager), HTTPS to the broker only from
    // its own security group, reading exactly the administrator's and the users' secrets.
    private ProvisionerParts Provisioner(RabbitMqBrokerProps props)
    {
        var logGroup = EncryptedLogGroup.Create(this, "UserProvisionerLogs", new EncryptedLogGroupProps
        {
            EncryptionKey = props.LogEncryptionKey ?? Network.CreateLogKey(this, "LogKey", $"RabbitMQ broker {Node.Path} user provisioner"),
            Retention = LogRetention.FromDays(props.LogRetentionDays ?? 365),
        });
        var group = new SecurityGroup(this, "UserProvisionerSecurityGroup", new SecurityGroupProps
        {
            Vpc = props.Vpc,
            Description = $"RabbitMQ broker {Node.Path} user provisioner: HTTPS to the broker and to Secrets Manager",
            AllowAllOutbound = false,
        });
        var egress = new CfnSecurityGroupEgress(group, "SecretsManagerEgress", new CfnSecurityGroupEgressProps
        {
            GroupId = group.SecurityGroupId,
            CidrIp = "0.0.0.0/0",
            IpProtocol = "tcp",
            FromPort = 443,
            ToPort = 443,
            Description = "Secrets Manager API (HTTPS), through the VPC's endpoint or NAT",
        });
        var role = new Role(this, "UserProvisionerRole", new RoleProps
        {
            AssumedBy = new ServicePrincipal("lambda.amazonaws.com"),
            Description = $"Creates the RabbitMQ users of the broker {Node.Path} through its management API",
        });
        var client = new DataClient(group, role);
        var ingress = DataClientIngress.Admit(client, "BrokerIngress", SecurityGroup.SecurityGroupId, 443, "RabbitMQ management API (HTTPS) from the user provisioner");
        var policy = new Policy(this, "UserProvisionerPolicy", new PolicyProps
        {
            Roles = [role],
            Statements =
            [
                new PolicyStatement(new PolicyStatementProps
                {
                    Sid = "WriteOwnLogs",
                    Actions = ["logs:CreateLogStream", "logs:PutLogEvents"],
                    Resources = [logGroup.LogGroupArn],
                }),
                new PolicyStatement(new PolicyStatementProps
                {
                    Sid = "ReadTheAdministratorAndUserSecrets",
                    Actions = ["secretsmanager:GetSecretValue"],
                    Resources = [Credentials.SecretArn, .. UserCredentials.Values.Select(c => c.SecretArn)],
                }),
                new PolicyStatement(new PolicyStatementProps
                {
                    Sid = "DecryptThemThroughSecretsManager",
                    Actions = ["kms:Decrypt"],
                    Resources = [EncryptionKey.KeyArn],
                    Conditions = new Dictionary<string, object>
                    {
                        ["StringEquals"] = new Dictionary<string, object> { ["kms:ViaService"] = $"secretsmanager.{Stack.Of(this).Region}.amazonaws.com" },
                    },
                }),
                new PolicyStatement(new PolicyStatementProps
                {
                    Sid = "LambdaVpcNetworkInterfaces",
                    Actions = ["ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DeleteNetworkInterface",
                        "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"],
                    Resources = ["*"],
                }),
            ],
        });
        Security.PolicyAcknowledgement.Apply(policy, Security.PolicyAcknowledgement.ForRules(
            "A function in a VPC creates, describes and deletes its network interfaces: EC2's DescribeNetworkInterfaces has no " +
            "resource-level permissions and the interfaces do not exist before the function (AWS's AWSLambdaVPCAccessExecutionRole " +
            "grants the same actions on *). Every other statement names exactly its log group, secrets and key.",
            "SB-IAM-002", "AwsSolutions-IAM5[Resource::*]"));
        var function = new CfnFunction(this, "UserProvisioner", new CfnFunctionProps
        {
            Description = $"Creates, updates and deletes the RabbitMQ users of {Node.Path} (management HTTP API)",
            Runtime = UserProvisionerRuntime.Name,
            Handler = "index.handler",
            Code = new CfnFunction.CodeProperty { ZipFile = UserProvisionerSource },
            Role = role.RoleArn,
            MemorySize = 128,
            Timeout = 120,
            Architectures = ["arm64"],
            VpcConfig = new CfnFunction.VpcConfigProperty
            {
                SecurityGroupIds = [group.SecurityGroupId],
                SubnetIds = props.Vpc.SelectSubnets(props.ProvisionerSubnets ?? new SubnetSelection { SubnetType = SubnetType.PRIVATE_WITH_EGRESS }).SubnetIds,
            },
            LoggingConfig = new CfnFunction.LoggingConfigProperty { LogGroup = logGroup.LogGroupName },
        });
        // The function's network interfaces need the EC2 permissions when it is created.
        function.AddDependency((CfnResource)policy.Node.DefaultChild!);
        return new ProvisionerParts(function, logGroup, policy, ingress, egress);
    }

    private static string ReadSource()
    {
        using var stream = typeof(RabbitMqBroker).Assembly.GetManifestResourceStream("ScalableBackend.Components.Messaging.rabbitmq-users.js")
            ?? throw new InvalidOperationException("rabbitmq-users.js is not embedded in the components assembly");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>
    /// Checks the user names: Amazon MQ's user name rule (2–100 letters, digits, <c>-</c>, <c>.</c>, <c>_</c>, <c>~</c>),
    /// each listed once, none the administrator's.
    /// </summary>
    /// <exception cref="PropsValidationException">A name is out of the allowed range.</exception>
    public static void ValidateUsers(string adminUsername, IReadOnlyList<string>? users)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < (users?.Count ?? 0); i++)
        {
            var name = users![i];
            if (!UsernamePattern().IsMatch(name))
                throw new PropsValidationException($"Users[{i}]", name, "must be 2-100 letters, digits, '-', '.', '_' or '~'");
            if (name == adminUsername)
                throw new PropsValidationException($"Users[{i}]", name, "is the administrator's user name");
            if (!seen.Add(name))
                throw new PropsValidationException($"Users[{i}]", name, "is listed twice");
        }
    }

    /// <summary>What a user needs to know of this broker to be granted access; <see cref="RabbitMqBrokerReference"/>.</summary>
    public RabbitMqBrokerReference Reference => new(Node.Id, SecurityGroup.SecurityGroupId);

    /// <summary>Lets <paramref name="client"/> connect as user <paramref name="user"/>; see <see cref="GrantConnect(RabbitMqBrokerReference, IDataClient, ISecret)"/>.</summary>
    /// <exception cref="PropsValidationException"><paramref name="user"/> is not one of this broker's users.</exception>
    public void GrantConnect(IDataClient client, string user)
    {
        if (!UserCredentials.TryGetValue(user, out var secret))
            throw new PropsValidationException(nameof(user), user, $"is not a user of the broker; its users: {(UserCredentials.Count == 0 ? "none" : string.Join(", ", UserCredentials.Keys))}");
        GrantConnect(Reference, client, secret);
    }

    /// <summary>
    /// Lets a service connect as the user whose secret is <paramref name="userCredentials"/>, creating everything in
    /// the service's scope: admits AMQPS (5671) from the client's security group (an ingress rule <c>&lt;Name&gt;Ingress</c>
    /// under it) and lets its principal read (and decrypt) exactly that user's secret — never the administrator's.
    /// Nothing is added to the broker, which may live in another stack.
    /// </summary>
    public static void GrantConnect(RabbitMqBrokerReference broker, IDataClient client, ISecret userCredentials)
    {
        DataClientIngress.Admit(client, $"{broker.Name}Ingress", broker.SecurityGroupId, AmqpsPort, "AMQPS from a granted service");
        DataClientIngress.ReadSecret(client, userCredentials);
    }

    private static string DayName(string day) => day switch
    {
        "mon" => "MONDAY", "tue" => "TUESDAY", "wed" => "WEDNESDAY", "thu" => "THURSDAY",
        "fri" => "FRIDAY", "sat" => "SATURDAY", _ => "SUNDAY",
    };

    /// <summary>Checks the settings of a broker; throws naming the property, the value and what is allowed.</summary>
    /// <exception cref="PropsValidationException">A setting is out of its allowed range.</exception>
    public static void Validate(RabbitMqBrokerSettings s)
    {
        if (!Token.IsUnresolved(s.InstanceType) && !InstanceTypePattern().IsMatch(s.InstanceType))
            throw new PropsValidationException(nameof(s.InstanceType), s.InstanceType, "must be a broker instance type such as mq.m5.large");
        if (!Token.IsUnresolved(s.InstanceType) && AwsFacts.MqInstanceTypes.ExistenceProblem(s.InstanceType) is { } typeProblem)
            throw new PropsValidationException(nameof(s.InstanceType), s.InstanceType, typeProblem);
        if (s.InstanceType == "mq.t3.micro" && (s.DeploymentMode ?? BrokerDeploymentMode.ClusterMultiAz) == BrokerDeploymentMode.ClusterMultiAz)
            throw new PropsValidationException(nameof(s.InstanceType), s.InstanceType, "supports only deploymentMode: single_instance");
        if (s.EngineVersion is { } version && !EngineVersionPattern().IsMatch(version))
            throw new PropsValidationException(nameof(s.EngineVersion), version, "must be a RabbitMQ 3 version such as 3.13");
        if (s.EngineVersion is { } known && !AwsFacts.RabbitMqVersions.Contains(known))
            throw new PropsValidationException(nameof(s.EngineVersion), known, $"is not a version Amazon MQ creates RabbitMQ brokers with; there are {string.Join(", ", AwsFacts.RabbitMqVersions)}");
        if (s.MaintenanceWindowStart is { } start && !WindowStartPattern().IsMatch(start))
            throw new PropsValidationException(nameof(s.MaintenanceWindowStart), start, "must be a UTC start ddd:hh:mm such as sun:03:00");
        if (s.AdminUsername is { } user && !UsernamePattern().IsMatch(user))
            throw new PropsValidationException(nameof(s.AdminUsername), user, "must be 2-100 letters, digits, '-', '.', '_' or '~'");
    }

    [GeneratedRegex(@"^mq\.[a-z0-9]+\.[a-z0-9]+$")]
    private static partial Regex InstanceTypePattern();

    [GeneratedRegex(@"^3\.[0-9]+(\.[0-9]+)?$")]
    private static partial Regex EngineVersionPattern();

    [GeneratedRegex(@"^(mon|tue|wed|thu|fri|sat|sun):([01][0-9]|2[0-3]):[0-5][0-9]$")]
    private static partial Regex WindowStartPattern();

    [GeneratedRegex(@"^[A-Za-z0-9._~-]{2,100}$")]
    private static partial Regex UsernamePattern();
}

/// <summary>What a user of a <see cref="RabbitMqBroker"/> is granted on: from <see cref="RabbitMqBroker.Reference"/> or imported values.</summary>
/// <param name="Name">A stable name for the broker, unique among the stores a client uses; names the ingress rule.</param>
/// <param name="SecurityGroupId">The broker's security group.</param>
public sealed record RabbitMqBrokerReference(string Name, string SecurityGroupId);
