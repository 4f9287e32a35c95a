namespace ScalableBackend.Components.Security;

/// <summary>A Route 53 public hosted zone, named by id and name (no lookup).</summary>
public sealed record HostedZoneReference
{
    /// <summary>The hosted zone id, e.g. <c>Z0123456789ABCDEFGHIJ</c>. Required.</summary>
    public required string Id { get; init; }

    /// <summary>The zone's domain name, e.g. <c>example.com</c>. Required.</summary>
    public required string Name { get; init; }
}

/// <summary>The plain-data settings of a <see cref="DomainCertificate"/>, validated by <see cref="DomainCertificate.Validate"/>.</summary>
public interface IDomainCertificateSettings
{
    /// <summary>The domain name the certificate is for, e.g. <c>api.example.com</c>.</summary>
    string Name { get; }
    /// <summary>The ARN of an existing ACM certificate to import.</summary>
    string? CertificateArn { get; }
    /// <summary>The hosted zone that validates a new certificate through DNS (and can hold the domain's alias record).</summary>
    HostedZoneReference? HostedZone { get; }
}
