using System.Globalization;
using System.Text.Json.Nodes;
using ScalableBackend.Components.Compute;
using ScalableBackend.Policies;

namespace ScalableBackend.Infra.Simulation;

/// <summary>The Auto Scaling groups of one environment's templates, and what in them cannot be simulated.</summary>
/// <param name="Files">The templates read, in name order.</param>
/// <param name="Groups">The groups, in stack and logical-id order.</param>
/// <param name="NotSimulated">Groups and policies that belong to no identified service or worker, with reasons.</param>
public sealed record ScalingGroupSet(IReadOnlyList<string> Files, IReadOnlyList<ScalingGroupModel> Groups, IReadOnlyList<string> NotSimulated);

/// <summary>
/// Reads every Auto Scaling group of an environment from its synthesized templates — the single
/// <c>Backend-&lt;Env&gt;.template.json</c> or the stack set <c>Backend-&lt;Env&gt;-*.template.json</c> — with its
/// sizes, warmup, health checks, scaling policies, the alarms that invoke step policies and its scheduled actions.
/// A group belongs to the service or worker named by its <c>ScalableBackend:Service</c> / <c>ScalableBackend:Worker</c>
/// tag, else by its construct path or logical id (<c>Service&lt;Pascal&gt;…</c>, <c>Worker&lt;Pascal&gt;…</c>).
/// </summary>
public static class TemplateReader
{
    /// <summary>The tag a service stack puts on its group, valued with the service's file key.</summary>
    public const string ServiceTag = "ScalableBackend:Service";

    /// <summary>The tag a worker stack puts on its group, valued with the worker's file key.</summary>
    public const string WorkerTag = "ScalableBackend:Worker";

    /// <summary>The template files of stack <paramref name="stackName"/> (e.g. <c>Backend-Prod</c>) in <paramref name="directory"/>.</summary>
    public static IReadOnlyList<string> Locate(string directory, string stackName)
    {
        if (!Directory.Exists(directory))
            throw new InvalidDataException($"{directory}: no such directory of synthesized templates");
        var files = Directory.GetFiles(directory, $"{stackName}.template.json")
            .Concat(Directory.GetFiles(directory, $"{stackName}-*.template.json"))
            .Order(StringComparer.Ordinal).ToArray();
        if (files.Length == 0)
            throw new InvalidDataException($"{directory}: no {stackName}.template.json or {stackName}-*.template.json; synthesize first (synth --env …)");
        return files;
    }

    /// <summary>Reads the groups of <paramref name="files"/>; <paramref name="services"/> and <paramref name="workers"/> are the environment's keys.</summary>
    public static ScalingGroupSet Read(IReadOnlyList<string> files, IReadOnlyCollection<string> services, IReadOnlyCollection<string> workers)
    {
        var groups = new List<ScalingGroupModel>();
        var notSimulated = new List<string>();
        foreach (var file in files)
            ReadTemplate(TemplateDocument.Load(file), StackOf(file), services, workers, groups, notSimulated);
        return new ScalingGroupSet(files, groups, notSimulated);
    }

    /// <summary>Reads one parsed template (tests pass hand-written ones).</summary>
    public static ScalingGroupSet Read(TemplateDocument template, string stack, IReadOnlyCollection<string> services, IReadOnlyCollection<string> workers)
    {
        var groups = new List<ScalingGroupModel>();
        var notSimulated = new List<string>();
        ReadTemplate(template, stack, services, workers, groups, notSimulated);
        return new ScalingGroupSet([template.File], groups, notSimulated);
    }

    private static string StackOf(string file)
    {
        var name = Path.GetFileName(file);
        return name.EndsWith(".template.json", StringComparison.Ordinal) ? name[..^".template.json".Length] : Path.GetFileNameWithoutExtension(name);
    }

    private static void ReadTemplate(TemplateDocument t, string stack, IReadOnlyCollection<string> services, IReadOnlyCollection<string> workers,
        List<ScalingGroupModel> groups, List<string> notSimulated)
    {
        var asgs = t.OfType("AWS::AutoScaling::AutoScalingGroup").OrderBy(r => r.LogicalId, StringComparer.Ordinal).ToArray();
        var policiesByGroup = t.OfType("AWS::AutoScaling::ScalingPolicy")
            .GroupBy(p => RefOf(p["AutoScalingGroupName"]) ?? "")
            .ToDictionary(g => g.Key, g => g.OrderBy(p => p.LogicalId, StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
        var schedulesByGroup = t.OfType("AWS::AutoScaling::ScheduledAction")
            .GroupBy(p => RefOf(p["AutoScalingGroupName"]) ?? "")
            .ToDictionary(g => g.Key, g => g.OrderBy(p => p.LogicalId, StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
        var alarmsByPolicy = new Dictionary<string, List<TemplateResource>>(StringComparer.Ordinal);
        foreach (var alarm in t.OfType("AWS::CloudWatch::Alarm"))
            foreach (var action in Values.AsList(alarm["AlarmActions"]) ?? [])
                if (RefOf(action) is { } target && t.GetResource(target)?.Type == "AWS::AutoScaling::ScalingPolicy")
                    (alarmsByPolicy.TryGetValue(target, out var list) ? list : alarmsByPolicy[target] = []).Add(alarm);

        var known = asgs.Select(a => a.LogicalId).ToHashSet(StringComparer.Ordinal);
        foreach (var (groupRef, policies) in policiesByGroup)
            if (!known.Contains(groupRef))
                foreach (var p in policies)
                    notSimulated.Add($"{stack}/{p.LogicalId}: its AutoScalingGroupName is not a group of this template");

        foreach (var asg in asgs)
        {
            var identity = Identify(asg, stack, services, workers);
            if (identity is null)
            {
                notSimulated.Add($"{stack}/{asg.LogicalId}: belongs to no service or worker of the environment (no {ServiceTag}/{WorkerTag} tag, construct path or logical id names one)");
                continue;
            }
            var (kind, key) = identity.Value;
            var reasons = new List<string>();
            var p = asg.Properties;
            var min = Int(p["MinSize"]) ?? 0;
            var max = Int(p["MaxSize"]) ?? min;
            var launch = LaunchTemplateOf(t, p);
            var targetGroups = Values.AsList(p["TargetGroupARNs"]) ?? [];
            var healthySeconds = 0;
            if (kind == GroupKind.Service)
            {
                if (targetGroups.Count == 0)
                    reasons.Add("the group has no target group: requests cannot reach it, so it serves nothing in the simulation");
                foreach (var tg in targetGroups)
                    if (RefOf(tg) is { } tgId && t.GetResource(tgId) is { } tgResource)
                        healthySeconds = Math.Max(healthySeconds,
                            (Int(tgResource["HealthCheckIntervalSeconds"]) ?? 30) * (Int(tgResource["HealthyThresholdCount"]) ?? 5));
                    else
                        healthySeconds = Math.Max(healthySeconds, 30 * 5); // ELB's defaults: 30 s interval, 5 healthy checks
            }

            var trackers = new List<TargetTrackingPolicy>();
            var alarmed = new List<AlarmPolicy>();
            foreach (var policy in policiesByGroup.GetValueOrDefault(asg.LogicalId) ?? [])
                ReadPolicy(t, policy, asg.LogicalId, kind, targetGroups.Count > 0, alarmsByPolicy.GetValueOrDefault(policy.LogicalId) ?? [], trackers, alarmed, reasons);

            var schedules = new List<ScheduledAction>();
            foreach (var action in schedulesByGroup.GetValueOrDefault(asg.LogicalId) ?? [])
                if (ReadSchedule(action, reasons) is { } s) schedules.Add(s);

            groups.Add(new ScalingGroupModel
            {
                Stack = stack,
                LogicalId = asg.LogicalId,
                Kind = kind,
                Key = key,
                Min = min,
                Max = max,
                Desired = Int(p["DesiredCapacity"]),
                DefaultInstanceWarmupSeconds = Int(p["DefaultInstanceWarmup"]) is { } w && w >= 0 ? w : null,
                CooldownSeconds = Int(p["Cooldown"]) ?? 300,
                HealthCheckGracePeriodSeconds = Int(p["HealthCheckGracePeriod"]),
                HealthCheckType = Values.AsString(p["HealthCheckType"]) ?? "EC2",
                TargetHealthySeconds = healthySeconds,
                InstanceType = launch is null ? null : Values.AsString(Values.At(launch, "LaunchTemplateData.InstanceType")),
                DetailedMonitoring = launch is not null && Values.IsTrue(Values.At(launch, "LaunchTemplateData.Monitoring.Enabled")),
                TargetTracking = trackers,
                AlarmPolicies = alarmed,
                Schedules = schedules,
                NotSimulated = reasons,
            });
        }
    }

    private static JsonObject? LaunchTemplateOf(TemplateDocument t, JsonObject groupProperties)
    {
        var id = RefOf(Values.At(groupProperties, "LaunchTemplate.LaunchTemplateId"))
            ?? RefOf(Values.At(groupProperties, "MixedInstancesPolicy.LaunchTemplate.LaunchTemplateSpecification.LaunchTemplateId"));
        return id is not null && t.GetResource(id) is { Type: "AWS::EC2::LaunchTemplate" } lt ? lt.Properties : null;
    }

    private static (GroupKind, string)? Identify(TemplateResource asg, string stack, IReadOnlyCollection<string> services, IReadOnlyCollection<string> workers)
    {
        foreach (var tag in Values.AsList(asg["Tags"]) ?? [])
        {
            var name = Values.AsString(Values.At(tag, "Key"));
            var value = Values.AsString(Values.At(tag, "Value"));
            if (value is null) continue;
            if (name == ServiceTag) return (GroupKind.Service, value);
            if (name == WorkerTag) return (GroupKind.Worker, value);
        }
        var path = Values.AsString(Values.At(asg.Metadata, "aws:cdk:path")) ?? "";
        var candidates = path.Split('/').Append(asg.LogicalId).Append(stack.Replace("-", "", StringComparison.Ordinal));
        foreach (var candidate in candidates)
        {
            if (Match(candidate, "Service", services) is { } s) return (GroupKind.Service, s);
            if (Match(candidate, "Worker", workers) is { } w) return (GroupKind.Worker, w);
        }
        return null;
    }

    private static string? Match(string candidate, string prefix, IReadOnlyCollection<string> keys)
    {
        var at = candidate.IndexOf(prefix, StringComparison.Ordinal);
        if (at < 0) return null;
        var rest = candidate[(at + prefix.Length)..];
        // The longest key wins, so "Api" does not claim "ApiAdmin…".
        return keys.Select(k => (Key: k, Pascal: WebService.ToPascal(k)))
            .Where(k => rest.StartsWith(k.Pascal, StringComparison.Ordinal)
                && (rest.Length == k.Pascal.Length || !char.IsLower(rest[k.Pascal.Length])))
            .OrderByDescending(k => k.Pascal.Length).Select(k => k.Key).FirstOrDefault();
    }

    private static void ReadPolicy(TemplateDocument t, TemplateResource policy, string groupId, GroupKind kind, bool hasTargetGroup,
        List<TemplateResource> alarms, List<TargetTrackingPolicy> trackers, List<AlarmPolicy> alarmed, List<string> reasons)
    {
        var type = Values.AsString(policy["PolicyType"]) ?? "SimpleScaling";
        var warmup = Int(policy["EstimatedInstanceWarmup"]);
        if (type == "TargetTrackingScaling")
        {
            var config = policy["TargetTrackingConfiguration"];
            var target = Double(Values.At(config, "TargetValue"));
            var (metric, why) = TrackedMetric(config, groupId, kind, hasTargetGroup);
            if (target is null || target <= 0) why ??= "its TargetValue is not a positive literal";
            if (metric is null || why is not null)
            {
                reasons.Add($"{policy.LogicalId} (target tracking): {why}");
                return;
            }
            trackers.Add(new TargetTrackingPolicy(policy.LogicalId, metric.Value, target!.Value, Values.IsTrue(Values.At(config, "DisableScaleIn")), warmup));
            return;
        }
        if (type is not ("StepScaling" or "SimpleScaling"))
        {
            reasons.Add($"{policy.LogicalId} ({type}): this policy type is not simulated");
            return;
        }
        var simple = type == "SimpleScaling";
        if (alarms.Count == 0)
        {
            reasons.Add($"{policy.LogicalId} ({(simple ? "simple" : "step")} scaling): no alarm of this template invokes it");
            return;
        }
        var adjustment = (Values.AsString(policy["AdjustmentType"]) ?? "ChangeInCapacity") switch
        {
            "ExactCapacity" => AdjustmentKind.ExactCapacity,
            "PercentChangeInCapacity" => AdjustmentKind.PercentChangeInCapacity,
            _ => AdjustmentKind.ChangeInCapacity,
        };
        var steps = simple
            ? [new StepInterval(null, null, Int(policy["ScalingAdjustment"]) ?? 0)]
            : (Values.AsList(policy["StepAdjustments"]) ?? []).Select(s => new StepInterval(
                Double(Values.At(s, "MetricIntervalLowerBound")), Double(Values.At(s, "MetricIntervalUpperBound")),
                Int(Values.At(s, "ScalingAdjustment")) ?? 0)).ToList();
        foreach (var alarm in alarms)
        {
            var (model, why) = ReadAlarm(alarm, groupId, kind, hasTargetGroup);
            if (model is null)
            {
                reasons.Add($"{policy.LogicalId} ({(simple ? "simple" : "step")} scaling, alarm {alarm.LogicalId}): {why}");
                continue;
            }
            alarmed.Add(new AlarmPolicy(policy.LogicalId, simple, adjustment, steps, Int(policy["MinAdjustmentMagnitude"]),
                Int(policy["Cooldown"]), warmup, model));
        }
    }

    private static (SimulatedMetric?, string?) TrackedMetric(JsonNode? config, string groupId, GroupKind kind, bool hasTargetGroup)
    {
        if (Values.AsString(Values.At(config, "PredefinedMetricSpecification.PredefinedMetricType")) is { } predefined)
            return predefined switch
            {
                "ASGAverageCPUUtilization" => (SimulatedMetric.Cpu, null),
                "ALBRequestCountPerTarget" when hasTargetGroup => (SimulatedMetric.RequestsPerTarget, null),
                "ALBRequestCountPerTarget" => (null, "ALBRequestCountPerTarget on a group without a target group"),
                _ => (null, $"the predefined metric {predefined} is not simulated (only CPU and request count per target are)"),
            };
        var custom = Values.At(config, "CustomizedMetricSpecification");
        if (custom is null) return (null, "it names no metric");
        if (Values.AsList(Values.At(custom, "Metrics")) is { } queries)
            return BacklogPerInstance(queries, groupId, kind) ? (SimulatedMetric.BacklogPerInstance, null)
                : (null, "its metric math is not ApproximateNumberOfMessagesVisible / GroupInServiceInstances of this group");
        return Known(Values.AsString(Values.At(custom, "Namespace")), Values.AsString(Values.At(custom, "MetricName")), Values.At(custom, "Dimensions"), groupId, kind, hasTargetGroup);
    }

    private static (SimulatedMetric?, string?) Known(string? ns, string? name, JsonNode? dimensions, string groupId, GroupKind kind, bool hasTargetGroup)
    {
        if (ns == "AWS/EC2" && name == "CPUUtilization" && DimensionRef(dimensions, "AutoScalingGroupName") == groupId)
            return (SimulatedMetric.Cpu, null);
        if (ns == "AWS/ApplicationELB" && name == "RequestCountPerTarget" && hasTargetGroup)
            return (SimulatedMetric.RequestsPerTarget, null);
        if (ns == "AWS/SQS" && name == "ApproximateNumberOfMessagesVisible" && kind == GroupKind.Worker)
            return (SimulatedMetric.Backlog, null);
        return (null, $"the metric {ns}/{name} is the application's or another resource's; its values cannot be derived from load");
    }

    private static string? DimensionRef(JsonNode? dimensions, string name) =>
        (Values.AsList(dimensions) ?? []).Where(d => Values.AsString(Values.At(d, "Name")) == name)
            .Select(d => RefOf(Values.At(d, "Value"))).FirstOrDefault();

    private static bool BacklogPerInstance(IList<JsonNode?> queries, string groupId, GroupKind kind)
    {
        if (kind != GroupKind.Worker) return false;
        string? visible = null, inService = null, expression = null;
        foreach (var q in queries)
        {
            var id = Values.AsString(Values.At(q, "Id"));
            var metric = Values.At(q, "MetricStat.Metric");
            var name = Values.AsString(Values.At(metric, "MetricName"));
            var ns = Values.AsString(Values.At(metric, "Namespace"));
            if (ns == "AWS/SQS" && name == "ApproximateNumberOfMessagesVisible") visible = id;
            else if (ns == "AWS/AutoScaling" && name == "GroupInServiceInstances" && DimensionRef(Values.At(metric, "Dimensions"), "AutoScalingGroupName") == groupId) inService = id;
            else if (Values.AsString(Values.At(q, "Expression")) is { } e && Values.IsTrue(Values.At(q, "ReturnData"))) expression = e;
        }
        return visible is not null && inService is not null && expression is not null
            && expression.Replace(" ", "", StringComparison.Ordinal) == $"{visible}/{inService}";
    }

    private static (MetricAlarm?, string?) ReadAlarm(TemplateResource alarm, string groupId, GroupKind kind, bool hasTargetGroup)
    {
        var a = alarm.Properties;
        SimulatedMetric? metric;
        string? why;
        string statistic;
        int? period;
        if (Values.AsList(a["Metrics"]) is { } queries)
        {
            (metric, why) = BacklogPerInstance(queries, groupId, kind) ? (SimulatedMetric.BacklogPerInstance, null)
                : ((SimulatedMetric?)null, "its metric math is not simulated");
            statistic = "Average";
            period = queries.Select(q => Int(Values.At(q, "MetricStat.Period"))).FirstOrDefault(p => p is not null);
        }
        else
        {
            (metric, why) = Known(Values.AsString(a["Namespace"]), Values.AsString(a["MetricName"]), a["Dimensions"], groupId, kind, hasTargetGroup);
            statistic = Values.AsString(a["Statistic"]) ?? (a["ExtendedStatistic"] is null ? "Average" : "");
            period = Int(a["Period"]);
        }
        if (metric is null) return (null, why);
        if (statistic is not ("Average" or "Maximum" or "Minimum" or "Sum"))
            return (null, $"the statistic {Values.AsString(a["ExtendedStatistic"]) ?? statistic} is not simulated (Average, Maximum, Minimum and Sum are)");
        var seconds = period ?? 60;
        if (seconds < 60 || seconds % 60 != 0) return (null, $"its period of {seconds} s is not whole minutes");
        Comparison? comparison = Values.AsString(a["ComparisonOperator"]) switch
        {
            "GreaterThanOrEqualToThreshold" => Comparison.GreaterOrEqual,
            "GreaterThanThreshold" => Comparison.Greater,
            "LessThanThreshold" => Comparison.Less,
            "LessThanOrEqualToThreshold" => Comparison.LessOrEqual,
            _ => null,
        };
        if (comparison is null) return (null, $"its comparison {Values.AsString(a["ComparisonOperator"])} is not simulated");
        if (Double(a["Threshold"]) is not { } threshold) return (null, "its Threshold is not a literal number");
        var evaluations = Int(a["EvaluationPeriods"]) ?? 1;
        return (new MetricAlarm(alarm.LogicalId, metric.Value, statistic, seconds / 60, evaluations, Int(a["DatapointsToAlarm"]) ?? evaluations,
            comparison.Value, threshold), null);
    }

    private static ScheduledAction? ReadSchedule(TemplateResource action, List<string> reasons)
    {
        var p = action.Properties;
        CronSchedule? cron = null;
        if (Values.AsString(p["Recurrence"]) is { } recurrence)
        {
            try { cron = CronSchedule.Parse(recurrence); }
            catch (FormatException e)
            {
                reasons.Add($"{action.LogicalId} (scheduled action): {e.Message}");
                return null;
            }
        }
        var start = Time(p["StartTime"]);
        if (cron is null && start is null)
        {
            reasons.Add($"{action.LogicalId} (scheduled action): it has neither a literal Recurrence nor a StartTime");
            return null;
        }
        var zone = Values.AsString(p["TimeZone"]) ?? "UTC";
        try { _ = zone is "UTC" or "Etc/UTC" ? TimeZoneInfo.Utc : TimeZoneInfo.FindSystemTimeZoneById(zone); }
        catch (TimeZoneNotFoundException)
        {
            reasons.Add($"{action.LogicalId} (scheduled action): the time zone {zone} is unknown on this machine");
            return null;
        }
        return new ScheduledAction(action.LogicalId, cron, start, Time(p["EndTime"]), zone, Int(p["MinSize"]), Int(p["MaxSize"]), Int(p["DesiredCapacity"]));
    }

    private static DateTime? Time(JsonNode? node) =>
        Values.AsString(node) is { } text && DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t)
            ? t : null;

    private static string? RefOf(JsonNode? node) => node is JsonObject { Count: 1 } o && o["Ref"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static int? Int(JsonNode? node) => Values.AsInteger(node) is { } n ? (int)Math.Clamp(n, int.MinValue, int.MaxValue) : null;

    private static double? Double(JsonNode? node) =>
        double.TryParse(Values.AsString(node), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null;
}
