using System.Text.Json.Nodes;

namespace ScalableBackend.Infra.Tests;

[Collection(SynthesizedCollection.Name)]
public sealed class PlanCommandTests(Synthesized synthesized)
{
    [Fact]
    public void MarkdownHasARowPerStackAndADetailsSectionWithPolicyCostAndMermaidPerEnvironment()
    {
        using var cli = new CliRunner().WithEnvironment("dev");
        var file = Path.Combine(cli.OutDir, "plan.md");
        var (code, _, stdout) = cli.Run("plan", "--env", "dev", "--out", cli.OutDir, "--format", "markdown", "--output", file);

        Assert.Equal(0, code);
        Assert.Equal("", stdout);
        var markdown = File.ReadAllText(file);
        foreach (var template in Directory.GetFiles(cli.OutDir, "Backend-Dev*.template.json"))
        {
            var stack = Path.GetFileName(template).Replace(".template.json", "");
            var shortName = stack == "Backend-Dev" ? stack : stack["Backend-Dev-".Length..];
            Assert.Contains($"| Backend-Dev | {shortName} |", markdown);
        }
        Assert.Contains("<details><summary><b>Backend-Dev</b>", markdown);
        Assert.Contains("**Policy: pass**", markdown);
        Assert.Contains("| EC2 instances | 1 | $7.59 | $15.18 |", markdown); // 1–2 × t3.micro at $0.0104/h × 730 h
        Assert.Contains("| **Total** |", markdown);
        Assert.Contains("```mermaid\nflowchart LR", markdown);
        Assert.Contains("</details>", markdown);
        Assert.Contains("us-east-1 prices — the table has none for eu-west-1", markdown);
    }

    [Fact]
    public void CostPricesTheTemplatesAsTheyAreAndSaysWhichRegionsPricesItUsed()
    {
        using var cli = new CliRunner();
        var (code, output, _) = cli.Run(["cost", "--template", .. synthesized.TinyTemplates]);
        Assert.Equal(0, code);
        Assert.Contains("NAT gateways", output);
        Assert.Contains("$15.18", output);
        Assert.Contains("Backend-Dev: ", output);
        Assert.Contains("us-east-1 prices — the table has none for eu-west-1, where prices differ", output);

        var (_, quiet, _) = cli.Run(["cost", "--quiet", "--template", .. synthesized.TinyTemplates]);
        Assert.Single(quiet.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void TheRepositorysEnvironmentsPlanPerStack()
    {
        using var cli = new CliRunner(Path.Combine(CliRunner.RepositoryRoot, "stacks"));
        var (_, _, stdout) = cli.Run(["check", "--format", "json", "--template", Path.Combine(synthesized.RepositoryDir, "Backend-*.template.json")]);
        var stacks = JsonNode.Parse(stdout)!["findings"]!.AsArray().Select(f => (string?)f!["stack"]).Distinct().ToArray();
        Assert.Contains(stacks, s => s!.StartsWith("Backend-Prod", StringComparison.Ordinal));
        Assert.Contains(stacks, s => s!.StartsWith("Backend-Dev", StringComparison.Ordinal));
    }

    /// <summary>
    /// Prod's file gives no hosted zone, so the records the API and the load balancer need are the deployer's job:
    /// the plan lists them from the Edge stack's DnsRecord outputs, deploy-time values written as &lt;LogicalId.Attribute&gt;.
    /// </summary>
    [Fact]
    public void ThePlanListsTheDnsRecordsProdsStacksNeedButCannotCreate()
    {
        using var cli = new CliRunner(Path.Combine(CliRunner.RepositoryRoot, "stacks"));
        var file = Path.Combine(cli.OutDir, "plan.md");
        var prod = Directory.GetFiles(synthesized.RepositoryDir, "Backend-Prod-*.template.json");
        var (code, _, _) = cli.Run(["plan", "--format", "markdown", "--output", file, "--template", .. prod]);

        Assert.Equal(0, code);
        var markdown = File.ReadAllText(file);
        Assert.Contains("#### DNS records to create by hand", markdown);
        Assert.Matches(@"\| Backend-Prod-Edge \| `api\.example\.com CNAME <ApiDomain[0-9A-F]{8}\.RegionalDomainName>` \| Create this DNS record by hand", markdown);
        Assert.Matches(@"\| Backend-Prod-Edge \| `origin\.example\.com CNAME <LoadBalancer[0-9A-F]{8}\.DNSName>` \|", markdown);
    }
}
