using System.Diagnostics.CodeAnalysis;
using Amazon.CDK.AWS.KMS;
using Amazon.CDK.AWS.Logs;

namespace ScalableBackend.Components.Networking;

/// <summary>
/// The plain-data settings of a <see cref="Network"/> — everything but the CDK objects it is wired to. A data file's
/// record derives from it, so both are validated by <see cref="Network.Validate"/> with one set of rules and one set
/// of documented defaults.
/// </summary>
public record NetworkSettings
{
    /// <summary>The availability zones to spread the subnets over, e.g. <c>us-east-1a</c>. Required; at least one, no duplicates.</summary>
    public required IReadOnlyList<string> AvailabilityZones { get; init; }

    /// <summary>The VPC's IPv4 CIDR block, /16 to /24. Default: <c>10.0.0.0/16</c>.</summary>
    public string? Cidr { get; init; }

    /// <summary>NAT gateways for the private subnets' egress, 1 to the number of zones (one per zone survives a zone failure). Default: one per zone.</summary>
    public int? NatGateways { get; init; }

    /// <summary>Prefix length of each public subnet. Default: 24.</summary>
    public int? PublicSubnetCidrMask { get; init; }

    /// <summary>Prefix length of each private (with egress) subnet, where the services run. Default: 20.</summary>
    public int? PrivateSubnetCidrMask { get; init; }

    /// <summary>Prefix length of each isolated subnet, where data stores run. Default: 24.</summary>
    public int? IsolatedSubnetCidrMask { get; init; }

    /// <summary>
    /// AWS services the instances reach through interface VPC endpoints in the private subnets (private DNS, HTTPS
    /// from the VPC only) instead of through the NAT gateways, by endpoint name: any of
    /// <see cref="Network.InterfaceEndpointServices"/> (<c>ssm</c>, <c>ssmmessages</c>, <c>ec2messages</c>,
    /// <c>secretsmanager</c>, <c>logs</c>, <c>monitoring</c>, <c>ecr.api</c>, <c>ecr.dkr</c>, <c>sqs</c>, <c>sns</c>,
    /// <c>sts</c>, <c>kms</c>, <c>xray</c>). Each costs an hourly fee per zone. Default: none.
    /// </summary>
    public IReadOnlyList<string>? InterfaceEndpoints { get; init; }

    /// <summary>
    /// Buckets of other accounts the instances may use through the S3 gateway endpoint, by name, besides the
    /// account's own buckets and the AWS buckets boot needs (Amazon Linux 2023 repositories, ECR image layers, SSM
    /// agent). Default: none.
    /// </summary>
    public IReadOnlyList<string>? S3EndpointExtraBuckets { get; init; }
}

/// <summary>Properties of a <see cref="Network"/>: its <see cref="NetworkSettings"/> and how its flow logs are kept.</summary>
public sealed record NetworkProps : NetworkSettings
{
    /// <summary>Creates empty props, to be filled by an object initializer.</summary>
    public NetworkProps() { }

    /// <summary>Props from <paramref name="settings"/> (for example a data file's record).</summary>
    [SetsRequiredMembers]
    public NetworkProps(NetworkSettings settings) : base(settings) { }

    /// <summary>How long VPC flow logs are kept. Default: one year.</summary>
    public RetentionDays? FlowLogRetention { get; init; }

    /// <summary>The KMS key that encrypts the flow log group; CloudWatch Logs must be allowed to use it. Default: a new key with rotation.</summary>
    public IKey? LogEncryptionKey { get; init; }
}
