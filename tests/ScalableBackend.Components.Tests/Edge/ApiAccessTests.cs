using System.Text.Json.Nodes;
using ScalableBackend.Components.Edge;
using ScalableBackend.Components.Tests.Support;

namespace ScalableBackend.Components.Tests.Edge;

/// <summary>Who can get through the API: scopes on Cognito routes, the origin header to the backend, 404 under a service's prefix.</summary>
public sealed class ApiAccessTests(EdgeFixture edge) : IClassFixture<EdgeFixture>
{
    private JsonNode MethodOf(string operation) =>
        edge.Result.OfType("AWS::ApiGateway::Method").Single(m => (string?)m.Resource["Properties"]!["OperationName"] == operation).Resource["Properties"]!;

    [Fact]
    public void ACognitoRouteRequiresItsScopesSoTheAuthorizerValidatesAccessTokens()
    {
        Assert.Equal(new[] { "backend/orders.read" }, MethodOf("ListOrders")["AuthorizationScopes"]!.AsArray().Select(s => (string?)s));
        Assert.Equal(new[] { "openid" }, MethodOf("CreateOrder")["AuthorizationScopes"]!.AsArray().Select(s => (string?)s));
        Assert.Null(MethodOf("Health")["AuthorizationScopes"]);
    }

    [Fact]
    public void EveryIntegrationSendsTheOriginHeaderAsAReferenceToTheSecret()
    {
        foreach (var operation in new[] { "ListOrders", "CreateOrder", "Health", "InternalStock", "Site" })
        {
            var parameters = MethodOf(operation)["Integration"]!["RequestParameters"]!;
            Assert.Equal($"'{edge.Origin.SentValue}'", (string?)parameters["integration.request.header.x-origin-verify"]);
        }
    }

    [Fact]
    public void APathUnderAServicePrefixThatNoRouteDeclaresIsAnswered404ByTheApiNotForwarded()
    {
        var method = MethodOf("NotFoundInternal");
        Assert.Equal("ANY", (string?)method["HttpMethod"]);
        Assert.Equal("NONE", (string?)method["AuthorizationType"]);
        var integration = method["Integration"]!;
        Assert.Equal("MOCK", (string?)integration["Type"]);
        Assert.Null(integration["Uri"]);
        Assert.Equal("404", (string?)integration["IntegrationResponses"]![0]!["StatusCode"]);
        // It sits on /internal/{proxy+}, beside the declared /internal/stock/{proxy+}, so the public /{proxy+} never sees those paths.
        var resourceId = method["ResourceId"]!["Ref"]!.GetValue<string>();
        var resource = edge.Result.Json["Resources"]![resourceId]!["Properties"]!;
        Assert.Equal("{proxy+}", (string?)resource["PathPart"]);
        var parent = edge.Result.Json["Resources"]![resource["ParentId"]!["Ref"]!.GetValue<string>()]!["Properties"]!;
        Assert.Equal("internal", (string?)parent["PathPart"]);
    }

    [Fact]
    public void ACustomDomainInAGivenZoneNeedsNoRecordByHand() =>
        // The fixture's domain is aliased in its zone: nothing is left to the deployer.
        Assert.Single(edge.Result.OfType("AWS::Route53::RecordSet"));
}

public sealed class ScopedApiTests(ScopedApiFixture scoped) : IClassFixture<ScopedApiFixture>
{
    [Fact]
    public void AClientCredentialsClientCanCallARouteThatRequiresItsScope()
    {
        // The method requires backend/orders.read, so the authorizer validates access tokens and needs that scope...
        var method = scoped.Result.Single("AWS::ApiGateway::Method");
        Assert.Equal("COGNITO_USER_POOLS", (string?)method["AuthorizationType"]);
        Assert.Equal(new[] { "backend/orders.read" }, method["AuthorizationScopes"]!.AsArray().Select(s => (string?)s));
        // ...which the machine client may request from the resource server "backend"...
        var client = scoped.Result.Single("AWS::Cognito::UserPoolClient");
        Assert.Equal(new[] { "client_credentials" }, client["AllowedOAuthFlows"]!.AsArray().Select(f => (string?)f));
        var scope = Assert.Single(client["AllowedOAuthScopes"]!.AsArray())!["Fn::Join"]![1]!.AsArray();
        var server = scoped.Result.Json["Resources"]![scope[0]!["Ref"]!.GetValue<string>()]!["Properties"]!;
        Assert.Equal("backend", (string?)server["Identifier"]);
        Assert.Equal("/orders.read", (string?)scope[1]);
        // ...at the token endpoint of the pool's domain.
        Assert.Equal("scoped-users", (string?)scoped.Result.Single("AWS::Cognito::UserPoolDomain")["Domain"]);
    }

    [Fact]
    public void ACustomDomainWithoutAZoneIsReportedAsTheRecordToCreate()
    {
        var record = Assert.Single(scoped.Api.RequiredDnsRecords);
        Assert.Equal(("api.example.com", "CNAME"), (record.Name, record.Type));
        Assert.Empty(scoped.Result.OfType("AWS::Route53::RecordSet"));
    }
}
