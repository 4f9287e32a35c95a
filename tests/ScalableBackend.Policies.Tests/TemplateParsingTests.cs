using System.Text.Json.Nodes;

namespace ScalableBackend.Policies.Tests;

/// <summary>JSON template parsing: what is tolerated, how it is detected, and what a malformed one reports.</summary>
public sealed class TemplateParsingTests
{
    [Fact]
    public void Json_templates_may_have_comments_and_trailing_commas()
    {
        var template = TemplateDocument.Parse("""
            // generated
            { "Resources": { "Q": { "Type": "AWS::SQS::Queue", }, }, }
            """, "stack.json");

        Assert.Equal("AWS::SQS::Queue", template.GetResource("Q")!.Type);
    }

    [Fact]
    public void Malformed_json_reports_the_one_based_line_once_without_the_parser_s_zero_based_position()
    {
        var error = Assert.Throws<TemplateLoadException>(() => TemplateDocument.Parse("{\n  \"Resources\": {\n    \"Q\": 1,\n  }\n", "stack.json"));

        Assert.StartsWith("malformed JSON at line 5: ", error.Problem, StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", error.Message, StringComparison.Ordinal);
        Assert.EndsWith(".", error.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "Resources": { "Q": { "Type": "AWS::SQS::Queue" } }, "Resources": {} }""")]
    [InlineData("""{ "Resources": { "Q": { "Type": "AWS::SQS::Queue", "Properties": { "A": 1, "A": 2 } } } }""")]
    [InlineData("""{ "Resources": { "Q": { "Type": "AWS::SQS::Queue", "Properties": { "Tags": [{ "Key": "a", "Key": "b" }] } } } }""")]
    [InlineData("""{ "Resources": { "Q": { "Type": "AWS::SQS::Queue" } }, "Outputs": { "O": { "Value": [[{ "x": 1, "x": 2 }]] } } }""")]
    public void A_duplicate_key_anywhere_in_a_json_template_is_a_load_error(string json)
    {
        var error = Assert.Throws<TemplateLoadException>(() => TemplateDocument.Parse(json, "dup.json"));

        Assert.StartsWith("malformed JSON: ", error.Problem, StringComparison.Ordinal);
        Assert.Equal("dup.json", error.File);
    }

    [Fact]
    public void A_resource_reads_as_its_logical_id_and_type()
    {
        var template = TemplateDocument.Parse("""{ "Resources": { "Q": { "Type": "AWS::SQS::Queue" } } }""", "q.json");

        Assert.Equal("Q (AWS::SQS::Queue)", template.GetResource("Q")!.ToString());
    }

    [Fact]
    public void A_Condition_reference_is_an_intrinsic_value()
    {
        Assert.True(Values.IsIntrinsic(JsonNode.Parse("""{"Condition":"IsProd"}""")));
        Assert.False(Values.IsIntrinsic(JsonNode.Parse("""{"Conditions":"IsProd"}""")));
    }
}
