namespace ScalableBackend.Infra.Simulation;

/// <summary>What one instance of a group sustains: requests per second at 100% CPU, or seconds per message.</summary>
/// <param name="PerInstancePerSecond">Requests (service) or messages (worker) per second one instance handles at full load.</param>
public sealed record GroupCapacity(double PerInstancePerSecond);

/// <summary>One simulated minute of one group.</summary>
/// <param name="Minute">Minutes since the profile's start.</param>
/// <param name="Demand">Load this minute: requests or messages per second.</param>
/// <param name="Capacity">What the serving instances handle per second.</param>
/// <param name="Desired">The group's desired capacity.</param>
/// <param name="InService">Instances in the InService state (launched, whether or not the application serves yet).</param>
/// <param name="Serving">Instances taking load: healthy in the target group (services) or booted (workers).</param>
/// <param name="Warm">Instances past their warmup, whose metrics count.</param>
/// <param name="Utilization">Demand ÷ capacity in percent; null when nothing serves but load arrives.</param>
/// <param name="Backlog">Messages waiting at the end of the minute (workers; 0 for services, which shed or slow instead).</param>
public readonly record struct MinutePoint(int Minute, double Demand, double Capacity, int Desired, int InService, int Serving, int Warm,
    double? Utilization, double Backlog);

/// <summary>Something the group did: a scaling activity or a scheduled action.</summary>
/// <param name="Minute">The minute it happened (the alarm's or schedule's minute; instances launch the next minute).</param>
/// <param name="Source">The policy, alarm or scheduled action.</param>
/// <param name="Description">What happened, with the numbers.</param>
/// <param name="From">Desired capacity before.</param>
/// <param name="To">Desired capacity after.</param>
public sealed record ScalingEvent(int Minute, string Source, string Description, int From, int To);

/// <summary>The simulation of one group.</summary>
/// <param name="Group">The group as read from its template.</param>
/// <param name="Capacity">What one instance sustains.</param>
/// <param name="Load">The profile's steps for the group (empty when the profile gives none).</param>
/// <param name="Timeline">One point per minute.</param>
/// <param name="Events">What the group did, in order.</param>
/// <param name="InstanceMinutes">Minutes of running instances, from launch to termination.</param>
public sealed record GroupSimulation(ScalingGroupModel Group, GroupCapacity Capacity, IReadOnlyList<LoadStep> Load, MinutePoint[] Timeline,
    IReadOnlyList<ScalingEvent> Events, long InstanceMinutes);

/// <summary>
/// A minute-by-minute model of EC2 Auto Scaling and CloudWatch for one group (see README, "Rehearse scaling"):
/// <list type="bullet">
/// <item>Metrics are one-minute datapoints. CPU is 100 × load ÷ (serving instances × capacity), at most 100, averaged
/// over the instances past warmup (an instance past warmup that does not serve yet reports 0); request count per target
/// is requests per minute ÷ serving targets; backlog per instance is visible messages ÷ InService instances.</item>
/// <item>Target tracking: the scale-out alarm fires when 3 of 3 one-minute datapoints are above the target, the
/// scale-in alarm when 15 of 15 are below 90 % of it (the alarms AWS creates for the policy). While in alarm the policy
/// is invoked every minute and asks for ⌈instances past warmup × metric ÷ target⌉; scale-out takes the largest request
/// of any policy, scale-in happens only when every policy that may scale in agrees, and never while an instance warms up.</item>
/// <item>Step and simple scaling: the template's alarm (period, evaluation periods, datapoints to alarm, comparison,
/// threshold) invokes the policy every minute it is in ALARM; the step is chosen by metric − threshold; scale-out adds
/// to the instances past warmup (so one breach does not launch twice), simple scaling waits out its cooldown.</item>
/// <item>Instances: launched the minute after the decision, InService after <see cref="TrafficProfile.LaunchMinutes"/>,
/// serving after <see cref="TrafficProfile.BootMinutes"/> more (plus the target group's healthy threshold × interval for
/// services), warm <c>DefaultInstanceWarmup</c> (or the policy's <c>EstimatedInstanceWarmup</c>) after InService.
/// Scale-in terminates the newest instances at once.</item>
/// <item>Scheduled actions run at their cron minute in their time zone; the state of the week before the start applies at minute 0.</item>
/// </list>
/// </summary>
public static class ScalingSimulator
{
    /// <summary>Datapoints in the target-tracking scale-out alarm (3 of 3 one-minute periods).</summary>
    public const int ScaleOutDatapoints = 3;

    /// <summary>Datapoints in the target-tracking scale-in alarm (15 of 15 one-minute periods).</summary>
    public const int ScaleInDatapoints = 15;

    /// <summary>The scale-in alarm's threshold as a fraction of the target (it fires only well below it).</summary>
    public const double ScaleInThresholdFraction = 0.9;

    private struct Instance
    {
        public int InServiceAt;
        public int ServingAt;
        public int WarmAt;
    }

    /// <summary>Simulates <paramref name="group"/> under <paramref name="load"/> for the profile's minutes.</summary>
    public static GroupSimulation Run(ScalingGroupModel group, GroupCapacity capacity, IReadOnlyList<LoadStep> load, TrafficProfile profile, SimulationClock clock)
    {
        var minutes = profile.Minutes;
        var demand = profile.Series(load);
        var perInstance = capacity.PerInstancePerSecond;
        var healthyMinutes = (group.TargetHealthySeconds + 59) / 60;
        var serveDelay = profile.BootMinutes + (group.Kind == GroupKind.Service ? healthyMinutes : 0);
        var defaultWarmup = Minutes(group.DefaultInstanceWarmupSeconds ?? group.CooldownSeconds);
        var events = new List<ScalingEvent>();

        // Scheduled state in force at the start: each action's last run in the week before, in time order.
        int min = group.Min, max = group.Max;
        var desired = group.Desired ?? group.Min;
        var prior = new List<(int Minute, ScheduledAction Action)>();
        foreach (var action in group.Schedules)
            for (var m = -1; m >= -clock.Lookback; m--)
                if (Due(action, m, clock)) { prior.Add((m, action)); break; }
        foreach (var (_, action) in prior.OrderBy(p => p.Minute).ThenBy(p => p.Action.LogicalId, StringComparer.Ordinal))
            Apply(action, ref min, ref max, ref desired);
        desired = Math.Clamp(desired, min, max);

        var instances = new List<Instance>(group.Max + 4);
        for (var i = 0; i < desired; i++) instances.Add(new Instance { InServiceAt = int.MinValue / 2, ServingAt = int.MinValue / 2, WarmAt = int.MinValue / 2 });

        var series = new double[4][];
        for (var k = 0; k < series.Length; k++) series[k] = new double[minutes];
        var alarms = group.AlarmPolicies.Select(p => p.Alarm).DistinctBy(a => a.LogicalId).ToArray();
        var alarmData = alarms.ToDictionary(a => a.LogicalId, a => new List<double>(minutes / a.PeriodMinutes + 1), StringComparer.Ordinal);
        var alarmState = alarms.ToDictionary(a => a.LogicalId, _ => false, StringComparer.Ordinal);
        var lastSimple = new Dictionary<string, int>(StringComparer.Ordinal);
        var timeline = new MinutePoint[minutes];
        double backlog = 0;
        long instanceMinutes = 0;
        var pendingWarmup = defaultWarmup;

        for (var m = 0; m < minutes; m++)
        {
            // 1. Scheduled actions.
            foreach (var action in group.Schedules)
            {
                if (!Due(action, m, clock)) continue;
                var before = desired;
                Apply(action, ref min, ref max, ref desired);
                desired = Math.Clamp(desired, min, max);
                events.Add(new ScalingEvent(m, action.LogicalId, $"scheduled: min {min}, max {max}, desired {desired}", before, desired));
            }

            // 2. The group converges on its desired capacity: launches the missing instances, terminates the newest extra ones.
            while (instances.Count < desired)
            {
                var inService = m + profile.LaunchMinutes;
                instances.Add(new Instance { InServiceAt = inService, ServingAt = inService + serveDelay, WarmAt = inService + pendingWarmup });
            }
            if (instances.Count > desired) instances.RemoveRange(desired, instances.Count - desired);
            pendingWarmup = defaultWarmup;
            instanceMinutes += instances.Count;

            int inServiceCount = 0, serving = 0, warm = 0, warmServing = 0, warming = 0;
            foreach (var instance in instances)
            {
                var isServing = m >= instance.ServingAt;
                var isWarm = m >= instance.WarmAt;
                if (m >= instance.InServiceAt) inServiceCount++;
                if (isServing) serving++;
                if (isWarm) warm++; else warming++;
                if (isWarm && isServing) warmServing++;
            }

            // 3. Load, capacity and the metrics.
            var d = demand[m];
            var cap = serving * perInstance;
            double? utilization = cap > 0 ? 100.0 * d / cap : d > 0 ? null : 0;
            double busy;
            if (group.Kind == GroupKind.Worker)
            {
                var arrivals = d * 60;
                var processed = Math.Min(backlog + arrivals, cap * 60);
                backlog = Math.Max(0, backlog + arrivals - processed);
                busy = cap > 0 ? Math.Min(100, 100.0 * processed / (cap * 60)) : 0;
            }
            else
            {
                busy = cap > 0 ? Math.Min(100, 100.0 * d / cap) : 0;
            }
            series[(int)SimulatedMetric.Cpu][m] = warm > 0 ? busy * warmServing / warm : double.NaN;
            series[(int)SimulatedMetric.RequestsPerTarget][m] = serving > 0 ? d * 60 / serving : double.NaN;
            series[(int)SimulatedMetric.BacklogPerInstance][m] = inServiceCount > 0 ? backlog / inServiceCount : double.NaN;
            series[(int)SimulatedMetric.Backlog][m] = backlog;
            timeline[m] = new MinutePoint(m, d, cap, desired, inServiceCount, serving, warm, utilization, group.Kind == GroupKind.Worker ? backlog : 0);

            // 4. Alarms and policies, evaluated at the end of the minute; instances follow from the next minute.
            var basis = warm > 0 ? warm : inServiceCount;
            int? outWant = null, inWant = null;
            string? outWhy = null, inWhy = null, outSource = null, inSource = null;
            var trackersAgreeIn = group.TargetTracking.Any(p => !p.DisableScaleIn);
            int? trackersIn = null;
            var anyHigh = false;
            foreach (var policy in group.TargetTracking)
            {
                var values = series[(int)policy.Metric];
                var v = values[m];
                var high = AllAbove(values, m, ScaleOutDatapoints, policy.Target);
                var low = AllBelow(values, m, ScaleInDatapoints, policy.Target * ScaleInThresholdFraction);
                var want = double.IsNaN(v) ? (int?)null : CeilSafe(basis * v / policy.Target);
                if (high && want is { } up)
                {
                    anyHigh = true;
                    if (outWant is null || up > outWant)
                    {
                        (outWant, outSource, outWhy) = (up, policy.LogicalId, $"{policy.LogicalId}: {Name(policy.Metric)} {Format(v)} > target {Format(policy.Target)} for {ScaleOutDatapoints} min");
                        pendingWarmup = policy.WarmupSeconds is { } w ? Minutes(w) : defaultWarmup;
                    }
                }
                if (policy.DisableScaleIn) continue;
                if (low && want is { } down) trackersIn = Math.Max(trackersIn ?? 0, down);
                else trackersAgreeIn = false;
            }
            if (trackersAgreeIn && !anyHigh && trackersIn is { } tin && warming == 0)
                (inWant, inSource, inWhy) = (tin, "target tracking", $"every target-tracking policy {ScaleInDatapoints} min below {ScaleInThresholdFraction:0%} of its target");

            foreach (var alarm in alarms)
            {
                if ((m + 1) % alarm.PeriodMinutes != 0) continue;
                var data = alarmData[alarm.LogicalId];
                data.Add(Aggregate(series[(int)alarm.Metric], m - alarm.PeriodMinutes + 1, m, alarm.Statistic, alarm.Metric));
                var breaching = 0;
                for (var i = Math.Max(0, data.Count - alarm.EvaluationPeriods); i < data.Count; i++)
                    if (Breaches(data[i], alarm)) breaching++;
                alarmState[alarm.LogicalId] = data.Count >= alarm.DatapointsToAlarm && breaching >= alarm.DatapointsToAlarm;
            }
            foreach (var policy in group.AlarmPolicies)
            {
                if (!alarmState[policy.Alarm.LogicalId]) continue;
                var data = alarmData[policy.Alarm.LogicalId];
                var value = data[^1];
                var breach = value - policy.Alarm.Threshold;
                var step = policy.Steps.FirstOrDefault(s => (s.Lower is null || breach >= s.Lower) && (s.Upper is null || breach < s.Upper))
                    ?? policy.Steps.FirstOrDefault(s => (s.Lower is null || breach > s.Lower) && (s.Upper is null || breach <= s.Upper));
                if (step is null || step.Adjustment == 0 && policy.Adjustment != AdjustmentKind.ExactCapacity) continue;
                if (policy.Simple && lastSimple.TryGetValue(policy.LogicalId, out var last)
                    && m < last + Minutes(policy.CooldownSeconds ?? group.CooldownSeconds)) continue;
                var why = $"{policy.LogicalId} ({policy.Alarm.LogicalId}: {Name(policy.Alarm.Metric)} {Format(value)} vs {Format(policy.Alarm.Threshold)})";
                var grows = policy.Adjustment == AdjustmentKind.ExactCapacity ? step.Adjustment > desired : step.Adjustment > 0;
                // Scale-out counts only instances past warmup, so repeated invocations during one breach launch once.
                var from = grows && !policy.Simple ? basis : desired;
                var target = policy.Adjustment switch
                {
                    AdjustmentKind.ExactCapacity => step.Adjustment,
                    AdjustmentKind.PercentChangeInCapacity => from + PercentChange(from, step.Adjustment, policy.MinAdjustmentMagnitude),
                    _ => from + step.Adjustment,
                };
                if (policy.Simple) lastSimple[policy.LogicalId] = m;
                if (grows)
                {
                    if (outWant is null || target > outWant)
                    {
                        (outWant, outSource, outWhy) = (target, policy.LogicalId, why);
                        pendingWarmup = policy.WarmupSeconds is { } w ? Minutes(w) : defaultWarmup;
                    }
                }
                else if (warming == 0 || policy.Simple)
                {
                    if (inWant is null || target > inWant) (inWant, inSource, inWhy) = (target, policy.LogicalId, why);
                }
            }

            if (outWant is { } o && Math.Min(o, max) > desired)
            {
                var to = Math.Min(o, max);
                events.Add(new ScalingEvent(m, outSource!, $"scale out: {outWhy}; wants {o}{(o > max ? $", capped at max {max}" : "")}", desired, to));
                desired = to;
            }
            else if (outWant is null && inWant is { } i && Math.Max(i, min) < desired)
            {
                var to = Math.Max(i, min);
                events.Add(new ScalingEvent(m, inSource!, $"scale in: {inWhy}; wants {i}{(i < min ? $", held at min {min}" : "")}", desired, to));
                desired = to;
            }
        }
        return new GroupSimulation(group, capacity, load, timeline, events, instanceMinutes);
    }

    private static bool Due(ScheduledAction action, int minute, SimulationClock clock)
    {
        if (action.Recurrence is { } cron && action.StartTimeUtc is null && action.EndTimeUtc is null)
            return clock.Fires(cron, action.TimeZone, minute);
        var time = clock.At(minute);
        if (action.Recurrence is null)
            return action.StartTimeUtc is { } once && once >= time && once < time.AddMinutes(1);
        if (action.StartTimeUtc is { } start && time < start) return false;
        if (action.EndTimeUtc is { } end && time > end) return false;
        return clock.Fires(action.Recurrence, action.TimeZone, minute);
    }

    private static void Apply(ScheduledAction action, ref int min, ref int max, ref int desired)
    {
        if (action.Min is { } mn) min = mn;
        if (action.Max is { } mx) max = mx;
        if (action.Desired is { } d) desired = d;
        if (min > max) max = min;
    }

    // Missing datapoints (NaN) never breach: both comparisons are false for NaN.
    private static bool AllAbove(double[] values, int m, int count, double threshold)
    {
        if (m + 1 < count) return false;
        for (var i = m - count + 1; i <= m; i++)
            if (!(values[i] > threshold)) return false;
        return true;
    }

    private static bool AllBelow(double[] values, int m, int count, double threshold)
    {
        if (m + 1 < count) return false;
        for (var i = m - count + 1; i <= m; i++)
            if (!(values[i] < threshold)) return false;
        return true;
    }

    private static double Aggregate(double[] values, int from, int to, string statistic, SimulatedMetric metric)
    {
        double sum = 0, lo = double.MaxValue, hi = double.MinValue;
        var n = 0;
        for (var i = Math.Max(0, from); i <= to; i++)
        {
            if (double.IsNaN(values[i])) continue;
            sum += values[i];
            lo = Math.Min(lo, values[i]);
            hi = Math.Max(hi, values[i]);
            n++;
        }
        if (n == 0) return double.NaN;
        return statistic switch
        {
            "Maximum" => hi,
            "Minimum" => lo,
            // Request counts add up over a period; gauges (CPU, backlog) are sampled, so their sum is the sum of samples.
            "Sum" => sum,
            _ => sum / n,
        };
    }

    private static bool Breaches(double value, MetricAlarm alarm) => !double.IsNaN(value) && alarm.Comparison switch
    {
        Comparison.GreaterOrEqual => value >= alarm.Threshold,
        Comparison.Greater => value > alarm.Threshold,
        Comparison.Less => value < alarm.Threshold,
        _ => value <= alarm.Threshold,
    };

    private static int PercentChange(int capacity, int percent, int? minMagnitude)
    {
        // As EC2 Auto Scaling rounds: (0, 1) → 1, > 1 down; (−1, 0) → −1, < −1 up; then at least MinAdjustmentMagnitude.
        var raw = capacity * percent / 100.0;
        var change = raw switch
        {
            > 0 and < 1 => 1,
            > -1 and < 0 => -1,
            _ => (int)Math.Truncate(raw),
        };
        if (minMagnitude is { } mm && Math.Abs(change) < mm && change != 0) change = Math.Sign(change) * mm;
        return change;
    }

    private static int CeilSafe(double value) => (int)Math.Ceiling(Math.Round(value, 9));

    private static int Minutes(int seconds) => (seconds + 59) / 60;

    private static string Name(SimulatedMetric metric) => metric switch
    {
        SimulatedMetric.Cpu => "CPU %",
        SimulatedMetric.RequestsPerTarget => "requests per target per minute",
        SimulatedMetric.BacklogPerInstance => "backlog per instance",
        _ => "visible messages",
    };

    private static string Format(double value) => value.ToString(Math.Abs(value) >= 100 ? "0" : "0.#", System.Globalization.CultureInfo.InvariantCulture);
}
