using Amazon.CDK;
using Amazon.CDK.AWS.AutoScaling;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.IAM;
using Constructs;
using ScalableBackend.Components.Messaging;
using CdkHealthCheck = Amazon.CDK.AWS.AutoScaling.HealthCheck;

namespace ScalableBackend.Components.Compute;

/// <summary>
/// An asynchronous worker tier without a load balancer: an Auto Scaling group in the private subnets, launched from
/// the same hardened launch template as <see cref="WebService"/> (IMDSv2 required, encrypted gp3 root volume, no
/// public IP, SSM and CloudWatch-agent permissions only), with EC2 health checks and a rolling update policy, that
/// consumes one <see cref="MessageQueue"/> (receive, delete and change visibility on that queue, decrypt on exactly
/// its key). It scales by target tracking on the backlog per instance — metric math
/// <c>ApproximateNumberOfMessagesVisible / GroupInServiceInstances</c> held at acceptable latency ÷ average
/// processing time — and batch windows raise its minimum on a schedule and return it afterwards.
/// </summary>
public sealed class WorkerService : Construct
{
    /// <summary>The Auto Scaling group.</summary>
    public AutoScalingGroup AutoScalingGroup { get; }

    /// <summary>The launch template the group launches from.</summary>
    public LaunchTemplate LaunchTemplate { get; }

    /// <summary>The instances' role; grant further dependencies to it.</summary>
    public IRole Role { get; }

    /// <summary>The instances' security group (no ingress); brokers and data stores admit the workers by this group.</summary>
    public ISecurityGroup SecurityGroup { get; }

    /// <summary>The target-tracking policy on backlog per instance (L1: CDK 2.160's L2 cannot express metric math here).</summary>
    public CfnScalingPolicy BacklogScalingPolicy { get; }

    /// <summary>The backlog per instance the policy holds: acceptable latency ÷ average processing time.</summary>
    public double BacklogPerInstanceTarget { get; }

    /// <summary>Creates the worker tier; validates <paramref name="props"/> before creating anything.</summary>
    /// <exception cref="PropsValidationException">A property is out of its allowed range.</exception>
    public WorkerService(Construct scope, string id, WorkerServiceProps props) : base(scope, id)
    {
        Validate(props);
        if (props.Container is not null && props.CustomBootScript is not null)
            throw new PropsValidationException(nameof(props.CustomBootScript), "(script)", "cannot be given together with Container: an instance runs a container or a team's boot script, not both");
        var launch = InstanceLaunch.Create(this, props.Vpc, props.InstanceType, props.MachineImage, props.UserData, props.RootVolumeSizeGiB, props.AttachCloudWatchAgentPolicy ?? true);
        Role = launch.Role;
        SecurityGroup = launch.SecurityGroup;
        LaunchTemplate = launch.LaunchTemplate;

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
            HealthCheck = CdkHealthCheck.Ec2(new Ec2HealthCheckOptions { Grace = grace }),
            Signals = signalTimeout is { } timeout ? ServiceBoot.CreationSignals(props.MinCapacity, null, timeout) : null,
            UpdatePolicy = ServiceBoot.RollingUpdate(props.MinCapacity, props.MaxCapacity, signalTimeout),
            // GroupInServiceInstances is the denominator of the backlog-per-instance metric.
            GroupMetrics = new[] { new GroupMetrics(GroupMetric.IN_SERVICE_INSTANCES, GroupMetric.DESIRED_CAPACITY, GroupMetric.MIN_SIZE, GroupMetric.MAX_SIZE) },
            DefaultInstanceWarmup = warmup,
        });
        ServiceBoot.Apply(this, BootMode.Worker, boot, AutoScalingGroup, LaunchTemplate, Role, null, grace);

        MessageQueue.GrantConsume(props.Queue, Role);

        BacklogPerInstanceTarget = props.AcceptableLatency.ToSeconds() / props.AverageProcessingTime.ToSeconds();
        BacklogScalingPolicy = new CfnScalingPolicy(this, "BacklogPerInstanceScaling", new CfnScalingPolicyProps
        {
            AutoScalingGroupName = AutoScalingGroup.AutoScalingGroupName,
            PolicyType = "TargetTrackingScaling",
            TargetTrackingConfiguration = new CfnScalingPolicy.TargetTrackingConfigurationProperty
            {
                TargetValue = BacklogPerInstanceTarget,
                CustomizedMetricSpecification = new CfnScalingPolicy.CustomizedMetricSpecificationProperty
                {
                    Metrics = new object[]
                    {
                        new CfnScalingPolicy.TargetTrackingMetricDataQueryProperty
                        {
                            Id = "m1",
                            Label = "Messages visible",
                            ReturnData = false,
                            MetricStat = new CfnScalingPolicy.TargetTrackingMetricStatProperty
                            {
                                Metric = new CfnScalingPolicy.MetricProperty
                                {
                                    Namespace = "AWS/SQS",
                                    MetricName = "ApproximateNumberOfMessagesVisible",
                                    Dimensions = new object[] { new CfnScalingPolicy.MetricDimensionProperty { Name = "QueueName", Value = props.Queue.QueueName } },
                                },
                                Stat = "Sum",
                            },
                        },
                        new CfnScalingPolicy.TargetTrackingMetricDataQueryProperty
                        {
                            Id = "m2",
                            Label = "Instances in service",
                            ReturnData = false,
                            MetricStat = new CfnScalingPolicy.TargetTrackingMetricStatProperty
                            {
                                Metric = new CfnScalingPolicy.MetricProperty
                                {
                                    Namespace = "AWS/AutoScaling",
                                    MetricName = "GroupInServiceInstances",
                                    Dimensions = new object[] { new CfnScalingPolicy.MetricDimensionProperty { Name = "AutoScalingGroupName", Value = AutoScalingGroup.AutoScalingGroupName } },
                                },
                                Stat = "Average",
                            },
                        },
                        new CfnScalingPolicy.TargetTrackingMetricDataQueryProperty
                        {
                            Id = "e1",
                            Label = "Backlog per instance",
                            Expression = "m1 / m2",
                            ReturnData = true,
                        },
                    },
                },
            },
        });

        foreach (var (name, window) in (props.BatchWindows ?? new Dictionary<string, BatchWindow>()).OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var pascal = WebService.ToPascal(name);
            AutoScalingGroup.ScaleOnSchedule($"Batch{pascal}Start", new BasicScheduledActionProps
            {
                Schedule = Schedule.Expression(window.Start),
                TimeZone = window.TimeZone,
                MinCapacity = window.MinCapacity,
            });
            AutoScalingGroup.ScaleOnSchedule($"Batch{pascal}End", new BasicScheduledActionProps
            {
                Schedule = Schedule.Expression(window.End),
                TimeZone = window.TimeZone,
                MinCapacity = props.MinCapacity,
            });
        }
    }

    private static PropsValidationException Invalid(string path, object? value, string rule) => new(path, value, rule);

    /// <summary>Checks the settings of a worker tier; throws naming the property path, the value and what is allowed.</summary>
    /// <exception cref="PropsValidationException">A setting is out of its allowed range.</exception>
    public static void Validate(WorkerServiceSettings s)
    {
        if (s.Container is { } container)
            ContainerSettings.Validate(container, nameof(s.Container));
        if (s.MinCapacity < 1)
            throw Invalid(nameof(s.MinCapacity), s.MinCapacity, "must be at least 1: backlog per instance has no value while no instance is in service");
        if (s.MaxCapacity < s.MinCapacity)
            throw Invalid(nameof(s.MaxCapacity), s.MaxCapacity, $"must be >= minCapacity ({s.MinCapacity})");
        if (s.RootVolumeSizeGiB is { } size && (size < 8 || size > 16384))
            throw Invalid(nameof(s.RootVolumeSizeGiB), size, "must be between 8 and 16384");
        if (s.HealthCheckGracePeriod is { } grace && !grace.IsUnresolved() && grace.ToSeconds() > 7200)
            throw Invalid(nameof(s.HealthCheckGracePeriod), $"{grace.ToSeconds()}s", "must be at most 7200s");
        if (!s.AverageProcessingTime.IsUnresolved() && s.AverageProcessingTime.ToMilliseconds() <= 0)
            throw Invalid(nameof(s.AverageProcessingTime), $"{s.AverageProcessingTime.ToSeconds()}s", "must be greater than 0s");
        if (!s.AcceptableLatency.IsUnresolved() && s.AcceptableLatency.ToMilliseconds() <= 0)
            throw Invalid(nameof(s.AcceptableLatency), $"{s.AcceptableLatency.ToSeconds()}s", "must be greater than 0s");
        if (!s.AcceptableLatency.IsUnresolved() && !s.AverageProcessingTime.IsUnresolved()
            && s.AcceptableLatency.ToMilliseconds() < s.AverageProcessingTime.ToMilliseconds())
            throw Invalid(nameof(s.AcceptableLatency), $"{s.AcceptableLatency.ToSeconds()}s",
                $"must be at least averageProcessingTime ({s.AverageProcessingTime.ToSeconds()}s): the target backlog per instance would be below one message");

        const string p = nameof(s.BatchWindows);
        foreach (var (name, window) in s.BatchWindows ?? new Dictionary<string, BatchWindow>())
        {
            if (!WebService.IsValidKey(name))
                throw Invalid(p, name, "keys must be lower-case letters, digits and dashes, starting with a letter (at most 40)");
            var at = $"{p}.{name}";
            CheckCron($"{at}.{nameof(window.Start)}", window.Start);
            CheckCron($"{at}.{nameof(window.End)}", window.End);
            if (window.Start.Trim() == window.End.Trim())
                throw Invalid($"{at}.{nameof(window.End)}", window.End, "must differ from start");
            if (window.MinCapacity < 1 || window.MinCapacity > s.MaxCapacity)
                throw Invalid($"{at}.{nameof(window.MinCapacity)}", window.MinCapacity, $"must be between 1 and maxCapacity ({s.MaxCapacity})");
            if (window.TimeZone is { } zone && Recurrence.TimeZoneProblem(zone) is { } zoneProblem)
                throw Invalid($"{at}.{nameof(window.TimeZone)}", zone, zoneProblem);
        }
    }

    private static void CheckCron(string at, string cron)
    {
        if (Recurrence.Problem(cron) is { } problem)
            throw Invalid(at, cron, problem);
    }
}
