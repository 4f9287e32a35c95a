namespace ScalableBackend.Policies.Tests.Rules;

/// <summary>SB-API-001 on the stages a template makes public: Stage resources and Deployments with a StageName, unless the RestApi is PRIVATE.</summary>
public sealed class ApiGatewayBranchTests
{
    private const string Message = "no MethodSettings with ThrottlingRateLimit and ThrottlingBurstLimit";

    private static IReadOnlyList<Finding> Check(string endpointTypes, string stage) =>
        TestTemplates.Check($$"""
            Resources:
              Api: { Type: AWS::ApiGateway::RestApi, Properties: { Name: api, EndpointConfiguration: { Types: {{endpointTypes}} } } }
            {{stage}}
            """).Only("SB-API-001");

    private const string UnthrottledStage = "  Stage: { Type: AWS::ApiGateway::Stage, Properties: { RestApiId: !Ref Api, StageName: prod, DeploymentId: d } }";

    [Theory]
    [InlineData("[REGIONAL]")]
    [InlineData("[EDGE]")]
    public void An_unthrottled_stage_of_a_public_api_is_reported(string types)
    {
        var finding = Assert.Single(Check(types, UnthrottledStage));

        Assert.Equal("Stage", finding.LogicalId);
        Assert.Equal(Message, finding.Message);
    }

    [Theory]
    [InlineData("[PRIVATE]")]
    [InlineData("PRIVATE")]
    public void A_stage_of_a_private_api_is_not_public(string types)
    {
        Assert.Empty(Check(types, UnthrottledStage));
    }

    [Fact]
    public void A_deployment_that_creates_a_stage_without_throttling_is_reported()
    {
        var finding = Assert.Single(Check("[REGIONAL]", "  Deployment: { Type: AWS::ApiGateway::Deployment, Properties: { RestApiId: !Ref Api, StageName: prod } }"));

        Assert.Equal("Deployment", finding.LogicalId);
        Assert.Equal(Message, finding.Message);
    }

    [Theory]
    [InlineData("{ ThrottlingRateLimit: 100, ThrottlingBurstLimit: 50 }")]
    [InlineData("{ MethodSettings: [{ ResourcePath: \"/*\", HttpMethod: \"*\", ThrottlingRateLimit: 100, ThrottlingBurstLimit: 50 }] }")]
    public void A_deployment_throttling_its_stage_in_the_stage_description_passes(string description)
    {
        Assert.Empty(Check("[REGIONAL]", $"  Deployment: {{ Type: AWS::ApiGateway::Deployment, Properties: {{ RestApiId: !Ref Api, StageName: prod, StageDescription: {description} }} }}"));
    }

    [Fact]
    public void A_deployment_of_a_private_api_is_not_public()
    {
        Assert.Empty(Check("[PRIVATE]", "  Deployment: { Type: AWS::ApiGateway::Deployment, Properties: { RestApiId: !Ref Api, StageName: prod } }"));
    }

    [Fact]
    public void A_deployment_without_a_stage_name_creates_no_stage()
    {
        Assert.Empty(Check("[REGIONAL]", "  Deployment: { Type: AWS::ApiGateway::Deployment, Properties: { RestApiId: !Ref Api } }"));
    }
}
