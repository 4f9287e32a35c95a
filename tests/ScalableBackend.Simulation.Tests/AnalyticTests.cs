using ScalableBackend.Infra.Simulation;
using static ScalableBackend.Simulation.Tests.Sim;

namespace ScalableBackend.Simulation.Tests;

/// <summary>
/// Cases whose answer follows from how AWS documents target tracking, step scaling, warmup and scheduled actions.
/// Throughout: 100 requests/s per instance at 100% CPU, InService 1 minute after launch, serving 2 minutes later plus
/// the target group's 2 × 10 s health check (1 minute): an instance launched at minute L serves from L + 4.
/// </summary>
public sealed class AnalyticTests
{
    private const double PerInstance = 100;

    [Fact]
    public void Cpu_step_from_30_to_90_percent_scales_out_when_the_third_datapoint_breaches_to_the_tracked_capacity()
    {
        var group = GroupTemplate.Service(3, 10).CpuTarget(60).Group();
        var run = Run(group, Profile(60, api: Steps((0, 90), (10, 270))), PerInstance);

        var first = run.Events[0];
        Assert.Equal(12, first.Minute);          // datapoints of minutes 10, 11, 12 above 60%
        Assert.Equal(3, first.From);
        Assert.Equal(5, first.To);               // ⌈3 × 90 / 60⌉
        Assert.Equal(3, run.Timeline[16].Serving);
        Assert.Equal(5, run.Timeline[17].Serving); // launched at 13: InService 14, serving 14 + 2 + 1
        Assert.Equal(54, run.Timeline[17].Utilization);
        Assert.Single(run.Events);               // 54% is inside the band: no scale-in (needs < 90% of 60)
    }

    [Fact]
    public void Scale_in_waits_for_fifteen_datapoints_below_ninety_percent_of_the_target()
    {
        var group = GroupTemplate.Service(3, 10).CpuTarget(60).Group();
        var run = Run(group, Profile(90, api: Steps((0, 90), (10, 270), (40, 90))), PerInstance);

        var scaleIn = Assert.Single(run.Events, e => e.To < e.From);
        Assert.Equal(54, scaleIn.Minute);        // minutes 40–54: 15 datapoints at 18%
        Assert.Equal(5, scaleIn.From);
        Assert.Equal(3, scaleIn.To);             // ⌈5 × 18 / 60⌉ = 2, held at the minimum
        Assert.Equal(5, run.Timeline[54].Serving);
        Assert.Equal(3, run.Timeline[55].Serving);
    }

    [Fact]
    public void Warming_instances_count_as_capacity_so_a_second_breach_launches_only_after_warmup()
    {
        var group = GroupTemplate.Service(3, 20, warmupSeconds: 600).CpuTarget(60).Group();
        var run = Run(group, Profile(60, api: Steps((0, 90), (10, 270), (18, 450))), PerInstance);

        Assert.Equal((12, 5), (run.Events[0].Minute, run.Events[0].To));
        Assert.Equal(3, run.Timeline[23].Warm);  // InService at 14, warm 10 minutes later
        Assert.Equal(5, run.Timeline[24].Warm);
        // From minute 20 the metric (90% on the warm instances) is above target again, but the two warming
        // instances already cover ⌈3 × 90 / 60⌉ = 5; once they count, ⌈5 × 90 / 60⌉ = 8.
        Assert.Equal((24, 5, 8), (run.Events[1].Minute, run.Events[1].From, run.Events[1].To));
    }

    [Fact]
    public void Max_caps_the_capacity_target_tracking_asks_for()
    {
        var group = GroupTemplate.Service(3, 6).CpuTarget(60).Group();
        var run = Run(group, Profile(90, api: Steps((0, 90), (10, 2000))), PerInstance);

        Assert.All(run.Timeline, p => Assert.InRange(p.Desired, 3, 6));
        Assert.Contains(run.Events, e => e.To == 6 && e.Description.Contains("capped at max 6", StringComparison.Ordinal));
        Assert.True(run.Timeline[^1].Utilization > 100);
    }

    [Theory]
    [InlineData("2026-01-05T05:30:00Z")] // CET, UTC+1: 07:00 in Berlin is 06:00 UTC
    [InlineData("2026-07-06T04:30:00Z")] // CEST, UTC+2: 07:00 in Berlin is 05:00 UTC
    public void A_scheduled_action_runs_at_its_cron_minute_in_its_time_zone(string start)
    {
        // The evening action returns the minimum to 3 (without it, last Friday's morning action would still be in force).
        var group = GroupTemplate.Service(3, 10)
            .Schedule("BusinessHours", "0 7 * * 1-5", "Europe/Berlin", min: 6)
            .Schedule("AfterHours", "0 20 * * 1-5", "Europe/Berlin", min: 3).Group();
        var run = Run(group, Profile(60, api: Steps((0, 50)), start: DateTime.Parse(start, null, System.Globalization.DateTimeStyles.AdjustToUniversal)), PerInstance);

        var action = Assert.Single(run.Events);
        Assert.Equal((30, "BusinessHours", 3, 6), (action.Minute, action.Source, action.From, action.To));
        Assert.Equal(3, run.Timeline[29].Desired);
        Assert.Equal(6, run.Timeline[30].Desired);
    }

    [Fact]
    public void The_schedule_in_force_at_the_start_applies_from_minute_zero()
    {
        var group = GroupTemplate.Service(3, 10)
            .Schedule("BusinessHours", "0 7 * * 1-5", "Europe/Berlin", min: 6)
            .Schedule("AfterHours", "0 20 * * 1-5", "Europe/Berlin", min: 3).Group();
        var run = Run(group, Profile(30, api: Steps((0, 50))), PerInstance); // Monday 12:00 UTC = 13:00 in Berlin

        Assert.Equal(6, run.Timeline[0].Desired);
        Assert.Empty(run.Events);
    }

    [Fact]
    public void A_step_policy_scales_when_its_alarm_has_breached_for_its_evaluation_periods_by_the_step_of_the_breach()
    {
        var group = GroupTemplate.Service(3, 10).CpuStep(70, 2, (0, 20, 1), (20, null, 3)).Group();
        var run = Run(group, Profile(40, api: Steps((0, 90), (10, 270))), PerInstance);

        var first = run.Events[0];
        Assert.Equal(11, first.Minute);          // 2 datapoints ≥ 70: minutes 10 and 11
        Assert.Equal((3, 6), (first.From, first.To)); // breach 90 − 70 = 20 → +3 on the 3 warm instances
        Assert.Equal(1, run.Events.Count(e => e.From == 3)); // invoked every minute in ALARM, launched once
    }

    [Fact]
    public void Worker_backlog_grows_with_arrivals_beyond_capacity_and_drains_after_scaling_out()
    {
        var group = GroupTemplate.Worker(1, 10, backlogTarget: 20).Group();
        var run = Run(group, Profile(60, billing: Steps((0, 1))), perInstance: 1.0 / 6); // 6 s per message

        Assert.Equal(50, run.Timeline[0].Backlog);  // 60 arrive, one instance processes 10
        Assert.Equal(150, run.Timeline[2].Backlog);
        var first = run.Events[0];
        Assert.Equal((2, 1, 8), (first.Minute, first.From, first.To)); // ⌈1 × 150 / 20⌉
        var peak = Array.FindIndex(run.Timeline, p => p.Backlog == run.Timeline.Max(q => q.Backlog));
        Assert.True(run.Timeline[peak].Backlog > 150);
        Assert.True(run.Timeline[peak + 1].Backlog < run.Timeline[peak].Backlog); // more serving capacity than arrivals: it drains
        Assert.Contains(run.Timeline.Skip(peak), p => p.Backlog == 0);
    }

    [Fact]
    public void Policies_on_metrics_the_simulation_cannot_compute_are_listed_as_not_simulated()
    {
        var group = GroupTemplate.Service(3, 10).CpuTarget(60).LatencyTarget(250).Group();

        Assert.Single(group.TargetTracking);
        var reason = Assert.Single(group.NotSimulated);
        Assert.Contains("LatencyScaling", reason, StringComparison.Ordinal);
        Assert.Contains("Backend/Api/LatencyP99Ms", reason, StringComparison.Ordinal);
    }
}
