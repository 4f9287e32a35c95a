using ScalableBackend.Components.Observability;

namespace ScalableBackend.Stacks.Config;

/// <summary>
/// The <c>observability</c> section: who is alerted, alarm threshold overrides, X-Ray sampling and central
/// logging. Without the section an environment still gets its alarms (with no subscribers), a dashboard, the
/// default sampling and an archive-only log pipeline.
/// </summary>
public sealed record ObservabilityConfig : MonitoringSettings
{
    /// <summary>X-Ray sampling. Default: 1 request per second and 5% of the rest.</summary>
    public SamplingConfig? Sampling { get; init; }

    /// <summary>Central logging. Default: <c>archiveOnly: true</c> with a 365-day archive.</summary>
    public LoggingConfig? Logging { get; init; }
}

/// <summary>The <c>observability.sampling</c> section: the sampling rule's settings.</summary>
public sealed record SamplingConfig : TraceSamplingSettings;

/// <summary>The <c>observability.logging</c> section: a search domain, or <c>archiveOnly: true</c>.</summary>
public sealed record LoggingConfig : CentralLoggingSettings;
