using ScalableBackend.Infra.Preview;

namespace ScalableBackend.Infra.Simulation;

/// <summary>How long a group took to serve its load again after a step of the profile.</summary>
/// <param name="At">The step's minute.</param>
/// <param name="Rate">The load from that minute.</param>
/// <param name="Minutes">Minutes until serving capacity covered the load (and, for workers, the backlog was gone); 0 when it never fell behind; null when it had not caught up before the next step or the end.</param>
public sealed record CatchUp(int At, double Rate, int? Minutes);

/// <summary>The figures a reviewer reads for one group.</summary>
/// <param name="PeakUtilization">The highest demand ÷ capacity in percent; null when load arrived while nothing served.</param>
/// <param name="MinutesAbove100">Minutes in which demand exceeded serving capacity.</param>
/// <param name="MinutesAtMax">Minutes in which desired capacity was at the group's maximum.</param>
/// <param name="PeakDesired">The largest desired capacity.</param>
/// <param name="PeakBacklog">The largest backlog (workers).</param>
/// <param name="CatchUps">One per step of the profile after minute 0.</param>
/// <param name="InstanceHours">Instance-hours from launch to termination.</param>
/// <param name="HourlyPrice">The instance type's on-demand price per hour; null when the price table lacks it.</param>
/// <param name="Cost">Instance-hours × hourly price; null when unknown.</param>
public sealed record GroupSummary(double? PeakUtilization, int MinutesAbove100, int MinutesAtMax, int PeakDesired, double PeakBacklog,
    IReadOnlyList<CatchUp> CatchUps, double InstanceHours, decimal? HourlyPrice, decimal? Cost);

/// <summary>A simulation of every group of an environment under one profile.</summary>
/// <param name="Environment">The environment name.</param>
/// <param name="Profile">The profile.</param>
/// <param name="Groups">Each group's simulation and summary, in stack and logical-id order.</param>
/// <param name="NotSimulated">What the templates declare that the simulation could not model, with reasons (group-level ones included).</param>
/// <param name="Currency">The price table's currency.</param>
public sealed record SimulationRun(string Environment, TrafficProfile Profile, IReadOnlyList<(GroupSimulation Simulation, GroupSummary Summary)> Groups,
    IReadOnlyList<string> NotSimulated, string Currency)
{
    /// <summary>Simulates every group of <paramref name="templates"/>; <paramref name="capacities"/> maps (kind, key) to what one instance sustains.</summary>
    public static SimulationRun Simulate(string environment, ScalingGroupSet templates, TrafficProfile profile,
        Func<GroupKind, string, GroupCapacity> capacities, PriceTable prices)
    {
        var clock = new SimulationClock(profile.Start, profile.Minutes);
        var groups = new List<(GroupSimulation, GroupSummary)>();
        var notSimulated = new List<string>(templates.NotSimulated);
        foreach (var group in templates.Groups)
        {
            var load = (group.Kind == GroupKind.Service ? profile.Services : profile.Workers).GetValueOrDefault(group.Key) ?? [];
            var simulation = ScalingSimulator.Run(group, capacities(group.Kind, group.Key), load, profile, clock);
            groups.Add((simulation, Summarize(simulation, prices)));
            notSimulated.AddRange(group.NotSimulated.Select(reason => $"{group.Stack}/{group.LogicalId} ({group.Key}): {reason}"));
        }
        return new SimulationRun(environment, profile, groups, notSimulated, prices.Currency);
    }

    /// <summary>The summary of one simulated group.</summary>
    public static GroupSummary Summarize(GroupSimulation simulation, PriceTable prices)
    {
        var timeline = simulation.Timeline;
        double? peak = 0;
        int above = 0, atMax = 0, peakDesired = 0;
        double peakBacklog = 0;
        foreach (var point in timeline)
        {
            if (point.Utilization is { } u) { if (peak is { } p && u > p) peak = u; }
            else peak = null;
            if (point.Utilization is null or > 100) above++;
            if (point.Desired >= simulation.Group.Max) atMax++;
            peakDesired = Math.Max(peakDesired, point.Desired);
            peakBacklog = Math.Max(peakBacklog, point.Backlog);
        }
        var catchUps = new List<CatchUp>();
        var load = simulation.Load;
        for (var i = 0; i < load.Count; i++)
        {
            if (load[i].At == 0) continue;
            var end = i + 1 < load.Count ? load[i + 1].At : timeline.Length;
            int? minutes = null;
            for (var m = load[i].At; m < end; m++)
                if (timeline[m].Utilization is <= 100 && timeline[m].Backlog < 1) { minutes = m - load[i].At; break; }
            catchUps.Add(new CatchUp(load[i].At, load[i].Rate, minutes));
        }
        var hours = simulation.InstanceMinutes / 60.0;
        var price = prices.Hourly("ec2", simulation.Group.InstanceType);
        return new GroupSummary(peak, above, atMax, peakDesired, peakBacklog, catchUps, hours, price,
            price is { } hourly ? Math.Round(hourly * (decimal)hours, 2) : null);
    }
}
