using System.Text.Json.Nodes;

namespace ScalableBackend.Policies.Tests;

/// <summary>How YAML templates' plain scalars, standard tags and short forms read, one property at a time.</summary>
public sealed class YamlScalarAndTagTests
{
    private static string Property(string yamlValue)
    {
        var template = TemplateDocument.Parse($"""
            Resources:
              Queue:
                Type: AWS::SQS::Queue
                Properties:
                  Value: {yamlValue}
            """, "scalars.yaml");
        return template.GetResource("Queue")!.Properties["Value"]?.ToJsonString() ?? "null";
    }

    [Theory]
    [InlineData("", "null")]
    [InlineData("~", "null")]
    [InlineData("null", "null")]
    [InlineData("Null", "null")]
    [InlineData("NULL", "null")]
    [InlineData("nULL", "\"nULL\"")]
    [InlineData("true", "true")]
    [InlineData("True", "true")]
    [InlineData("TRUE", "true")]
    [InlineData("false", "false")]
    [InlineData("False", "false")]
    [InlineData("FALSE", "false")]
    [InlineData("yes", "\"yes\"")]
    [InlineData("'true'", "\"true\"")]
    [InlineData("-12", "-12")]
    [InlineData("9.6", "\"9.6\"")]
    public void Plain_null_and_boolean_spellings_become_those_values_and_anything_else_stays_text(string yaml, string expected)
    {
        Assert.Equal(expected, Property(yaml));
    }

    [Theory]
    [InlineData("!!str true", "\"true\"")]
    [InlineData("!!str 5", "\"5\"")]
    [InlineData("!!str ~", "\"~\"")]
    [InlineData("!<tag:example.com,2024:thing> x", "\"x\"")]
    public void Standard_and_foreign_tags_keep_the_scalar_as_text(string yaml, string expected)
    {
        Assert.Equal(expected, Property(yaml));
    }

    [Theory]
    [InlineData("!GetAZs", """{"Fn::GetAZs":""}""")]
    [InlineData("!GetAZs ~", """{"Fn::GetAZs":"~"}""")]
    [InlineData("!Rain::Embed file.txt", """{"Rain::Embed":"file.txt"}""")]
    [InlineData("!GetAtt Queue", """{"Fn::GetAtt":["Queue"]}""")]
    [InlineData("!GetAtt Queue.Arn", """{"Fn::GetAtt":["Queue","Arn"]}""")]
    [InlineData("!GetAtt [Queue, Arn]", """{"Fn::GetAtt":["Queue","Arn"]}""")]
    [InlineData("!Condition IsProd", """{"Condition":"IsProd"}""")]
    public void Short_form_tags_wrap_their_argument_as_written(string yaml, string expected)
    {
        Assert.Equal(expected, Property(yaml));
    }

    [Fact]
    public void A_mapping_used_as_a_key_is_a_load_error_naming_the_line()
    {
        var error = Assert.Throws<TemplateLoadException>(() => TemplateDocument.Parse("Resources:\n  ? [a, b]\n  : x\n", "keys.yaml"));

        Assert.Contains("malformed YAML at line 2", error.Message, StringComparison.Ordinal);
        Assert.Contains("mapping keys must be plain strings", error.Message, StringComparison.Ordinal);
    }
}
