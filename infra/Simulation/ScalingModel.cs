namespace ScalableBackend.Infra.Simulation;

/// <summary>What an Auto Scaling group runs: a service behind the load balancer or a worker consuming a queue.</summary>
public enum GroupKind
{
    /// <summary>A web service: load is requests per second, served by instances healthy in its target group.</summary>
    Service,
    /// <summary>A worker: load is messages per second arriving on its queue, processed by instances in service.</summary>
    Worker,
}

/// <summary>The metrics the simulation can compute from load and capacity.</summary>
public enum SimulatedMetric
{
    /// <summary><c>AWS/EC2 CPUUtilization</c> averaged over the group's instances past warmup (ASGAverageCPUUtilization).</summary>
    Cpu,
    /// <summary><c>AWS/ApplicationELB RequestCountPerTarget</c>: requests per minute ÷ healthy targets (ALBRequestCountPerTarget).</summary>
    RequestsPerTarget,
    /// <summary>Metric math <c>ApproximateNumberOfMessagesVisible / GroupInServiceInstances</c>.</summary>
    BacklogPerInstance,
    /// <summary><c>AWS/SQS ApproximateNumberOfMessagesVisible</c> of the worker's queue.</summary>
    Backlog,
}

/// <summary>One Auto Scaling group as the synthesized templates declare it, reduced to what the simulation needs.</summary>
public sealed record ScalingGroupModel
{
    /// <summary>The stack (template file name without <c>.template.json</c>).</summary>
    public required string Stack { get; init; }

    /// <summary>The group's logical id.</summary>
    public required string LogicalId { get; init; }

    /// <summary>Service or worker.</summary>
    public required GroupKind Kind { get; init; }

    /// <summary>The service's or worker's key in the environment file.</summary>
    public required string Key { get; init; }

    /// <summary><c>MinSize</c>.</summary>
    public required int Min { get; init; }

    /// <summary><c>MaxSize</c>.</summary>
    public required int Max { get; init; }

    /// <summary><c>DesiredCapacity</c>. Default: unset (the group starts at its minimum).</summary>
    public int? Desired { get; init; }

    /// <summary><c>DefaultInstanceWarmup</c> in seconds. Default: unset (policies fall back to their own warmup or the cooldown).</summary>
    public int? DefaultInstanceWarmupSeconds { get; init; }

    /// <summary><c>Cooldown</c> in seconds (simple scaling only). Default: 300, as EC2 Auto Scaling's default cooldown.</summary>
    public int CooldownSeconds { get; init; } = 300;

    /// <summary><c>HealthCheckGracePeriod</c> in seconds; reported, not simulated (no instance fails here).</summary>
    public int? HealthCheckGracePeriodSeconds { get; init; }

    /// <summary><c>HealthCheckType</c> (<c>ELB</c> or <c>EC2</c>). Default: EC2.</summary>
    public string HealthCheckType { get; init; } = "EC2";

    /// <summary>Seconds a new target needs to pass its target group's health check (healthy threshold × interval); 0 for workers.</summary>
    public int TargetHealthySeconds { get; init; }

    /// <summary>The launch template's instance type, when it is a literal. Default: unknown.</summary>
    public string? InstanceType { get; init; }

    /// <summary>Whether the launch template enables detailed (1-minute) monitoring. Default: false.</summary>
    public bool DetailedMonitoring { get; init; }

    /// <summary>Target-tracking policies the simulation models.</summary>
    public IReadOnlyList<TargetTrackingPolicy> TargetTracking { get; init; } = [];

    /// <summary>Step and simple scaling policies (with the alarms that invoke them) the simulation models.</summary>
    public IReadOnlyList<AlarmPolicy> AlarmPolicies { get; init; } = [];

    /// <summary>Scheduled actions, in logical-id order.</summary>
    public IReadOnlyList<ScheduledAction> Schedules { get; init; } = [];

    /// <summary>Policies and alarms of this group the simulation cannot model, each with the reason.</summary>
    public IReadOnlyList<string> NotSimulated { get; init; } = [];
}

/// <summary>A target-tracking policy on a metric the simulation computes.</summary>
/// <param name="LogicalId">The policy's logical id.</param>
/// <param name="Metric">The tracked metric.</param>
/// <param name="Target">The target value.</param>
/// <param name="DisableScaleIn">Whether the policy never removes instances.</param>
/// <param name="WarmupSeconds">The policy's <c>EstimatedInstanceWarmup</c>, or null to use the group's.</param>
public sealed record TargetTrackingPolicy(string LogicalId, SimulatedMetric Metric, double Target, bool DisableScaleIn, int? WarmupSeconds = null);

/// <summary>How a CloudWatch alarm compares its datapoints with the threshold.</summary>
public enum Comparison
{
    /// <summary><c>GreaterThanOrEqualToThreshold</c>.</summary>
    GreaterOrEqual,
    /// <summary><c>GreaterThanThreshold</c>.</summary>
    Greater,
    /// <summary><c>LessThanThreshold</c>.</summary>
    Less,
    /// <summary><c>LessThanOrEqualToThreshold</c>.</summary>
    LessOrEqual,
}

/// <summary>A CloudWatch metric alarm on a metric the simulation computes.</summary>
/// <param name="LogicalId">The alarm's logical id.</param>
/// <param name="Metric">The metric.</param>
/// <param name="Statistic">Average, Maximum, Minimum or Sum over the period's one-minute values.</param>
/// <param name="PeriodMinutes">The period in minutes (whole minutes only).</param>
/// <param name="EvaluationPeriods">How many recent datapoints are evaluated.</param>
/// <param name="DatapointsToAlarm">How many of them must breach (defaults to <paramref name="EvaluationPeriods"/>).</param>
/// <param name="Comparison">The comparison.</param>
/// <param name="Threshold">The threshold.</param>
public sealed record MetricAlarm(string LogicalId, SimulatedMetric Metric, string Statistic, int PeriodMinutes, int EvaluationPeriods,
    int DatapointsToAlarm, Comparison Comparison, double Threshold);

/// <summary>How a step or simple policy's adjustment is read.</summary>
public enum AdjustmentKind
{
    /// <summary><c>ChangeInCapacity</c>.</summary>
    ChangeInCapacity,
    /// <summary><c>PercentChangeInCapacity</c>.</summary>
    PercentChangeInCapacity,
    /// <summary><c>ExactCapacity</c>.</summary>
    ExactCapacity,
}

/// <summary>One step: for a breach (metric − threshold) in [Lower, Upper), adjust by <paramref name="Adjustment"/>.</summary>
/// <param name="Lower">Inclusive lower bound of the breach; null is unbounded.</param>
/// <param name="Upper">Exclusive upper bound of the breach; null is unbounded.</param>
/// <param name="Adjustment">The scaling adjustment.</param>
public sealed record StepInterval(double? Lower, double? Upper, int Adjustment);

/// <summary>A step or simple scaling policy and the alarm that invokes it.</summary>
/// <param name="LogicalId">The policy's logical id.</param>
/// <param name="Simple">True for <c>SimpleScaling</c> (cooldown applies), false for <c>StepScaling</c>.</param>
/// <param name="Adjustment">How adjustments are read.</param>
/// <param name="Steps">The steps (one unbounded step for simple scaling).</param>
/// <param name="MinAdjustmentMagnitude">For percent changes: the least number of instances changed. Default: unset.</param>
/// <param name="CooldownSeconds">Simple scaling's cooldown, or null for the group's.</param>
/// <param name="WarmupSeconds">Step scaling's <c>EstimatedInstanceWarmup</c>, or null for the group's.</param>
/// <param name="Alarm">The alarm whose ALARM state invokes the policy.</param>
public sealed record AlarmPolicy(string LogicalId, bool Simple, AdjustmentKind Adjustment, IReadOnlyList<StepInterval> Steps,
    int? MinAdjustmentMagnitude, int? CooldownSeconds, int? WarmupSeconds, MetricAlarm Alarm);

/// <summary>A scheduled action: at its cron (in its time zone) or its start time, it sets min, max and/or desired.</summary>
/// <param name="LogicalId">The action's logical id.</param>
/// <param name="Recurrence">The cron, or null for a one-time action.</param>
/// <param name="StartTimeUtc">The one-time action's time, or the recurrence's first allowed time; null when unset.</param>
/// <param name="EndTimeUtc">The recurrence's last allowed time; null when unset.</param>
/// <param name="TimeZone">The IANA time zone the cron is read in (UTC when the template gives none).</param>
/// <param name="Min">New minimum, or null.</param>
/// <param name="Max">New maximum, or null.</param>
/// <param name="Desired">New desired capacity, or null.</param>
public sealed record ScheduledAction(string LogicalId, CronSchedule? Recurrence, DateTime? StartTimeUtc, DateTime? EndTimeUtc,
    string TimeZone, int? Min, int? Max, int? Desired);
