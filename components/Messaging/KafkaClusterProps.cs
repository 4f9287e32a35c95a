using System.Diagnostics.CodeAnalysis;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.KMS;

namespace ScalableBackend.Components.Messaging;

/// <summary>
/// The plain-data settings of a <see cref="KafkaCluster"/> — everything but the CDK objects it is wired to. A data
/// file's record derives from it, so both are validated by <see cref="KafkaCluster.Validate"/> with one set of rules
/// and one set of documented defaults.
/// </summary>
public record KafkaClusterSettings
{
    /// <summary>The broker instance type, <c>kafka.&lt;family&gt;.&lt;size&gt;</c> such as <c>kafka.m5.large</c>. Required.</summary>
    public required string InstanceType { get; init; }

    /// <summary>Number of broker nodes, a positive multiple of the number of zones (brokers are spread evenly). Required.</summary>
    public required int BrokerNodes { get; init; }

    /// <summary>The Apache Kafka version, e.g. <c>3.6.0</c>. Default: <c>3.6.0</c>.</summary>
    public string? KafkaVersion { get; init; }

    /// <summary>Initial EBS volume per broker in GiB, 1–16384. Default: 100.</summary>
    public int? VolumeSizeGiB { get; init; }

    /// <summary>The largest volume per broker storage autoscaling may grow to, in GiB, above <see cref="VolumeSizeGiB"/> and at most 16384. Default: 1000.</summary>
    public int? MaxVolumeSizeGiB { get; init; }

    /// <summary>Disk utilization, in percent (10–80), that storage autoscaling holds by growing the volumes. Default: 60.</summary>
    public int? StorageTargetUtilizationPercent { get; init; }
}

/// <summary>Properties of a <see cref="KafkaCluster"/>: its <see cref="KafkaClusterSettings"/>, its logging and what it is wired to.</summary>
public sealed record KafkaClusterProps : KafkaClusterSettings
{
    /// <summary>Creates empty props, to be filled by an object initializer.</summary>
    public KafkaClusterProps() { }

    /// <summary>Props from <paramref name="settings"/> (for example a data file's record) and the VPC the cluster runs in.</summary>
    [SetsRequiredMembers]
    public KafkaClusterProps(KafkaClusterSettings settings, IVpc vpc) : base(settings)
    {
        Vpc = vpc;
    }

    /// <summary>The VPC. Required.</summary>
    public required IVpc Vpc { get; init; }

    /// <summary>The client subnets, one per zone, over 2 or 3 zones. Default: the VPC's isolated subnets.</summary>
    public SubnetSelection? Subnets { get; init; }

    /// <summary>Days the broker log group keeps its events; a value CloudWatch Logs accepts. Default: 365.</summary>
    public int? LogRetentionDays { get; init; }

    /// <summary>The key encrypting the broker log group (the environment's log key); it must admit CloudWatch Logs. Default: a new log key.</summary>
    public IKey? LogEncryptionKey { get; init; }

    /// <summary>The customer-managed KMS key encrypting the brokers' data volumes. Default: a new key with rotation, retained on delete.</summary>
    public IKey? EncryptionKey { get; init; }
}

/// <summary>
/// What a user of a <see cref="KafkaCluster"/> may do beyond connecting: the topics it produces to and consumes from
/// and the consumer groups it joins, each by its Kafka name. Everything empty means connect and describe the cluster only.
/// </summary>
public sealed record KafkaAccess
{
    /// <summary>Topics the user writes to (<c>WriteData</c>, <c>DescribeTopic</c>). Default: none.</summary>
    public IReadOnlyList<string>? Produces { get; init; }

    /// <summary>Topics the user reads from (<c>ReadData</c>, <c>DescribeTopic</c>). Default: none.</summary>
    public IReadOnlyList<string>? Consumes { get; init; }

    /// <summary>Consumer groups the user joins and commits offsets in (<c>AlterGroup</c>, <c>DescribeGroup</c>). Default: none.</summary>
    public IReadOnlyList<string>? Groups { get; init; }
}
