using System.Diagnostics;
using System.Globalization;
using System.Text;
using ScalableBackend.Infra.Preview;
using ScalableBackend.Infra.Simulation;
using ScalableBackend.Policies;
using Xunit.Abstractions;

namespace ScalableBackend.Simulation.Tests;

/// <summary>
/// A day-long profile for every group of a 40-service, 10-worker environment. Set <c>SIMULATION_BENCH_DIR</c> to also
/// write the inputs (stacks/prod.yaml, templates/Backend-Prod.template.json, day.yaml) for a whole-process measurement:
/// <c>SCALABLE_BACKEND_STACKS_DIR=DIR/stacks dotnet infra/bin/Release/net10.0/ScalableBackend.Infra.dll simulate --templates DIR/templates --profile DIR/day.yaml --out DIR/out</c>.
/// </summary>
public sealed class SpeedTests(ITestOutputHelper output)
{
    private const int Services = 40;
    private const int Workers = 10;

    private static string Key(string prefix, int i) => $"{prefix}{i:00}";

    /// <summary>A template like prod's per group: CPU and request-count tracking, two schedules; workers with backlog per instance.</summary>
    public static string Template()
    {
        var resources = new List<string>();
        for (var i = 0; i < Services; i++)
        {
            var p = $"ServiceSvc{i:00}";
            resources.Add("""
                "@p@GroupASG": {"Type": "AWS::AutoScaling::AutoScalingGroup", "Properties": {"MinSize": "2", "MaxSize": "20", "DefaultInstanceWarmup": 120,
                  "LaunchTemplate": {"LaunchTemplateId": {"Ref": "@p@LaunchTemplate"}}, "TargetGroupARNs": [{"Ref": "@p@TargetGroup"}]}},
                "@p@LaunchTemplate": {"Type": "AWS::EC2::LaunchTemplate", "Properties": {"LaunchTemplateData": {"InstanceType": "m6i.large"}}},
                "@p@TargetGroup": {"Type": "AWS::ElasticLoadBalancingV2::TargetGroup", "Properties": {"HealthCheckIntervalSeconds": 15, "HealthyThresholdCount": 2}},
                "@p@Cpu": {"Type": "AWS::AutoScaling::ScalingPolicy", "Properties": {"AutoScalingGroupName": {"Ref": "@p@GroupASG"}, "PolicyType": "TargetTrackingScaling",
                  "TargetTrackingConfiguration": {"PredefinedMetricSpecification": {"PredefinedMetricType": "ASGAverageCPUUtilization"}, "TargetValue": 60}}},
                "@p@Requests": {"Type": "AWS::AutoScaling::ScalingPolicy", "Properties": {"AutoScalingGroupName": {"Ref": "@p@GroupASG"}, "PolicyType": "TargetTrackingScaling",
                  "TargetTrackingConfiguration": {"PredefinedMetricSpecification": {"PredefinedMetricType": "ALBRequestCountPerTarget"}, "TargetValue": 4000}}},
                "@p@Morning": {"Type": "AWS::AutoScaling::ScheduledAction", "Properties": {"AutoScalingGroupName": {"Ref": "@p@GroupASG"}, "Recurrence": "0 7 * * 1-5", "TimeZone": "Europe/Berlin", "MinSize": 4}},
                "@p@Evening": {"Type": "AWS::AutoScaling::ScheduledAction", "Properties": {"AutoScalingGroupName": {"Ref": "@p@GroupASG"}, "Recurrence": "0 20 * * 1-5", "TimeZone": "Europe/Berlin", "MinSize": 2}}
                """.Replace("@p@", System.Convert.ToString(p, System.Globalization.CultureInfo.InvariantCulture), System.StringComparison.Ordinal));
        }
        for (var i = 0; i < Workers; i++)
        {
            var p = $"WorkerJob{i:00}";
            resources.Add("""
                "@p@GroupASG": {"Type": "AWS::AutoScaling::AutoScalingGroup", "Properties": {"MinSize": "1", "MaxSize": "12", "DefaultInstanceWarmup": 120,
                  "LaunchTemplate": {"LaunchTemplateId": {"Ref": "@p@LaunchTemplate"}}}},
                "@p@LaunchTemplate": {"Type": "AWS::EC2::LaunchTemplate", "Properties": {"LaunchTemplateData": {"InstanceType": "m6i.large"}}},
                "@p@Backlog": {"Type": "AWS::AutoScaling::ScalingPolicy", "Properties": {"AutoScalingGroupName": {"Ref": "@p@GroupASG"}, "PolicyType": "TargetTrackingScaling",
                  "TargetTrackingConfiguration": {"TargetValue": 20, "CustomizedMetricSpecification": {"Metrics": [
                    {"Id": "m1", "MetricStat": {"Metric": {"Namespace": "AWS/SQS", "MetricName": "ApproximateNumberOfMessagesVisible"}, "Stat": "Sum"}, "ReturnData": false},
                    {"Id": "m2", "MetricStat": {"Metric": {"Namespace": "AWS/AutoScaling", "MetricName": "GroupInServiceInstances",
                      "Dimensions": [{"Name": "AutoScalingGroupName", "Value": {"Ref": "@p@GroupASG"}}]}, "Stat": "Average"}, "ReturnData": false},
                    {"Id": "e1", "Expression": "m1 / m2", "ReturnData": true}]}}}}
                """.Replace("@p@", System.Convert.ToString(p, System.Globalization.CultureInfo.InvariantCulture), System.StringComparison.Ordinal));
        }
        return "{\"Resources\": {" + string.Join(",\n", resources) + "}}";
    }

    /// <summary>A working day from Monday 00:00 UTC in 30-minute steps, a little different for every group.</summary>
    public static string Profile()
    {
        var text = new StringBuilder("minutes: 1440\nstart: 2026-01-05T00:00:00Z\nservices:\n");
        for (var i = 0; i < Services; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"  {Key("svc", i)}:\n");
            for (var step = 0; step < 48; step++)
                text.Append(CultureInfo.InvariantCulture, $"    - {{ at: {step * 30}, requestsPerSecond: {Math.Round(100 + 600 * Math.Max(0, Math.Sin((step - 12 + i % 5) * Math.PI / 24)))} }}\n");
        }
        text.Append("workers:\n");
        for (var i = 0; i < Workers; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"  {Key("job", i)}:\n");
            for (var step = 0; step < 48; step++)
                text.Append(CultureInfo.InvariantCulture, $"    - {{ at: {step * 30}, messagesPerSecond: {(0.2 + 1.5 * Math.Max(0, Math.Sin((step - 12 + i % 3) * Math.PI / 24))).ToString("0.###", CultureInfo.InvariantCulture)} }}\n");
        }
        return text.ToString();
    }

    [Fact]
    public void A_day_for_every_group_of_a_forty_service_environment_takes_under_two_seconds()
    {
        var services = Enumerable.Range(0, Services).Select(i => Key("svc", i)).ToArray();
        var workers = Enumerable.Range(0, Workers).Select(i => Key("job", i)).ToArray();
        var templateText = Template();
        var profileText = Profile();
        WriteBenchInputs(templateText, profileText, services, workers);

        var prices = PriceTable.Default;
        Measured Once()
        {
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var wall = Stopwatch.StartNew();
            var templates = TemplateReader.Read(TemplateDocument.Parse(templateText, "Backend-Prod.template.json"), "Backend-Prod", services, workers);
            var profile = TrafficProfile.Parse(profileText, "day.yaml");
            profile.CheckAgainst("prod", services, workers);
            var run = SimulationRun.Simulate("prod", templates, profile,
                (kind, _) => new GroupCapacity(kind == GroupKind.Service ? 150 : 1.0 / 6), prices);
            var json = SimulationReports.Json(run);
            var markdown = SimulationReports.Markdown(run, ".");
            return new Measured(run, json.Length, markdown.Length, wall.Elapsed, Process.GetCurrentProcess().TotalProcessorTime - cpu);
        }

        var cold = Once();   // includes compiling the code on first use
        var warm = Once();
        var charts = Directory.CreateTempSubdirectory("sb-sim-charts-").FullName;
        var chartClock = Stopwatch.StartNew();
        foreach (var (simulation, _) in warm.Run.Groups.Take(5))
            ScalingChart.Save(simulation, Path.Combine(charts, SimulationReports.ChartFileName(simulation.Group)));
        var fiveCharts = chartClock.Elapsed;
        Directory.Delete(charts, true);

        output.WriteLine($"{warm.Run.Groups.Count} groups × {warm.Run.Profile.Minutes} min, read + simulate + JSON ({warm.Json / 1024} KiB) + Markdown: "
            + $"first run {cold.Wall.TotalMilliseconds:0} ms wall / {cold.Cpu.TotalMilliseconds:0} ms CPU, second {warm.Wall.TotalMilliseconds:0} ms wall / {warm.Cpu.TotalMilliseconds:0} ms CPU; "
            + $"5 charts {fiveCharts.TotalMilliseconds:0} ms wall");
        Assert.Equal(Services + Workers, warm.Run.Groups.Count);
        Assert.True(warm.Markdown > 0);
        // CPU time, not wall time: the shared machine's load must not fail the test; the assembly runs one test at a time.
        Assert.True(warm.Cpu < TimeSpan.FromSeconds(2), $"took {warm.Cpu.TotalMilliseconds:0} ms of CPU");
    }

    private sealed record Measured(SimulationRun Run, int Json, int Markdown, TimeSpan Wall, TimeSpan Cpu);

    private static void WriteBenchInputs(string template, string profile, string[] services, string[] workers)
    {
        if (System.Environment.GetEnvironmentVariable("SIMULATION_BENCH_DIR") is not { Length: > 0 } dir) return;
        Directory.CreateDirectory(Path.Combine(dir, "stacks"));
        Directory.CreateDirectory(Path.Combine(dir, "templates"));
        File.WriteAllText(Path.Combine(dir, "templates", "Backend-Prod.template.json"), template);
        File.WriteAllText(Path.Combine(dir, "day.yaml"), profile);
        var env = new StringBuilder("""
            region: us-east-1
            network:
              availabilityZones: [us-east-1a, us-east-1b]
              natGateways: 1
            logs:
              retentionDays: 30
            loadBalancer:
              allowPlainHttp: true
              deletionProtection: false
            services:

            """);
        for (var i = 0; i < services.Length; i++)
            env.Append(CultureInfo.InvariantCulture, $"  {services[i]}:\n    instanceType: m6i.large\n    routing: {{ priority: {100 + i}, pathPatterns: [\"/{services[i]}/*\"] }}\n    minCapacity: 2\n    maxCapacity: 20\n    capacity: 150\n    scaling: {{ cpuTargetPercent: 60 }}\n");
        env.Append("queues:\n");
        foreach (var w in workers) env.Append(CultureInfo.InvariantCulture, $"  {w}: {{ retentionPeriod: 1d, consumerTimeout: 1m, visibilityTimeout: 2m, maxReceiveCount: 5 }}\n");
        env.Append("workers:\n");
        foreach (var w in workers)
            env.Append(CultureInfo.InvariantCulture, $"  {w}: {{ instanceType: m6i.large, queue: {w}, minCapacity: 1, maxCapacity: 12, acceptableLatency: 2m, averageProcessingTime: 6s }}\n");
        File.WriteAllText(Path.Combine(dir, "stacks", "prod.yaml"), env.ToString());
    }
}
