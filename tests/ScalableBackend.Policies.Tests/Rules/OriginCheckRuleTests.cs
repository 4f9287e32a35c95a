namespace ScalableBackend.Policies.Tests.Rules;

/// <summary>SB-ELB-006: which load balancers are judged (an API in the set calls them), and what counts as an origin check.</summary>
public sealed class OriginCheckRuleTests
{
    private const string Rule = "SB-ELB-006";

    private const string HeaderCondition =
        "      Conditions: [{ Field: http-header, HttpHeaderConfig: { HttpHeaderName: x-origin-verify, Values: [secret] } }]";

    private const string PathOnly = "      Conditions: [{ Field: path-pattern, PathPatternConfig: { Values: [\"/*\"] } }]";

    private static IReadOnlyList<Finding> Check(string yaml) => TestTemplates.Check(yaml).Only(Rule);

    [Theory]
    [InlineData("Properties: { Scheme: internet-facing, Subnets: [a, b] }", "Properties: { Scheme: internal, Subnets: [a, b] }", "an internal load balancer")]
    [InlineData("Properties: { Scheme: internet-facing, Subnets: [a, b] }", "Properties: { Scheme: internet-facing, Type: network, Subnets: [a, b] }", "a network load balancer")]
    [InlineData("Properties: { Scheme: internet-facing, Subnets: [a, b] }", "Properties: { Scheme: !Ref Scheme, Subnets: [a, b] }", "an unknown scheme")]
    [InlineData("Uri: !Sub \"https://${Alb.DNSName}/api/orders\"", "Uri: https://elsewhere.example.com/api/orders", "no integration calls it")]
    public void A_load_balancer_that_is_not_internet_facing_behind_the_api_is_not_judged(string from, string to, string why)
    {
        Assert.True(Check(RuleCases.OriginCheck(PathOnly).Replace(from, to, StringComparison.Ordinal)).Count == 0, why);
    }

    [Fact]
    public void A_scheme_left_out_is_internet_facing_and_an_application_type_is_judged()
    {
        var yaml = RuleCases.OriginCheck(PathOnly).Replace("Scheme: internet-facing", "Type: application", StringComparison.Ordinal);

        Assert.Single(Check(yaml));
    }

    [Fact]
    public void A_forwarding_rule_without_the_header_names_the_rule_the_listener_and_the_header()
    {
        var finding = Assert.Single(Check(RuleCases.OriginCheck(PathOnly)));

        Assert.Equal("Alb", finding.LogicalId);
        Assert.Equal(Severity.Error, finding.Severity);
        Assert.Equal("listener rule Rule on Https forwards without an http-header condition on x-origin-verify, so it also serves requests that did not come through the API (integration Orders)", finding.Message);
    }

    [Theory]
    [InlineData("x-origin-verify")]
    [InlineData("X-Origin-Verify")]
    public void A_header_condition_on_the_header_the_api_adds_passes_ignoring_case(string header)
    {
        Assert.Empty(Check(RuleCases.OriginCheck(HeaderCondition.Replace("x-origin-verify", header, StringComparison.Ordinal))));
    }

    [Theory]
    [InlineData("{ Field: http-header, HttpHeaderConfig: { HttpHeaderName: x-other, Values: [secret] } }", "a header the API does not add")]
    [InlineData("{ Field: http-header, HttpHeaderConfig: { HttpHeaderName: x-origin-verify, Values: [] } }", "no accepted value")]
    [InlineData("{ Field: http-header, HttpHeaderConfig: { Values: [secret] } }", "no header name")]
    [InlineData("{ Field: query-string, HttpHeaderConfig: { HttpHeaderName: x-origin-verify, Values: [secret] } }", "another field")]
    public void A_condition_that_does_not_check_the_api_header_does_not_count(string condition, string why)
    {
        Assert.True(Check(RuleCases.OriginCheck($"      Conditions: [{condition}]")).Count == 1, why);
    }

    [Fact]
    public void Integrations_that_add_no_header_are_named_in_the_message()
    {
        var yaml = RuleCases.OriginCheck(HeaderCondition).Replace(
            "RequestParameters: { integration.request.header.x-origin-verify:", "RequestParameters: { integration.request.querystring.token:", StringComparison.Ordinal);

        var finding = Assert.Single(Check(yaml));

        Assert.Contains("an http-header condition on a header the API adds (its integrations add none)", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_listener_forwarding_by_default_is_reported()
    {
        var yaml = RuleCases.OriginCheck(HeaderCondition).Replace(
            "DefaultActions: [{ Type: fixed-response, FixedResponseConfig: { StatusCode: \"403\" } }]",
            "DefaultActions: [{ Type: forward, TargetGroupArn: !Ref Targets }]", StringComparison.Ordinal);

        var finding = Assert.Single(Check(yaml));

        Assert.StartsWith("listener Https forwards by default, so a request that did not come through the API (integration Orders) reaches a target", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_redirecting_listener_and_a_rule_that_does_not_forward_need_no_check()
    {
        var yaml = RuleCases.OriginCheck(PathOnly)
            .Replace("Actions: [{ Type: forward, TargetGroupArn: !Ref Targets }]", "Actions: [{ Type: fixed-response, FixedResponseConfig: { StatusCode: \"404\" } }]", StringComparison.Ordinal)
            .Replace("DefaultActions: [{ Type: fixed-response, FixedResponseConfig: { StatusCode: \"403\" } }]",
                "DefaultActions: [{ Type: redirect, RedirectConfig: { Protocol: HTTPS, Port: \"443\", StatusCode: HTTP_301 } }]", StringComparison.Ordinal);

        Assert.Empty(Check(yaml));
    }

    [Theory]
    [InlineData("Actions: [{ Type: forward, TargetGroupArn: !Ref Targets }]", "Actions: !Ref Actions")]
    [InlineData(PathOnly, "      Conditions: !Ref Conditions")]
    public void A_rule_with_unknown_actions_or_conditions_passes(string from, string to)
    {
        Assert.Empty(Check(RuleCases.OriginCheck(PathOnly).Replace(from, to, StringComparison.Ordinal)));
    }

    [Fact]
    public void Unknown_default_actions_pass_and_the_rules_are_still_judged()
    {
        var yaml = RuleCases.OriginCheck(PathOnly).Replace(
            "DefaultActions: [{ Type: fixed-response, FixedResponseConfig: { StatusCode: \"403\" } }]", "DefaultActions: !Ref Defaults", StringComparison.Ordinal);

        Assert.StartsWith("listener rule Rule on Https", Assert.Single(Check(yaml)).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("origin.example.com")]
    [InlineData("*.example.com")]
    [InlineData("ORIGIN.example.com")]
    public void An_integration_calling_a_host_name_one_of_the_rules_matches_fronts_the_load_balancer(string hostHeader)
    {
        var conditions = $$"""
                  Conditions:
                    - { Field: path-pattern, PathPatternConfig: { Values: ["/*"] } }
                    - { Field: host-header, HostHeaderConfig: { Values: ["{{hostHeader}}"] } }
            """;
        var yaml = RuleCases.OriginCheck(conditions)
            .Replace("Uri: !Sub \"https://${Alb.DNSName}/api/orders\"", "Uri: https://origin.example.com:443/api/orders", StringComparison.Ordinal);

        Assert.Single(Check(yaml));
        Assert.Empty(Check(yaml.Replace("https://origin.example.com", "https://other.example.org", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_legacy_host_header_condition_values_list_also_links()
    {
        var conditions = """
                  Conditions: [{ Field: host-header, Values: [origin.example.com] }]
            """;
        var yaml = RuleCases.OriginCheck(conditions)
            .Replace("Uri: !Sub \"https://${Alb.DNSName}/api/orders\"", "Uri: https://origin.example.com/api/orders", StringComparison.Ordinal);

        Assert.Single(Check(yaml));
    }

    [Fact]
    public void An_integration_uri_that_is_not_a_url_does_not_link()
    {
        var conditions = """
                  Conditions: [{ Field: host-header, HostHeaderConfig: { Values: ["*"] } }]
            """;
        var yaml = RuleCases.OriginCheck(conditions)
            .Replace("Uri: !Sub \"https://${Alb.DNSName}/api/orders\"", "Uri: !Sub \"arn:aws:apigateway:${AWS::Region}:lambda:path/functions\"", StringComparison.Ordinal);

        Assert.Empty(Check(yaml));
    }

    [Fact]
    public void Across_stacks_the_rule_in_the_service_stack_and_the_integrations_are_counted()
    {
        var edge = RuleCases.OriginCheck(PathOnly)
            .Replace("""
              Rule:
                Type: AWS::ElasticLoadBalancingV2::ListenerRule
                Properties:
                  ListenerArn: !Ref Https
                  Priority: 10
                  Actions: [{ Type: forward, TargetGroupArn: !Ref Targets }]
            """, "", StringComparison.Ordinal)
            .Replace(PathOnly, "", StringComparison.Ordinal)
            + """

            Outputs:
              ListenerArn:
                Value: !Ref Https
                Export: { Name: Backend-Prod-Edge:ListenerArn }
            """;
        var edgeWithTwoMethods = edge.Replace("  Orders:\n", "  Health:\n    Type: AWS::ApiGateway::Method\n    Properties: { RestApiId: !Ref Api, HttpMethod: GET, Integration: { Type: HTTP_PROXY, Uri: !Sub \"https://${Alb.DNSName}/health\" } }\n  Orders:\n", StringComparison.Ordinal);
        const string Service = """
            Resources:
              Targets: { Type: AWS::ElasticLoadBalancingV2::TargetGroup, Properties: { Port: 80, Protocol: HTTP, HealthCheckPath: /health } }
              ApiRule:
                Type: AWS::ElasticLoadBalancingV2::ListenerRule
                Properties:
                  ListenerArn: !ImportValue Backend-Prod-Edge:ListenerArn
                  Priority: 10
                  Actions: [{ Type: forward, TargetGroupArn: !Ref Targets }]
                  Conditions: [{ Field: path-pattern, PathPatternConfig: { Values: ["/*"] } }]
            """;
        var set = new TemplateSet()
            .Add("Backend-Prod-Edge", TemplateDocument.Parse(edgeWithTwoMethods, "edge.yaml"))
            .Add("Backend-Prod-Service-Api", TemplateDocument.Parse(Service, "service.yaml"));

        var finding = Assert.Single(PolicyEngine.Default.Check(set).Only(Rule));

        Assert.Equal("listener rule Backend-Prod-Service-Api/ApiRule on Https forwards without an http-header condition on x-origin-verify, so it also serves requests that did not come through the API (integration Health and 1 more)", finding.Message);
    }
}
