using System.Text.Json.Nodes;
using ScalableBackend.Infra;
using Spectre.Console.Testing;

namespace ScalableBackend.Stacks.Tests;

/// <summary>
/// Issue 8's acceptance on the real templates: in a copy of Backend-Prod-*.template.json, a change that replaces a
/// queue, a database or a cache makes <c>diff --env prod</c> fail and name the resource; raising a group's MaxSize
/// does not. Each case starts one Node.js process (the CDK's diff library), so the cases are few.
/// </summary>
[Collection(EnvironmentCollection.Name)]
public sealed class ProdPreviewGuardTests(EnvironmentFixture environments)
{
    private (int Code, string Output) Diff(StackRole role, string? key, Func<JsonObject, string> edit)
    {
        var root = Directory.CreateTempSubdirectory("sb-preview-").FullName;
        var baseDir = Directory.CreateDirectory(Path.Combine(root, "base")).FullName;
        var headDir = Directory.CreateDirectory(Path.Combine(root, "head")).FullName;
        var changed = "";
        // Every stack of prod in both, matched by name; only the edited stack differs.
        foreach (var stack in environments.Prod.Stacks)
        {
            File.WriteAllText(Path.Combine(baseDir, stack.Identity.TemplateFileName), stack.Json.ToJsonString());
            var head = (JsonObject)stack.Json.DeepClone();
            if (stack.Identity.Role == role && stack.Identity.Key == key)
                changed = edit((JsonObject)head["Resources"]!);
            File.WriteAllText(Path.Combine(headDir, stack.Identity.TemplateFileName), head.ToJsonString());
        }
        var console = new TestConsole().Width(400);
        var code = Cli.Run(["diff", "--env", "prod", "--base", baseDir, "--head", headDir], console);
        return (code, changed + "\n" + console.Output.Replace("\n", ""));
    }

    private static string First(JsonObject resources, string type, Func<JsonObject, bool>? where = null) =>
        resources.First(r => (string?)r.Value!["Type"] == type && (where?.Invoke(r.Value.AsObject()) ?? true)).Key;

    private static JsonObject Props(JsonObject resources, string id) => resources[id]!["Properties"]!.AsObject();

    public static TheoryData<string, string, string> StatefulChanges => new()
    {
        { "AWS::SQS::Queue", "FifoQueue", "true" },
        { "AWS::RDS::DBInstance", "DBSubnetGroupName", "\"another-subnet-group\"" },
        { "AWS::ElastiCache::ReplicationGroup", "AtRestEncryptionEnabled", "false" },
    };

    [Theory]
    [MemberData(nameof(StatefulChanges))]
    public void AChangeThatReplacesAStatefulResourceFailsAndNamesIt(string type, string property, string value)
    {
        // Queues, databases and caches live in the data stack.
        var (code, output) = Diff(StackRole.Data, null, resources =>
        {
            // A queue that is not a dead-letter queue; a writer instance (it has the subnet group).
            var id = First(resources, type, r => type != "AWS::SQS::Queue" || r["Properties"]?["RedrivePolicy"] is not null);
            Props(resources, id)[property] = JsonNode.Parse(value);
            return id;
        });
        var id = output.Split('\n')[0];
        Assert.Equal(1, code);
        Assert.Contains($"{id} ({type}) will be replaced: {property}", output);
    }

    [Fact]
    public void RaisingAGroupsMaxSizePasses()
    {
        var (code, output) = Diff(StackRole.Service, "api", resources =>
        {
            var id = First(resources, "AWS::AutoScaling::AutoScalingGroup");
            Props(resources, id)["MaxSize"] = "40";
            return id;
        });
        Assert.True(code == 0, output);
        Assert.DoesNotContain("will be replaced", output);
    }
}
