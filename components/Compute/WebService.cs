using System.Text.RegularExpressions;
using Amazon.CDK;
using Amazon.CDK.AWS.AutoScaling;
using Amazon.CDK.AWS.CloudWatch;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.ElasticLoadBalancingV2;
using Amazon.CDK.AWS.IAM;
using Constructs;
using CdkHealthCheck = Amazon.CDK.AWS.AutoScaling.HealthCheck;
using TargetGroupHealthCheck = Amazon.CDK.AWS.ElasticLoadBalancingV2.HealthCheck;

namespace ScalableBackend.Components.Compute;

/// <summary>
/// One microservice behind a shared <see cref="ServiceLoadBalancer"/>: its own target group and listener rule,
/// and an Auto Scaling group in the private subnets launched from a hardened launch template (IMDSv2 required,
/// encrypted gp3 root volume, no public IP, an instance role with only SSM and CloudWatch-agent permissions),
/// with ELB health checks, a rolling update policy and the configured scaling triggers.
/// </summary>
public sealed partial class WebService : Construct
{
    /// <summary>The service's target group.</summary>
    public ApplicationTargetGroup TargetGroup { get; }

    /// <summary>The listener rule routing to the target group.</summary>
    public ApplicationListenerRule ListenerRule { get; }

    /// <summary>The Auto Scaling group.</summary>
    public AutoScalingGroup AutoScalingGroup { get; }

    /// <summary>The launch template the group launches from.</summary>
    public LaunchTemplate LaunchTemplate { get; }

    /// <summary>The instances' role; grant the service's dependencies to it.</summary>
    public IRole Role { get; }

    /// <summary>The instances' security group; data stores admit their users by this group.</summary>
    public ISecurityGroup SecurityGroup { get; }

    /// <summary>Creates the service; validates <paramref name="props"/> before creating anything.</summary>
    /// <exception cref="ArgumentException">A property is out of its allowed range.</exception>
    public WebService(Construct scope, string id, WebServiceProps props) : base(scope, id)
    {
        Validate(props);
        if (props.Container is not null && props.CustomBootScript is not null)
            throw new PropsValidationException(nameof(props.CustomBootScript), "(script)", "cannot be given together with Container: an instance runs a container or a team's boot script, not both");
        var port = props.Port ?? 8080;
        var health = props.HealthCheck ?? new ServiceHealthCheck();
        var https = props.TargetProtocol == Compute.TargetProtocol.Https;

        var launch = InstanceLaunch.Create(this, props.Vpc, props.InstanceType, props.MachineImage, props.UserData, props.RootVolumeSizeGiB, props.AttachCloudWatchAgentPolicy ?? true);
        Role = launch.Role;
        SecurityGroup = launch.SecurityGroup;
        LaunchTemplate = launch.LaunchTemplate;

        TargetGroup = new ApplicationTargetGroup(this, "TargetGroup", new ApplicationTargetGroupProps
        {
            Vpc = props.Vpc,
            Port = port,
            Protocol = https ? ApplicationProtocol.HTTPS : ApplicationProtocol.HTTP,
            TargetType = TargetType.INSTANCE,
            DeregistrationDelay = props.DeregistrationDelay ?? Duration.Seconds(30),
            LoadBalancingAlgorithmType = (props.LoadBalancingAlgorithm ?? Compute.LoadBalancingAlgorithm.RoundRobin) switch
            {
                Compute.LoadBalancingAlgorithm.LeastOutstandingRequests => TargetGroupLoadBalancingAlgorithmType.LEAST_OUTSTANDING_REQUESTS,
                _ => TargetGroupLoadBalancingAlgorithmType.ROUND_ROBIN,
            },
            HealthCheck = new TargetGroupHealthCheck
            {
                Enabled = true,
                Path = health.Path ?? "/health",
                Protocol = https ? Amazon.CDK.AWS.ElasticLoadBalancingV2.Protocol.HTTPS : Amazon.CDK.AWS.ElasticLoadBalancingV2.Protocol.HTTP,
                Interval = Duration.Seconds(health.IntervalSeconds ?? 15),
                Timeout = Duration.Seconds(health.TimeoutSeconds ?? 5),
                HealthyThresholdCount = health.HealthyThreshold ?? 2,
                UnhealthyThresholdCount = health.UnhealthyThreshold ?? 3,
                HealthyHttpCodes = health.SuccessCodes ?? "200-299",
            },
        });

        var conditions = new List<ListenerCondition>();
        if (props.Routing.PathPatterns is { Count: > 0 } paths) conditions.Add(ListenerCondition.PathPatterns(paths.ToArray()));
        if (props.Routing.HostHeaders is { Count: > 0 } hosts) conditions.Add(ListenerCondition.HostHeaders(hosts.ToArray()));
        if (props.OriginCheck is { } origin)
        {
            var used = (props.Routing.PathPatterns?.Count ?? 0) + (props.Routing.HostHeaders?.Count ?? 0);
            if (used + origin.AcceptedValues.Count > 5)
                throw Invalid(nameof(props.Routing), $"{used} conditions", $"allows at most {5 - origin.AcceptedValues.Count} path patterns and host headers with the origin check (a rule matches at most 5 values)");
            conditions.Add(ListenerCondition.HttpHeader(origin.HeaderName, origin.AcceptedValues.ToArray()));
        }
        ListenerRule = new ApplicationListenerRule(this, "Rule", new ApplicationListenerRuleProps
        {
            Listener = props.Listener,
            Priority = props.Routing.Priority,
            Conditions = conditions.ToArray(),
            TargetGroups = new IApplicationTargetGroup[] { TargetGroup },
        });

        var grace = props.HealthCheckGracePeriod ?? Duration.Minutes(5);
        var warmup = Duration.Seconds(120);
        var boot = new BootInputs(props.Container, props.CustomBootScript, props.ContainerEnvironment, props.LogGroup);
        Duration? signalTimeout = boot.Runs ? ServiceBoot.SignalTimeout(grace, warmup) : null;
        AutoScalingGroup = new AutoScalingGroup(this, "Group", new AutoScalingGroupProps
        {
            Vpc = props.Vpc,
            VpcSubnets = new SubnetSelection { SubnetType = SubnetType.PRIVATE_WITH_EGRESS },
            LaunchTemplate = LaunchTemplate,
            MinCapacity = props.MinCapacity,
            MaxCapacity = props.MaxCapacity,
            DesiredCapacity = props.DesiredCapacity,
            HealthCheck = CdkHealthCheck.Elb(new ElbHealthCheckOptions { Grace = grace }),
            Signals = signalTimeout is { } timeout ? ServiceBoot.CreationSignals(props.MinCapacity, props.DesiredCapacity, timeout) : null,
            UpdatePolicy = ServiceBoot.RollingUpdate(props.MinCapacity, props.MaxCapacity, signalTimeout),
            GroupMetrics = new[] { GroupMetrics.All() },
            DefaultInstanceWarmup = warmup,
        });
        AutoScalingGroup.AttachToApplicationTargetGroup(TargetGroup);
        ServiceBoot.Apply(this, BootMode.Service, boot, AutoScalingGroup, LaunchTemplate, Role, TargetGroup.TargetGroupArn, grace);

        AddScaling(props.Scaling);
    }

    private void AddScaling(ServiceScaling? scaling)
    {
        if (scaling is null) return;
        if (scaling.CpuTargetPercent is { } cpu)
            AutoScalingGroup.ScaleOnCpuUtilization("CpuScaling", new CpuUtilizationScalingProps { TargetUtilizationPercent = cpu });
        if (scaling.RequestsPerTarget is { } requests)
            AutoScalingGroup.ScaleOnRequestCount("RequestCountScaling", new RequestCountScalingProps { TargetRequestsPerMinute = requests });
        foreach (var (name, target) in Sorted(scaling.CustomMetrics))
        {
            AutoScalingGroup.ScaleToTrackMetric($"Metric{ToPascal(name)}Scaling", new MetricTargetTrackingProps
            {
                Metric = ToMetric(target.Metric),
                TargetValue = target.Target,
                DisableScaleIn = target.DisableScaleIn ?? false,
            });
        }
        foreach (var (name, step) in Sorted(scaling.StepScaling))
        {
            AutoScalingGroup.ScaleOnMetric($"Step{ToPascal(name)}Scaling", new BasicStepScalingPolicyProps
            {
                Metric = ToMetric(step.Metric),
                ScalingSteps = step.Steps.Select(s => (IScalingInterval)new ScalingInterval { Lower = s.Lower, Upper = s.Upper, Change = s.Change }).ToArray(),
                AdjustmentType = (step.Adjustment ?? StepAdjustment.ChangeInCapacity) switch
                {
                    StepAdjustment.ExactCapacity => AdjustmentType.EXACT_CAPACITY,
                    StepAdjustment.PercentChangeInCapacity => AdjustmentType.PERCENT_CHANGE_IN_CAPACITY,
                    _ => AdjustmentType.CHANGE_IN_CAPACITY,
                },
                EvaluationPeriods = step.EvaluationPeriods ?? 1,
            });
        }
        foreach (var (name, schedule) in Sorted(scaling.Schedules))
        {
            AutoScalingGroup.ScaleOnSchedule($"Schedule{ToPascal(name)}", new BasicScheduledActionProps
            {
                Schedule = Schedule.Expression(schedule.Cron),
                TimeZone = schedule.TimeZone,
                MinCapacity = schedule.Min,
                MaxCapacity = schedule.Max,
                DesiredCapacity = schedule.Desired,
            });
        }
    }

    private static IEnumerable<KeyValuePair<string, T>> Sorted<T>(IReadOnlyDictionary<string, T>? map) =>
        map is null ? [] : map.OrderBy(kv => kv.Key, StringComparer.Ordinal);

    /// <summary>A CloudWatch metric for <paramref name="spec"/>.</summary>
    public static Metric ToMetric(MetricSpec spec) => new(new MetricProps
    {
        Namespace = spec.Namespace,
        MetricName = spec.MetricName,
        DimensionsMap = spec.Dimensions?.ToDictionary(kv => kv.Key, kv => kv.Value),
        Statistic = spec.Statistic ?? "Average",
        Period = Duration.Seconds(spec.PeriodSeconds ?? 60),
    });

    /// <summary>Turns a key such as <c>queue-latency</c> into the construct id part <c>QueueLatency</c>.</summary>
    public static string ToPascal(string key) =>
        string.Concat(key.Split('-', '_').Where(p => p.Length > 0).Select(p => char.ToUpperInvariant(p[0]) + p[1..]));

    [GeneratedRegex("^[a-z][a-z0-9-]{0,39}$")]
    private static partial Regex KeyPattern();

    /// <summary>Whether <paramref name="key"/> is a valid trigger or service key: lower-case letters, digits and dashes, starting with a letter, at most 40 characters.</summary>
    public static bool IsValidKey(string key) => KeyPattern().IsMatch(key);

    private static readonly string[] Statistics = ["Average", "Sum", "Minimum", "Maximum", "SampleCount"];

    private static PropsValidationException Invalid(string path, object? value, string rule) => new(path, value, rule);

    /// <summary>Checks the settings of a service; throws naming the property path, the value and what is allowed.</summary>
    /// <exception cref="PropsValidationException">A setting is out of its allowed range.</exception>
    public static void Validate(WebServiceSettings s)
    {
        if (s.Container is { } container)
            ContainerSettings.Validate(container, nameof(s.Container));
        if (s.MinCapacity < 0)
            throw Invalid(nameof(s.MinCapacity), s.MinCapacity, "must be at least 0");
        if (s.MaxCapacity < Math.Max(1, s.MinCapacity))
            throw Invalid(nameof(s.MaxCapacity), s.MaxCapacity, $"must be >= minCapacity ({s.MinCapacity}) and at least 1");
        if (s.DesiredCapacity is { } desired && (desired < s.MinCapacity || desired > s.MaxCapacity))
            throw Invalid(nameof(s.DesiredCapacity), desired, $"must be between minCapacity ({s.MinCapacity}) and maxCapacity ({s.MaxCapacity})");
        if (s.Port is { } port && (port < 1 || port > 65535))
            throw Invalid(nameof(s.Port), port, "must be between 1 and 65535");
        if (s.RootVolumeSizeGiB is { } size && (size < 8 || size > 16384))
            throw Invalid(nameof(s.RootVolumeSizeGiB), size, "must be between 8 and 16384");
        if (s.DeregistrationDelay is { } delay && !delay.IsUnresolved() && (delay.ToSeconds() < 0 || delay.ToSeconds() > 3600))
            throw Invalid(nameof(s.DeregistrationDelay), $"{delay.ToSeconds()}s", "must be between 0s and 3600s");
        if (s.HealthCheckGracePeriod is { } grace && !grace.IsUnresolved() && grace.ToSeconds() > 7200)
            throw Invalid(nameof(s.HealthCheckGracePeriod), $"{grace.ToSeconds()}s", "must be at most 7200s");
        if (s.Capacity is { } capacity && !(capacity > 0))
            throw Invalid(nameof(s.Capacity), capacity, "must be greater than 0 (requests per second per instance at 100% CPU)");

        var routing = s.Routing;
        const string r = nameof(s.Routing);
        if (routing.Priority < 1 || routing.Priority > 50000)
            throw Invalid($"{r}.{nameof(routing.Priority)}", routing.Priority, "must be between 1 and 50000");
        var conditionValues = (routing.PathPatterns?.Count ?? 0) + (routing.HostHeaders?.Count ?? 0);
        if (conditionValues == 0)
            throw Invalid(r, null, "needs at least one of pathPatterns or hostHeaders");
        if (conditionValues > 5)
            throw Invalid(r, $"{conditionValues} conditions", "allows at most 5 path patterns and host headers in total");
        foreach (var path in routing.PathPatterns ?? [])
            if (!path.StartsWith('/'))
                throw Invalid($"{r}.{nameof(routing.PathPatterns)}", path, "must start with /");

        if (s.HealthCheck is { } hc) ValidateHealthCheck(hc);
        if (s.Scaling is { } scaling) ValidateScaling(scaling, s.MinCapacity, s.MaxCapacity);
    }

    private static void ValidateHealthCheck(ServiceHealthCheck hc)
    {
        const string p = nameof(WebServiceSettings.HealthCheck);
        if (hc.Path is { } path && !path.StartsWith('/'))
            throw Invalid($"{p}.{nameof(hc.Path)}", path, "must start with /");
        if (hc.IntervalSeconds is { } interval && (interval < 5 || interval > 300))
            throw Invalid($"{p}.{nameof(hc.IntervalSeconds)}", interval, "must be between 5 and 300");
        if (hc.TimeoutSeconds is { } timeout && (timeout < 2 || timeout > 120))
            throw Invalid($"{p}.{nameof(hc.TimeoutSeconds)}", timeout, "must be between 2 and 120");
        if ((hc.TimeoutSeconds ?? 5) >= (hc.IntervalSeconds ?? 15))
            throw Invalid($"{p}.{nameof(hc.TimeoutSeconds)}", hc.TimeoutSeconds ?? 5, $"must be less than intervalSeconds ({hc.IntervalSeconds ?? 15})");
        if (hc.HealthyThreshold is { } healthy && (healthy < 2 || healthy > 10))
            throw Invalid($"{p}.{nameof(hc.HealthyThreshold)}", healthy, "must be between 2 and 10");
        if (hc.UnhealthyThreshold is { } unhealthy && (unhealthy < 2 || unhealthy > 10))
            throw Invalid($"{p}.{nameof(hc.UnhealthyThreshold)}", unhealthy, "must be between 2 and 10");
        if (hc.SuccessCodes is { } codes && !SuccessCodesPattern().IsMatch(codes))
            throw Invalid($"{p}.{nameof(hc.SuccessCodes)}", codes, "must be HTTP codes such as 200, 200-299 or 200,204");
    }

    private static void ValidateScaling(ServiceScaling s, int groupMin, int groupMax)
    {
        const string p = nameof(WebServiceSettings.Scaling);
        if (s.CpuTargetPercent is { } cpu && (cpu <= 0 || cpu > 100))
            throw Invalid($"{p}.{nameof(s.CpuTargetPercent)}", cpu, "must be greater than 0 and at most 100");
        if (s.RequestsPerTarget is { } rpt && rpt <= 0)
            throw Invalid($"{p}.{nameof(s.RequestsPerTarget)}", rpt, "must be greater than 0");
        foreach (var (name, target) in s.CustomMetrics ?? new Dictionary<string, CustomMetricTarget>())
        {
            var at = $"{p}.{nameof(s.CustomMetrics)}.{name}";
            CheckKey($"{p}.{nameof(s.CustomMetrics)}", name);
            ValidateMetric($"{at}.{nameof(target.Metric)}", target.Metric);
            if (target.Target <= 0)
                throw Invalid($"{at}.{nameof(target.Target)}", target.Target, "must be greater than 0");
        }
        foreach (var (name, step) in s.StepScaling ?? new Dictionary<string, StepScalingTrigger>())
        {
            var at = $"{p}.{nameof(s.StepScaling)}.{name}";
            CheckKey($"{p}.{nameof(s.StepScaling)}", name);
            ValidateMetric($"{at}.{nameof(step.Metric)}", step.Metric);
            if (step.Steps.Count < 2)
                throw Invalid($"{at}.{nameof(step.Steps)}", $"{step.Steps.Count} step(s)", "must have at least 2 steps");
            for (var i = 0; i < step.Steps.Count; i++)
                if (step.Steps[i] is { Lower: { } lo, Upper: { } up } && lo >= up)
                    throw Invalid($"{at}.{nameof(step.Steps)}[{i}].{nameof(ScalingStep.Lower)}", lo, $"must be below upper ({up})");
            if (step.EvaluationPeriods is { } ep && ep < 1)
                throw Invalid($"{at}.{nameof(step.EvaluationPeriods)}", ep, "must be at least 1");
        }
        foreach (var (name, sch) in s.Schedules ?? new Dictionary<string, ScheduledCapacity>())
        {
            var at = $"{p}.{nameof(s.Schedules)}.{name}";
            CheckKey($"{p}.{nameof(s.Schedules)}", name);
            if (Recurrence.Problem(sch.Cron) is { } cronProblem)
                throw Invalid($"{at}.{nameof(sch.Cron)}", sch.Cron, cronProblem);
            if (sch.Min is null && sch.Max is null && sch.Desired is null)
                throw Invalid(at, null, "must set at least one of min, max, desired");
            if (sch.TimeZone is { } zone && Recurrence.TimeZoneProblem(zone) is { } zoneProblem)
                throw Invalid($"{at}.{nameof(sch.TimeZone)}", zone, zoneProblem);
            if (sch.Min is { } mn && sch.Max is { } mx && mn > mx)
                throw Invalid($"{at}.{nameof(sch.Max)}", mx, $"must be >= min ({mn})");
            if (sch.Desired is { } d && ((sch.Min is { } m1 && d < m1) || (sch.Max is { } m2 && d > m2)))
                throw Invalid($"{at}.{nameof(sch.Desired)}", d, $"must be between min ({sch.Min}) and max ({sch.Max})");
            // The action changes only what it sets; the group's other bound stays, and Auto Scaling rejects min > max.
            if (sch.Min is { } onlyMin && sch.Max is null && onlyMin > groupMax)
                throw Invalid($"{at}.{nameof(sch.Min)}", onlyMin, $"must be at most the group's maxCapacity ({groupMax}), which the action keeps; set max as well");
            if (sch.Max is { } onlyMax && sch.Min is null && onlyMax < groupMin)
                throw Invalid($"{at}.{nameof(sch.Max)}", onlyMax, $"must be at least the group's minCapacity ({groupMin}), which the action keeps; set min as well");
            if (sch.Desired is { } d2 && (d2 < (sch.Min ?? groupMin) || d2 > (sch.Max ?? groupMax)))
                throw Invalid($"{at}.{nameof(sch.Desired)}", d2, $"must be between the bounds the action leaves ({sch.Min ?? groupMin} to {sch.Max ?? groupMax})");
        }
    }

    private static void CheckKey(string at, string key)
    {
        if (!IsValidKey(key))
            throw Invalid(at, key, "keys must be lower-case letters, digits and dashes, starting with a letter (at most 40)");
    }

    private static void ValidateMetric(string at, MetricSpec metric)
    {
        if (string.IsNullOrWhiteSpace(metric.Namespace))
            throw Invalid($"{at}.{nameof(metric.Namespace)}", null, "must not be empty");
        if (string.IsNullOrWhiteSpace(metric.MetricName))
            throw Invalid($"{at}.{nameof(metric.MetricName)}", null, "must not be empty");
        if (metric.Namespace.StartsWith("AWS/", StringComparison.Ordinal) && metric.Dimensions is null or { Count: 0 })
            throw Invalid($"{at}.{nameof(metric.Dimensions)}", null, $"are required for the AWS metric {metric.Namespace}/{metric.MetricName} to identify the resource");
        if (metric.Statistic is { } stat && !Statistics.Contains(stat) && !PercentilePattern().IsMatch(stat))
            throw Invalid($"{at}.{nameof(metric.Statistic)}", stat, $"must be one of {string.Join(", ", Statistics)} or a percentile such as p99");
        if (metric.PeriodSeconds is { } period && (period < 60 || period % 60 != 0))
            throw Invalid($"{at}.{nameof(metric.PeriodSeconds)}", period, "must be 60 or a multiple of 60");
    }

    [GeneratedRegex(@"^[1-5][0-9]{2}(-[1-5][0-9]{2})?(,[1-5][0-9]{2}(-[1-5][0-9]{2})?)*$")]
    private static partial Regex SuccessCodesPattern();

    [GeneratedRegex(@"^p\d{1,2}(\.\d+)?$")]
    private static partial Regex PercentilePattern();
}
