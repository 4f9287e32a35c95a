using System.Diagnostics.CodeAnalysis;

namespace ScalableBackend.Components.Security;

/// <summary>A Route 53 public hosted zone, named by id and name (no lookup).</summary>
public sealed record HostedZoneReference
{
    /// <summary>The hosted zone id, e.g. <c>Z0123456789ABCDEFGHIJ</c>. Required.</summary>
    public required string Id { get; init; }

    /// <summary>The zone's domain name, e.g. <c>example.com</c>. Required.</summary>
    public required string Name { get; init; }
}

/// <summary>
/// The plain-data settings of a <see cref="DomainCertificate"/>: an imported certificate ARN, or a hosted zone to
/// validate a new one. A data file's record derives from it, so both are validated by
/// <see cref="DomainCertificate.Validate"/> with one set of rules and one set of documented defaults.
/// </summary>
public record DomainCertificateSettings
{
    /// <summary>The domain name the certificate is for, e.g. <c>api.example.com</c>. Required.</summary>
    public required string Name { get; init; }

    /// <summary>
    /// The ARN of an existing ACM certificate to import. Default: none — then <see cref="HostedZone"/> is required and
    /// a new certificate is issued.
    /// </summary>
    public string? CertificateArn { get; init; }

    /// <summary>
    /// The hosted zone that validates a new certificate through DNS (and can hold the domain's alias record).
    /// Default: none — then <see cref="CertificateArn"/> is required.
    /// </summary>
    public HostedZoneReference? HostedZone { get; init; }

    /// <summary>
    /// The names an imported certificate covers, as ACM lists them (its domain name and subject alternative names;
    /// <c>*.example.com</c> covers one label), so that every host it is used for is checked against them offline.
    /// Only with <see cref="CertificateArn"/>. Default: none (the imported certificate's names are not checked).
    /// </summary>
    public IReadOnlyList<string>? Names { get; init; }
}

/// <summary>Properties of a <see cref="DomainCertificate"/>: its <see cref="DomainCertificateSettings"/>.</summary>
public sealed record DomainCertificateProps : DomainCertificateSettings
{
    /// <summary>Creates empty props, to be filled by an object initializer.</summary>
    public DomainCertificateProps() { }

    /// <summary>Props from <paramref name="settings"/> (for example a data file's record).</summary>
    [SetsRequiredMembers]
    public DomainCertificateProps(DomainCertificateSettings settings) : base(settings) { }
}
