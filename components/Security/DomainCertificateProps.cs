namespace ScalableBackend.Components.Security;

/// <summary>Properties of a <see cref="DomainCertificate"/>: an imported certificate ARN, or a hosted zone to validate a new one.</summary>
public sealed record DomainCertificateProps : IDomainCertificateSettings
{
    /// <inheritdoc/>
    /// <remarks>Required.</remarks>
    public required string Name { get; init; }

    /// <inheritdoc/>
    /// <remarks>Default: none — then <see cref="HostedZone"/> is required and a new certificate is issued.</remarks>
    public string? CertificateArn { get; init; }

    /// <inheritdoc/>
    /// <remarks>Default: none — then <see cref="CertificateArn"/> is required.</remarks>
    public HostedZoneReference? HostedZone { get; init; }
}
