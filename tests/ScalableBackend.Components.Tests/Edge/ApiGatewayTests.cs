using Amazon.CDK.Assertions;
using ScalableBackend.Components.Edge;
using ScalableBackend.Components.Tests.Support;

namespace ScalableBackend.Components.Tests.Edge;

public sealed class ApiGatewayTests(EdgeFixture edge) : IClassFixture<EdgeFixture>
{
    private static Dictionary<string, object> Props(params (string Key, object Value)[] entries) => entries.ToDictionary(e => e.Key, e => e.Value);

    private (string Id, System.Text.Json.Nodes.JsonObject Resource) MethodOf(string operation) =>
        edge.Result.OfType("AWS::ApiGateway::Method").Single(m => (string?)m.Resource["Properties"]!["OperationName"] == operation);

    [Fact]
    public void TheApiIsRegional() =>
        edge.Result.Template.HasResourceProperties("AWS::ApiGateway::RestApi", Props(
            ("Name", "orders-api"),
            ("EndpointConfiguration", Props(("Types", new[] { "REGIONAL" })))));

    [Fact]
    public void TheStageIsThrottledTracedAndWritesJsonAccessLogsToTheEncryptedGroup() =>
        edge.Result.Template.HasResourceProperties("AWS::ApiGateway::Stage", Props(
            ("StageName", "v1"),
            ("TracingEnabled", true),
            ("AccessLogSetting", Match.ObjectLike(Props(("Format", Match.StringLikeRegexp("\"requestId\":\"\\$context.requestId\""))))),
            ("MethodSettings", Match.ArrayWith(new object[]
            {
                Match.ObjectLike(Props(("ResourcePath", "/*"), ("HttpMethod", "*"), ("ThrottlingRateLimit", 100), ("ThrottlingBurstLimit", 200))),
            }))));

    [Fact]
    public void ARouteThrottleBecomesMethodSettingsForItsPathAndMethod() =>
        edge.Result.Template.HasResourceProperties("AWS::ApiGateway::Stage", Props(
            ("MethodSettings", Match.ArrayWith(new object[]
            {
                Match.ObjectLike(Props(("ResourcePath", "/~1orders"), ("HttpMethod", "POST"), ("ThrottlingRateLimit", 10), ("ThrottlingBurstLimit", 20))),
            }))));

    [Fact]
    public void AccessLogGroupIsKmsEncryptedWithRetention()
    {
        var groups = edge.Result.OfType("AWS::Logs::LogGroup").Where(g => g.Id.StartsWith("ApiAccessLogs", StringComparison.Ordinal)).ToArray();
        var (_, group) = Assert.Single(groups);
        Assert.Equal(30, (int)group["Properties"]!["RetentionInDays"]!);
        Assert.NotNull(group["Properties"]!["KmsKeyId"]);
    }

    [Fact]
    public void RoutesAreCognitoAuthorizedByDefault()
    {
        var (_, method) = MethodOf("ListOrders");
        Assert.Equal("COGNITO_USER_POOLS", (string?)method["Properties"]!["AuthorizationType"]);
        Assert.NotNull(method["Properties"]!["AuthorizerId"]);
        edge.Result.Template.HasResourceProperties("AWS::ApiGateway::Authorizer", Props(("Type", "COGNITO_USER_POOLS")));
    }

    [Fact]
    public void APublicRouteOptsOutExplicitly() =>
        Assert.Equal("NONE", (string?)MethodOf("Health").Resource["Properties"]!["AuthorizationType"]);

    [Fact]
    public void AnInternalRouteIsIamAuthorized() =>
        Assert.Equal("AWS_IAM", (string?)MethodOf("InternalStock").Resource["Properties"]!["AuthorizationType"]);

    [Fact]
    public void RoutesProxyToTheBackendAtTheSamePathMappingGreedyParameters()
    {
        var integration = MethodOf("InternalStock").Resource["Properties"]!["Integration"]!;
        Assert.Equal("HTTP_PROXY", (string?)integration["Type"]);
        Assert.Equal("https://backend.example.com/internal/stock/{proxy}", (string?)integration["Uri"]);
        Assert.Equal("method.request.path.proxy", (string?)integration["RequestParameters"]!["integration.request.path.proxy"]);
    }

    [Fact]
    public void ARouteWithASchemaValidatesItsBodyAgainstTheModel()
    {
        var method = MethodOf("CreateOrder").Resource["Properties"]!;
        Assert.NotNull(method["RequestValidatorId"]);
        Assert.NotNull(method["RequestModels"]!["application/json"]);
        edge.Result.Template.HasResourceProperties("AWS::ApiGateway::RequestValidator", Props(("ValidateRequestBody", true)));
        edge.Result.Template.HasResourceProperties("AWS::ApiGateway::Model", Props(
            ("ContentType", "application/json"),
            ("Schema", Props(("type", "object"), ("required", new[] { "sku" }), ("properties", Match.ObjectLike(Props(("quantity", Props(("type", "integer"), ("minimum", 1))))))))));
    }

    [Fact]
    public void ARouteWithoutASchemaHasNoValidator() =>
        Assert.Null(MethodOf("Health").Resource["Properties"]!["RequestValidatorId"]);

    [Fact]
    public void EachTierIsAUsagePlanWithItsThrottleAndQuota()
    {
        edge.Result.Template.ResourceCountIs("AWS::ApiGateway::UsagePlan", 2);
        edge.Result.Template.HasResourceProperties("AWS::ApiGateway::UsagePlan", Props(
            ("UsagePlanName", "orders-api-free"),
            ("Throttle", Props(("RateLimit", 5), ("BurstLimit", 10))),
            ("Quota", Props(("Limit", 10000), ("Period", "MONTH")))));
    }

    [Fact]
    public void ATierThrottleOfARouteIsAPerMethodThrottleInThatTiersPlan()
    {
        var (_, free) = edge.Result.OfType("AWS::ApiGateway::UsagePlan").Single(p => (string?)p.Resource["Properties"]!["UsagePlanName"] == "orders-api-free");
        var throttle = free["Properties"]!["ApiStages"]![0]!["Throttle"]!.AsObject();
        var (path, limits) = Assert.Single(throttle);
        Assert.Equal("/orders/GET", path);
        Assert.Equal(1, (int)limits!["RateLimit"]!);
        Assert.Equal(2, (int)limits["BurstLimit"]!);
    }

    [Fact]
    public void EveryClientGetsAGeneratedApiKeyInItsTiersPlan()
    {
        var keys = edge.Result.OfType("AWS::ApiGateway::ApiKey").ToArray();
        Assert.Equal(3, keys.Length); // free (one key named after the tier), partner: acme and globex
        Assert.All(keys, k => Assert.Null(k.Resource["Properties"]!["Value"]));
        edge.Result.Template.ResourceCountIs("AWS::ApiGateway::UsagePlanKey", 3);
    }

    [Fact]
    public void ApiKeysAreRequiredOnlyWhereARouteSaysSo()
    {
        Assert.True((bool)MethodOf("ListOrders").Resource["Properties"]!["ApiKeyRequired"]!);
        Assert.False((bool?)MethodOf("Health").Resource["Properties"]!["ApiKeyRequired"] ?? false);
    }

    [Fact]
    public void TheCustomDomainIsRegionalWithTls12AndMapsToTheStage()
    {
        edge.Result.Template.HasResourceProperties("AWS::ApiGateway::DomainName", Props(
            ("DomainName", "api.example.com"),
            ("SecurityPolicy", "TLS_1_2"),
            ("EndpointConfiguration", Props(("Types", new[] { "REGIONAL" }))),
            ("RegionalCertificateArn", "arn:aws:acm:us-east-1:123456789012:certificate/abc")));
        edge.Result.Template.ResourceCountIs("AWS::ApiGateway::BasePathMapping", 1);
        edge.Result.Template.HasResourceProperties("AWS::Route53::RecordSet", Props(("Name", "api.example.com."), ("Type", "A"), ("HostedZoneId", "Z123")));
    }

    [Fact]
    public void GrantInvokeAllowsExactlyTheInternalRoutesMethod()
    {
        var (_, policy) = edge.Result.OfType("AWS::IAM::Policy").Single(p => p.Id.StartsWith("CallerRole", StringComparison.Ordinal));
        var statement = policy["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray().Single()!;
        Assert.Equal("execute-api:Invoke", (string?)statement["Action"]);
        var resource = statement["Resource"]!.ToJsonString();
        Assert.Contains("/internal/stock/*", resource);
        Assert.DoesNotContain("\"*\"", resource);
    }
}
