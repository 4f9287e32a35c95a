using System.Text.Json.Nodes;
using Amazon.CDK;
using Amazon.CDK.AWS.CertificateManager;
using Amazon.CDK.AWS.EC2;
using ScalableBackend.Components.Compute;
using ScalableBackend.Components.Messaging;
using ScalableBackend.Components.Tests.Support;

namespace ScalableBackend.Components.Tests.Defaults;

/// <summary>
/// Services and workers built from their settings records with nothing optional set — a bare service and a bare worker,
/// and one of each that runs a container with nothing optional set (the service with one scaling trigger of each keyed
/// kind, the worker with a batch window, all with nothing optional set) — so every documented "Default: …" of
/// WebServiceSettings, WorkerServiceSettings, ServiceHealthCheck, ServiceScaling, ContainerSettings and BatchWindow is
/// what lands in the template; synthesized once.
/// </summary>
public sealed class ComputeDefaultsFixture
{
    public Synthesized Result { get; }

    public ComputeDefaultsFixture()
    {
        var (stack, network) = TestStacks.WithNetwork();
        var lb = new ServiceLoadBalancer(stack, "LoadBalancer", new ServiceLoadBalancerProps
        {
            Vpc = network.Vpc,
            Certificate = Certificate.FromCertificateArn(stack, "Cert", "arn:aws:acm:us-east-1:123456789012:certificate/abc"),
        });
        var instanceType = new InstanceType("t3.micro");
        _ = new WebService(stack, "Bare", new WebServiceProps
        {
            Vpc = network.Vpc,
            Listener = lb.ServiceListener,
            InstanceType = instanceType,
            Routing = new ServiceRouting { Priority = 1, PathPatterns = ["/bare/*"] },
            MinCapacity = 1,
            MaxCapacity = 3,
        });
        var metric = new MetricSpec { Namespace = "Orders", MetricName = "Backlog" };
        _ = new WebService(stack, "Boxed", new WebServiceProps
        {
            Vpc = network.Vpc,
            Listener = lb.ServiceListener,
            InstanceType = instanceType,
            Routing = new ServiceRouting { Priority = 2, HostHeaders = ["boxed.example.com"] },
            MinCapacity = 1,
            MaxCapacity = 3,
            Container = new ContainerSettings { Image = "orders-api:1.4.2" },
            Scaling = new ServiceScaling
            {
                CustomMetrics = new Dictionary<string, CustomMetricTarget> { ["tracked"] = new() { Metric = metric, Target = 10 } },
                StepScaling = new Dictionary<string, StepScalingTrigger>
                {
                    ["stepped"] = new() { Metric = metric, Steps = [new ScalingStep { Upper = 10, Change = -1 }, new ScalingStep { Lower = 100, Change = 2 }] },
                },
                Schedules = new Dictionary<string, ScheduledCapacity> { ["morning"] = new() { Cron = "0 7 * * *", Min = 2 } },
            },
        });
        var queue = new MessageQueue(stack, "Jobs");
        _ = new WorkerService(stack, "Idle", new WorkerServiceProps
        {
            Vpc = network.Vpc,
            Queue = queue.Queue,
            InstanceType = instanceType,
            MinCapacity = 1,
            MaxCapacity = 3,
            AcceptableLatency = Duration.Minutes(1),
            AverageProcessingTime = Duration.Seconds(6),
        });
        _ = new WorkerService(stack, "Busy", new WorkerServiceProps
        {
            Vpc = network.Vpc,
            Queue = queue.Queue,
            InstanceType = instanceType,
            MinCapacity = 1,
            MaxCapacity = 3,
            AcceptableLatency = Duration.Minutes(1),
            AverageProcessingTime = Duration.Seconds(6),
            Container = new ContainerSettings { Image = "orders-worker:2.0.1" },
            BatchWindows = new Dictionary<string, BatchWindow> { ["nightly"] = new() { Start = "0 1 * * *", End = "0 5 * * *", MinCapacity = 2 } },
        });
        Result = Synthesized.Of(stack);
    }
}

public sealed class ComputeDefaultsTests(ComputeDefaultsFixture fixture) : IClassFixture<ComputeDefaultsFixture>
{
    private (string Id, JsonObject Resource) Of(string type, string prefix) =>
        fixture.Result.OfType(type).Single(r => r.Id.StartsWith(prefix, StringComparison.Ordinal));

    private JsonObject TargetGroup(string prefix) => Of("AWS::ElasticLoadBalancingV2::TargetGroup", prefix).Resource["Properties"]!.AsObject();

    private string? TargetGroupAttribute(string prefix, string key) => TargetGroup(prefix)["TargetGroupAttributes"]!.AsArray()
        .Where(a => (string?)a!["Key"] == key).Select(a => (string?)a!["Value"]).Single();

    private JsonObject Group(string prefix) => Of("AWS::AutoScaling::AutoScalingGroup", prefix).Resource;

    private string GroupId(string prefix) => Of("AWS::AutoScaling::AutoScalingGroup", prefix).Id;

    private JsonObject LaunchData(string prefix) => Of("AWS::EC2::LaunchTemplate", prefix).Resource["Properties"]!["LaunchTemplateData"]!.AsObject();

    private JsonArray Conditions(string prefix) => Of("AWS::ElasticLoadBalancingV2::ListenerRule", prefix).Resource["Properties"]!["Conditions"]!.AsArray();

    /// <summary>The user data as the instance reads it: the joined parts, tokens as their JSON.</summary>
    private string UserData(string prefix)
    {
        var data = LaunchData(prefix)["UserData"]!["Fn::Base64"]!;
        return data is JsonValue text
            ? (string)text!
            : string.Concat(data["Fn::Join"]![1]!.AsArray().Select(p => p is JsonValue v && v.TryGetValue<string>(out var s) ? s : p!.ToJsonString()));
    }

    /// <summary>Resources of <paramref name="type"/> that name the group of <paramref name="prefix"/>.</summary>
    private IEnumerable<JsonObject> OfGroup(string type, string prefix) => fixture.Result.OfType(type)
        .Select(r => r.Resource["Properties"]!.AsObject())
        .Where(p => p["AutoScalingGroupName"]?.ToJsonString() == $$"""{"Ref":"{{GroupId(prefix)}}"}""");

    private JsonObject Policy(string prefix, string kind) => OfGroup("AWS::AutoScaling::ScalingPolicy", prefix).Single(p =>
        kind switch
        {
            "tracked" => (string?)p["PolicyType"] == "TargetTrackingScaling",
            "lower" => p["StepAdjustments"]?[0]?["MetricIntervalUpperBound"] is not null,
            _ => p["StepAdjustments"]?[0]?["MetricIntervalLowerBound"] is not null,
        });

    private IEnumerable<JsonObject> StepAlarms => fixture.Result.OfType("AWS::CloudWatch::Alarm")
        .Where(a => a.Id.StartsWith("BoxedGroupStepStepped", StringComparison.Ordinal)).Select(a => a.Resource["Properties"]!.AsObject());

    private static WebServiceSettings Service(ServiceHealthCheck? health = null) => new()
    {
        Routing = new ServiceRouting { Priority = 1, PathPatterns = ["/"] },
        MinCapacity = 1,
        MaxCapacity = 2,
        HealthCheck = health,
    };

    // ServiceHealthCheck

    [Fact]
    public void The_health_check_probes_slash_health_by_default() =>
        Assert.Equal("/health", (string?)TargetGroup("Bare")["HealthCheckPath"]);

    [Fact]
    public void The_health_check_probes_every_15_seconds_by_default() =>
        Assert.Equal(15, (int)TargetGroup("Bare")["HealthCheckIntervalSeconds"]!);

    [Fact]
    public void A_probe_times_out_after_5_seconds_by_default() =>
        Assert.Equal(5, (int)TargetGroup("Bare")["HealthCheckTimeoutSeconds"]!);

    [Fact]
    public void A_target_is_healthy_after_2_successes_by_default() =>
        Assert.Equal(2, (int)TargetGroup("Bare")["HealthyThresholdCount"]!);

    [Fact]
    public void A_target_is_unhealthy_after_3_failures_by_default() =>
        Assert.Equal(3, (int)TargetGroup("Bare")["UnhealthyThresholdCount"]!);

    [Fact]
    public void Any_2xx_answer_is_healthy_by_default() =>
        Assert.Equal("200-299", (string?)TargetGroup("Bare")["Matcher"]!["HttpCode"]);

    [Fact]
    public void Validation_reads_an_unset_timeout_as_5_seconds()
    {
        // The default timeout must stay below a given interval: 6 s passes, 5 s does not.
        WebService.Validate(Service(new ServiceHealthCheck { IntervalSeconds = 6 }));
        var e = Assert.Throws<PropsValidationException>(() => WebService.Validate(Service(new ServiceHealthCheck { IntervalSeconds = 5 })));

        Assert.Equal(("HealthCheck.TimeoutSeconds", 5), (e.Path, (int)e.Value!));
    }

    [Fact]
    public void Validation_reads_an_unset_interval_as_15_seconds()
    {
        // A given timeout must stay below the default interval: 14 s passes, 15 s does not.
        WebService.Validate(Service(new ServiceHealthCheck { TimeoutSeconds = 14 }));
        var e = Assert.Throws<PropsValidationException>(() => WebService.Validate(Service(new ServiceHealthCheck { TimeoutSeconds = 15 })));

        Assert.Contains("less than intervalSeconds (15)", e.Message, StringComparison.Ordinal);
    }

    // ServiceRouting and the rule

    [Fact]
    public void A_rule_matches_only_the_kind_of_condition_given_by_default()
    {
        Assert.Equal(["path-pattern"], Conditions("Bare").Select(c => (string)c!["Field"]!));
        Assert.Equal(["host-header"], Conditions("Boxed").Select(c => (string)c!["Field"]!));
    }

    [Fact]
    public void Without_an_origin_check_a_rule_requires_no_header_by_default() =>
        Assert.DoesNotContain(Conditions("Bare").Concat(Conditions("Boxed")), c => (string?)c!["Field"] == "http-header");

    // WebServiceSettings and WebServiceProps

    [Fact]
    public void A_service_listens_on_port_8080_by_default() =>
        Assert.Equal(8080, (int)TargetGroup("Bare")["Port"]!);

    [Fact]
    public void A_service_group_sets_no_desired_capacity_by_default() =>
        Assert.Null(Group("Bare")["Properties"]!["DesiredCapacity"]);

    [Fact]
    public void A_deregistering_target_drains_30_seconds_by_default() =>
        Assert.Equal("30", TargetGroupAttribute("Bare", "deregistration_delay.timeout_seconds"));

    [Fact]
    public void Targets_and_their_health_checks_use_plain_http_by_default() =>
        Assert.Equal(("HTTP", "HTTP"), ((string?)TargetGroup("Bare")["Protocol"], (string?)TargetGroup("Bare")["HealthCheckProtocol"]));

    [Fact]
    public void Requests_go_round_robin_by_default() =>
        Assert.Equal("round_robin", TargetGroupAttribute("Bare", "load_balancing.algorithm.type"));

    [Fact]
    public void A_service_without_triggers_has_fixed_capacity_by_default()
    {
        Assert.Empty(OfGroup("AWS::AutoScaling::ScalingPolicy", "Bare"));
        Assert.Empty(OfGroup("AWS::AutoScaling::ScheduledAction", "Bare"));
    }

    [Fact]
    public void The_simulation_assumes_100_requests_per_second_per_instance_by_default()
    {
        Assert.Null(Service().Capacity);
        Assert.Equal(100, WebServiceSettings.DefaultCapacity);
    }

    [Theory]
    [InlineData("Bare", "ELB")]
    [InlineData("Idle", "EC2")]
    public void Failing_health_checks_replace_an_instance_only_after_5_minutes_by_default(string prefix, string kind)
    {
        var group = Group(prefix)["Properties"]!;

        Assert.Equal((kind, 300), ((string?)group["HealthCheckType"], (int)group["HealthCheckGracePeriod"]!));
    }

    [Theory]
    [InlineData("Bare")]
    [InlineData("Idle")]
    public void The_root_volume_is_20_GiB_of_encrypted_gp3_by_default(string prefix)
    {
        var ebs = LaunchData(prefix)["BlockDeviceMappings"]![0]!["Ebs"]!;

        Assert.Equal((20, "gp3", true), ((int)ebs["VolumeSize"]!, (string?)ebs["VolumeType"], (bool)ebs["Encrypted"]!));
    }

    [Theory]
    [InlineData("Bare")]
    [InlineData("Idle")]
    public void Instances_boot_the_latest_amazon_linux_2023_read_from_ssm_at_deploy_time_by_default(string prefix)
    {
        var parameter = (string)LaunchData(prefix)["ImageId"]!["Ref"]!;

        Assert.Equal("/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-x86_64", (string?)fixture.Result.Json["Parameters"]![parameter]!["Default"]);
    }

    [Theory]
    [InlineData("Bare")]
    [InlineData("Idle")]
    public void Instances_get_the_managed_cloudwatch_agent_policy_by_default(string prefix)
    {
        var role = Of("AWS::IAM::Role", prefix + "InstanceRole").Resource["Properties"]!;

        Assert.Contains("policy/CloudWatchAgentServerPolicy", role["ManagedPolicyArns"]!.ToJsonString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Bare")]
    [InlineData("Idle")]
    public void Without_a_container_or_boot_script_instances_run_only_the_machine_images_empty_user_data_by_default(string prefix) =>
        Assert.Equal("#!/bin/bash", UserData(prefix));

    [Theory]
    [InlineData("Bare")]
    [InlineData("Idle")]
    public void Without_a_container_or_boot_script_nothing_waits_for_a_signal_by_default(string prefix)
    {
        Assert.Null(Group(prefix)["CreationPolicy"]);
        Assert.Null(Group(prefix)["UpdatePolicy"]!["AutoScalingRollingUpdate"]!["WaitOnResourceSignals"]);
        Assert.DoesNotContain(fixture.Result.OfType("AWS::IAM::Policy"), p => p.Id.StartsWith(prefix + "BootPolicy", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Boxed")]
    [InlineData("Busy")]
    public void The_container_gets_no_extra_environment_by_default(string prefix) =>
        Assert.DoesNotContain("SB_ENVIRONMENT", UserData(prefix), StringComparison.Ordinal);

    [Theory]
    [InlineData("Boxed")]
    [InlineData("Busy")]
    public void Without_a_log_group_the_container_keeps_dockers_own_logs_by_default(string prefix)
    {
        Assert.Contains("\nLOG_GROUP=''\n", UserData(prefix), StringComparison.Ordinal);
        var policies = fixture.Result.OfType("AWS::IAM::Policy").Where(p => p.Id.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        Assert.Contains(policies, p => p.Id.StartsWith(prefix + "BootPolicy", StringComparison.Ordinal));
        Assert.All(policies, p => Assert.DoesNotContain("logs:PutLogEvents", p.Resource.ToJsonString(), StringComparison.Ordinal));
    }

    // ServiceScaling

    [Fact]
    public void A_service_tracks_neither_cpu_nor_requests_unless_asked() =>
        Assert.DoesNotContain(OfGroup("AWS::AutoScaling::ScalingPolicy", "Boxed"), p => p["TargetTrackingConfiguration"]?["PredefinedMetricSpecification"] is not null);

    [Fact]
    public void A_metric_has_no_dimensions_by_default()
    {
        Assert.Null(Policy("Boxed", "tracked")["TargetTrackingConfiguration"]!["CustomizedMetricSpecification"]!["Dimensions"]);
        Assert.All(StepAlarms, a => Assert.Null(a["Dimensions"]));
    }

    [Fact]
    public void A_metric_is_averaged_by_default()
    {
        Assert.Equal("Average", (string?)Policy("Boxed", "tracked")["TargetTrackingConfiguration"]!["CustomizedMetricSpecification"]!["Statistic"]);
        Assert.All(StepAlarms, a => Assert.Equal("Average", (string?)a["Statistic"]));
    }

    [Fact]
    public void A_metric_is_computed_over_60_seconds_by_default()
    {
        Assert.Equal(2, StepAlarms.Count());
        Assert.All(StepAlarms, a => Assert.Equal(60, (int)a["Period"]!));
    }

    [Fact]
    public void A_custom_metric_target_may_scale_in_by_default() =>
        Assert.False((bool)Policy("Boxed", "tracked")["TargetTrackingConfiguration"]!["DisableScaleIn"]!);

    [Fact]
    public void A_step_changes_capacity_by_that_many_instances_by_default()
    {
        Assert.Equal("ChangeInCapacity", (string?)Policy("Boxed", "lower")["AdjustmentType"]);
        Assert.Equal("ChangeInCapacity", (string?)Policy("Boxed", "upper")["AdjustmentType"]);
    }

    [Fact]
    public void A_step_alarm_fires_after_1_evaluation_period_by_default()
    {
        Assert.Equal(2, StepAlarms.Count());
        Assert.All(StepAlarms, a => Assert.Equal(1, (int)a["EvaluationPeriods"]!));
    }

    [Fact]
    public void A_step_is_unbounded_on_the_side_it_does_not_give_by_default()
    {
        var lower = Policy("Boxed", "lower")["StepAdjustments"]!.AsArray().Single()!;
        var upper = Policy("Boxed", "upper")["StepAdjustments"]!.AsArray().Single()!;

        Assert.Null(lower["MetricIntervalLowerBound"]);
        Assert.Null(upper["MetricIntervalUpperBound"]);
    }

    [Fact]
    public void A_schedule_is_read_in_utc_and_changes_only_what_it_sets_by_default()
    {
        var action = OfGroup("AWS::AutoScaling::ScheduledAction", "Boxed").Single();

        Assert.Null(action["TimeZone"]);
        Assert.Equal(2, (int)action["MinSize"]!);
        Assert.Null(action["MaxSize"]);
        Assert.Null(action["DesiredCapacity"]);
    }

    // WorkerServiceSettings and BatchWindow

    [Fact]
    public void A_worker_has_no_batch_windows_by_default() =>
        Assert.Empty(OfGroup("AWS::AutoScaling::ScheduledAction", "Idle"));

    [Fact]
    public void A_batch_window_is_read_in_utc_by_default()
    {
        var actions = OfGroup("AWS::AutoScaling::ScheduledAction", "Busy").ToList();

        Assert.Equal(2, actions.Count);
        Assert.All(actions, a => Assert.Null(a["TimeZone"]));
    }

    // ContainerSettings

    [Fact]
    public void A_container_runs_the_images_own_command_by_default()
    {
        var run = UserData("Boxed").Split('\n').Single(l => l.StartsWith("docker run ", StringComparison.Ordinal));

        Assert.EndsWith("\"$IMAGE\" >/dev/null || fail \"cannot start $IMAGE\"", run, StringComparison.Ordinal);
    }

    [Fact]
    public void A_container_reads_no_secrets_by_default()
    {
        Assert.DoesNotContain("get-secret-value", UserData("Boxed"), StringComparison.Ordinal);
        Assert.DoesNotContain("ssm get-parameter", UserData("Boxed"), StringComparison.Ordinal);
        var policy = Of("AWS::IAM::Policy", "BoxedBootPolicy").Resource.ToJsonString();
        Assert.DoesNotContain("secretsmanager:GetSecretValue", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("ssm:GetParameter", policy, StringComparison.Ordinal);
    }

    [Fact]
    public void A_container_secret_names_no_source_by_default()
    {
        var settings = new ContainerSettings { Image = "orders-api:1.4.2", Secrets = new Dictionary<string, ContainerSecret> { ["KEY"] = new() } };

        Assert.Contains("exactly one of secretsManager or ssmParameter", Assert.Throws<PropsValidationException>(() => ContainerSettings.Validate(settings)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_workers_container_must_keep_running_30_seconds_by_default() =>
        Assert.Contains("\nSTARTUP_CHECK=30\n", UserData("Busy"), StringComparison.Ordinal);

    [Fact]
    public void A_service_waits_for_health_as_long_as_its_5_minute_grace_period_by_default() =>
        Assert.Contains("\nHEALTH_TIMEOUT=300\n", UserData("Boxed"), StringComparison.Ordinal);

    // BootScriptSpec

    [Theory]
    [InlineData("HEALTH_TIMEOUT=300")]
    [InlineData("STARTUP_CHECK=30")]
    [InlineData("POLL=10")]
    public void A_boot_script_waits_300_seconds_for_health_30_for_startup_and_polls_every_10_by_default(string line)
    {
        var script = BootScript.Render(new BootScriptSpec { Mode = BootMode.Worker, Region = "us-east-1", StackName = "Test", ResourceLogicalId = "Group", Image = "orders-api:1.4.2" });

        Assert.Contains("\n" + line + "\n", script, StringComparison.Ordinal);
    }
}
