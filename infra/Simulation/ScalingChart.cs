using ScottPlot;

namespace ScalableBackend.Infra.Simulation;

/// <summary>A PNG per group: demand and serving capacity (left axis) and utilization (right axis) over the simulated minutes.</summary>
public static class ScalingChart
{
    /// <summary>Width of a chart in pixels.</summary>
    public const int Width = 900;

    /// <summary>Height of a chart in pixels.</summary>
    public const int Height = 420;

    /// <summary>Draws <paramref name="simulation"/> into <paramref name="path"/> as a PNG.</summary>
    public static void Save(GroupSimulation simulation, string path)
    {
        var timeline = simulation.Timeline;
        var xs = new double[timeline.Length];
        var demand = new double[timeline.Length];
        var capacity = new double[timeline.Length];
        var utilization = new double[timeline.Length];
        for (var i = 0; i < timeline.Length; i++)
        {
            xs[i] = timeline[i].Minute;
            demand[i] = timeline[i].Demand;
            capacity[i] = timeline[i].Capacity;
            utilization[i] = timeline[i].Utilization ?? double.NaN;
        }
        var group = simulation.Group;
        var plot = new Plot();
        var unit = SimulationReports.Unit(group.Kind);

        var capacityLine = plot.Add.Scatter(xs, capacity);
        capacityLine.LegendText = $"serving capacity ({unit})";
        capacityLine.ConnectStyle = ConnectStyle.StepHorizontal;
        capacityLine.MarkerSize = 0;
        capacityLine.LineWidth = 2;
        capacityLine.Color = Colors.SeaGreen;

        var demandLine = plot.Add.Scatter(xs, demand);
        demandLine.LegendText = $"demand ({unit})";
        demandLine.ConnectStyle = ConnectStyle.StepHorizontal;
        demandLine.MarkerSize = 0;
        demandLine.LineWidth = 2;
        demandLine.Color = Colors.SteelBlue;

        var utilizationLine = plot.Add.Scatter(xs, utilization);
        utilizationLine.LegendText = "utilization (%, right)";
        utilizationLine.MarkerSize = 0;
        utilizationLine.LineWidth = 1;
        utilizationLine.LinePattern = LinePattern.Dashed;
        utilizationLine.Color = Colors.OrangeRed;
        utilizationLine.Axes.YAxis = plot.Axes.Right;

        var full = plot.Add.HorizontalLine(100, 1, Colors.OrangeRed.WithAlpha(0.35), LinePattern.Dotted);
        full.Axes.YAxis = plot.Axes.Right;

        plot.Title($"{group.Key} ({group.Kind.ToString().ToLowerInvariant()}) — {group.Stack}/{group.LogicalId}, {group.Min}–{group.Max} instances");
        plot.XLabel("minute");
        plot.YLabel(unit);
        plot.Axes.Right.Label.Text = "utilization %";
        var peakLoad = Math.Max(demand.DefaultIfEmpty(0).Max(), capacity.DefaultIfEmpty(0).Max());
        plot.Axes.SetLimitsY(0, Math.Max(1, peakLoad * 1.1), plot.Axes.Left);
        var peakUtil = utilization.Where(double.IsFinite).DefaultIfEmpty(0).Max();
        plot.Axes.SetLimitsY(0, Math.Max(110, Math.Min(400, peakUtil * 1.1)), plot.Axes.Right);
        plot.Axes.SetLimitsX(0, Math.Max(1, timeline.Length - 1));
        plot.ShowLegend(Alignment.UpperLeft);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);
        plot.SavePng(path, Width, Height);
    }
}
