namespace ScalableBackend.Infra.Tests;

public sealed class SynthCommandTests
{
    [Fact]
    public void WritesTheTemplateAndPrintsResourceCounts()
    {
        using var cli = new CliRunner().WithEnvironment("dev");
        var (code, output, _) = cli.Run("synth", "--env", "dev", "--out", cli.OutDir);
        Assert.Equal(0, code);
        var template = Path.Combine(cli.OutDir, "Backend-Dev.template.json");
        Assert.True(File.Exists(template));
        Assert.Contains("\"AWS::AutoScaling::AutoScalingGroup\"", File.ReadAllText(template));
        Assert.Contains("AWS::ElasticLoadBalancingV2::LoadBalancer", output);
        Assert.Contains("Total", output);
        Assert.Empty(Directory.GetFiles(cli.OutDir, "*.partial"));
    }

    [Fact]
    public void AnInvalidFileExitsOneWithOneClearMessageAndLeavesThePreviousOutputIntact()
    {
        using var cli = new CliRunner().WithEnvironment("dev", CliRunner.TinyEnvironment.Replace("maxCapacity: 2", "maxCapacity: 0"));
        var previous = Path.Combine(cli.OutDir, "Backend-Dev.template.json");
        File.WriteAllText(previous, "{\"previous\":true}");

        var (code, output, _) = cli.Run("synth", "--env", "dev", "--out", cli.OutDir);

        Assert.Equal(1, code);
        Assert.Contains("error: ", output);
        Assert.Contains("dev.yaml: services.api.maxCapacity = 0 must be >= minCapacity (1) and at least 1", output);
        Assert.DoesNotContain("   at ", output);
        Assert.Equal("{\"previous\":true}", File.ReadAllText(previous));
    }

    [Fact]
    public void AnUnknownEnvironmentIsAClearError()
    {
        using var cli = new CliRunner();
        var (code, output, _) = cli.Run("synth", "--env", "qa");
        Assert.Equal(1, code);
        Assert.Contains("qa is not an environment; allowed: dev, staging, prod, all", output);
    }

    [Fact]
    public void AMissingEnvironmentFileIsAClearError()
    {
        using var cli = new CliRunner();
        var (code, output, _) = cli.Run("synth", "--env", "prod", "--out", cli.OutDir);
        Assert.Equal(1, code);
        Assert.Contains("prod.yaml: does not exist", output);
    }

    [Fact]
    public void WithCdkOutdirAndNoArgumentsItSynthesizesEveryStackAsTheCdkCliExpects()
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
        Assert.True(File.Exists(Path.Combine(cli.OutDir, "manifest.json")));
        foreach (var stack in new[] { "Backend-Dev", "Backend-Staging", "Backend-Prod" })
            Assert.True(File.Exists(Path.Combine(cli.OutDir, $"{stack}.template.json")), stack);
    }
}
