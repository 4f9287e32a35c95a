namespace ScalableBackend.Components.Compute;

/// <summary>
/// How a service's Auto Scaling group scales. Any combination of triggers; each keyed trigger gets a construct
/// id from its key, so adding or removing one never renames the others.
/// </summary>
public sealed record ServiceScaling
{
    /// <summary>Target tracking on the group's average CPU utilisation, in percent (1–100). Default: none.</summary>
    public double? CpuTargetPercent { get; init; }

    /// <summary>Target tracking on load balancer requests per target per minute (&gt; 0). Default: none.</summary>
    public double? RequestsPerTarget { get; init; }

    /// <summary>Target tracking on custom CloudWatch metrics, keyed by a stable name. Default: none.</summary>
    public IReadOnlyDictionary<string, CustomMetricTarget>? CustomMetrics { get; init; }

    /// <summary>Step scaling on custom metric alarms, keyed by a stable name. Default: none.</summary>
    public IReadOnlyDictionary<string, StepScalingTrigger>? StepScaling { get; init; }

    /// <summary>Scheduled capacity changes, keyed by a stable name. Default: none.</summary>
    public IReadOnlyDictionary<string, ScheduledCapacity>? Schedules { get; init; }

    /// <summary>Whether any trigger is configured.</summary>
    public bool HasTriggers => CpuTargetPercent is not null || RequestsPerTarget is not null
        || CustomMetrics is { Count: > 0 } || StepScaling is { Count: > 0 } || Schedules is { Count: > 0 };
}

/// <summary>A CloudWatch metric identified by namespace, name and dimensions.</summary>
public sealed record MetricSpec
{
    /// <summary>The metric namespace, e.g. <c>Backend/Api</c>. Required.</summary>
    public required string Namespace { get; init; }

    /// <summary>The metric name. Required.</summary>
    public required string MetricName { get; init; }

    /// <summary>Dimensions of the metric. Default: none.</summary>
    public IReadOnlyDictionary<string, string>? Dimensions { get; init; }

    /// <summary>The statistic: Average, Sum, Minimum, Maximum, SampleCount or a percentile such as p99. Default: Average.</summary>
    public string? Statistic { get; init; }

    /// <summary>The period the statistic is computed over, in seconds (60 or a multiple of 60). Default: 60.</summary>
    public int? PeriodSeconds { get; init; }
}

/// <summary>Target tracking on a custom metric: the group adds or removes instances to hold the metric at the target.</summary>
public sealed record CustomMetricTarget
{
    /// <summary>The metric to track. Required.</summary>
    public required MetricSpec Metric { get; init; }

    /// <summary>The value to hold the metric at. Required.</summary>
    public required double Target { get; init; }

    /// <summary>Whether the policy may not remove instances. Default: false.</summary>
    public bool? DisableScaleIn { get; init; }
}

/// <summary>Step scaling on an alarm over a custom metric.</summary>
public sealed record StepScalingTrigger
{
    /// <summary>The metric the alarm watches. Required.</summary>
    public required MetricSpec Metric { get; init; }

    /// <summary>Steps: metric intervals and the capacity change for each. Required; at least two (one must be the no-change band or a scale-in step).</summary>
    public required IReadOnlyList<ScalingStep> Steps { get; init; }

    /// <summary>How <see cref="ScalingStep.Change"/> is read. Default: <see cref="StepAdjustment.ChangeInCapacity"/>.</summary>
    public StepAdjustment? Adjustment { get; init; }

    /// <summary>Evaluation periods before the alarm fires. Default: 1.</summary>
    public int? EvaluationPeriods { get; init; }
}

/// <summary>How a step's change is read.</summary>
public enum StepAdjustment
{
    /// <summary>Add or remove this many instances.</summary>
    ChangeInCapacity,
    /// <summary>Add or remove this percentage of the current capacity.</summary>
    PercentChangeInCapacity,
    /// <summary>Set the capacity to exactly this many instances.</summary>
    ExactCapacity,
}

/// <summary>One step: when the metric is within [Lower, Upper), change capacity by <see cref="Change"/>.</summary>
public sealed record ScalingStep
{
    /// <summary>Inclusive lower bound of the metric. Default: unbounded below.</summary>
    public double? Lower { get; init; }

    /// <summary>Exclusive upper bound of the metric. Default: unbounded above.</summary>
    public double? Upper { get; init; }

    /// <summary>The capacity change. Required.</summary>
    public required int Change { get; init; }
}

/// <summary>A scheduled capacity change (cron in UTC unless a time zone is given).</summary>
public sealed record ScheduledCapacity
{
    /// <summary>Cron expression with five fields: minute hour day-of-month month day-of-week. Required.</summary>
    public required string Cron { get; init; }

    /// <summary>The IANA time zone the cron expression is read in, e.g. <c>Europe/Berlin</c>. Default: UTC.</summary>
    public string? TimeZone { get; init; }

    /// <summary>New minimum capacity. Default: unchanged.</summary>
    public int? Min { get; init; }

    /// <summary>New maximum capacity. Default: unchanged.</summary>
    public int? Max { get; init; }

    /// <summary>New desired capacity. Default: unchanged.</summary>
    public int? Desired { get; init; }
}
