using System.Diagnostics.CodeAnalysis;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.KMS;
using Amazon.CDK.AWS.Logs;

namespace ScalableBackend.Components.Observability;

/// <summary>The search domain of <see cref="CentralLogging"/>: its size and layout.</summary>
public sealed record LogSearchDomain
{
    /// <summary>The data nodes' instance type, e.g. <c>r6g.large.search</c>. Default: <c>r6g.large.search</c>.</summary>
    public string? InstanceType { get; init; }

    /// <summary>Data nodes, 1–80; with zone awareness a multiple of 2 or 3 (spread over that many zones). Default: 2 with zone awareness, else 1.</summary>
    public int? InstanceCount { get; init; }

    /// <summary>Whether three dedicated master nodes manage the cluster (recommended for production). Default: false.</summary>
    public bool? DedicatedMasters { get; init; }

    /// <summary>The dedicated masters' instance type; only with <see cref="DedicatedMasters"/>. Default: <c>m6g.large.search</c>.</summary>
    public string? MasterInstanceType { get; init; }

    /// <summary>Whether data nodes and replicas spread over 2 or 3 zones (3 when the instance count is a multiple of 3 and there are 3 subnets). Default: false.</summary>
    public bool? ZoneAwareness { get; init; }

    /// <summary>The gp3 volume of each data node in GiB, 10–16384. Default: 20.</summary>
    public int? VolumeSizeGiB { get; init; }
}

/// <summary>
/// The plain-data settings of a <see cref="CentralLogging"/>: where logs go and how long the archive keeps them.
/// Exactly one of <see cref="Search"/> and <see cref="ArchiveOnly"/> must be set. A data file's record derives from
/// it, so both are validated by <see cref="CentralLogging.Validate"/> with one set of rules and one set of documented
/// defaults.
/// </summary>
public record CentralLoggingSettings
{
    /// <summary>The OpenSearch domain logs are indexed into. Default: none; then <see cref="ArchiveOnly"/> must be true.</summary>
    public LogSearchDomain? Search { get; init; }

    /// <summary>Whether logs only go to the S3 archive (no search domain). Default: false; then <see cref="Search"/> is required.</summary>
    public bool? ArchiveOnly { get; init; }

    /// <summary>Days after which archived objects move to S3 Standard-IA, at least 30 and below the expiration. Default: 30, skipped when the archive expires within 30 days.</summary>
    public int? ArchiveTransitionDays { get; init; }

    /// <summary>Days after which archived objects are deleted, at least 1. Default: 365.</summary>
    public int? ArchiveExpirationDays { get; init; }
}

/// <summary>Properties of a <see cref="CentralLogging"/>: its <see cref="CentralLoggingSettings"/> and what it is wired to.</summary>
public sealed record CentralLoggingProps : CentralLoggingSettings
{
    /// <summary>Creates empty props, to be filled by an object initializer.</summary>
    public CentralLoggingProps() { }

    /// <summary>Props from <paramref name="settings"/> (for example a data file's record) and the objects the pipeline is wired to.</summary>
    [SetsRequiredMembers]
    public CentralLoggingProps(CentralLoggingSettings settings, IVpc vpc, IKey logEncryptionKey, RetentionDays logRetention) : base(settings)
    {
        Vpc = vpc;
        LogEncryptionKey = logEncryptionKey;
        LogRetention = logRetention;
    }

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

    /// <summary>The search domain's name: 3–28 lower-case letters, digits and dashes, starting with a letter. Default: derived from the construct path.</summary>
    public string? DomainName { get; init; }

    /// <summary>The index prefix; Firehose appends the day (<c>logs-2024-01-31</c>). Default: <c>logs</c>.</summary>
    public string? IndexName { get; init; }
}
