using System.Text.Json.Nodes;

namespace ScalableBackend.Infra.Tests;

/// <summary>
/// The stack size guard's warning (a stack at 400 resources or more, 80% of CloudFormation's 500) reaches the person
/// running a verb (synth, check, plan, cost, diff): on standard error, and in <c>check --format json</c>'s document.
/// </summary>
public sealed class SizeWarningTests
{
    /// <summary>
    /// The tiny environment with 58 queues: each puts 7 resources in the Data stack (key, queue, dead-letter queue, two
    /// policies, two alarms), 406 in all — past the warning, under the limit.
    /// </summary>
    private static string WithQueues(int count) => CliRunner.TinyEnvironment + "\nqueues:\n" + string.Concat(
        Enumerable.Range(1, count).Select(i => $"  q{i:D2}:\n    producers: [api]\n"));

    [Fact]
    public void CheckPrintsTheWarningOnStandardErrorAndInItsJson()
    {
        using var cli = new CliRunner().WithEnvironment("dev", WithQueues(58));
        var result = cli.Run("check", "--env", "dev", "--out", cli.OutDir, "--format", "json");

        Assert.Contains("warning: Backend-Dev-Data holds 406 resources, 81% of CloudFormation's 500; the biggest contributors:", result.StdErr);
        var warnings = JsonNode.Parse(result.StdOut)!["warnings"]!.AsArray();
        var warning = Assert.Single(warnings)!;
        Assert.Equal("dev", (string?)warning["environment"]);
        Assert.StartsWith("Backend-Dev-Data holds 406 resources", (string?)warning["message"]);

        // synth writes one cloud assembly (not through SynthesizedEnvironment): the guard's annotation in its manifest.
        var synth = cli.Run("synth", "--env", "dev", "--out", cli.OutDir, "--quiet");
        Assert.Equal(0, synth.ExitCode);
        Assert.Contains("warning: Backend-Dev-Data holds 406 resources, 81% of CloudFormation's 500", synth.StdErr);
    }
}
