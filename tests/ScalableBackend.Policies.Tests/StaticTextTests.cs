using System.Text.Json.Nodes;

namespace ScalableBackend.Policies.Tests;

/// <summary>What a string-building value reads as when names are compared (export names, SSM names, ARNs).</summary>
public sealed class StaticTextTests
{
    private static TemplateDocument Template() => TemplateDocument.Parse("""
        Parameters:
          Env: { Type: String, Default: prod }
          NoDefault: { Type: String }
          FromSsm: { Type: "AWS::SSM::Parameter::Value<String>", Default: /app/env }
        Resources:
          Queue: { Type: AWS::SQS::Queue }
        """, "text.yaml");

    private static string? Read(string json, string? stackName = "Backend-Prod") =>
        StaticText.Render(JsonNode.Parse(json), Template(), stackName);

    [Theory]
    [InlineData("\"plain\"", "plain")]
    [InlineData("5", "5")]
    [InlineData("""{"Ref":"AWS::StackName"}""", "Backend-Prod")]
    [InlineData("""{"Ref":"AWS::Partition"}""", "aws")]
    [InlineData("""{"Ref":"AWS::URLSuffix"}""", "amazonaws.com")]
    [InlineData("""{"Ref":"AWS::Region"}""", "${AWS::Region}")]
    [InlineData("""{"Ref":"Env"}""", "prod")]
    [InlineData("""{"Ref":"NoDefault"}""", "${NoDefault}")]
    [InlineData("""{"Ref":"FromSsm"}""", "${FromSsm}")]
    [InlineData("""{"Ref":"Queue"}""", "${Queue}")]
    public void A_Ref_reads_as_its_known_value_or_a_placeholder(string json, string expected)
    {
        Assert.Equal(expected, Read(json));
    }

    [Fact]
    public void The_stack_name_is_a_placeholder_when_the_stack_is_unknown()
    {
        Assert.Equal("${AWS::StackName}-x", Read("""{"Fn::Sub":"${AWS::StackName}-x"}""", stackName: null));
    }

    [Theory]
    [InlineData("""{"Fn::GetAtt":["Queue","Arn"]}""", "${Queue.Arn}")]
    [InlineData("""{"Fn::GetAtt":"Queue.Arn"}""", "${Queue.Arn}")]
    [InlineData("""{"Fn::Join":["",["arn:",{"Fn::GetAtt":["Queue","Arn"]},"/*"]]}""", "arn:${Queue.Arn}/*")]
    public void A_GetAtt_reads_as_an_attribute_placeholder(string json, string expected)
    {
        Assert.Equal(expected, Read(json));
    }

    [Theory]
    [InlineData("""{"Fn::GetAtt":["Queue"]}""")]
    [InlineData("""{"Fn::GetAtt":{"Queue":"Arn"}}""")]
    [InlineData("""{"Fn::If":["IsProd","a","b"]}""")]
    [InlineData("""{"Fn::ImportValue":"shared"}""")]
    [InlineData("""{"Ref":"Env","Fn::Sub":"x"}""")]
    [InlineData("""{}""")]
    [InlineData("""["a"]""")]
    [InlineData("""{"Fn::Join":["-",["a",{"Fn::If":["C","b","c"]}]]}""")]
    [InlineData("""{"Fn::Sub":[]}""")]
    [InlineData("""{"Fn::Sub":[{"a":"b"}]}""")]
    [InlineData("""{"Fn::Sub":{"a":"b"}}""")]
    [InlineData("""{"Fn::Sub":["${Name}-x",{"Name":{"Fn::If":["C","b","c"]}}]}""")]
    public void Values_that_cannot_be_known_statically_read_as_nothing(string json)
    {
        Assert.Null(Read(json));
    }

    [Theory]
    [InlineData("""{"Fn::Join":["-",["a",{"Ref":"Env"},5]]}""", "a-prod-5")]
    [InlineData("""{"Fn::Join":["-",[]]}""", "")]
    [InlineData("""{"Fn::Sub":"${AWS::StackName}-queue"}""", "Backend-Prod-queue")]
    [InlineData("""{"Fn::Sub":["${AWS::StackName}-queue"]}""", "Backend-Prod-queue")]
    [InlineData("""{"Fn::Sub":"arn:${AWS::Partition}:s3:::${Env}-bucket/${!Literal}"}""", "arn:aws:s3:::prod-bucket/${Literal}")]
    [InlineData("""{"Fn::Sub":"${Queue.Arn} in ${AWS::Region}"}""", "${Queue.Arn} in ${AWS::Region}")]
    [InlineData("""{"Fn::Sub":["${Name}-${Env}",{"Name":{"Fn::Join":["",["a","b"]]}}]}""", "ab-prod")]
    [InlineData("""{"Fn::Sub":"a-${Env"}""", "a-${Env")]
    [InlineData("""{"Fn::Sub":"${Env}"}""", "prod")]
    [InlineData("""{"Fn::Sub":"no placeholders"}""", "no placeholders")]
    public void Join_and_Sub_read_as_the_text_they_build(string json, string expected)
    {
        Assert.Equal(expected, Read(json));
    }

    private static string Nested(int joins)
    {
        var json = "\"x\"";
        for (var i = 0; i < joins; i++)
        {
            json = $$"""{"Fn::Join":["",[{{json}}]]}""";
        }

        return json;
    }

    private static string NestedSubVariables(int levels)
    {
        var json = "\"x\"";
        for (var i = 0; i < levels; i++)
        {
            json = $$"""{"Fn::Sub":["${V}",{"V":{{json}}}]}""";
        }

        return json;
    }

    [Fact]
    public void Sixteen_nested_joins_are_read_but_seventeen_are_too_deep()
    {
        Assert.Equal("x", Read(Nested(16)));
        Assert.Null(Read(Nested(17)));
    }

    [Fact]
    public void Sixteen_levels_of_Sub_variables_are_read_but_seventeen_are_too_deep()
    {
        Assert.Equal("x", Read(NestedSubVariables(16)));
        Assert.Null(Read(NestedSubVariables(17)));
    }
}
