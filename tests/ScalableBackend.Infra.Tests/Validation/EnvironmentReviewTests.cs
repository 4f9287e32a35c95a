using System.Text.Json.Nodes;
using ScalableBackend.Infra.Validation;
using ScalableBackend.Policies;

namespace ScalableBackend.Infra.Tests.Validation;

/// <summary>
/// The two reviewers issue 13 names, over every stack of the repository's dev, staging and prod (synthesized once per
/// run by <see cref="Synthesized"/>): AWS's CloudFormation validator finds nothing that would fail a deploy, and
/// cdk-nag's AwsSolutions pack finds nothing that is not suppressed on its resource with a reason.
/// </summary>
[Collection(SynthesizedCollection.Name)]
public sealed class EnvironmentReviewTests(Synthesized synthesized)
{
    private static readonly string[] Environments = ["Dev", "Staging", "Prod"];

    private IReadOnlyList<string> Templates()
    {
        var templates = Directory.GetFiles(synthesized.RepositoryDir, "Backend-*.template.json").Order(StringComparer.Ordinal).ToArray();
        // Every environment's platform, edge and operations stacks at least: the review covers all three files.
        foreach (var env in Environments)
            foreach (var tier in new[] { "Platform", "Edge", "Operations" })
                Assert.Contains(templates, t => Path.GetFileName(t) == $"Backend-{env}-{tier}.template.json");
        return templates;
    }

    [Fact]
    public void Cdk_nag_AwsSolutions_leaves_no_finding_unsuppressed_in_any_environment()
    {
        var findings = CdkNag.Check(Templates());

        var open = findings.Where(f => !f.Suppressed)
            .Select(f => $"{Path.GetFileName(f.File)} {f.LogicalId} {f.RuleId}: {f.Message}").ToArray();
        Assert.True(open.Length == 0, $"{open.Length} unsuppressed cdk-nag finding(s):\n{string.Join("\n", open)}");
        // cdk-nag did run over the stacks: the suppressed findings are there, each with the reason it was accepted for.
        Assert.Contains(findings, f => f.Rule == "AwsSolutions-IAM5");
        Assert.All(findings, f => Assert.False(string.IsNullOrWhiteSpace(f.Reason), $"{f.LogicalId} {f.RuleId} has no reason"));
    }

    [Fact]
    public void AWS_CloudFormation_validator_finds_nothing_fatal_or_erroneous_in_any_environment()
    {
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(synthesized.RepositoryDir, "manifest.json")))!["artifacts"]!.AsObject();
        string? RegionOf(string template) =>
            ((string?)manifest[Path.GetFileName(template).Replace(".template.json", "", StringComparison.Ordinal)]?["environment"])?.Split('/').Last();
        var templates = Templates().Select(t => (t, RegionOf(t))).ToArray();
        Assert.All(templates, t => Assert.Matches("^[a-z]{2}-[a-z]+-[0-9]$", t.Item2));

        var blocking = CloudFormationValidator.Validate(templates).Where(f => f.Severity == Severity.Error) // acknowledged or not
            .Select(f => $"{Path.GetFileName(f.File)} {f.LogicalId} {f.RuleId}: {f.Message}").ToArray();

        Assert.True(blocking.Length == 0, $"{blocking.Length} FATAL/ERROR finding(s):\n{string.Join("\n", blocking)}");
    }
}
