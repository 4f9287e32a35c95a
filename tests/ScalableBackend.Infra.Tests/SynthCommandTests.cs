using System.Text.Json.Nodes;

namespace ScalableBackend.Infra.Tests;

[Collection(SynthesizedCollection.Name)]
public sealed class SynthCommandTests(Synthesized synthesized)
{
    private static IReadOnlyList<string> ManifestStacks(string dir) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "manifest.json")))!["artifacts"]!.AsObject()
            .Where(a => (string?)a.Value!["type"] == "aws:cloudformation:stack").Select(a => a.Key).Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public void WritesEveryStacksTemplateAndTheManifestCdkDeployReads()
    {
        var stacks = ManifestStacks(synthesized.TinyDir);
        Assert.NotEmpty(stacks);
        Assert.All(stacks, s => Assert.StartsWith("Backend-Dev", s));
        Assert.Equal(stacks, synthesized.TinyTemplates.Select(f => Path.GetFileName(f).Replace(".template.json", "")).ToArray());
        Assert.Contains(synthesized.TinyTemplates, f => File.ReadAllText(f).Contains("\"AWS::AutoScaling::AutoScalingGroup\""));
        Assert.Empty(Directory.GetFiles(synthesized.TinyDir, "*.partial", SearchOption.AllDirectories));
    }

    [Fact]
    public void PrintsOneSummaryRowPerStackAndTheDeployCommand()
    {
        foreach (var stack in ManifestStacks(synthesized.TinyDir))
            Assert.Contains($"│ {stack} ", synthesized.SynthOutput);
        Assert.Contains("npx cdk deploy --app", synthesized.SynthOutput);
        Assert.DoesNotContain("AWS::ElasticLoadBalancingV2::LoadBalancer", synthesized.SynthOutput); // types only with --verbose
    }

    [Fact]
    public void EveryRepositoryEnvironmentIsInOneManifest()
    {
        var stacks = ManifestStacks(synthesized.RepositoryDir);
        foreach (var prefix in new[] { "Backend-Dev", "Backend-Staging", "Backend-Prod" })
            Assert.Contains(stacks, s => s == prefix || s.StartsWith(prefix + "-", StringComparison.Ordinal));
    }

    [Fact]
    public void NpxCdkLsListsEveryStackOfTheAssembly()
    {
        var cdk = Path.Combine(CliRunner.RepositoryRoot, "node_modules", ".bin", "cdk");
        Assert.True(File.Exists(cdk), "the CDK CLI is missing: run `npm ci` in the repository root (README's test command does)");
        var (code, stdout, stderr) = Processes.Run(cdk, ["ls", "--app", synthesized.RepositoryDir, "--no-notices", "--no-version-reporting"],
            new Dictionary<string, string> { ["CDK_DISABLE_CLI_TELEMETRY"] = "true" }, Path.GetTempPath());
        Assert.True(code == 0, stderr);
        var listed = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(ManifestStacks(synthesized.RepositoryDir), listed.Order(StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public void VerboseAddsResourceTypesAndStaleStacksOfTheEnvironmentAreRemoved()
    {
        using var cli = new CliRunner().WithEnvironment("dev");
        var stale = Path.Combine(cli.OutDir, "Backend-Dev-Service-Gone.template.json");
        var otherEnvironment = Path.Combine(cli.OutDir, "Backend-Prod-Data.template.json");
        File.WriteAllText(stale, "{}");
        File.WriteAllText(otherEnvironment, "{}");
        var (code, output, _) = cli.Run("synth", "--env", "dev", "--out", cli.OutDir, "--verbose");
        Assert.Equal(0, code);
        Assert.Contains("AWS::ElasticLoadBalancingV2::LoadBalancer", output);
        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(otherEnvironment));
    }

    [Fact]
    public void AnInvalidFileExitsOneWithOneClearMessageOnStandardErrorAndLeavesThePreviousOutputIntact()
    {
        using var cli = new CliRunner().WithEnvironment("dev", CliRunner.TinyEnvironment.Replace("maxCapacity: 2", "maxCapacity: 0"));
        var previous = Path.Combine(cli.OutDir, "Backend-Dev-Platform.template.json");
        File.WriteAllText(previous, "{\"previous\":true}");

        var result = cli.Run("synth", "--env", "dev", "--out", cli.OutDir);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Console);
        Assert.StartsWith("error: ", result.StdErr);
        Assert.Contains("dev.yaml: services.api.maxCapacity = 0 must be >= minCapacity (1) and at least 1", result.StdErr);
        Assert.DoesNotContain("   at ", result.StdErr);
        Assert.Equal("{\"previous\":true}", File.ReadAllText(previous));
    }

    [Theory]
    [InlineData("synth")]
    [InlineData("check")]
    [InlineData("cost")]
    [InlineData("plan")]
    [InlineData("diff", "--base", ".")]
    public void AnUnknownEnvironmentIsTheSameClearErrorForEveryVerb(string verb, params string[] extra)
    {
        using var cli = new CliRunner();
        var result = cli.Run([verb, "--env", "qa", .. extra]);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("error: --env = qa is not an environment; allowed: dev, staging, prod, all", result.StdErr);
    }

    [Fact]
    public void AMissingEnvironmentFileIsAClearError()
    {
        using var cli = new CliRunner();
        var result = cli.Run("synth", "--env", "prod", "--out", cli.OutDir);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("prod.yaml: does not exist", result.StdErr);
    }

    [Fact]
    public void WithCdkOutdirAndNoArgumentsItSynthesizesEveryStackOfEveryEnvironmentAsTheCdkCliExpects()
    {
        using var cli = new CliRunner().WithEnvironment("dev").WithEnvironment("staging").WithEnvironment("prod");
        System.Environment.SetEnvironmentVariable("CDK_OUTDIR", cli.OutDir);
        try
        {
            var (code, _, _) = cli.Run();
            Assert.Equal(0, code);
        }
        finally
        {
            System.Environment.SetEnvironmentVariable("CDK_OUTDIR", null);
        }
        var stacks = ManifestStacks(cli.OutDir);
        foreach (var prefix in new[] { "Backend-Dev", "Backend-Staging", "Backend-Prod" })
        {
            var mine = stacks.Where(s => s == prefix || s.StartsWith(prefix + "-", StringComparison.Ordinal)).ToArray();
            Assert.NotEmpty(mine);
            Assert.All(mine, s => Assert.True(File.Exists(Path.Combine(cli.OutDir, $"{s}.template.json")), s));
        }
    }
}
