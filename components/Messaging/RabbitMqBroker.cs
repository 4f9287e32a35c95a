using System.Text.RegularExpressions;
using Amazon.CDK;
using Amazon.CDK.AWS.AmazonMQ;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.KMS;
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
/// <see cref="GrantConnect(IDataClient)"/>.
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

    /// <summary>The broker's security group; admits nothing until <see cref="GrantConnect(IDataClient)"/>.</summary>
    public ISecurityGroup SecurityGroup { get; }

    /// <summary>The secret holding the administrator credentials as JSON <c>{"username", "password"}</c>.</summary>
    public ISecret Credentials { get; }

    /// <summary>The key encrypting <see cref="Credentials"/> (given or created).</summary>
    public IKey EncryptionKey { get; }

    /// <summary>Creates the broker; validates <paramref name="props"/> before creating anything.</summary>
    /// <exception cref="PropsValidationException">A property is out of its allowed range.</exception>
    public RabbitMqBroker(Construct scope, string id, RabbitMqBrokerProps props) : base(scope, id)
    {
        Validate(props);
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
    }

    /// <summary>What a user needs to know of this broker to be granted access; <see cref="RabbitMqBrokerReference"/>.</summary>
    public RabbitMqBrokerReference Reference => new(Node.Id, SecurityGroup.SecurityGroupId, Credentials);

    /// <summary>Lets <paramref name="client"/> connect; see <see cref="GrantConnect(RabbitMqBrokerReference, IDataClient)"/>.</summary>
    public void GrantConnect(IDataClient client) => GrantConnect(Reference, client);

    /// <summary>
    /// Lets a service connect, creating everything in the service's scope: admits AMQPS (5671) from the client's
    /// security group (an ingress rule <c>&lt;Name&gt;Ingress</c> under it) and lets its principal read (and decrypt)
    /// exactly the credentials secret. Nothing is added to the broker, which may live in another stack.
    /// </summary>
    public static void GrantConnect(RabbitMqBrokerReference broker, IDataClient client)
    {
        DataClientIngress.Admit(client, $"{broker.Name}Ingress", broker.SecurityGroupId, AmqpsPort, "AMQPS from a granted service");
        DataClientIngress.ReadSecret(client, broker.Credentials);
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
/// <param name="Credentials">The credentials secret, with its encryption key.</param>
public sealed record RabbitMqBrokerReference(string Name, string SecurityGroupId, ISecret Credentials);
