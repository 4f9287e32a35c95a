using System.Text.Json.Nodes;

namespace ScalableBackend.Policies.Tests;

public sealed class TemplateLoadingTests
{
    private static JsonObject QueueProperties() =>
        TemplateDocument.Load(TestTemplates.Fixture("short-form.yaml")).GetResource("Queue")!.Properties;

    private static string Tag(string key) =>
        ((JsonArray)QueueProperties()["Tags"]!).Single(t => (string?)t!["Key"] == key)!["Value"]!.ToJsonString();

    [Fact]
    public void Short_form_Ref_becomes_Ref_object()
    {
        var conditions = TemplateDocument.Load(TestTemplates.Fixture("short-form.yaml")).Root["Conditions"]!;

        Assert.Equal("""{"Fn::Equals":[{"Ref":"Env"},"prod"]}""", conditions["IsProd"]!.ToJsonString());
        Assert.Equal("""{"Fn::Not":[{"Condition":"IsProd"}]}""", conditions["NotProd"]!.ToJsonString());
    }

    [Fact]
    public void Short_form_GetAtt_splits_at_the_first_dot()
    {
        var template = TemplateDocument.Load(TestTemplates.Fixture("short-form.yaml"));

        Assert.Equal("""{"Fn::GetAtt":["DeadLetters","Arn"]}""", Values.At(QueueProperties(), "RedrivePolicy.deadLetterTargetArn")!.ToJsonString());
        Assert.Equal("""{"Fn::GetAtt":["Name","Of.Nested"]}""", template.GetResource("DeadLetters")!["QueueName"]!.ToJsonString());
    }

    [Theory]
    [InlineData("zone", """{"Fn::Select":[0,{"Fn::GetAZs":""}]}""")]
    [InlineData("parts", """{"Fn::Join":["-",{"Fn::Split":[",","a,b"]}]}""")]
    [InlineData("imported", """{"Fn::ImportValue":"shared-vpc"}""")]
    [InlineData("mapped", """{"Fn::FindInMap":["Map",{"Ref":"AWS::Region"},"Key"]}""")]
    [InlineData("encoded", """{"Fn::Base64":"hello"}""")]
    [InlineData("cidr", """{"Fn::Select":[0,{"Fn::Cidr":["10.0.0.0/16",4,8]}]}""")]
    [InlineData("conditional", """{"Fn::If":["IsProd","yes",{"Ref":"AWS::NoValue"}]}""")]
    [InlineData("both", """{"Fn::If":[{"Fn::And":[{"Condition":"IsProd"},{"Fn::Or":[{"Condition":"NotProd"},{"Condition":"IsProd"}]}]},"a","b"]}""")]
    public void Short_form_functions_become_their_long_form(string tag, string expected)
    {
        Assert.Equal(expected, Tag(tag));
    }

    [Fact]
    public void Plain_scalars_become_typed_values_and_quoted_ones_stay_strings()
    {
        var template = TemplateDocument.Load(TestTemplates.Fixture("short-form.yaml"));

        Assert.Equal("\"2010-09-09\"", template.Root["AWSTemplateFormatVersion"]!.ToJsonString());
        Assert.Equal("0", QueueProperties()["DelaySeconds"]!.ToJsonString());
        Assert.Equal("""{"Fn::Sub":"${AWS::StackName}-jobs"}""", QueueProperties()["QueueName"]!.ToJsonString());
    }

    [Fact]
    public void Yaml_template_is_checked_like_json()
    {
        var findings = PolicyEngine.Default.Check(TemplateDocument.Load(TestTemplates.Fixture("short-form.yaml")), "dev");

        Assert.DoesNotContain(findings, f => f.RuleId == "SB-SQS-003");
        Assert.Contains(findings, f => f.RuleId == "SB-SQS-002" && f.LogicalId == "DeadLetters");
    }

    [Theory]
    [InlineData("malformed.json", "malformed JSON at line")]
    [InlineData("malformed.yaml", "malformed YAML at line")]
    [InlineData("not-a-template.json", "not a CloudFormation template: no \"Resources\" object")]
    [InlineData("missing.json", "cannot read file")]
    public void Unusable_file_raises_one_exception_naming_the_file(string name, string problem)
    {
        var path = TestTemplates.Fixture(name);

        var error = Assert.Throws<TemplateLoadException>(() => TemplateDocument.Load(path));

        Assert.StartsWith($"{path}: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.Equal(path, error.File);
    }

    [Theory]
    [InlineData("[1, 2]", "not a CloudFormation template: the document is not an object")]
    [InlineData("", "not a CloudFormation template")]
    [InlineData("Resources: [a]", "no \"Resources\" object")]
    [InlineData("Resources:\n  Q: { Properties: {} }", "resource \"Q\" has no \"Type\" string")]
    [InlineData("Resources:\n  Q: 3", "resource \"Q\" is not an object")]
    public void Non_template_text_is_rejected_with_the_reason(string text, string problem)
    {
        var error = Assert.Throws<TemplateLoadException>(() => TemplateDocument.Parse(text, "cdk.out/x.yaml"));

        Assert.Equal("cdk.out/x.yaml", error.File);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_without_extension_is_detected_by_its_brace()
    {
        var template = TemplateDocument.Parse("""{ "Resources": { "Q": { "Type": "AWS::SQS::Queue" } } }""", "stack.template");

        Assert.Equal("AWS::SQS::Queue", template.GetResource("Q")!.Type);
    }
}
