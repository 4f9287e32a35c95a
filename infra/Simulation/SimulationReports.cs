using System.Globalization;
using System.Text;
using System.Text.Json;
using Spectre.Console;

namespace ScalableBackend.Infra.Simulation;

/// <summary>The simulation as JSON (timelines and summaries), as Markdown for a pull request, and as a console table.</summary>
public static class SimulationReports
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>The unit of a group's load.</summary>
    public static string Unit(GroupKind kind) => kind == GroupKind.Service ? "requests/s" : "messages/s";

    /// <summary>The chart file name of a group: <c>&lt;stack&gt;-&lt;logical id&gt;.png</c>.</summary>
    public static string ChartFileName(ScalingGroupModel group) => $"{group.Stack}-{group.LogicalId}.png";

    /// <summary>
    /// The whole run as JSON: the profile and its assumptions, then per group its identity, bounds, what was simulated and what
    /// was not, the summary, the scaling events and the timeline <c>[{minute, demand, capacity, inService, utilization, backlog, …}]</c>.
    /// </summary>
    public static string Json(SimulationRun run, bool indented = false)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = indented }))
        {
            w.WriteStartObject();
            w.WriteString("environment", run.Environment);
            w.WriteString("profile", run.Profile.File);
            w.WriteString("start", run.Profile.Start.ToString("yyyy-MM-ddTHH:mm:ssZ", Invariant));
            w.WriteNumber("minutes", run.Profile.Minutes);
            w.WriteStartObject("assumptions");
            w.WriteNumber("launchMinutes", run.Profile.LaunchMinutes);
            w.WriteNumber("bootMinutes", run.Profile.BootMinutes);
            w.WriteNumber("scaleOutDatapoints", ScalingSimulator.ScaleOutDatapoints);
            w.WriteNumber("scaleInDatapoints", ScalingSimulator.ScaleInDatapoints);
            w.WriteNumber("scaleInThresholdFraction", ScalingSimulator.ScaleInThresholdFraction);
            w.WriteEndObject();
            w.WriteStartArray("groups");
            foreach (var (sim, summary) in run.Groups) WriteGroup(w, sim, summary, run.Currency);
            w.WriteEndArray();
            w.WriteStartArray("notSimulated");
            foreach (var reason in run.NotSimulated) w.WriteStringValue(reason);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void WriteGroup(Utf8JsonWriter w, GroupSimulation sim, GroupSummary s, string currency)
    {
        var g = sim.Group;
        w.WriteStartObject();
        w.WriteString("stack", g.Stack);
        w.WriteString("group", g.LogicalId);
        w.WriteString("kind", g.Kind == GroupKind.Service ? "service" : "worker");
        w.WriteString("key", g.Key);
        w.WriteNumber("min", g.Min);
        w.WriteNumber("max", g.Max);
        if (g.Desired is { } desired) w.WriteNumber("desired", desired); else w.WriteNull("desired");
        if (g.InstanceType is { } type) w.WriteString("instanceType", type); else w.WriteNull("instanceType");
        w.WriteNumber("capacityPerInstance", sim.Capacity.PerInstancePerSecond);
        w.WriteString("unit", Unit(g.Kind));
        if (g.DefaultInstanceWarmupSeconds is { } warmup) w.WriteNumber("defaultInstanceWarmupSeconds", warmup); else w.WriteNull("defaultInstanceWarmupSeconds");
        if (g.HealthCheckGracePeriodSeconds is { } grace) w.WriteNumber("healthCheckGracePeriodSeconds", grace); else w.WriteNull("healthCheckGracePeriodSeconds");
        w.WriteStartArray("simulated");
        foreach (var line in Describe(g)) w.WriteStringValue(line);
        w.WriteEndArray();
        w.WriteStartArray("notSimulated");
        foreach (var reason in g.NotSimulated) w.WriteStringValue(reason);
        w.WriteEndArray();

        w.WriteStartObject("summary");
        Number(w, "peakUtilization", s.PeakUtilization);
        w.WriteNumber("minutesAbove100", s.MinutesAbove100);
        w.WriteNumber("minutesAtMax", s.MinutesAtMax);
        w.WriteNumber("peakDesired", s.PeakDesired);
        w.WriteNumber("peakBacklog", Math.Round(s.PeakBacklog, 1));
        w.WriteStartArray("catchUp");
        foreach (var c in s.CatchUps)
        {
            w.WriteStartObject();
            w.WriteNumber("at", c.At);
            w.WriteNumber("rate", c.Rate);
            if (c.Minutes is { } minutes) w.WriteNumber("minutes", minutes); else w.WriteNull("minutes");
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteNumber("instanceHours", Math.Round(s.InstanceHours, 2));
        if (s.Cost is { } cost) w.WriteNumber("cost", cost); else w.WriteNull("cost");
        w.WriteString("currency", currency);
        w.WriteEndObject();

        w.WriteStartArray("events");
        foreach (var e in sim.Events)
        {
            w.WriteStartObject();
            w.WriteNumber("minute", e.Minute);
            w.WriteString("source", e.Source);
            w.WriteNumber("from", e.From);
            w.WriteNumber("to", e.To);
            w.WriteString("description", e.Description);
            w.WriteEndObject();
        }
        w.WriteEndArray();

        w.WriteStartArray("timeline");
        foreach (var p in sim.Timeline)
        {
            w.WriteStartObject();
            w.WriteNumber("minute", p.Minute);
            w.WriteNumber("demand", Math.Round(p.Demand, 3));
            w.WriteNumber("capacity", Math.Round(p.Capacity, 3));
            w.WriteNumber("inService", p.InService);
            Number(w, "utilization", p.Utilization);
            w.WriteNumber("backlog", Math.Round(p.Backlog, 1));
            w.WriteNumber("desired", p.Desired);
            w.WriteNumber("serving", p.Serving);
            w.WriteNumber("warm", p.Warm);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void Number(Utf8JsonWriter w, string name, double? value)
    {
        if (value is { } v) w.WriteNumber(name, Math.Round(v, 1)); else w.WriteNull(name);
    }

    /// <summary>One line per simulated policy and scheduled action of <paramref name="group"/>.</summary>
    public static IEnumerable<string> Describe(ScalingGroupModel group)
    {
        foreach (var p in group.TargetTracking)
            yield return $"{p.LogicalId}: target tracking {p.Metric} at {Fmt(p.Target)}{(p.DisableScaleIn ? " (scale-in disabled)" : "")}";
        foreach (var p in group.AlarmPolicies)
            yield return $"{p.LogicalId}: {(p.Simple ? "simple" : "step")} scaling ({p.Adjustment}) on {p.Alarm.LogicalId}: {p.Alarm.Statistic} {p.Alarm.Metric} {p.Alarm.Comparison} {Fmt(p.Alarm.Threshold)}, {p.Alarm.DatapointsToAlarm} of {p.Alarm.EvaluationPeriods} × {p.Alarm.PeriodMinutes} min";
        foreach (var s in group.Schedules)
            yield return $"{s.LogicalId}: scheduled {(s.Recurrence is { } cron ? $"\"{cron.Text}\" {s.TimeZone}" : $"at {s.StartTimeUtc:u}")}"
                + $"{(s.Min is { } mn ? $" min {mn}" : "")}{(s.Max is { } mx ? $" max {mx}" : "")}{(s.Desired is { } d ? $" desired {d}" : "")}";
    }

    /// <summary>The run as Markdown for a pull-request comment: one summary table, the catch-up times, charts and what was not simulated.</summary>
    public static string Markdown(SimulationRun run, string? chartDirectory = null)
    {
        var md = new StringBuilder();
        var p = run.Profile;
        md.AppendLine($"## Scaling rehearsal — {run.Environment}, profile `{Path.GetFileName(p.File)}`");
        md.AppendLine();
        md.AppendLine($"{p.Minutes} minutes from {p.Start:yyyy-MM-dd HH:mm} UTC. A new instance is InService {p.LaunchMinutes} min after launch and serves {p.BootMinutes} min later (services: plus their target group's health check). Target tracking: scale out after {ScalingSimulator.ScaleOutDatapoints} one-minute datapoints above target, scale in after {ScalingSimulator.ScaleInDatapoints} below {ScalingSimulator.ScaleInThresholdFraction:0%} of it.");
        md.AppendLine();
        md.AppendLine($"| Stack | Group | Min | Max | Peak utilization | Minutes > 100% | Minutes at max | Peak desired | Catch-up after steps | Instance-hours | Cost ({run.Currency}) |");
        md.AppendLine("|---|---|--:|--:|--:|--:|--:|--:|---|--:|--:|");
        foreach (var (sim, s) in run.Groups)
        {
            var g = sim.Group;
            md.AppendLine($"| {g.Stack} | {g.Key} ({g.Kind.ToString().ToLowerInvariant()}) | {g.Min} | {g.Max} | {Peak(s)} | {s.MinutesAbove100} | {s.MinutesAtMax} | {s.PeakDesired} | {CatchUps(s)} | {s.InstanceHours.ToString("0.0", Invariant)} | {Money(s.Cost)} |");
        }
        md.AppendLine();
        foreach (var (sim, s) in run.Groups)
        {
            var g = sim.Group;
            md.AppendLine($"<details><summary><b>{g.Key}</b> — {g.LogicalId}: {sim.Events.Count} scaling event(s)</summary>");
            md.AppendLine();
            if (chartDirectory is not null) md.AppendLine($"![{g.Key}]({Path.Combine(chartDirectory, ChartFileName(g)).Replace('\\', '/')})");
            md.AppendLine();
            foreach (var line in Describe(g)) md.AppendLine($"- simulated: {line}");
            foreach (var reason in g.NotSimulated) md.AppendLine($"- **not simulated**: {reason}");
            foreach (var e in sim.Events.Take(40)) md.AppendLine($"- minute {e.Minute}: {e.From} → {e.To}, {e.Description}");
            if (sim.Events.Count > 40) md.AppendLine($"- … {sim.Events.Count - 40} more in the JSON");
            md.AppendLine();
            md.AppendLine("</details>");
            md.AppendLine();
        }
        var loose = run.NotSimulated.Where(n => !run.Groups.Any(g => n.StartsWith($"{g.Simulation.Group.Stack}/{g.Simulation.Group.LogicalId} ", StringComparison.Ordinal))).ToArray();
        if (loose.Length > 0)
        {
            md.AppendLine("**Not simulated:**");
            foreach (var reason in loose) md.AppendLine($"- {reason}");
            md.AppendLine();
        }
        md.AppendLine("_Instance-hours cover launch to termination at on-demand prices from infra/Pricing/prices.json. The model and its limits: README, \"Rehearse scaling\"._");
        return md.ToString();
    }

    /// <summary>The summary as a console table.</summary>
    public static Table Table(SimulationRun run)
    {
        var table = new Table().Title($"Scaling rehearsal: {Markup.Escape(run.Environment)}, {Markup.Escape(Path.GetFileName(run.Profile.File))}, {run.Profile.Minutes} min")
            .AddColumns("Stack", "Group", "Min", "Max", "Peak util.", "Min > 100%", "Min at max", "Peak desired", "Catch-up after steps", "Instance-h", $"Cost ({run.Currency})");
        foreach (var (sim, s) in run.Groups)
        {
            var g = sim.Group;
            table.AddRow(Markup.Escape(g.Stack), Markup.Escape($"{g.Key} ({g.Kind.ToString().ToLowerInvariant()})"), g.Min.ToString(Invariant), g.Max.ToString(Invariant),
                Markup.Escape(Peak(s)), s.MinutesAbove100.ToString(Invariant), s.MinutesAtMax.ToString(Invariant), s.PeakDesired.ToString(Invariant),
                Markup.Escape(CatchUps(s)), s.InstanceHours.ToString("0.0", Invariant), Money(s.Cost));
        }
        return table;
    }

    private static string Peak(GroupSummary s) => s.PeakUtilization is { } u ? $"{u.ToString("0", Invariant)}%" : "no capacity";

    private static string CatchUps(GroupSummary s) => s.CatchUps.Count == 0 ? "—"
        : string.Join(", ", s.CatchUps.Select(c => $"@{c.At}: {(c.Minutes is { } m ? $"{m} min" : "not caught up")}"));

    private static string Money(decimal? value) => value is { } v ? v.ToString("0.00", Invariant) : "unknown";

    private static string Fmt(double value) => value.ToString("0.##", Invariant);
}
