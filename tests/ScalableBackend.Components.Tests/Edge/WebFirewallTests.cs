using Amazon.CDK.Assertions;
using ScalableBackend.Components.Edge;
using ScalableBackend.Components.Tests.Support;

namespace ScalableBackend.Components.Tests.Edge;

public sealed class WebFirewallTests(EdgeFixture edge) : IClassFixture<EdgeFixture>
{
    private System.Text.Json.Nodes.JsonNode Acl => edge.Result.OfType("AWS::WAFv2::WebACL").Single().Resource["Properties"]!;

    [Fact]
    public void TheWebAclIsRegionalAllowsByDefaultAndPublishesMetrics()
    {
        Assert.Equal("REGIONAL", (string?)Acl["Scope"]);
        Assert.NotNull(Acl["DefaultAction"]!["Allow"]);
        Assert.True((bool)Acl["VisibilityConfig"]!["CloudWatchMetricsEnabled"]!);
    }

    [Fact]
    public void TheFirstRuleBlocksAClientIpAboveTheRateLimit()
    {
        var rule = Acl["Rules"]!.AsArray().Single(r => (int)r!["Priority"]! == 0)!;
        Assert.Equal(2000, (int)rule["Statement"]!["RateBasedStatement"]!["Limit"]!);
        Assert.Equal("IP", (string?)rule["Statement"]!["RateBasedStatement"]!["AggregateKeyType"]);
        Assert.NotNull(rule["Action"]!["Block"]);
    }

    [Fact]
    public void TheDefaultManagedRuleGroupsFollowInOrderWithMetrics()
    {
        var managed = Acl["Rules"]!.AsArray().Where(r => r!["Statement"]!["ManagedRuleGroupStatement"] is not null).OrderBy(r => (int)r!["Priority"]!).ToArray();
        Assert.Equal(WebFirewall.DefaultManagedRules, managed.Select(r => (string?)r!["Statement"]!["ManagedRuleGroupStatement"]!["Name"]));
        Assert.All(managed, r => Assert.Equal("AWS", (string?)r!["Statement"]!["ManagedRuleGroupStatement"]!["VendorName"]));
        Assert.All(managed, r => Assert.True((bool)r!["VisibilityConfig"]!["SampledRequestsEnabled"]!));
    }

    [Fact]
    public void ItLogsToAnEncryptedWafLogGroupWithRetention()
    {
        var (_, group) = edge.Result.OfType("AWS::Logs::LogGroup").Single(g => g.Id.StartsWith("FirewallLogs", StringComparison.Ordinal));
        Assert.Equal("aws-waf-logs-test-acl", (string?)group["Properties"]!["LogGroupName"]);
        Assert.Equal(30, (int)group["Properties"]!["RetentionInDays"]!);
        Assert.NotNull(group["Properties"]!["KmsKeyId"]);
        edge.Result.Template.HasResourceProperties("AWS::WAFv2::LoggingConfiguration", new Dictionary<string, object>
        {
            ["ResourceArn"] = Match.ObjectLike(new Dictionary<string, object> { ["Fn::GetAtt"] = Match.AnyValue() }),
            ["RedactedFields"] = Match.ArrayWith(new object[] { new Dictionary<string, object> { ["SingleHeader"] = new Dictionary<string, object> { ["Name"] = "authorization" } } }),
        });
    }

    [Fact]
    public void CredentialsApiKeysAndTheOriginSecretAreRedactedFromTheLogs()
    {
        var redacted = edge.Result.Single("AWS::WAFv2::LoggingConfiguration")["RedactedFields"]!.AsArray().Select(f => (string?)f!["SingleHeader"]!["Name"]).ToArray();
        Assert.Equal(new[] { "authorization", "cookie", "x-api-key", "x-origin-verify" }, redacted);
    }

    [Fact]
    public void ItIsAssociatedWithTheApiStage()
    {
        var (_, association) = edge.Result.OfType("AWS::WAFv2::WebACLAssociation").Single();
        var arn = association["Properties"]!["ResourceArn"]!.ToJsonString();
        Assert.Contains("/stages/", arn);
        Assert.Contains("\"Ref\":\"ApiDeploymentStage", arn);
    }

    public static TheoryData<int, string[]?, string> Rows() => new()
    {
        { 5, null, "RateLimitPerIp = 5 must be between 10 and 2000000000 requests per 5 minutes" },
        { 100, [], "ManagedRules must list at least one rule group (or be left out for the defaults)" },
        { 100, ["SQLi"], "ManagedRules[0] = SQLi must be an AWS managed rule group such as AWSManagedRulesCommonRuleSet" },
        { 100, ["AWSManagedRulesSQLiRuleSet", "AWSManagedRulesSQLiRuleSet"], "ManagedRules[1] = AWSManagedRulesSQLiRuleSet is listed twice" },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void EachBrokenSettingHasOneClearMessage(int rate, string[]? managed, string message) =>
        Assert.Equal(message, Assert.Throws<PropsValidationException>(() => WebFirewall.Validate(new WebFirewallProps
        {
            RateLimitPerIp = rate, ManagedRules = managed, LogEncryptionKey = null!,
        })).Detail);
}

public sealed class LoadBalancerFirewallTests(LoadBalancerFirewallFixture fixture) : IClassFixture<LoadBalancerFirewallFixture>
{
    private System.Text.Json.Nodes.JsonNode Acl(string name) =>
        fixture.Result.OfType("AWS::WAFv2::WebACL").Single(a => (string?)a.Resource["Properties"]!["Name"] == name).Resource["Properties"]!;

    [Fact]
    public void ALoadBalancersOwnAclHasTheManagedRulesAndNoPerIpRule()
    {
        // Behind the API every request comes from API Gateway's addresses: a per-IP limit would block the whole API.
        var rules = Acl("test-lb-acl")["Rules"]!.AsArray();
        Assert.DoesNotContain(rules, r => r!["Statement"]!["RateBasedStatement"] is not null);
        Assert.Equal(WebFirewall.DefaultManagedRules, rules.Select(r => (string?)r!["Statement"]!["ManagedRuleGroupStatement"]!["Name"]));
    }

    [Fact]
    public void ARateRuleCanCountTheClientAddressAForwardedHeaderCarries()
    {
        var rate = Acl("test-forwarded-acl")["Rules"]!.AsArray().Single(r => r!["Statement"]!["RateBasedStatement"] is not null)!["Statement"]!["RateBasedStatement"]!;
        Assert.Equal("FORWARDED_IP", (string?)rate["AggregateKeyType"]);
        Assert.Equal("X-Client-Ip", (string?)rate["ForwardedIPConfig"]!["HeaderName"]);
    }

    [Fact]
    public void ExtraRedactedHeadersComeAfterTheAlwaysRedactedOnes()
    {
        var logging = fixture.Result.OfType("AWS::WAFv2::LoggingConfiguration").Select(l => l.Resource["Properties"]!["RedactedFields"]!.AsArray().Select(f => (string?)f!["SingleHeader"]!["Name"]).ToArray());
        Assert.Contains(logging, names => names.SequenceEqual(new[] { "authorization", "cookie", "x-api-key", "x-origin-verify", "x-session-token" }));
    }

    [Fact]
    public void AClientIpHeaderWithoutARateLimitIsRejected() =>
        Assert.Equal("ClientIpHeader = X-Forwarded-For needs rateLimitPerIp: it only changes what the rate rule counts",
            Assert.Throws<PropsValidationException>(() => new WebFirewall(Support.TestStacks.Empty(), "Acl", new WebFirewallProps
            {
                LogEncryptionKey = null!,
                ClientIpHeader = "X-Forwarded-For",
            })).Detail);
}
