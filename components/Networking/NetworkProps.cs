using Amazon.CDK.AWS.KMS;
using Amazon.CDK.AWS.Logs;

namespace ScalableBackend.Components.Networking;

/// <summary>Properties of a <see cref="Network"/>.</summary>
public sealed record NetworkProps : INetworkSettings
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

    /// <summary>How long VPC flow logs are kept. Default: one year.</summary>
    public RetentionDays? FlowLogRetention { get; init; }

    /// <summary>The KMS key that encrypts the flow log group; CloudWatch Logs must be allowed to use it. Default: a new key with rotation.</summary>
    public IKey? LogEncryptionKey { get; init; }
}
