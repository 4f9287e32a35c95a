using System.Text.Json.Nodes;

namespace ScalableBackend.Stacks.Tests;

/// <summary>Issues 17 and 18 on the environments' templates: the user pool can be created, tokens can be had, scopes are required.</summary>
[Collection(EnvironmentCollection.Name)]
public sealed class EdgeSecurityTests(EnvironmentFixture environments)
{
    private static JsonNode Props((string Id, JsonObject Resource) r) => r.Resource["Properties"]!;

    private static JsonNode Pool(SynthesizedEnvironment env) => Props(env.OfType("AWS::Cognito::UserPool").Single());

    [Fact]
    public void EveryPoolWithThreatProtectionIsOnThePlusPlanAndNoOtherHasIt()
    {
        // CloudFormation rejects AdvancedSecurityMode AUDIT/ENFORCED on the Essentials plan new pools default to.
        foreach (var env in environments.All)
        {
            var pool = Pool(env);
            var mode = (string?)pool["UserPoolAddOns"]?["AdvancedSecurityMode"] ?? "OFF";
            Assert.Equal(mode != "OFF", (string?)pool["UserPoolTier"] == "PLUS");
        }
        Assert.Equal("ENFORCED", (string?)Pool(environments.Prod)["UserPoolAddOns"]!["AdvancedSecurityMode"]);
    }

    [Fact]
    public void ProdsSelfSignUpSendsEmailThroughSes()
    {
        var email = Pool(environments.Prod)["EmailConfiguration"]!;
        Assert.Equal("DEVELOPER", (string?)email["EmailSendingAccount"]);
        Assert.StartsWith("arn:aws:ses:", (string?)email["SourceArn"]);
    }

    [Fact]
    public void EveryCognitoMethodRequiresScopesSoAccessTokensAreValidated()
    {
        foreach (var env in environments.All)
            foreach (var method in env.OfType("AWS::ApiGateway::Method").Select(Props).Where(m => (string?)m["AuthorizationType"] == "COGNITO_USER_POOLS"))
                Assert.NotEmpty(method["AuthorizationScopes"]!.AsArray());
    }

    [Fact]
    public void ProdsPartnerClientCanGetATokenForTheOrdersReadRoute()
    {
        var route = environments.Prod.OfType("AWS::ApiGateway::Method").Select(Props).Single(m => (string?)m["OperationName"] == "OrdersRead");
        Assert.Equal(new[] { "backend/orders.read" }, route["AuthorizationScopes"]!.AsArray().Select(s => (string?)s));
        var partner = environments.Prod.OfType("AWS::Cognito::UserPoolClient").Select(Props).Single(c => (string?)c["ClientName"] == "partner-sync");
        Assert.Equal(new[] { "client_credentials" }, partner["AllowedOAuthFlows"]!.AsArray().Select(f => (string?)f));
        Assert.Contains("/orders.read", partner["AllowedOAuthScopes"]!.ToJsonString());
        Assert.Equal("example-backend-prod", (string?)Props(environments.Prod.OfType("AWS::Cognito::UserPoolDomain").Single())["Domain"]);
    }

    [Fact]
    public void NoUserClientHoldsAnInternalScope()
    {
        foreach (var env in environments.All)
            foreach (var client in env.OfType("AWS::Cognito::UserPoolClient").Select(Props))
                if ((client["AllowedOAuthFlows"]?.AsArray().Select(f => (string?)f) ?? []).Contains("code"))
                    Assert.DoesNotContain("/internal", client["AllowedOAuthScopes"]!.ToJsonString());
    }
}
