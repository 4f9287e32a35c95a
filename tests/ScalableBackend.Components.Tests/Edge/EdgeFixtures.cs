using Amazon.CDK.AWS.CertificateManager;
using Amazon.CDK.AWS.Cognito;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Logs;
using Amazon.CDK.AWS.Route53;
using ScalableBackend.Components.Edge;
using ScalableBackend.Components.Networking;
using ScalableBackend.Components.Tests.Support;

namespace ScalableBackend.Components.Tests.Edge;

/// <summary>
/// An API with every kind of route (Cognito, public, IAM with a caller, schema-validated, greedy proxy), two
/// tiers, a custom domain with an alias record, and a web firewall protecting its stage; synthesized once.
/// </summary>
public sealed class EdgeFixture
{
    public const string OrderSchema = """{"type":"object","required":["sku"],"properties":{"sku":{"type":"string"},"quantity":{"type":"integer","minimum":1}}}""";

    public Synthesized Result { get; }

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
                ["list-orders"] = new() { Path = "/orders", Method = "GET", ApiKeyRequired = true, TierThrottles = new Dictionary<string, ApiThrottle> { ["free"] = new() { Rate = 1, Burst = 2 } } },
                ["create-order"] = new() { Path = "/orders", Method = "POST", Schema = OrderSchema, Throttle = new ApiThrottle { Rate = 10, Burst = 20 } },
                ["health"] = new() { Path = "/health", Method = "GET", Public = true },
                ["internal-stock"] = new() { Path = "/internal/stock/{proxy+}", Method = "ANY", Iam = true },
            },
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
