using Amazon.CDK.AWS.CertificateManager;
using Amazon.CDK.AWS.Cognito;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Logs;
using Amazon.CDK.AWS.Route53;
using ScalableBackend.Components.Edge;
using ScalableBackend.Components.Networking;
using ScalableBackend.Components.Security;
using ScalableBackend.Components.Tests.Support;

namespace ScalableBackend.Components.Tests.Edge;

/// <summary>
/// An API with every kind of route (Cognito with scopes, public, IAM with a caller, schema-validated, greedy proxy,
/// a public catch-all), an origin check, a 404 prefix, two tiers, a custom domain with an alias record, and a web
/// firewall protecting its stage; synthesized once.
/// </summary>
public sealed class EdgeFixture
{
    public const string OrderSchema = """{"type":"object","required":["sku"],"properties":{"sku":{"type":"string"},"quantity":{"type":"integer","minimum":1}}}""";

    public Synthesized Result { get; }

    public OriginCheck Origin { get; } = OriginCheck.ForSecret("backend/test/origin-verify", 1);

    public EdgeFixture()
    {
        var stack = TestStacks.Empty();
        var key = Network.CreateLogKey(stack, "LogKey", "test");
        var pool = new UserPool(stack, "Pool");
        var api = new ApiGateway(stack, "Api", new ApiGatewayProps
        {
            Name = "orders-api",
            IntegrationBaseUrl = "https://backend.example.com",
            Throttle = new ApiThrottle { Rate = 100, Burst = 200 },
            UserPool = pool,
            LogEncryptionKey = key,
            AccessLogRetention = RetentionDays.ONE_MONTH,
            DomainName = "api.example.com",
            Certificate = Certificate.FromCertificateArn(stack, "Cert", "arn:aws:acm:us-east-1:123456789012:certificate/abc"),
            HostedZone = HostedZone.FromHostedZoneAttributes(stack, "Zone", new HostedZoneAttributes { HostedZoneId = "Z123", ZoneName = "example.com" }),
            Tiers = new Dictionary<string, ApiTier>
            {
                ["free"] = new() { Rate = 5, Burst = 10, Quota = new ApiQuota { Limit = 10000, Period = "month" } },
                ["partner"] = new() { Rate = 50, Burst = 100, Clients = ["acme", "globex"] },
            },
            Routes = new Dictionary<string, ApiRoute>
            {
                ["list-orders"] = new() { Path = "/orders", Method = "GET", ApiKeyRequired = true, Scopes = ["backend/orders.read"], TierThrottles = new Dictionary<string, ApiThrottle> { ["free"] = new() { Rate = 1, Burst = 2 } } },
                ["create-order"] = new() { Path = "/orders", Method = "POST", Scopes = ["openid"], Schema = OrderSchema, Throttle = new ApiThrottle { Rate = 10, Burst = 20 } },
                ["health"] = new() { Path = "/health", Method = "GET", Public = true },
                ["internal-stock"] = new() { Path = "/internal/stock/{proxy+}", Method = "ANY", Iam = true },
                ["site"] = new() { Path = "/{proxy+}", Method = "GET", Public = true },
            },
            OriginCheck = Origin,
            NotFoundPrefixes = ["/internal"],
        });
        var caller = new Role(stack, "CallerRole", new RoleProps { AssumedBy = new ServicePrincipal("ec2.amazonaws.com") });
        api.GrantInvoke("internal-stock", caller);
        _ = new WebFirewall(stack, "Firewall", new WebFirewallProps
        {
            Name = "test-acl",
            RateLimitPerIp = 2000,
            LogEncryptionKey = key,
            LogRetention = RetentionDays.ONE_MONTH,
            ProtectedResources = new Dictionary<string, string> { ["api"] = api.Stage.StageArn },
        });
        Result = Synthesized.Of(stack);
    }
}

/// <summary>A load balancer's own web ACL: managed rules only, no per-IP rule; synthesized once.</summary>
public sealed class LoadBalancerFirewallFixture
{
    public Synthesized Result { get; }

    public LoadBalancerFirewallFixture()
    {
        var stack = TestStacks.Empty();
        var key = Network.CreateLogKey(stack, "LogKey", "test");
        _ = new WebFirewall(stack, "LoadBalancerFirewall", new WebFirewallProps
        {
            Name = "test-lb-acl",
            LogEncryptionKey = key,
            RedactedHeaders = ["X-Session-Token"],
            ProtectedResources = new Dictionary<string, string> { ["load-balancer"] = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/x/1" },
        });
        _ = new WebFirewall(stack, "ForwardedFirewall", new WebFirewallProps
        {
            Name = "test-forwarded-acl",
            LogEncryptionKey = key,
            RateLimitPerIp = 1000,
            ClientIpHeader = "X-Client-Ip",
        });
        Result = Synthesized.Of(stack);
    }
}

/// <summary>A user directory whose machine client may call a scoped route of an API authorized by it; synthesized once.</summary>
public sealed class ScopedApiFixture
{
    public Synthesized Result { get; }

    public ApiGateway Api { get; }

    public ScopedApiFixture()
    {
        var stack = TestStacks.Empty();
        var key = Network.CreateLogKey(stack, "LogKey", "test");
        var settings = new UserDirectoryProps
        {
            DomainPrefix = "scoped-users",
            Scopes = new Dictionary<string, UserDirectoryScope> { ["orders.read"] = new() { Description = "Read orders" } },
            Clients = new Dictionary<string, UserDirectoryClient> { ["partner"] = new() { Flows = [OAuthFlow.ClientCredentials], Scopes = ["orders.read"] } },
        };
        var users = new UserDirectory(stack, "Users", settings);
        var routes = new Dictionary<string, ApiRoute> { ["orders"] = new() { Path = "/orders", Method = "GET", Scopes = ["backend/orders.read"] } };
        ApiGateway.Validate(new ApiGatewaySettings { Throttle = new() { Rate = 10, Burst = 10 } }, routes.ToDictionary(kv => kv.Key, kv => (ApiRouteSettings)kv.Value),
            hasUserPool: true, domainName: null, UserDirectory.OAuthScopes(settings));
        Api = new ApiGateway(stack, "Api", new ApiGatewayProps
        {
            IntegrationBaseUrl = "https://backend.example.com",
            Throttle = new ApiThrottle { Rate = 10, Burst = 10 },
            UserPool = users.UserPool,
            LogEncryptionKey = key,
            Routes = routes,
            DomainName = "api.example.com",
            Certificate = Certificate.FromCertificateArn(stack, "Cert", "arn:aws:acm:us-east-1:123456789012:certificate/abc"),
        });
        Result = Synthesized.Of(stack);
    }
}
