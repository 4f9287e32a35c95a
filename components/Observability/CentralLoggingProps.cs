using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.KMS;
using Amazon.CDK.AWS.Logs;

namespace ScalableBackend.Components.Observability;

/// <summary>Properties of a <see cref="CentralLogging"/>. Exactly one of <see cref="Search"/> and <see cref="ArchiveOnly"/> must be set.</summary>
public sealed record CentralLoggingProps : ICentralLoggingSettings
{
    /// <summary>The VPC the search domain and the delivery stream's network interfaces live in. Required.</summary>
    public required IVpc Vpc { get; init; }

    /// <summary>The key encrypting the delivery stream's own error log group. Required.</summary>
    public required IKey LogEncryptionKey { get; init; }

    /// <summary>The retention of the delivery stream's own error log group. Required.</summary>
    public required RetentionDays LogRetention { get; init; }

    /// <summary>The key encrypting the archive bucket, the delivery stream and the search domain at rest. Default: a new key with rotation.</summary>
    public IKey? EncryptionKey { get; init; }

    /// <summary>The subnets of the search domain and the delivery stream. Default: the VPC's isolated subnets.</summary>
    public SubnetSelection? Subnets { get; init; }

    /// <inheritdoc/>
    /// <remarks>Default: none; then <see cref="ArchiveOnly"/> must be true.</remarks>
    public LogSearchDomain? Search { get; init; }

    /// <inheritdoc/>
    /// <remarks>Default: false; then <see cref="Search"/> is required.</remarks>
    public bool? ArchiveOnly { get; init; }

    /// <summary>The search domain's name: 3–28 lower-case letters, digits and dashes, starting with a letter. Default: derived from the construct path.</summary>
    public string? DomainName { get; init; }

    /// <summary>The index prefix; Firehose appends the day (<c>logs-2024-01-31</c>). Default: <c>logs</c>.</summary>
    public string? IndexName { get; init; }

    /// <summary>Days after which archived objects move to S3 Standard-IA, at least 30 and below the expiration. Default: 30, skipped when the archive expires within 30 days.</summary>
    public int? ArchiveTransitionDays { get; init; }

    /// <summary>Days after which archived objects are deleted, at least 1. Default: 365.</summary>
    public int? ArchiveExpirationDays { get; init; }
}
