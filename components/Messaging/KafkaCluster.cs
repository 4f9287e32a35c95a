using System.Text.RegularExpressions;
using Amazon.CDK;
using Amazon.CDK.AWS.ApplicationAutoScaling;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.KMS;
using Amazon.CDK.AWS.Logs;
using Amazon.CDK.AWS.MSK;
using Constructs;
using ScalableBackend.Components.Observability;
using ScalableBackend.Components.Networking;
using LogRetention = ScalableBackend.Components.Observability.LogRetention;
using ScalableBackend.Components.Facts;

using ScalableBackend.Components.Data;

namespace ScalableBackend.Components.Messaging;

/// <summary>
/// Amazon MSK (CDK 2.160 has no stable L2, so this builds on <see cref="CfnCluster"/>): brokers spread evenly over
/// the zones of the client subnets, TLS between clients and brokers and inside the cluster, encryption at rest with
/// a customer-managed KMS key, IAM client authentication (no unauthenticated access), broker logs to a KMS-encrypted
/// CloudWatch log group with a set retention, storage autoscaling (Application Auto Scaling target tracking on
/// <c>kafka:broker-storage:VolumeSize</c>) and a security group admitting 9098 (TLS + IAM) only from the services
/// granted with <see cref="GrantConnect(IDataClient, KafkaAccess)"/>, each on exactly the topics and consumer groups it names.
/// </summary>
public sealed partial class KafkaCluster : Construct
{
    /// <summary>The bootstrap port for TLS with IAM authentication.</summary>
    public const int IamPort = 9098;

    /// <summary>The cluster.</summary>
    public CfnCluster Cluster { get; }

    /// <summary>The cluster's security group; admits nothing until <see cref="GrantConnect(IDataClient, KafkaAccess)"/>.</summary>
    public ISecurityGroup SecurityGroup { get; }

    /// <summary>The key encrypting the data volumes (given or created).</summary>
    public IKey EncryptionKey { get; }

    /// <summary>The broker log group.</summary>
    public ILogGroup LogGroup { get; }

    /// <summary>The storage autoscaling target.</summary>
    public CfnScalableTarget StorageScalableTarget { get; }

    /// <summary>The storage autoscaling policy.</summary>
    public CfnScalingPolicy StorageScalingPolicy { get; }

    /// <summary>Creates the cluster; validates <paramref name="props"/> before creating anything.</summary>
    /// <exception cref="PropsValidationException">A property is out of its allowed range.</exception>
    public KafkaCluster(Construct scope, string id, KafkaClusterProps props) : base(scope, id)
    {
        var selected = props.Vpc.SelectSubnets(props.Subnets ?? new SubnetSelection { SubnetType = SubnetType.PRIVATE_ISOLATED, OnePerAz = true });
        var zoneCount = selected.Subnets.Select(s => s.AvailabilityZone).Distinct().Count();
        Validate(props, zoneCount);
        if (props.LogRetentionDays is { } days && !LogRetention.IsAllowed(days))
            throw new PropsValidationException(nameof(props.LogRetentionDays), days, $"must be one of {string.Join(", ", LogRetention.AllowedDays)}");
        var volume = props.VolumeSizeGiB ?? 100;

        EncryptionKey = props.EncryptionKey ?? new Key(this, "Key", new KeyProps
        {
            Description = $"Encrypts the data volumes of the MSK cluster {Node.Path}",
            EnableKeyRotation = true,
            RemovalPolicy = RemovalPolicy.RETAIN,
        });
        LogGroup = EncryptedLogGroup.Create(this, "BrokerLogs", new EncryptedLogGroupProps
        {
            EncryptionKey = props.LogEncryptionKey ?? Network.CreateLogKey(this, "LogKey", $"MSK cluster {Node.Path} broker"),
            Retention = LogRetention.FromDays(props.LogRetentionDays ?? 365),
        });
        SecurityGroup = new SecurityGroup(this, "SecurityGroup", new SecurityGroupProps
        {
            Vpc = props.Vpc,
            Description = $"MSK cluster {Node.Path}: {IamPort} (TLS + IAM) from its granted services only",
            AllowAllOutbound = false,
        });

        Cluster = new CfnCluster(this, "Cluster", new CfnClusterProps
        {
            ClusterName = Names.UniqueResourceName(this, new UniqueResourceNameOptions { MaxLength = 64, Separator = "-" }),
            KafkaVersion = props.KafkaVersion ?? "3.6.0",
            NumberOfBrokerNodes = props.BrokerNodes,
            BrokerNodeGroupInfo = new CfnCluster.BrokerNodeGroupInfoProperty
            {
                InstanceType = props.InstanceType,
                ClientSubnets = selected.SubnetIds,
                SecurityGroups = new[] { SecurityGroup.SecurityGroupId },
                StorageInfo = new CfnCluster.StorageInfoProperty
                {
                    EbsStorageInfo = new CfnCluster.EBSStorageInfoProperty { VolumeSize = volume },
                },
                ConnectivityInfo = new CfnCluster.ConnectivityInfoProperty
                {
                    PublicAccess = new CfnCluster.PublicAccessProperty { Type = "DISABLED" },
                },
            },
            EncryptionInfo = new CfnCluster.EncryptionInfoProperty
            {
                EncryptionAtRest = new CfnCluster.EncryptionAtRestProperty { DataVolumeKmsKeyId = EncryptionKey.KeyArn },
                EncryptionInTransit = new CfnCluster.EncryptionInTransitProperty { ClientBroker = "TLS", InCluster = true },
            },
            ClientAuthentication = new CfnCluster.ClientAuthenticationProperty
            {
                Sasl = new CfnCluster.SaslProperty { Iam = new CfnCluster.IamProperty { Enabled = true } },
                Unauthenticated = new CfnCluster.UnauthenticatedProperty { Enabled = false },
            },
            LoggingInfo = new CfnCluster.LoggingInfoProperty
            {
                BrokerLogs = new CfnCluster.BrokerLogsProperty
                {
                    CloudWatchLogs = new CfnCluster.CloudWatchLogsProperty { Enabled = true, LogGroup = LogGroup.LogGroupName },
                },
            },
            EnhancedMonitoring = "PER_BROKER",
        });
        Cluster.ApplyRemovalPolicy(RemovalPolicy.RETAIN);

        StorageScalableTarget = new CfnScalableTarget(this, "StorageScalableTarget", new CfnScalableTargetProps
        {
            ServiceNamespace = "kafka",
            ScalableDimension = "kafka:broker-storage:VolumeSize",
            ResourceId = Cluster.AttrArn,
            MinCapacity = volume,
            MaxCapacity = props.MaxVolumeSizeGiB ?? 1000,
        });
        StorageScalingPolicy = new CfnScalingPolicy(this, "StorageScalingPolicy", new CfnScalingPolicyProps
        {
            PolicyName = "broker-storage-utilization",
            PolicyType = "TargetTrackingScaling",
            ScalingTargetId = StorageScalableTarget.Ref,
            TargetTrackingScalingPolicyConfiguration = new CfnScalingPolicy.TargetTrackingScalingPolicyConfigurationProperty
            {
                TargetValue = props.StorageTargetUtilizationPercent ?? 60,
                PredefinedMetricSpecification = new CfnScalingPolicy.PredefinedMetricSpecificationProperty { PredefinedMetricType = "KafkaBrokerStorageUtilization" },
                DisableScaleIn = true, // MSK volumes only grow
            },
        });
    }

    /// <summary>What a user needs to know of this cluster to be granted access; <see cref="KafkaClusterReference"/>.</summary>
    public KafkaClusterReference Reference => new(Node.Id, SecurityGroup.SecurityGroupId, Cluster.AttrArn);

    /// <summary>Lets <paramref name="client"/> connect with <paramref name="access"/>; see <see cref="GrantConnect(KafkaClusterReference, IDataClient, KafkaAccess)"/>.</summary>
    /// <exception cref="PropsValidationException">A topic or group name is not one Kafka accepts.</exception>
    public void GrantConnect(IDataClient client, KafkaAccess access) => GrantConnect(Reference, client, access);

    /// <summary>
    /// Lets a service connect with IAM authentication and use exactly the topics and consumer groups of
    /// <paramref name="access"/>, creating everything in the service's scope: admits 9098 from the client's security
    /// group (an ingress rule <c>&lt;Name&gt;Ingress</c> under it); <c>kafka-cluster:Connect</c> and
    /// <c>DescribeCluster</c> on exactly this cluster (and <c>WriteDataIdempotently</c>, which Kafka 3 producers use
    /// by default, when it produces); <c>WriteData</c> and <c>DescribeTopic</c> on each produced topic's ARN;
    /// <c>ReadData</c> and <c>DescribeTopic</c> on each consumed topic's ARN; <c>AlterGroup</c> and
    /// <c>DescribeGroup</c> on each named group's ARN. No topic or group wildcard, no topic administration (creating,
    /// altering or deleting topics is an operator's job). The ARNs follow MSK's IAM access control
    /// (<c>arn:…:kafka:region:account:topic/&lt;cluster-name&gt;/&lt;cluster-uuid&gt;/&lt;topic&gt;</c>, and
    /// <c>group/…</c> alike). Nothing is added to the cluster, which may live in another stack.
    /// </summary>
    /// <exception cref="PropsValidationException">A topic or group name is not one Kafka accepts.</exception>
    public static void GrantConnect(KafkaClusterReference cluster, IDataClient client, KafkaAccess access)
    {
        ValidateAccess(access);
        DataClientIngress.Admit(client, $"{cluster.Name}Ingress", cluster.SecurityGroupId, IamPort, "Kafka (TLS + IAM) from a granted service");
        var stack = Stack.Of(client.SecurityGroup);
        var parts = Fn.Split("/", cluster.ClusterArn); // arn:…:cluster/<name>/<uuid>
        string[] Children(string kind, IEnumerable<string> names) => names.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select(n => $"arn:{stack.Partition}:kafka:{stack.Region}:{stack.Account}:{kind}/{Fn.Select(1, parts)}/{Fn.Select(2, parts)}/{n}").ToArray();
        var produces = access.Produces ?? [];
        var consumes = access.Consumes ?? [];
        var groups = access.Groups ?? [];
        var principal = client.Grantee.GrantPrincipal;
        principal.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Actions = produces.Count > 0
                ? new[] { "kafka-cluster:Connect", "kafka-cluster:DescribeCluster", "kafka-cluster:WriteDataIdempotently" }
                : new[] { "kafka-cluster:Connect", "kafka-cluster:DescribeCluster" },
            Resources = new[] { cluster.ClusterArn },
        }));
        if (produces.Count > 0)
            principal.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
            {
                Actions = new[] { "kafka-cluster:DescribeTopic", "kafka-cluster:WriteData" },
                Resources = Children("topic", produces),
            }));
        if (consumes.Count > 0)
            principal.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
            {
                Actions = new[] { "kafka-cluster:DescribeTopic", "kafka-cluster:ReadData" },
                Resources = Children("topic", consumes),
            }));
        if (groups.Count > 0)
            principal.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
            {
                Actions = new[] { "kafka-cluster:DescribeGroup", "kafka-cluster:AlterGroup" },
                Resources = Children("group", groups),
            }));
    }

    /// <summary>
    /// Whether <paramref name="name"/> is a topic (or consumer group) name Kafka accepts: 1–249 of ASCII letters,
    /// digits, <c>.</c>, <c>_</c> and <c>-</c>, and neither <c>.</c> nor <c>..</c> (Kafka's <c>Topic.validate</c>).
    /// Group ids are held to the same rule here so their IAM resource ARNs hold no wildcard characters.
    /// </summary>
    public static bool IsValidTopicName(string name) =>
        name.Length is >= 1 and <= MaxTopicNameLength && name is not "." and not ".." && TopicNamePattern().IsMatch(name);

    /// <summary>The longest topic name Kafka accepts: 249.</summary>
    public const int MaxTopicNameLength = 249;

    /// <summary>The rule <see cref="IsValidTopicName"/> checks, as the error messages state it.</summary>
    public const string TopicNameRule = "must be 1-249 letters, digits, '.', '_' or '-' (Kafka's topic name rule), and not '.' or '..'";

    /// <summary>Checks the topic and group names of <paramref name="access"/>; throws naming the property, its index and the rule.</summary>
    /// <exception cref="PropsValidationException">A name is not one Kafka accepts.</exception>
    public static void ValidateAccess(KafkaAccess access)
    {
        void Check(string property, IReadOnlyList<string>? names)
        {
            for (var i = 0; i < (names?.Count ?? 0); i++)
                if (!Token.IsUnresolved(names![i]) && !IsValidTopicName(names[i]))
                    throw new PropsValidationException($"{property}[{i}]", names[i], TopicNameRule);
        }
        Check(nameof(access.Produces), access.Produces);
        Check(nameof(access.Consumes), access.Consumes);
        Check(nameof(access.Groups), access.Groups);
    }

    /// <summary>
    /// Checks the settings of a cluster spread over <paramref name="zoneCount"/> zones; throws naming the property, the
    /// value and what is allowed. (The constructor also checks <see cref="KafkaClusterProps.LogRetentionDays"/>.)
    /// </summary>
    /// <exception cref="PropsValidationException">A setting is out of its allowed range.</exception>
    public static void Validate(KafkaClusterSettings s, int zoneCount)
    {
        if (zoneCount is < 2 or > 3)
            throw new PropsValidationException("Subnets", $"{zoneCount} zone(s)", "must span 2 or 3 availability zones");
        if (!Token.IsUnresolved(s.InstanceType) && !InstanceTypePattern().IsMatch(s.InstanceType))
            throw new PropsValidationException(nameof(s.InstanceType), s.InstanceType, "must be a broker instance type such as kafka.m5.large");
        if (!Token.IsUnresolved(s.InstanceType) && !AwsFacts.MskBrokerTypes.Contains(s.InstanceType))
            throw new PropsValidationException(nameof(s.InstanceType), s.InstanceType, $"is not an MSK standard broker type{AwsFacts.DidYouMean(s.InstanceType, AwsFacts.MskBrokerTypes)}");
        if (s.BrokerNodes < zoneCount || s.BrokerNodes % zoneCount != 0)
            throw new PropsValidationException(nameof(s.BrokerNodes), s.BrokerNodes, $"must be a positive multiple of the number of zones ({zoneCount})");
        if (s.KafkaVersion is { } version && !KafkaVersionPattern().IsMatch(version))
            throw new PropsValidationException(nameof(s.KafkaVersion), version, "must be an Apache Kafka version such as 3.6.0");
        if (s.KafkaVersion is { } known && !AwsFacts.KafkaVersions.Contains(known))
            throw new PropsValidationException(nameof(s.KafkaVersion), known, $"is not an Apache Kafka version MSK has{AwsFacts.DidYouMean(known, AwsFacts.KafkaVersions)}");
        if (s.VolumeSizeGiB is { } size && (size < 1 || size > 16384))
            throw new PropsValidationException(nameof(s.VolumeSizeGiB), size, "must be between 1 and 16384");
        var initial = s.VolumeSizeGiB ?? 100;
        if (s.MaxVolumeSizeGiB is { } maxSize && (maxSize <= initial || maxSize > 16384))
            throw new PropsValidationException(nameof(s.MaxVolumeSizeGiB), maxSize, $"must be above volumeSizeGiB ({initial}) and at most 16384");
        if (s.StorageTargetUtilizationPercent is { } target && (target < 10 || target > 80))
            throw new PropsValidationException(nameof(s.StorageTargetUtilizationPercent), target, "must be between 10 and 80");
    }

    [GeneratedRegex(@"^kafka\.[a-z0-9]+\.[a-z0-9]+$")]
    private static partial Regex InstanceTypePattern();

    [GeneratedRegex(@"^[a-zA-Z0-9._-]+$")]
    private static partial Regex TopicNamePattern();

    [GeneratedRegex(@"^[234]\.[0-9]+\.([0-9]+|x)(\.[0-9]+)?(\.tiered)?$")]
    private static partial Regex KafkaVersionPattern();
}

/// <summary>What a user of a <see cref="KafkaCluster"/> is granted on: from <see cref="KafkaCluster.Reference"/> or imported values.</summary>
/// <param name="Name">A stable name for the cluster, unique among the stores a client uses; names the ingress rule.</param>
/// <param name="SecurityGroupId">The cluster's security group.</param>
/// <param name="ClusterArn">The cluster's ARN (<c>arn:…:cluster/&lt;name&gt;/&lt;uuid&gt;</c>).</param>
public sealed record KafkaClusterReference(string Name, string SecurityGroupId, string ClusterArn);
