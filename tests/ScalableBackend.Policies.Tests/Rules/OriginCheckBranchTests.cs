namespace ScalableBackend.Policies.Tests.Rules;

/// <summary>SB-ELB-006: listener rules and methods that carry no usable host or URI leave the rest of the set judged.</summary>
public sealed class OriginCheckBranchTests
{
    private const string PathOnly = """
              Conditions: [{ Field: path-pattern, PathPatternConfig: { Values: ["/api/*"] } }]
        """;

    private static IReadOnlyList<Finding> Check(string yaml) => TestTemplates.Check(yaml).Only("SB-ELB-006");

    [Fact]
    public void A_host_header_condition_with_an_unknown_values_list_matches_no_host_and_the_load_balancer_is_still_judged()
    {
        var conditions = """
                  Conditions:
                    - { Field: path-pattern, PathPatternConfig: { Values: ["/api/*"] } }
                    - { Field: host-header, HostHeaderConfig: { Values: !Ref Hosts } }
            """;

        var finding = Assert.Single(Check(RuleCases.OriginCheck(conditions)));

        Assert.Equal("Alb", finding.LogicalId);
    }

    [Fact]
    public void A_method_without_an_integration_uri_beside_one_that_calls_the_load_balancer_does_not_hide_it()
    {
        var yaml = RuleCases.OriginCheck(PathOnly)
            + "\n  Mock:\n    Type: AWS::ApiGateway::Method\n    Properties: { RestApiId: !Ref Api, ResourceId: !GetAtt Api.RootResourceId, HttpMethod: POST, AuthorizationType: NONE, Integration: { Type: MOCK } }\n";

        var finding = Assert.Single(Check(yaml));

        Assert.Equal("Alb", finding.LogicalId);
        Assert.EndsWith("(integration Orders)", finding.Message, StringComparison.Ordinal);
    }
}
