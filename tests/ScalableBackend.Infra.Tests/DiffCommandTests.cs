using System.Text.Json.Nodes;
using ScalableBackend.Infra.Preview;

namespace ScalableBackend.Infra.Tests;

/// <summary>
/// The preview's acceptance tests over hand-written base/head templates. Each run starts one Node.js process
/// (the diff library), so the cases are few.
/// </summary>
public sealed class DiffCommandTests
{
    private static (int Code, string Console, string StdOut) Diff(string head, params string[] extra)
    {
        using var cli = new CliRunner();
        var baseDir = Directory.CreateDirectory(Path.Combine(cli.OutDir, "base")).FullName;
        var headDir = Directory.CreateDirectory(Path.Combine(cli.OutDir, "head")).FullName;
        File.WriteAllText(Path.Combine(baseDir, "Backend-Prod.template.json"), Fixtures.Base);
        File.WriteAllText(Path.Combine(headDir, "Backend-Prod.template.json"), head);
        return cli.Run(["diff", "--env", "prod", "--base", baseDir, "--head", headDir, .. extra]);
    }

    [Fact]
    public void TheDiffLibraryIsInstalled() =>
        Assert.True(TemplateDiffer.FindNodeModules() is not null,
            "@aws-cdk/cloudformation-diff is missing: run `npm ci` in the repository root before `dotnet test` (.ci/run does)");

    [Theory]
    [InlineData("Queue", "FifoQueue", "AWS::SQS::Queue")]
    [InlineData("Db", "DBSubnetGroupName", "AWS::RDS::DBInstance")]
    [InlineData("Cache", "AtRestEncryptionEnabled", "AWS::ElastiCache::ReplicationGroup")]
    public void AReplacementOfAStatefulResourceFailsAndNamesItAndTheProperty(string resource, string property, string type)
    {
        var head = Fixtures.Edit(r => r.Props(resource)[property] = property switch
        {
            "FifoQueue" => true,
            "DBSubnetGroupName" => "another-subnet-group",
            _ => false,
        });
        var (code, output, _) = Diff(head);
        Assert.Equal(1, code);
        Assert.Contains($"SB-DIFF-001 STATEFUL: {resource} ({type}) will be replaced: {property}", output.Replace("\n", ""));
    }

    [Fact]
    public void RaisingMaxSizePassesAndTheMarkdownCarriesTheCostDifference()
    {
        var head = Fixtures.Edit(r => r.Props("Group")["MaxSize"] = "10");
        var (code, _, stdout) = Diff(head, "--format", "markdown");
        Assert.Equal(0, code);
        Assert.Contains("MaxSize", stdout);
        Assert.Contains("✅ none", stdout);
        // 4 more t3.micro at $0.0104/h × 730 h = $30.37, plus 4 × 20 GiB gp3 at $0.08 = $6.40.
        Assert.Contains("| Maximum scale |", stdout);
        Assert.Contains("+$36.77", stdout);
        Assert.Contains("| Minimum scale |", stdout);
        Assert.Contains("+$0.00", stdout);
    }

    [Fact]
    public void AnAcknowledgedReplacementPassesAndADeletionFails()
    {
        var head = Fixtures.Edit(r =>
        {
            r.Props("Queue")["FifoQueue"] = true;
            r["Queue"]!.AsObject()["Metadata"]!.AsObject()["ScalableBackend"] = JsonNode.Parse(
                """{"Acknowledgements": [{"Rule": "SB-DIFF-001", "Reason": "orders need FIFO; the queue is drained before deploy"}]}""");
        });
        var (code, output, _) = Diff(head);
        Assert.Equal(0, code);
        Assert.Contains("acknowledged SB-DIFF-001", output);

        var (deleteCode, deleteOutput, _) = Diff(Fixtures.Edit(r => r.Remove("Db")));
        Assert.Equal(1, deleteCode);
        Assert.Contains("Db (AWS::RDS::DBInstance) will be deleted: removed from the template", deleteOutput.Replace("\n", ""));
    }
}
