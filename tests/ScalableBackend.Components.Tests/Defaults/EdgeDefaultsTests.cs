using System.Text.Json.Nodes;
using Amazon.CDK.AWS.Cognito;
using Amazon.CDK.AWS.KMS;
using ScalableBackend.Components.Edge;
using ScalableBackend.Components.Tests.Support;

namespace ScalableBackend.Components.Tests.Defaults;

/// <summary>
/// A <see cref="WebFirewall"/> with only its required key, and an <see cref="ApiGateway"/> with only its required
/// props, a user pool and one route with only a path, a method and the scope a Cognito route must name, so the documented "Default: …" of WebFirewallSettings,
/// WebFirewallProps, ApiGatewaySettings, ApiGatewayProps and ApiRoute is what lands in the template; synthesized once.
/// </summary>
public sealed class EdgeDefaultsFixture
{
    public Synthesized Result { get; }

    public EdgeDefaultsFixture()
    {
        var stack = TestStacks.Empty();
        var key = new Key(stack, "LogKey", new KeyProps { EnableKeyRotation = true });
        _ = new WebFirewall(stack, "Firewall", new WebFirewallProps { LogEncryptionKey = key });
        _ = new ApiGateway(stack, "Api", new ApiGatewayProps
        {
            IntegrationBaseUrl = "https://backend.example.com",
            Throttle = new ApiThrottle { Rate = 100, Burst = 200 },
            UserPool = new UserPool(stack, "Pool"),
            LogEncryptionKey = key,
            Routes = new Dictionary<string, ApiRoute> { ["orders"] = new() { Path = "/orders", Method = "GET", Scopes = ["openid"] } },
        });
        Result = Synthesized.Of(stack);
    }
}

public sealed class EdgeDefaultsTests(EdgeDefaultsFixture fixture) : IClassFixture<EdgeDefaultsFixture>
{
    private JsonObject Acl => fixture.Result.Single("AWS::WAFv2::WebACL");

    private IReadOnlyList<JsonObject> Rules => Acl["Rules"]!.AsArray().Select(r => r!.AsObject()).ToList();

    [Fact]
    public void There_is_no_per_ip_rate_rule_by_default() =>
        Assert.DoesNotContain(Rules, r => r["Statement"]!["RateBasedStatement"] is not null);

    [Fact]
    public void The_managed_rules_are_common_known_bad_inputs_and_sql_injection_in_order_by_default() =>
        Assert.Equal(
            ["AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesSQLiRuleSet"],
            Rules.OrderBy(r => (int)r["Priority"]!).Select(r => (string?)r["Statement"]!["ManagedRuleGroupStatement"]!["Name"]));

    private JsonObject LogGroup(string prefix) => fixture.Result.OfType("AWS::Logs::LogGroup")
        .Single(g => g.Id.StartsWith(prefix, StringComparison.Ordinal)).Resource["Properties"]!.AsObject();

    [Theory]
    [InlineData("Firewall")]
    [InlineData("Api")]
    public void The_firewall_and_api_access_logs_are_kept_one_year_by_default(string prefix) =>
        Assert.Equal(365, (int)LogGroup(prefix)["RetentionInDays"]!);

    [Fact]
    public void Nothing_is_protected_by_default() =>
        Assert.Empty(fixture.Result.OfType("AWS::WAFv2::WebACLAssociation"));

    [Fact]
    public void Only_the_always_redacted_headers_are_redacted_by_default() =>
        Assert.Equal(
            ["authorization", "cookie", "x-api-key", "x-origin-verify"],
            fixture.Result.Single("AWS::WAFv2::LoggingConfiguration")["RedactedFields"]!.AsArray().Select(f => (string?)f!["SingleHeader"]!["Name"]));

    private JsonObject Method => fixture.Result.OfType("AWS::ApiGateway::Method")
        .Select(m => m.Resource["Properties"]!.AsObject()).Single(m => (string?)m["HttpMethod"] == "GET");

    [Fact]
    public void The_stage_is_v1_by_default() =>
        Assert.Equal("v1", (string?)fixture.Result.Single("AWS::ApiGateway::Stage")["StageName"]);

    [Fact]
    public void There_are_no_tiers_no_custom_domain_and_no_not_found_prefixes_by_default()
    {
        Assert.Empty(fixture.Result.OfType("AWS::ApiGateway::UsagePlan"));
        Assert.Empty(fixture.Result.OfType("AWS::ApiGateway::ApiKey"));
        Assert.Empty(fixture.Result.OfType("AWS::ApiGateway::DomainName"));
        Assert.DoesNotContain(fixture.Result.OfType("AWS::ApiGateway::Method"), m => (string?)m.Resource["Properties"]!["Integration"]?["Type"] == "MOCK");
    }

    [Fact]
    public void The_account_log_role_is_managed_by_default() =>
        Assert.Single(fixture.Result.OfType("AWS::ApiGateway::Account"));

    [Fact]
    public void A_route_is_cognito_authorized_without_api_key_or_body_validation_by_default()
    {
        Assert.Equal("COGNITO_USER_POOLS", (string?)Method["AuthorizationType"]);
        Assert.NotEqual(true, (bool?)Method["ApiKeyRequired"]);
        Assert.Null(Method["RequestValidatorId"]);
    }

    [Fact]
    public void Without_an_origin_check_integrations_add_no_header_by_default() =>
        Assert.DoesNotContain(
            (Method["Integration"]!["RequestParameters"] as JsonObject ?? []).Select(p => p.Key),
            k => k.StartsWith("integration.request.header.", StringComparison.Ordinal));

    [Fact]
    public void A_route_uses_the_stage_throttle_by_default()
    {
        var settings = fixture.Result.Single("AWS::ApiGateway::Stage")["MethodSettings"]!.AsArray().Select(m => m!.AsObject()).ToList();

        Assert.All(settings, m => Assert.Equal("/*", (string?)m["ResourcePath"]));
        Assert.Contains(settings, m => (double)m["ThrottlingRateLimit"]! == 100 && (int)m["ThrottlingBurstLimit"]! == 200);
    }
}
