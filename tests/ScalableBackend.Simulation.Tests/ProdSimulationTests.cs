using System.Text.Json.Nodes;
using ScalableBackend.Infra;
using ScalableBackend.Stacks;
using ScalableBackend.Stacks.Config;
using Spectre.Console.Testing;

namespace ScalableBackend.Simulation.Tests;

/// <summary>The real prod environment, synthesized once for the class.</summary>
public sealed class ProdTemplates : IDisposable
{
    /// <summary>Where prod's templates are.</summary>
    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("sb-sim-prod-").FullName;

    /// <summary>Synthesizes prod.</summary>
    public ProdTemplates()
    {
        System.Environment.SetEnvironmentVariable("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20");
        BackendSynthesizer.Synthesize(EnvironmentLoader.Load("prod"), Directory);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        try { System.IO.Directory.Delete(Directory, true); } catch (IOException) { }
    }
}

/// <summary><c>simulate --env prod</c> with the shipped spike profile, through the CLI.</summary>
public sealed class ProdSimulationTests(ProdTemplates prod) : IClassFixture<ProdTemplates>
{
    private static string Profile(string name) => Path.Combine(AppContext.BaseDirectory, "Simulation", "profiles", name);

    private (int Code, string Console, string StdOut, string Out) Simulate(params string[] extra)
    {
        var outDir = Directory.CreateTempSubdirectory("sb-sim-out-").FullName;
        var console = new TestConsole().Width(250);
        var stdout = new StringWriter();
        var previous = System.Console.Out;
        System.Console.SetOut(stdout);
        try
        {
            var code = Cli.Run(["simulate", "--env", "prod", "--templates", prod.Directory, "--out", outDir, .. extra], console);
            return (code, console.Output, stdout.ToString(), outDir);
        }
        finally
        {
            System.Console.SetOut(previous);
        }
    }

    [Fact]
    public void Every_group_of_prod_gets_a_timeline_a_summary_and_a_chart()
    {
        var (code, console, stdout, outDir) = Simulate("--profile", Profile("spike.yaml"), "--format", "json");

        Assert.True(code == 0, console);
        var run = JsonNode.Parse(stdout)!;
        var groups = run["groups"]!.AsArray();
        Assert.Equal(["api", "web", "billing", "shipping"], groups.Select(g => (string)g!["key"]!));
        foreach (var group in groups)
        {
            Assert.Equal(180, group!["timeline"]!.AsArray().Count);
            Assert.NotNull(group["summary"]!["instanceHours"]);
            Assert.NotNull(group["summary"]!["cost"]); // m6i.large is priced
            var chart = Path.Combine(outDir, $"{group["stack"]}-{group["group"]}.png");
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(chart).Take(4));
        }
        var api = groups[0]!;
        Assert.Equal(6, (int)api["timeline"]![0]!["desired"]!); // Monday 13:00 in Berlin: business hours' minimum
        Assert.Contains(api["notSimulated"]!.AsArray(), r => ((string)r!).Contains("LatencyP99Ms", StringComparison.Ordinal));
        Assert.Contains(api["notSimulated"]!.AsArray(), r => ((string)r!).Contains("InFlightRequests", StringComparison.Ordinal));
        Assert.Equal(stdout, File.ReadAllText(Path.Combine(outDir, "simulation.json")));
    }

    [Fact]
    public void The_markdown_report_is_one_table_for_a_pull_request()
    {
        var (code, console, stdout, _) = Simulate("--profile", Profile("diurnal.yaml"), "--format", "markdown", "--no-charts");

        Assert.True(code == 0, console);
        Assert.StartsWith("## Scaling rehearsal — prod, profile `diurnal.yaml`", stdout, StringComparison.Ordinal);
        // One row per group, whichever stack holds it (Backend-Prod, or Backend-Prod-Service-Api after the split).
        foreach (var key in new[] { "api (service)", "web (service)", "billing (worker)", "shipping (worker)" })
            Assert.Matches($@"\| Backend-Prod[-A-Za-z]* \| {System.Text.RegularExpressions.Regex.Escape(key)} \|", stdout);
        Assert.Contains("ScheduledActionBatchNightlyStart", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void A_profile_naming_an_unknown_service_stops_with_one_line()
    {
        var file = Path.Combine(Path.GetTempPath(), $"sb-sim-bad-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(file, "minutes: 10\nservices:\n  payments: [{ at: 0, requestsPerSecond: 1 }]\n");
        try
        {
            var (code, console, _, _) = Simulate("--profile", file);
            Assert.Equal(1, code);
            Assert.Equal($"error: {file}: services.payments is not a service of prod; declared: api, web", console.Trim());
        }
        finally
        {
            File.Delete(file);
        }
    }
}
