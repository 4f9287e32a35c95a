using System.Text.Json.Nodes;
using ScalableBackend.Infra.Preview;
using ScalableBackend.Policies;

namespace ScalableBackend.Infra.Tests.Preview;

/// <summary>An environment's stacks as one template: imports resolved to the producer, shared ids renamed in the later stack.</summary>
public sealed class StackMergeTests
{
    private const string Data = """
        {
          "Metadata": { "ScalableBackend": { "Acknowledgements": [{ "Rule": "SB-DIFF-001", "Resource": "Old", "Reason": "moved" }] } },
          "Resources": {
            "Queue": { "Type": "AWS::SQS::Queue" },
            "Shared": { "Type": "AWS::SNS::Topic" }
          },
          "Outputs": {
            "QueueArn": { "Value": { "Fn::GetAtt": ["Queue", "Arn"] }, "Export": { "Name": { "Fn::Sub": "${AWS::StackName}:QueueArn" } } },
            "TopicArn": { "Value": { "Ref": "Shared" }, "Export": { "Name": "Backend-Prod-Data:TopicArn" } },
            "Unnamed": { "Value": "x", "Export": { "Name": { "Fn::Join": [":", ["a", "b"]] } } },
            "NotExported": { "Value": "y" }
          }
        }
        """;

    private const string Service = """
        {
          "Resources": {
            "Shared": { "Type": "AWS::IAM::Role" },
            "Policy": {
              "Type": "AWS::IAM::Policy",
              "DependsOn": ["Shared", "Other"],
              "Properties": {
                "Roles": [{ "Ref": "Shared" }],
                "Queue": { "Fn::ImportValue": "Backend-Prod-Data:QueueArn" },
                "Topic": { "Fn::ImportValue": "Backend-Prod-Data:TopicArn" },
                "Missing": { "Fn::ImportValue": "Backend-Prod-Data:Nothing" },
                "Nested": [{ "Arn": { "Fn::GetAtt": ["Shared", "Arn"] } }, { "Fn::ImportValue": { "Fn::Sub": "Backend-Prod-Data:QueueArn" } }]
              }
            },
            "Single": { "Type": "AWS::SQS::QueuePolicy", "DependsOn": "Shared" }
          }
        }
        """;

    private static TemplateDocument Merged => StackMerge.Merge("env.json",
    [
        ("Backend-Prod-Data", TemplateDocument.Parse(Data, "data.json")),
        ("Backend-Prod-Service-Api", TemplateDocument.Parse(Service, "service.json")),
    ]);

    private static JsonNode Props(string id) => Merged.GetResource(id)!.Node["Properties"]!;

    [Fact]
    public void One_stack_is_returned_as_it_is()
    {
        var only = TemplateDocument.Parse(Data, "data.json");

        Assert.Same(only, StackMerge.Merge("x.json", [("Backend-Prod-Data", only)]));
    }

    [Fact]
    public void Every_resource_is_kept_in_stack_order_and_a_shared_id_is_renamed_in_the_later_stack()
    {
        Assert.Equal("env.json", Merged.File);
        Assert.Equal(["Queue", "Shared", "Shared_BackendProdServiceApi", "Policy", "Single"], Merged.Resources.Select(r => r.LogicalId));
        Assert.Equal("AWS::SNS::Topic", Merged.GetResource("Shared")!.Type);
        Assert.Equal("AWS::IAM::Role", Merged.GetResource("Shared_BackendProdServiceApi")!.Type);
    }

    [Fact]
    public void References_and_dependencies_follow_the_renamed_id()
    {
        Assert.Equal("Shared_BackendProdServiceApi", (string?)Props("Policy")["Roles"]![0]!["Ref"]);
        Assert.Equal("Shared_BackendProdServiceApi", (string?)Props("Policy")["Nested"]![0]!["Arn"]!["Fn::GetAtt"]![0]);
        Assert.Equal(["Shared_BackendProdServiceApi", "Other"], Merged.GetResource("Policy")!.Node["DependsOn"]!.AsArray().Select(n => (string?)n));
        Assert.Equal("Shared_BackendProdServiceApi", (string?)Merged.GetResource("Single")!.Node["DependsOn"]);
    }

    [Fact]
    public void Imports_of_the_sets_exports_become_the_exported_value_others_stay()
    {
        Assert.Equal("""{"Fn::GetAtt":["Queue","Arn"]}""", Props("Policy")["Queue"]!.ToJsonString());
        Assert.Equal("""{"Ref":"Shared"}""", Props("Policy")["Topic"]!.ToJsonString());
        Assert.Equal("""{"Fn::ImportValue":"Backend-Prod-Data:Nothing"}""", Props("Policy")["Missing"]!.ToJsonString());
        Assert.Equal("""{"Fn::GetAtt":["Queue","Arn"]}""", Props("Policy")["Nested"]![1]!.ToJsonString());
    }

    [Fact]
    public void The_stacks_acknowledgements_are_kept_and_the_inputs_are_not_changed()
    {
        var data = TemplateDocument.Parse(Data, "data.json");
        var service = TemplateDocument.Parse(Service, "service.json");
        var merged = StackMerge.Merge("env.json", [("Backend-Prod-Data", data), ("Backend-Prod-Service-Api", service)]);

        Assert.Equal("Old", (string?)merged.Root["Metadata"]!["ScalableBackend"]!["Acknowledgements"]![0]!["Resource"]);
        Assert.Equal("Shared", (string?)service.GetResource("Policy")!.Node["Properties"]!["Roles"]![0]!["Ref"]);
        Assert.Equal("Backend-Prod-Data:QueueArn", (string?)service.GetResource("Policy")!.Node["Properties"]!["Queue"]!["Fn::ImportValue"]);
    }

    [Fact]
    public void Without_acknowledgements_the_merged_template_has_no_metadata()
    {
        var merged = StackMerge.Merge("env.json",
        [
            ("A", TemplateDocument.Parse("""{ "Resources": { "X": { "Type": "AWS::SQS::Queue" } } }""", "a.json")),
            ("B", TemplateDocument.Parse("""{ "Resources": { "Y": { "Type": "AWS::SQS::Queue", "Properties": { "Ref": "X" } } } }""", "b.json")),
        ]);

        Assert.Null(merged.Root["Metadata"]);
        Assert.Equal(["X", "Y"], merged.Resources.Select(r => r.LogicalId));
    }
}
