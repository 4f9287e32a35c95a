using System.Text.Json.Nodes;
using Amazon.CDK.AWS.KMS;
using ScalableBackend.Components.Edge;
using ScalableBackend.Components.Tests.Support;

namespace ScalableBackend.Components.Tests.Defaults;

/// <summary>
/// A <see cref="WebFirewall"/> with only its required key, so the documented "Default: …" of WebFirewallSettings and
/// WebFirewallProps is what lands in the template; synthesized once.
/// </summary>
public sealed class EdgeDefaultsFixture
{
    public Synthesized Result { get; }

    public EdgeDefaultsFixture()
    {
        var stack = TestStacks.Empty();
        _ = new WebFirewall(stack, "Firewall", new WebFirewallProps { LogEncryptionKey = new Key(stack, "LogKey", new KeyProps { EnableKeyRotation = true }) });
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

    [Fact]
    public void The_logs_are_kept_one_year_by_default() =>
        Assert.Equal(365, (int)fixture.Result.Single("AWS::Logs::LogGroup")["RetentionInDays"]!);

    [Fact]
    public void Nothing_is_protected_by_default() =>
        Assert.Empty(fixture.Result.OfType("AWS::WAFv2::WebACLAssociation"));

    [Fact]
    public void Only_the_always_redacted_headers_are_redacted_by_default() =>
        Assert.Equal(
            ["authorization", "cookie", "x-api-key", "x-origin-verify"],
            fixture.Result.Single("AWS::WAFv2::LoggingConfiguration")["RedactedFields"]!.AsArray().Select(f => (string?)f!["SingleHeader"]!["Name"]));
}
