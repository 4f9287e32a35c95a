using ScalableBackend.Components.Observability;

namespace ScalableBackend.Stacks.Config;

/// <summary>
/// The <c>observability</c> section: who is alerted, alarm threshold overrides, X-Ray sampling and central
/// logging. Without the section an environment still gets its alarms (with no subscribers), a dashboard, the
/// default sampling and an archive-only log pipeline.
/// </summary>
public sealed record ObservabilityConfig : IMonitoringSettings
{
    /// <inheritdoc/>
    public IReadOnlyList<string>? AlarmEmails { get; init; }
    /// <inheritdoc/>
    public IReadOnlyList<string>? AlarmHttpsEndpoints { get; init; }
    /// <inheritdoc/>
    public AlarmThresholds? Thresholds { get; init; }

    /// <summary>X-Ray sampling. Default: 1 request per second and 5% of the rest.</summary>
    public SamplingConfig? Sampling { get; init; }

    /// <summary>Central logging. Default: <c>archiveOnly: true</c> with a 365-day archive.</summary>
    public LoggingConfig? Logging { get; init; }
}

/// <summary>The <c>observability.sampling</c> section: the sampling rule's settings.</summary>
public sealed record SamplingConfig : TraceSamplingSettings;

/// <summary>The <c>observability.logging</c> section: a search domain, or <c>archiveOnly: true</c>.</summary>
public sealed record LoggingConfig : ICentralLoggingSettings
{
    /// <inheritdoc/>
    public LogSearchDomain? Search { get; init; }
    /// <inheritdoc/>
    public bool? ArchiveOnly { get; init; }
    /// <inheritdoc/>
    public int? ArchiveTransitionDays { get; init; }
    /// <inheritdoc/>
    public int? ArchiveExpirationDays { get; init; }
}
