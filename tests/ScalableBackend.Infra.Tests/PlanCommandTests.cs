namespace ScalableBackend.Infra.Tests;

public sealed class PlanCommandTests
{
    [Fact]
    public void MarkdownHasADetailsSectionWithSummaryPolicyCostTableAndMermaidPerEnvironment()
    {
        using var cli = new CliRunner().WithEnvironment("dev");
        var file = Path.Combine(cli.OutDir, "plan.md");
        var (code, _, stdout) = cli.Run("plan", "--env", "dev", "--out", cli.OutDir, "--format", "markdown", "--output", file);

        Assert.Equal(0, code);
        Assert.Equal("", stdout);
        var markdown = File.ReadAllText(file);
        Assert.Contains("<details><summary><b>Backend-Dev</b>", markdown);
        Assert.Contains("| ServiceApi |", markdown);                 // resources by component, from aws:cdk:path
        Assert.Contains("**Policy: pass**", markdown);
        Assert.Contains("| EC2 instances | 1 | $7.59 | $15.18 |", markdown); // 1–2 × t3.micro at $0.0104/h × 730 h
        Assert.Contains("| **Total** |", markdown);
        Assert.Contains("```mermaid\nflowchart LR", markdown);
        Assert.Contains("c_LoadBalancer --> c_ServiceApi", markdown);
        Assert.Contains("</details>", markdown);

        // The same template priced as it is, without synthesizing again.
        var (costCode, costOutput, _) = cli.Run("cost", "--template", Path.Combine(cli.OutDir, "Backend-Dev.template.json"));
        Assert.Equal(0, costCode);
        Assert.Contains("NAT gateways", costOutput);
        Assert.Contains("$15.18", costOutput);
    }

    [Fact]
    public void AnUnknownFormatIsRejected()
    {
        using var cli = new CliRunner();
        var (code, output, _) = cli.Run("plan", "--format", "html");
        Assert.NotEqual(0, code);
        Assert.Contains("--format = html must be one of table, markdown", output);
    }
}
