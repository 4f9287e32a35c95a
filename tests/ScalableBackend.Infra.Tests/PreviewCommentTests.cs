using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ScalableBackend.Infra.Tests;

/// <summary>The pull-request comment stays within GitHub's limit whatever the change.</summary>
[Collection(SynthesizedCollection.Name)]
public sealed partial class PreviewCommentTests(Synthesized synthesized)
{
    /// <summary>What the preview workflow allows the comment (GitHub's limit is 65,536).</summary>
    private const int CommentLimit = 60_000;

    [GeneratedRegex(@"-- (?<verb>diff|plan)\b[^\n]*--max-chars (?<n>\d+)")]
    private static partial Regex Budgeted();

    [GeneratedRegex(@"head -c (?<n>\d+)")]
    private static partial Regex LiveBudget();

    private static (int Diff, int Plan, int Live) WorkflowBudgets()
    {
        var workflow = File.ReadAllText(Path.Combine(CliRunner.RepositoryRoot, ".github", "workflows", "preview.yml")).Replace("\n          --", " --");
        var budgets = Budgeted().Matches(workflow).ToDictionary(m => m.Groups["verb"].Value, m => int.Parse(m.Groups["n"].Value));
        return (budgets["diff"], budgets["plan"], int.Parse(LiveBudget().Match(workflow).Groups["n"].Value));
    }

    [Fact]
    public void TheWorkflowsBudgetsAddUpToLessThanTheLimit()
    {
        var (diff, plan, live) = WorkflowBudgets();
        Assert.True(diff + plan + live + 1_000 < CommentLimit, $"{diff} + {plan} + {live}");
    }

    /// <summary>
    /// The largest realistic change: every stack of every environment is new (an empty base), and, against the
    /// real base, every dashboard body rewritten (the long escaped JSON that filled the comment before).
    /// </summary>
    [Theory]
    [InlineData("everything new")]
    [InlineData("every dashboard and queue changed")]
    public void TheCommentStaysWithinBudgetAndTheFullReportIsComplete(string change)
    {
        var (diffBudget, planBudget, _) = WorkflowBudgets();
        using var cli = new CliRunner(Path.Combine(CliRunner.RepositoryRoot, "stacks"));
        var baseDir = Directory.CreateDirectory(Path.Combine(cli.OutDir, "base")).FullName;
        var headDir = Synthesized.Copy(synthesized.RepositoryDir, Path.Combine(cli.OutDir, "head"));
        if (change != "everything new")
        {
            Synthesized.Copy(synthesized.RepositoryDir, baseDir);
            foreach (var file in Directory.GetFiles(headDir, "*.template.json"))
            {
                var template = JsonNode.Parse(File.ReadAllText(file))!;
                foreach (var (_, resource) in template["Resources"]!.AsObject())
                {
                    if ((string?)resource!["Type"] == "AWS::CloudWatch::Dashboard")
                        resource["Properties"]!["DashboardBody"] = "{\"widgets\":[" + string.Join(",", Enumerable.Range(0, 400).Select(i => $"{{\"type\":\"metric\",\"x\":{i},\"properties\":{{\"title\":\"changed {i}\"}}}}")) + "]}";
                    if ((string?)resource["Type"] == "AWS::SQS::Queue")
                        resource["Properties"]!["FifoQueue"] = true;
                }
                File.WriteAllText(file, template.ToJsonString());
            }
        }
        var diffFile = Path.Combine(cli.OutDir, "diff.md");
        var fullDiff = Path.Combine(cli.OutDir, "diff-full.md");
        var planFile = Path.Combine(cli.OutDir, "plan.md");
        var diff = cli.Run("diff", "--base", baseDir, "--head", headDir, "--format", "markdown", "--max-chars", $"{diffBudget}", "--output", diffFile, "--full-output", fullDiff);
        Assert.True(diff.StdErr == "", diff.StdErr);
        var plan = cli.Run("plan", "--template", Path.Combine(headDir, "Backend-*.template.json"), "--format", "markdown", "--max-chars", $"{planBudget}", "--output", planFile);
        Assert.True(plan.StdErr == "", plan.StdErr);

        var comment = "<!-- scalable-backend-preview -->\n" + File.ReadAllText(diffFile) + "\n" + File.ReadAllText(planFile);
        Assert.True(comment.Length < CommentLimit, $"{comment.Length} characters");
        Assert.True(File.ReadAllText(fullDiff).Length >= File.ReadAllText(diffFile).Length);
        Assert.Contains("## Infrastructure diff", comment);
        Assert.Contains("## Plan", comment);
        if (change != "everything new")
        {
            Assert.Equal(1, diff.ExitCode);                            // replacing queues is guarded
            Assert.Contains("will be replaced: FifoQueue", comment);
            Assert.Contains("DashboardBody", File.ReadAllText(fullDiff));
        }
    }
}
