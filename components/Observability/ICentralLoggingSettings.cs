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

/// <summary>The plain-data settings of a <see cref="CentralLogging"/>, validated by <see cref="CentralLogging.Validate"/>.</summary>
public interface ICentralLoggingSettings
{
    /// <summary>The OpenSearch domain logs are indexed into; exclusive with <see cref="ArchiveOnly"/>.</summary>
    LogSearchDomain? Search { get; }
    /// <summary>Whether logs only go to the S3 archive (no search domain); exclusive with <see cref="Search"/>.</summary>
    bool? ArchiveOnly { get; }
    /// <summary>Days after which archived objects move to S3 Standard-IA.</summary>
    int? ArchiveTransitionDays { get; }
    /// <summary>Days after which archived objects are deleted.</summary>
    int? ArchiveExpirationDays { get; }
}
