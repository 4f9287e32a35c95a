using System.Text.Json.Nodes;
using ScalableBackend.Infra.Preview;

namespace ScalableBackend.Infra.Tests;

/// <summary>
/// The preview's acceptance tests over hand-written base/head templates. Each run starts one Node.js process
/// (the diff library), so the cases are few.
/// </summary>
public sealed class DiffCommandTests
{
    private static CliResult Diff(string head, params string[] extra)
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
        Assert.Contains($"SB-DIFF-001 STATEFUL: {resource} ({type}) will be replaced: {property} in Backend-Prod", output);
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
        Assert.Contains("Db (AWS::RDS::DBInstance) will be deleted: removed from the template", deleteOutput);
    }

    /// <summary>The base fixture cut into two stacks of a split environment: Data (queue, database, cache) and Service-Api (the rest), the service importing the queue's ARN.</summary>
    private static (string Data, string Service) Split(Action<JsonObject>? editData = null, Action<JsonObject>? editService = null)
    {
        var data = new[] { "Queue", "DbSubnets", "Db", "Cache" };
        var all = JsonNode.Parse(Fixtures.Base)!["Resources"]!.AsObject();
        var dataResources = new JsonObject();
        var serviceResources = new JsonObject();
        foreach (var (id, resource) in all.ToArray())
            (data.Contains(id) ? dataResources : serviceResources)[id] = resource!.DeepClone();
        serviceResources["QueueAccess"]!["Properties"]!["PolicyDocument"]!["Statement"]![0]!["Resource"] = JsonNode.Parse("""{"Fn::ImportValue": "Backend-Prod-Data:QueueArn"}""");
        serviceResources["DbIngress"]!["Properties"]!["GroupId"] = "sg-db";
        editData?.Invoke(dataResources);
        editService?.Invoke(serviceResources);
        var dataTemplate = new JsonObject
        {
            ["Resources"] = dataResources,
            ["Outputs"] = JsonNode.Parse("""{"QueueArn": {"Value": {"Fn::GetAtt": ["Queue", "Arn"]}, "Export": {"Name": "Backend-Prod-Data:QueueArn"}}}"""),
        };
        return (dataTemplate.ToJsonString(), new JsonObject { ["Resources"] = serviceResources }.ToJsonString());
    }

    private static CliResult DiffDirs(Action<string> writeBase, Action<string> writeHead, params string[] extra)
    {
        using var cli = new CliRunner();
        var baseDir = Directory.CreateDirectory(Path.Combine(cli.OutDir, "base")).FullName;
        var headDir = Directory.CreateDirectory(Path.Combine(cli.OutDir, "head")).FullName;
        writeBase(baseDir);
        writeHead(headDir);
        return cli.Run(["diff", "--env", "prod", "--base", baseDir, "--head", headDir, .. extra]);
    }

    private static void WriteSplit(string dir, (string Data, string Service) split, string serviceStack = "Backend-Prod-Service-Api")
    {
        File.WriteAllText(Path.Combine(dir, "Backend-Prod-Data.template.json"), split.Data);
        File.WriteAllText(Path.Combine(dir, $"{serviceStack}.template.json"), split.Service);
    }

    [Fact]
    public void StacksAreMatchedByNameANewStackIsAdditionsAndARemovedOneDeletesEverythingInIt()
    {
        var withLogs = Split(editService: r => r["ApiLogs"] = JsonNode.Parse("""{"Type": "AWS::Logs::LogGroup", "Properties": {"RetentionInDays": 7}}"""));
        var result = DiffDirs(b => WriteSplit(b, withLogs), h => WriteSplit(h, Split(), "Backend-Prod-Service-Web"), "--format", "markdown");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("| Backend-Prod-Service-Web (new stack) |", result.StdOut);
        Assert.Contains("| Backend-Prod-Service-Api (removed stack: everything in it is deleted) |", result.StdOut);
        Assert.Contains("`ApiLogs` (AWS::Logs::LogGroup) will be deleted: removed from the template", result.StdOut);
        Assert.Contains("| Backend-Prod: 1 stack(s) unchanged |", result.StdOut);     // Data did not change

        // Acknowledged in a remaining stack's template metadata, naming the removed stack: passes.
        var acknowledged = Split(editData: _ => { });
        var data = JsonNode.Parse(acknowledged.Data)!.AsObject();
        data["Metadata"] = JsonNode.Parse("""{"ScalableBackend": {"Acknowledgements": [{"Rule": "SB-DIFF-001", "Resource": "ApiLogs", "Stack": "Backend-Prod-Service-Api", "Reason": "the api's logs are archived"}]}}""");
        var passing = DiffDirs(b => WriteSplit(b, withLogs), h => WriteSplit(h, (data.ToJsonString(), acknowledged.Service), "Backend-Prod-Service-Web"));
        Assert.Equal(0, passing.ExitCode);
        Assert.Contains("acknowledged SB-DIFF-001: Backend-Prod-Service-Api ApiLogs", passing.Console);
    }

    [Fact]
    public void ABaseFromBeforeTheSplitIsComparedWithTheHeadsStacksTogether()
    {
        var unchanged = DiffDirs(b => File.WriteAllText(Path.Combine(b, "Backend-Prod.template.json"), Fixtures.Base), h => WriteSplit(h, Split()));
        Assert.Equal(0, unchanged.ExitCode);
        Assert.Contains("Backend-Prod (base from before the stack split: compared with all of the head's stacks together)", unchanged.Console);
        Assert.DoesNotContain("STATEFUL", unchanged.Console);

        var replaced = DiffDirs(b => File.WriteAllText(Path.Combine(b, "Backend-Prod.template.json"), Fixtures.Base),
            h => WriteSplit(h, Split(editData: r => r.Props("Queue")["FifoQueue"] = true)));
        Assert.Equal(1, replaced.ExitCode);
        Assert.Contains("SB-DIFF-001 STATEFUL: Queue (AWS::SQS::Queue) will be replaced: FifoQueue", replaced.Console);
    }
}
