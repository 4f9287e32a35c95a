using System.Text.Json.Nodes;

namespace ScalableBackend.Stacks.Tests;

/// <summary>Issues 17 and 18 on the environments' templates: the user pool can be created, tokens can be had, scopes are required.</summary>
[Collection(EnvironmentCollection.Name)]
public sealed class EdgeSecurityTests(EnvironmentFixture environments)
{
    private static JsonNode Props((string Id, JsonObject Resource) r) => r.Resource["Properties"]!;

    private static JsonNode Pool(EnvironmentTemplates env) => Props(env.OfType("AWS::Cognito::UserPool").Single());

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

    [Fact]
    public void OnlyRequestsThroughTheApiReachAService()
    {
        foreach (var env in environments.All)
        {
            // The API sends the secret on every integration...
            foreach (var method in env.Edge.OfType("AWS::ApiGateway::Method").Select(Props).Where(m => (string?)m["Integration"]!["Type"] != "MOCK"))
                Assert.Contains("{{resolve:secretsmanager:", method["Integration"]!["RequestParameters"]!["integration.request.header.x-origin-verify"]!.ToJsonString());
            // ...every service rule requires it...
            foreach (var service in env.Definition.Config.Services.Keys)
            {
                var rule = Props(env.Service(service).OfType("AWS::ElasticLoadBalancingV2::ListenerRule").Single());
                var header = rule["Conditions"]!.AsArray().Single(c => (string?)c!["Field"] == "http-header")!["HttpHeaderConfig"]!;
                Assert.Equal("x-origin-verify", (string?)header["HttpHeaderName"]);
                Assert.All(header["Values"]!.AsArray(), v => Assert.StartsWith($"{{{{resolve:secretsmanager:backend/{env.Definition.Name}/origin-verify:", (string?)v));
            }
            // ...and anything else is refused by the listener, never passed on.
            foreach (var listener in env.Edge.OfType("AWS::ElasticLoadBalancingV2::Listener").Select(Props))
            {
                var action = listener["DefaultActions"]![0]!;
                if ((string?)action["Type"] == "fixed-response")
                    Assert.Equal("403", (string?)action["FixedResponseConfig"]!["StatusCode"]);
            }
            // The secret is generated, never written.
            Assert.NotNull(Props(env.Edge.OfType("AWS::SecretsManager::Secret").Single(s => (string?)Props(s)["Name"] == $"backend/{env.Definition.Name}/origin-verify"))["GenerateSecretString"]);
        }
    }

    [Fact]
    public void ProdsUndeclaredApiPathsAreAnswered404ByTheApiNotForwardedByTheCatchAll()
    {
        Assert.Equal(new[] { "/api" }, EdgeStack.NotFoundPrefixes(environments.Prod.Definition.Config, environments.Prod.Definition.Config.Api!));
        var notFound = environments.Prod.Edge.OfType("AWS::ApiGateway::Method").Select(Props).Single(m => (string?)m["OperationName"] == "NotFoundApi");
        Assert.Equal("MOCK", (string?)notFound["Integration"]!["Type"]);
        Assert.Equal("ANY", (string?)notFound["HttpMethod"]);
    }

    [Fact]
    public void ProdOutputsTheDnsRecordsItReliesOnButCannotCreate()
    {
        // No hosted zone in prod's file: the API's custom domain and the backend host are the deployer's to create.
        var outputs = environments.Prod.Edge.Outputs;
        Assert.Contains(outputs, o => o.Key == "DnsRecordApiExampleCom" && o.Value!["Value"]!.ToJsonString().Contains("api.example.com"));
        Assert.Contains(outputs, o => o.Key == "DnsRecordOriginExampleCom" && o.Value!["Value"]!.ToJsonString().Contains("LoadBalancer"));
        // Staging aliases both in its zone: nothing to create by hand.
        Assert.DoesNotContain(environments.Staging.Edge.Outputs, o => o.Key.StartsWith("DnsRecord", StringComparison.Ordinal));
    }

    [Fact]
    public void TheFirewallLogsRedactApiKeysAndTheOriginSecret()
    {
        foreach (var env in environments.All)
            foreach (var logging in env.Edge.OfType("AWS::WAFv2::LoggingConfiguration").Select(Props))
            {
                var redacted = logging["RedactedFields"]!.AsArray().Select(f => (string?)f!["SingleHeader"]!["Name"]).ToArray();
                Assert.Contains("x-api-key", redacted);
                Assert.Contains("x-origin-verify", redacted);
            }
    }
}
