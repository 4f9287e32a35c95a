using System.Text.Json.Nodes;
using ScalableBackend.Components.Compute;
using ScalableBackend.Policies;

namespace ScalableBackend.Stacks.Tests;

/// <summary>The edge of every environment: API stage, usage plans, web ACL, user pool and authorization, from the synthesized templates.</summary>
[Collection(EnvironmentCollection.Name)]
public sealed class EdgeTests(EnvironmentFixture environments)
{
    private static JsonNode Props((string Id, JsonObject Resource) r) => r.Resource["Properties"]!;

    private static JsonNode Stage(EnvironmentTemplates env) => Props(env.Edge.OfType("AWS::ApiGateway::Stage").Single());

    [Fact]
    public void ProdStageIsThrottledByMethodSettingsWithAccessLogsAndTracing()
    {
        var stage = Stage(environments.Prod);
        var all = stage["MethodSettings"]!.AsArray().Single(m => (string?)m!["ResourcePath"] == "/*")!;
        Assert.Equal(1000, (double)all["ThrottlingRateLimit"]!);
        Assert.Equal(2000, (int)all["ThrottlingBurstLimit"]!);
        Assert.Contains(stage["MethodSettings"]!.AsArray(), m => (string?)m!["HttpMethod"] == "POST" && (int)m["ThrottlingBurstLimit"]! == 200);
        Assert.NotNull(stage["AccessLogSetting"]!["DestinationArn"]);
        Assert.True((bool)stage["TracingEnabled"]!);
    }

    [Fact]
    public void EveryEnvironmentsAccessLogsGoToAnEncryptedGroupWithRetention()
    {
        foreach (var env in environments.All)
        {
            var destination = Stage(env)["AccessLogSetting"]!["DestinationArn"]!["Fn::GetAtt"]![0]!.GetValue<string>();
            var group = env.Edge.Json["Resources"]![destination]!["Properties"]!;
            Assert.NotNull(group["KmsKeyId"]);
            Assert.NotNull(group["RetentionInDays"]);
        }
    }

    [Fact]
    public void ProdHasUsagePlansWithGeneratedApiKeys()
    {
        var plans = environments.Prod.Edge.OfType("AWS::ApiGateway::UsagePlan").Select(p => (string?)Props(p)["UsagePlanName"]).Order();
        Assert.Equal(new[] { "backend-prod-free", "backend-prod-partner" }, plans);
        var keys = environments.Prod.Edge.OfType("AWS::ApiGateway::ApiKey").ToArray();
        Assert.Equal(3, keys.Length);
        Assert.All(keys, k => Assert.Null(Props(k)["Value"]));
        environments.Prod.Edge.Template.ResourceCountIs("AWS::ApiGateway::UsagePlanKey", 3);
    }

    [Fact]
    public void ProdsStageAclHasARateRuleAndTheLoadBalancersOwnAclOnlyTheManagedGroups()
    {
        (string Id, JsonObject Acl) Acl(string name) => environments.Prod.Edge.OfType("AWS::WAFv2::WebACL").Single(a => (string?)Props(a)["Name"] == name);
        string[] Targets(string aclId) => environments.Prod.Edge.OfType("AWS::WAFv2::WebACLAssociation")
            .Where(a => Props(a)["WebACLArn"]!.ToJsonString().Contains($"\"{aclId}\""))
            .Select(a => Props(a)["ResourceArn"]!.ToJsonString()).ToArray();
        var (stageId, stage) = Acl("backend-prod");
        var stageRules = stage["Properties"]!["Rules"]!.AsArray();
        Assert.Contains(stageRules, r => r!["Statement"]!["RateBasedStatement"] is not null);
        Assert.True(stageRules.Count(r => r!["Statement"]!["ManagedRuleGroupStatement"] is not null) >= 2);
        var stageTarget = Assert.Single(Targets(stageId));
        Assert.Contains("/stages/", stageTarget);
        // Behind the API every request reaches the load balancer from API Gateway's addresses: no per-IP rule there (17.5).
        var (lbId, lb) = Acl("backend-prod-load-balancer");
        var lbRules = lb["Properties"]!["Rules"]!.AsArray();
        Assert.DoesNotContain(lbRules, r => r!["Statement"]!["RateBasedStatement"] is not null);
        Assert.True(lbRules.Count(r => r!["Statement"]!["ManagedRuleGroupStatement"] is not null) >= 2);
        var lbTarget = Assert.Single(Targets(lbId));
        Assert.Contains("LoadBalancer", lbTarget);
    }

    [Fact]
    public void ProdUserPoolNeedsPasswordsOfAtLeast12Characters()
    {
        var pool = Props(environments.Prod.Edge.OfType("AWS::Cognito::UserPool").Single());
        Assert.True((int)pool["Policies"]!["PasswordPolicy"]!["MinimumLength"]! >= 12);
        Assert.Equal("ON", (string?)pool["MfaConfiguration"]);
    }

    [Fact]
    public void EveryMethodIsAuthorizedByCognitoOrIamUnlessItsRouteIsDeclaredPublic()
    {
        foreach (var env in environments.All)
        {
            var routes = env.Definition.Config.Api!.Routes;
            // The 404 answers under a service's prefix forward nothing (ApiAccessTests in EdgeSecurityTests).
            var methods = env.Edge.OfType("AWS::ApiGateway::Method").Select(Props).Where(m => !((string?)m["OperationName"])!.StartsWith("NotFound", StringComparison.Ordinal)).ToArray();
            foreach (var method in methods)
            {
                var route = routes.Single(r => WebService.ToPascal(r.Key) == (string?)method["OperationName"]);
                var expected = route.Value.Public == true ? "NONE" : route.Value.Iam == true ? "AWS_IAM" : "COGNITO_USER_POOLS";
                Assert.Equal(expected, (string?)method["AuthorizationType"]);
            }
            Assert.Equal(routes.Count, methods.Length);
            Assert.Equal(routes.Count + EdgeStack.NotFoundPrefixes(env.Definition.Config, env.Definition.Config.Api!).Count, env.OfType("AWS::ApiGateway::Method").Count());
        }
    }

    [Fact]
    public void InternalRoutesAreGrantedToTheirDeclaredCallersOnly()
    {
        var invokers = environments.Prod.OfType("AWS::IAM::Policy")
            .Where(p => Props(p)["PolicyDocument"]!.ToJsonString().Contains("execute-api:Invoke"))
            .ToArray();
        var (_, policy) = Assert.Single(invokers);
        Assert.Contains("ServiceWeb", policy["Properties"]!["Roles"]!.ToJsonString());
        // The grant lives in the caller's stack, on the API imported by its export: the edge never learns its callers.
        Assert.Contains(environments.Prod.Service("web").OfType("AWS::IAM::Policy"), p => ReferenceEquals(p.Resource, policy));
        Assert.Contains("Backend-Prod-Edge:ApiId", policy.ToJsonString());
        var statement = policy["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray().Single(s => s!["Action"] is System.Text.Json.Nodes.JsonValue a && (string?)a == "execute-api:Invoke")!;
        Assert.Contains("/*/api/internal/stock/*", statement["Resource"]!.ToJsonString());
    }

    [Fact]
    public void NoIamStatementAllowsEveryActionInAnyEnvironment()
    {
        foreach (var env in environments.All)
            foreach (var (id, resource) in env.Resources.Where(r => ((string?)r.Resource["Type"])!.StartsWith("AWS::IAM::", StringComparison.Ordinal)))
            {
                var documents = new[] { resource["Properties"]?["PolicyDocument"] }
                    .Concat(resource["Properties"]?["Policies"]?.AsArray().Select(p => p!["PolicyDocument"]) ?? []);
                foreach (var statement in documents.Where(d => d is not null).SelectMany(d => d!["Statement"]!.AsArray()))
                {
                    var actions = statement!["Action"] is JsonArray a ? a.Select(x => x!.ToJsonString()) : [statement["Action"]?.ToJsonString() ?? ""];
                    Assert.False(actions.Any(x => x is "\"*\"" or "\"*:*\""), $"{env.Definition.StackName}/{id} allows Action *");
                }
            }
    }

    [Fact]
    public void TheApiReachesTheLoadBalancerOverHttpsUnlessTheEnvironmentHasNoCertificate()
    {
        static string Uri(EnvironmentTemplates env) => Props(env.Edge.OfType("AWS::ApiGateway::Method").First())["Integration"]!["Uri"]!.ToJsonString();
        // Dev has no certificate: plain HTTP to the load balancer's own DNS name.
        Assert.Contains("\"http://\"", Uri(environments.Dev));
        Assert.Contains("LoadBalancer", Uri(environments.Dev));
        // With a certificate the API verifies TLS, so it calls the backend host on that certificate, not the AWS name.
        Assert.StartsWith("\"https://origin.example.com/", Uri(environments.Prod));
    }

    [Fact]
    public void TheBackendHostIsAliasedToTheLoadBalancerWhereTheFileGivesItsZone()
    {
        environments.Staging.Edge.Template.HasResourceProperties("AWS::Route53::RecordSet", new Dictionary<string, object>
        {
            ["Name"] = "origin.staging.example.com.",
            ["Type"] = "A",
            ["HostedZoneId"] = "Z0STAGINGEXAMPLE1",
        });
        // Prod gives no hosted zone: its backend host is aliased outside this stack.
        Assert.DoesNotContain(environments.Prod.OfType("AWS::Route53::RecordSet"), r => r.Resource.ToJsonString().Contains("origin.example.com"));
    }

    [Fact]
    public void ProdsApiServiceIsRoutedByTheHostTheApiSends() =>
        Assert.Contains(environments.Prod.Service("api").OfType("AWS::ElasticLoadBalancingV2::ListenerRule"),
            r => r.Resource.ToJsonString().Contains("\"origin.example.com\""));

    [Fact]
    public void ProdCustomDomainUsesTls12AndStagingsCertificateIsValidatedThroughItsZone()
    {
        var domain = Props(environments.Prod.Edge.OfType("AWS::ApiGateway::DomainName").Single());
        Assert.Equal("TLS_1_2", (string?)domain["SecurityPolicy"]);
        Assert.Equal("api.example.com", (string?)domain["DomainName"]);
        var certificate = Props(environments.Staging.Edge.OfType("AWS::CertificateManager::Certificate").Single());
        Assert.Equal("DNS", (string?)certificate["ValidationMethod"]);
        Assert.Equal("Z0STAGINGEXAMPLE1", (string?)certificate["DomainValidationOptions"]![0]!["HostedZoneId"]);
        Assert.Empty(environments.Dev.OfType("AWS::ApiGateway::DomainName"));
    }

    [Fact]
    public void ThePolicyPackFindsEveryStageThrottledAndFirewalled()
    {
        foreach (var env in environments.All)
        {
            var findings = PolicyEngine.Default.Check(env.TemplateSet, env.Definition.Name);
            Assert.DoesNotContain(findings, f => f.RuleId is "SB-API-001" or "SB-API-002");
        }
    }
}
