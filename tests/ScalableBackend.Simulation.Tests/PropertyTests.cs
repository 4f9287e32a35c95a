using CsCheck;
using ScalableBackend.Infra.Simulation;
using static ScalableBackend.Simulation.Tests.Sim;

namespace ScalableBackend.Simulation.Tests;

/// <summary>Invariants over generated groups and profiles.</summary>
public sealed class PropertyTests
{
    private sealed record Case(int Min, int Max, double Cpu, double? RequestsPerTarget, int Warmup, double PerInstance, LoadStep[] Load, int Minutes);

    private static readonly Gen<Case> Cases =
        from min in Gen.Int[0, 4]
        from extra in Gen.Int[1, 12]
        from cpu in Gen.Int[20, 90]
        from rpt in Gen.Int[0, 3000]
        from warmup in Gen.Int[0, 600]
        from perInstance in Gen.Int[20, 300]
        from minutes in Gen.Int[30, 240]
        from rates in Gen.Int[0, 3000].Array[1, 6]
        select new Case(min, min + extra, cpu, rpt < 300 ? null : rpt, warmup, perInstance,
            rates.Select((rate, i) => new LoadStep(i * minutes / rates.Length, rate)).DistinctBy(s => s.At).ToArray(), minutes);

    private static ScalingGroupModel GroupOf(Case c)
    {
        var template = GroupTemplate.Service(c.Min, c.Max, c.Warmup).CpuTarget(c.Cpu);
        var group = template.Group();
        return c.RequestsPerTarget is { } rpt
            ? group with { TargetTracking = [.. group.TargetTracking, new TargetTrackingPolicy("Requests", SimulatedMetric.RequestsPerTarget, rpt, false)] }
            : group;
    }

    [Fact]
    public void Desired_capacity_stays_within_min_and_max_and_no_more_instances_run_than_desired()
    {
        Cases.Sample(c =>
        {
            var run = Run(GroupOf(c), Profile(c.Minutes, api: c.Load), c.PerInstance);
            foreach (var p in run.Timeline)
            {
                Assert.InRange(p.Desired, c.Min, c.Max);
                Assert.InRange(p.InService, 0, p.Desired);
                Assert.InRange(p.Serving, 0, p.InService);
            }
        }, iter: 200);
    }

    [Fact]
    public void Constant_load_settles_and_then_never_scales()
    {
        Gen.Select(Cases, Gen.Int[0, 3000]).Sample((c, rate) =>
        {
            var run = Run(GroupOf(c), Profile(300, api: [new LoadStep(0, rate)]), c.PerInstance);
            Assert.DoesNotContain(run.Events, e => e.Minute >= 150);
        }, iter: 150);
    }

    [Fact]
    public void The_same_input_gives_the_same_output()
    {
        Cases.Sample(c =>
        {
            var templates = GroupTemplate.Service(c.Min, c.Max, c.Warmup).CpuTarget(c.Cpu)
                .Schedule("Evening", "30 18 * * *", "Europe/Berlin", min: c.Min).Read();
            var profile = Profile(c.Minutes, api: c.Load);
            Assert.Equal(SimulationReports.Json(RunAll(templates, profile, c.PerInstance)), SimulationReports.Json(RunAll(templates, profile, c.PerInstance)));
        }, iter: 50);
    }
}
