using System.Diagnostics.CodeAnalysis;
using Amazon.CDK;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.ElasticLoadBalancingV2;

namespace ScalableBackend.Components.Compute;

/// <summary>The load-balancing algorithm of a service's target group.</summary>
public enum LoadBalancingAlgorithm
{
    /// <summary>Requests go to targets in turn.</summary>
    RoundRobin,
    /// <summary>Requests go to the target with the fewest requests in flight (the ALB's least-connections).</summary>
    LeastOutstandingRequests,
}

/// <summary>The protocol from the load balancer to a service's instances.</summary>
public enum TargetProtocol
{
    /// <summary>Plain HTTP inside the VPC (TLS ends at the load balancer).</summary>
    Http,
    /// <summary>HTTPS to the instances, which serve TLS on the service port (the load balancer does not validate their certificate).</summary>
    Https,
}

/// <summary>Target group health check of a service.</summary>
public sealed record ServiceHealthCheck
{
    /// <summary>The HTTP path probed. Default: <c>/health</c>.</summary>
    public string? Path { get; init; }

    /// <summary>Seconds between probes, 5–300. Default: 15.</summary>
    public int? IntervalSeconds { get; init; }

    /// <summary>Seconds before a probe fails, 2–120 and below the interval. Default: 5.</summary>
    public int? TimeoutSeconds { get; init; }

    /// <summary>Consecutive successes before a target is healthy, 2–10. Default: 2.</summary>
    public int? HealthyThreshold { get; init; }

    /// <summary>Consecutive failures before a target is unhealthy, 2–10. Default: 3.</summary>
    public int? UnhealthyThreshold { get; init; }

    /// <summary>HTTP codes that mean healthy, e.g. <c>200</c> or <c>200-299</c>. Default: <c>200-299</c>.</summary>
    public string? SuccessCodes { get; init; }
}

/// <summary>How requests reach a service: a listener rule with a priority and path and/or host conditions.</summary>
public sealed record ServiceRouting
{
    /// <summary>The listener rule priority, 1–50000, lower wins; unique per load balancer. Kept with the service, never derived from list order. Required.</summary>
    public required int Priority { get; init; }

    /// <summary>Path patterns, e.g. <c>/api/*</c> (at most 5 conditions in total). Default: none.</summary>
    public IReadOnlyList<string>? PathPatterns { get; init; }

    /// <summary>Host headers, e.g. <c>api.example.com</c>. Default: none. At least one path pattern or host header is required.</summary>
    public IReadOnlyList<string>? HostHeaders { get; init; }
}

/// <summary>
/// The plain-data settings of a <see cref="WebService"/> — everything but the CDK objects it is wired to. A data
/// file's record derives from it, so both are validated by <see cref="WebService.Validate"/> with one set of rules and
/// one set of documented defaults.
/// </summary>
public record WebServiceSettings
{    /// <summary>
    /// What the instances run: a container image pinned by tag or digest, its command, environment and secrets
    /// (<see cref="ContainerSettings"/>). With it, every instance signals CloudFormation only once it is ready, and
    /// creation and every rolling update wait for those signals (a bad image fails the deploy and rolls back).
    /// Default: none — the instances run only what the machine image and user data start.
    /// </summary>
    public ContainerSettings? Container { get; init; }


    /// <summary>How requests are routed to this service. Required.</summary>
    public required ServiceRouting Routing { get; init; }

    /// <summary>Minimum number of instances, at least 0. Required.</summary>
    public required int MinCapacity { get; init; }

    /// <summary>Maximum number of instances, at least <see cref="MinCapacity"/> and 1. Required.</summary>
    public required int MaxCapacity { get; init; }

    /// <summary>Initial desired number of instances, within min and max. Default: unset, so deployments never reset a scaled group.</summary>
    public int? DesiredCapacity { get; init; }

    /// <summary>The port the application listens on, 1–65535. Default: 8080.</summary>
    public int? Port { get; init; }

    /// <summary>Root volume size in GiB, 8–16384; always gp3 and encrypted. Default: 20.</summary>
    public int? RootVolumeSizeGiB { get; init; }

    /// <summary>Target group health check. Default: <c>/health</c> every 15 s.</summary>
    public ServiceHealthCheck? HealthCheck { get; init; }

    /// <summary>Time to drain a deregistering target, 0–3600 seconds. Default: 30 seconds.</summary>
    public Duration? DeregistrationDelay { get; init; }

    /// <summary>The protocol from the load balancer to the instances, health checks included. Default: <see cref="Compute.TargetProtocol.Http"/>.</summary>
    public TargetProtocol? TargetProtocol { get; init; }

    /// <summary>The target group's load-balancing algorithm. Default: <see cref="LoadBalancingAlgorithm.RoundRobin"/>.</summary>
    public LoadBalancingAlgorithm? LoadBalancingAlgorithm { get; init; }

    /// <summary>Time after launch before failing ELB health checks terminate an instance. Default: 5 minutes.</summary>
    public Duration? HealthCheckGracePeriod { get; init; }

    /// <summary>Scaling triggers. Default: none (fixed capacity between min and max).</summary>
    public ServiceScaling? Scaling { get; init; }

    /// <summary>
    /// Requests per second one instance serves at 100% CPU, greater than 0. Nothing is deployed from it: the scaling
    /// simulation (<c>simulate</c>) reads it to turn a traffic profile into CPU and serving capacity.
    /// Default: <see cref="DefaultCapacity"/> (100).
    /// </summary>
    public double? Capacity { get; init; }

    /// <summary>The requests per second per instance at 100% CPU assumed when <see cref="Capacity"/> is not given: 100.</summary>
    public const double DefaultCapacity = 100;
}

/// <summary>Properties of a <see cref="WebService"/>: its <see cref="WebServiceSettings"/> and what it is wired to.</summary>
public sealed record WebServiceProps : WebServiceSettings
{
    /// <summary>Creates empty props, to be filled by an object initializer.</summary>
    public WebServiceProps() { }

    /// <summary>Props from <paramref name="settings"/> (for example a data file's record) and the objects the service is wired to.</summary>
    [SetsRequiredMembers]
    public WebServiceProps(WebServiceSettings settings, IVpc vpc, IApplicationListener listener, InstanceType instanceType) : base(settings)
    {
        Vpc = vpc;
        Listener = listener;
        InstanceType = instanceType;
    }

    /// <summary>The VPC; instances run in its private subnets. Required.</summary>
    public required IVpc Vpc { get; init; }

    /// <summary>The shared load balancer's listener the service's rule is added to. Required.</summary>
    public required IApplicationListener Listener { get; init; }

    /// <summary>
    /// The origin check the service's rule requires besides its paths and hosts: requests without the API's header (any
    /// of its accepted values) are not forwarded. Give the load balancer's <c>OriginCheck</c>. Default: none.
    /// </summary>
    public Security.OriginCheck? OriginCheck { get; init; }

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

    /// <summary>User data run at boot. Default: the machine image's default (empty).</summary>
    public UserData? UserData { get; init; }

    /// <summary>
    /// A team's own boot script (for a machine image it bakes), run at boot instead of a container; its exit code and,
    /// for a service, the target group's health decide the signal. Not together with <see cref="WebServiceSettings.Container"/>. Default: none.
    /// </summary>
    public string? CustomBootScript { get; init; }

    /// <summary>Environment variables added to the container's (values may be tokens: queue URLs, secret ARNs …); never secret values. Default: none.</summary>
    public IReadOnlyDictionary<string, string>? ContainerEnvironment { get; init; }

    /// <summary>The log group the container's output goes to (the role gets write access to it). Default: none (the output stays on the instance, with Docker's default log driver — json-file unless the machine image configures another).</summary>
    public Amazon.CDK.AWS.Logs.ILogGroup? LogGroup { get; init; }
}
