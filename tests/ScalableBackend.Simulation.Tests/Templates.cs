using System.Text.Json.Nodes;
using ScalableBackend.Infra.Preview;
using ScalableBackend.Infra.Simulation;
using ScalableBackend.Policies;

namespace ScalableBackend.Simulation.Tests;

/// <summary>Small hand-written templates: one service group behind a target group, or one worker group, with chosen policies.</summary>
public sealed class GroupTemplate
{
    private readonly JsonObject _resources = new();
    private readonly string _group;

    private GroupTemplate(string group, JsonObject groupProperties)
    {
        _group = group;
        _resources[group] = new JsonObject { ["Type"] = "AWS::AutoScaling::AutoScalingGroup", ["Properties"] = groupProperties };
    }

    /// <summary>Service <c>api</c>: a group (min–max, warmup) behind a target group whose health check passes in 2 × 10 s (one minute).</summary>
    public static GroupTemplate Service(int min, int max, int warmupSeconds = 120)
    {
        var t = new GroupTemplate("ServiceApiGroupASG1", new JsonObject
        {
            ["MinSize"] = min.ToString(), ["MaxSize"] = max.ToString(), ["DefaultInstanceWarmup"] = warmupSeconds,
            ["HealthCheckType"] = "ELB", ["HealthCheckGracePeriod"] = 300,
            ["LaunchTemplate"] = new JsonObject { ["LaunchTemplateId"] = new JsonObject { ["Ref"] = "ServiceApiLaunchTemplate1" } },
            ["TargetGroupARNs"] = new JsonArray(new JsonObject { ["Ref"] = "ServiceApiTargetGroup1" }),
        });
        t._resources["ServiceApiTargetGroup1"] = new JsonObject
        {
            ["Type"] = "AWS::ElasticLoadBalancingV2::TargetGroup",
            ["Properties"] = new JsonObject { ["HealthCheckIntervalSeconds"] = 10, ["HealthyThresholdCount"] = 2 },
        };
        t._resources["ServiceApiLaunchTemplate1"] = new JsonObject
        {
            ["Type"] = "AWS::EC2::LaunchTemplate",
            ["Properties"] = new JsonObject { ["LaunchTemplateData"] = new JsonObject { ["InstanceType"] = "m6i.large", ["Monitoring"] = new JsonObject { ["Enabled"] = true } } },
        };
        return t;
    }

    /// <summary>Worker <c>billing</c> (min–max, warmup) with the backlog-per-instance policy the component synthesizes.</summary>
    public static GroupTemplate Worker(int min, int max, double backlogTarget, int warmupSeconds = 120)
    {
        var t = new GroupTemplate("WorkerBillingGroupASG1", new JsonObject
        {
            ["MinSize"] = min.ToString(), ["MaxSize"] = max.ToString(), ["DefaultInstanceWarmup"] = warmupSeconds, ["HealthCheckType"] = "EC2",
        });
        t._resources["WorkerBillingBacklogPerInstanceScaling1"] = JsonNode.Parse("""
            {"Type": "AWS::AutoScaling::ScalingPolicy", "Properties": {"AutoScalingGroupName": {"Ref": "WorkerBillingGroupASG1"},
              "PolicyType": "TargetTrackingScaling", "TargetTrackingConfiguration": {"TargetValue": @backlogTarget@,
              "CustomizedMetricSpecification": {"Metrics": [
                {"Id": "m1", "MetricStat": {"Metric": {"Namespace": "AWS/SQS", "MetricName": "ApproximateNumberOfMessagesVisible",
                  "Dimensions": [{"Name": "QueueName", "Value": {"Fn::ImportValue": "Backend-Test-Data:QueueBillingName"}}]}, "Stat": "Sum"}, "ReturnData": false},
                {"Id": "m2", "MetricStat": {"Metric": {"Namespace": "AWS/AutoScaling", "MetricName": "GroupInServiceInstances",
                  "Dimensions": [{"Name": "AutoScalingGroupName", "Value": {"Ref": "WorkerBillingGroupASG1"}}]}, "Stat": "Average"}, "ReturnData": false},
                {"Id": "e1", "Expression": "m1 / m2", "ReturnData": true}]}}}}
            """.Replace("@backlogTarget@", System.Convert.ToString(backlogTarget, System.Globalization.CultureInfo.InvariantCulture), System.StringComparison.Ordinal))!.AsObject();
        return t;
    }

    /// <summary>Adds a target-tracking policy on the group's average CPU.</summary>
    public GroupTemplate CpuTarget(double target, string id = "CpuScaling") => Policy(id, new JsonObject
    {
        ["PolicyType"] = "TargetTrackingScaling",
        ["TargetTrackingConfiguration"] = new JsonObject
        {
            ["PredefinedMetricSpecification"] = new JsonObject { ["PredefinedMetricType"] = "ASGAverageCPUUtilization" },
            ["TargetValue"] = target,
        },
    });

    /// <summary>Adds a target-tracking policy on an application metric the simulation cannot compute.</summary>
    public GroupTemplate LatencyTarget(double target) => Policy("LatencyScaling", new JsonObject
    {
        ["PolicyType"] = "TargetTrackingScaling",
        ["TargetTrackingConfiguration"] = new JsonObject
        {
            ["CustomizedMetricSpecification"] = new JsonObject { ["Namespace"] = "Backend/Api", ["MetricName"] = "LatencyP99Ms", ["Statistic"] = "Average" },
            ["TargetValue"] = target,
        },
    });

    /// <summary>Adds a step policy on the group's CPU and its alarm: at or above <paramref name="threshold"/> for <paramref name="periods"/> minutes.</summary>
    public GroupTemplate CpuStep(double threshold, int periods, params (double? Lower, double? Upper, int Change)[] steps)
    {
        var adjustments = new JsonArray();
        foreach (var (lower, upper, change) in steps)
        {
            var s = new JsonObject { ["ScalingAdjustment"] = change };
            if (lower is { } lo) s["MetricIntervalLowerBound"] = lo;
            if (upper is { } up) s["MetricIntervalUpperBound"] = up;
            adjustments.Add(s);
        }
        Policy("StepPolicy", new JsonObject { ["PolicyType"] = "StepScaling", ["AdjustmentType"] = "ChangeInCapacity", ["StepAdjustments"] = adjustments });
        _resources["StepAlarm"] = new JsonObject
        {
            ["Type"] = "AWS::CloudWatch::Alarm",
            ["Properties"] = new JsonObject
            {
                ["AlarmActions"] = new JsonArray(new JsonObject { ["Ref"] = "StepPolicy" }),
                ["ComparisonOperator"] = "GreaterThanOrEqualToThreshold", ["EvaluationPeriods"] = periods, ["Period"] = 60,
                ["Namespace"] = "AWS/EC2", ["MetricName"] = "CPUUtilization", ["Statistic"] = "Average", ["Threshold"] = threshold,
                ["Dimensions"] = new JsonArray(new JsonObject { ["Name"] = "AutoScalingGroupName", ["Value"] = new JsonObject { ["Ref"] = _group } }),
            },
        };
        return this;
    }

    /// <summary>Adds a scheduled action.</summary>
    public GroupTemplate Schedule(string id, string cron, string? timeZone, int? min = null, int? max = null, int? desired = null)
    {
        var p = new JsonObject { ["AutoScalingGroupName"] = new JsonObject { ["Ref"] = _group }, ["Recurrence"] = cron };
        if (timeZone is not null) p["TimeZone"] = timeZone;
        if (min is { } mn) p["MinSize"] = mn;
        if (max is { } mx) p["MaxSize"] = mx;
        if (desired is { } d) p["DesiredCapacity"] = d;
        _resources[id] = new JsonObject { ["Type"] = "AWS::AutoScaling::ScheduledAction", ["Properties"] = p };
        return this;
    }

    private GroupTemplate Policy(string id, JsonObject properties)
    {
        properties["AutoScalingGroupName"] = new JsonObject { ["Ref"] = _group };
        _resources[id] = new JsonObject { ["Type"] = "AWS::AutoScaling::ScalingPolicy", ["Properties"] = properties };
        return this;
    }

    /// <summary>The template as JSON text.</summary>
    public string Json() => new JsonObject { ["Resources"] = _resources.DeepClone() }.ToJsonString();

    /// <summary>The groups the reader finds in the template (services: api; workers: billing).</summary>
    public ScalingGroupSet Read() => TemplateReader.Read(TemplateDocument.Parse(Json(), "Backend-Test.template.json"), "Backend-Test", ["api"], ["billing"]);

    /// <summary>The one group of the template.</summary>
    public ScalingGroupModel Group() => Assert.Single(Read().Groups);
}

/// <summary>Runs the simulator on hand-made inputs.</summary>
public static class Sim
{
    /// <summary>A profile of <paramref name="minutes"/> with the given service (api) or worker (billing) steps.</summary>
    public static TrafficProfile Profile(int minutes, IReadOnlyList<LoadStep>? api = null, IReadOnlyList<LoadStep>? billing = null, DateTime? start = null) => new()
    {
        File = "test-profile.yaml",
        Minutes = minutes,
        Start = start ?? TrafficProfile.DefaultStart,
        Services = api is null ? new Dictionary<string, IReadOnlyList<LoadStep>>() : new Dictionary<string, IReadOnlyList<LoadStep>> { ["api"] = api },
        Workers = billing is null ? new Dictionary<string, IReadOnlyList<LoadStep>>() : new Dictionary<string, IReadOnlyList<LoadStep>> { ["billing"] = billing },
    };

    /// <summary>Steps from (minute, rate) pairs.</summary>
    public static IReadOnlyList<LoadStep> Steps(params (int At, double Rate)[] steps) => steps.Select(s => new LoadStep(s.At, s.Rate)).ToArray();

    /// <summary>Simulates <paramref name="group"/> with <paramref name="perInstance"/> per second per instance.</summary>
    public static GroupSimulation Run(ScalingGroupModel group, TrafficProfile profile, double perInstance)
    {
        var load = (group.Kind == GroupKind.Service ? profile.Services : profile.Workers).GetValueOrDefault(group.Key) ?? [];
        return ScalingSimulator.Run(group, new GroupCapacity(perInstance), load, profile, new SimulationClock(profile.Start, profile.Minutes));
    }

    /// <summary>The whole run for one template set, as the command makes it.</summary>
    public static SimulationRun RunAll(ScalingGroupSet templates, TrafficProfile profile, double perInstance) =>
        SimulationRun.Simulate("test", templates, profile, (_, _) => new GroupCapacity(perInstance), PriceTable.Default);
}
