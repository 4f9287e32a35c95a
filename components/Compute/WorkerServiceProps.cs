using System.Diagnostics.CodeAnalysis;
using Amazon.CDK;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.SQS;
using ScalableBackend.Components.Messaging;

namespace ScalableBackend.Components.Compute;

/// <summary>
/// A recurring window (e.g. nightly batch processing) during which a worker group keeps at least
/// <see cref="MinCapacity"/> instances: a scheduled action raises the minimum at <see cref="Start"/> and another
/// returns it to the group's minimum at <see cref="End"/>.
/// </summary>
public sealed record BatchWindow
{
    /// <summary>When the window opens: cron with five fields (minute hour day-of-month month day-of-week). Required.</summary>
    public required string Start { get; init; }

    /// <summary>When the window closes: cron with five fields; different from <see cref="Start"/>. Required.</summary>
    public required string End { get; init; }

    /// <summary>The minimum (and initial desired) capacity during the window, 1 to the group's maximum. Required.</summary>
    public required int MinCapacity { get; init; }

    /// <summary>The IANA time zone both crons are read in, e.g. <c>Europe/Berlin</c>. Default: UTC.</summary>
    public string? TimeZone { get; init; }
}

/// <summary>
/// The plain-data settings of a <see cref="WorkerService"/> — everything but the CDK objects it is wired to. A data
/// file's record derives from it, so both are validated by <see cref="WorkerService.Validate"/> with one set of rules
/// and one set of documented defaults.
/// </summary>
public record WorkerServiceSettings
{    /// <summary>
    /// What the instances run: a container image pinned by tag or digest, its command, environment and secrets
    /// (<see cref="ContainerSettings"/>). With it, every instance signals CloudFormation only once it is ready, and
    /// creation and every rolling update wait for those signals (a bad image fails the deploy and rolls back).
    /// Default: none — the instances run only what the machine image and user data start.
    /// </summary>
    public ContainerSettings? Container { get; init; }


    /// <summary>Minimum number of instances, at least 1 (backlog per instance has no value with no instance in service). Required.</summary>
    public required int MinCapacity { get; init; }

    /// <summary>Maximum number of instances, at least <see cref="MinCapacity"/>. Required.</summary>
    public required int MaxCapacity { get; init; }

    /// <summary>
    /// The longest a message may wait before a worker starts on it, greater than 0 and at least
    /// <see cref="AverageProcessingTime"/>. With <see cref="AverageProcessingTime"/> it sets the scaling target:
    /// backlog per instance = acceptable latency ÷ average processing time. Required.
    /// </summary>
    public required Duration AcceptableLatency { get; init; }

    /// <summary>The average time one instance takes to process one message, greater than 0. Required.</summary>
    public required Duration AverageProcessingTime { get; init; }

    /// <summary>Root volume size in GiB, 8–16384; always gp3 and encrypted. Default: 20.</summary>
    public int? RootVolumeSizeGiB { get; init; }

    /// <summary>Time after launch before failing EC2 health checks replace an instance, at most 7200 seconds. Default: 5 minutes.</summary>
    public Duration? HealthCheckGracePeriod { get; init; }

    /// <summary>Batch windows that raise capacity and then return it, keyed by a stable name such as <c>nightly</c>. Default: none.</summary>
    public IReadOnlyDictionary<string, BatchWindow>? BatchWindows { get; init; }
}

/// <summary>Properties of a <see cref="WorkerService"/>: its <see cref="WorkerServiceSettings"/> and what it is wired to.</summary>
public sealed record WorkerServiceProps : WorkerServiceSettings
{
    /// <summary>Creates empty props, to be filled by an object initializer.</summary>
    public WorkerServiceProps() { }

    /// <summary>Props from <paramref name="settings"/> (for example a data file's record) and the objects the worker tier is wired to.</summary>
    [SetsRequiredMembers]
    public WorkerServiceProps(WorkerServiceSettings settings, IVpc vpc, IQueue queue, InstanceType instanceType) : base(settings)
    {
        Vpc = vpc;
        Queue = queue;
        InstanceType = instanceType;
    }

    /// <summary>The VPC; instances run in its private subnets. Required.</summary>
    public required IVpc Vpc { get; init; }

    /// <summary>The queue the workers consume; they get exactly the consume grant on it. Required.</summary>
    public required IQueue Queue { get; init; }

    /// <summary>The EC2 instance type. Required.</summary>
    public required InstanceType InstanceType { get; init; }

    /// <summary>The machine image. Default: the latest Amazon Linux 2023, resolved at deploy time through SSM (no lookup at synth).</summary>
    public IMachineImage? MachineImage { get; init; }

    /// <summary>
    /// Attach AWS's managed <c>CloudWatchAgentServerPolicy</c> so the CloudWatch agent works without further grants (it
    /// allows log writes and metrics on any resource). Set false when a <c>CloudWatchAgentConfig</c> grants the agent
    /// exactly its log group, parameter and metrics namespace. Default: true.
    /// </summary>
    public bool? AttachCloudWatchAgentPolicy { get; init; }

    /// <summary>User data run at boot (start the worker process here). Default: the machine image's default (empty).</summary>
    public UserData? UserData { get; init; }

    /// <summary>
    /// A team's own boot script (for a machine image it bakes), run at boot instead of a container; its exit code and,
    /// for a service, the target group's health decide the signal. Not together with <see cref="WorkerServiceSettings.Container"/>. Default: none.
    /// </summary>
    public string? CustomBootScript { get; init; }

    /// <summary>Environment variables added to the container's (values may be tokens: queue URLs, secret ARNs …); never secret values. Default: none.</summary>
    public IReadOnlyDictionary<string, string>? ContainerEnvironment { get; init; }

    /// <summary>The log group the container's output goes to (the role gets write access to it). Default: none (the output stays on the instance, with Docker's default log driver — json-file unless the machine image configures another).</summary>
    public Amazon.CDK.AWS.Logs.ILogGroup? LogGroup { get; init; }
}
