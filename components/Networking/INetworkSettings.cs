namespace ScalableBackend.Components.Networking;

/// <summary>The plain-data settings of a <see cref="Network"/>, validated by <see cref="Network.Validate"/>.</summary>
public interface INetworkSettings
{
    /// <summary>The availability zones.</summary>
    IReadOnlyList<string> AvailabilityZones { get; }
    /// <summary>The VPC CIDR block.</summary>
    string? Cidr { get; }
    /// <summary>The number of NAT gateways.</summary>
    int? NatGateways { get; }
    /// <summary>Public subnet prefix length.</summary>
    int? PublicSubnetCidrMask { get; }
    /// <summary>Private subnet prefix length.</summary>
    int? PrivateSubnetCidrMask { get; }
    /// <summary>Isolated subnet prefix length.</summary>
    int? IsolatedSubnetCidrMask { get; }
}
