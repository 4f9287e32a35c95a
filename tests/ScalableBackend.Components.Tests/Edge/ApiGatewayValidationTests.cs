using Amazon.CDK.AWS.IAM;
using ScalableBackend.Components.Edge;
using ScalableBackend.Components.Networking;
using ScalableBackend.Components.Tests.Support;

namespace ScalableBackend.Components.Tests.Edge;

/// <summary>One call of <see cref="ApiGateway.Validate"/>: plain settings and routes, no CDK objects needed.</summary>
internal sealed record ApiCase(ApiGatewaySettings Settings, IReadOnlyDictionary<string, ApiRouteSettings> Routes, bool HasUserPool = true, string? DomainName = null,
    IReadOnlySet<string>? OAuthScopes = null)
{
    public void Validate() => ApiGateway.Validate(Settings, Routes, HasUserPool, DomainName, OAuthScopes);

    public ApiCase WithSettings(ApiGatewaySettings settings) => this with { Settings = settings };
    public ApiCase WithRoute(ApiRouteSettings route) => this with { Routes = new Dictionary<string, ApiRouteSettings>(Routes) { ["orders"] = route } };
    public ApiCase WithTier(ApiTier tier) => WithSettings(Settings with { Tiers = new Dictionary<string, ApiTier> { ["free"] = tier } });
}

public sealed class ApiGatewayValidationTests
{
    private static readonly ApiCase Valid = new(
        new ApiGatewaySettings
        {
            Throttle = new() { Rate = 100, Burst = 200 },
            Tiers = new Dictionary<string, ApiTier> { ["free"] = new() { Rate = 5, Burst = 10, Quota = new ApiQuota { Limit = 1000, Period = "day" } } },
        },
        new Dictionary<string, ApiRouteSettings>
        {
            ["orders"] = new() { Path = "/orders/{id}", Method = "GET", Scopes = ["backend/orders.read"], TierThrottles = new Dictionary<string, ApiThrottle> { ["free"] = new() { Rate = 1, Burst = 1 } } },
        });
    private static readonly ApiRouteSettings Route = Valid.Routes["orders"];
    private static readonly ApiTier Tier = Valid.Settings.Tiers!["free"];

    [Fact]
    public void TheValidSettingsPass() => Valid.Validate();

    public static TheoryData<string, string> Rows() => new()
    {
        { "burst-below-rate", "Throttle.Burst = 50 must be at least rate (100): a burst below the rate caps it" },
        { "rate-zero", "Throttle.Rate = 0 must be greater than 0" },
        { "stage-name", "StageName = v 1 must be letters, digits, dashes or underscores (at most 128)" },
        { "domain", "DomainName = API.example must be a DNS name such as api.example.com" },
        { "tier-key", "Tiers = Free keys must be lower-case letters, digits and dashes, starting with a letter (at most 40)" },
        { "tier-burst", "Tiers.free.Burst = 4 must be at least rate (5): a burst below the rate caps it" },
        { "quota-period", "Tiers.free.Quota.Period = year must be one of day, week, month" },
        { "quota-limit", "Tiers.free.Quota.Limit = 0 must be at least 1" },
        { "clients-empty", "Tiers.free.Clients must list at least one client (or be left out for one key named after the tier)" },
        { "client-twice", "Tiers.free.Clients[1] = acme is listed twice" },
        { "client-key", "Tiers.free.Clients[0] = Acme must be lower-case letters, digits and dashes, starting with a letter (at most 40)" },
        { "no-routes", "Routes must declare at least one route" },
        { "route-key", "Routes = Orders keys must be lower-case letters, digits and dashes, starting with a letter (at most 40)" },
        { "path", "Routes.orders.Path = orders must start with / and have segments of letters, digits, -, _, . or {name}; only the last may be greedy ({name+})" },
        { "greedy-not-last", "Routes.orders.Path = /{proxy+}/x must start with / and have segments of letters, digits, -, _, . or {name}; only the last may be greedy ({name+})" },
        { "method", "Routes.orders.Method = FETCH must be one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, ANY" },
        { "duplicate", "Routes.orders.Method = GET on /orders/{id} is already declared by routes.another" },
        { "public-and-iam", "Routes.orders.Iam = True must not be set together with public: a route is public, IAM-authorized or Cognito-authorized" },
        { "no-user-pool", "Routes.orders is authorized by Cognito by default but there is no user pool: configure one, or set public or iam" },
        { "schema-not-json", "Routes.orders.Schema must be a JSON object (a JSON schema, draft 4)" },
        { "schema-on-get", "Routes.orders.Schema validates a request body, which a GET request does not have" },
        { "route-throttle", "Routes.orders.Throttle.Burst = 1 must be at least rate (2): a burst below the rate caps it" },
        { "unknown-tier", "Routes.orders.TierThrottles = gold is not a tier; declared: free" },
        { "tier-throttle", "Routes.orders.TierThrottles.free.Rate = -1 must be greater than 0" },
        { "no-scopes", "Routes.orders.Scopes are required on a Cognito-authorized route: name the OAuth scopes a token needs (e.g. backend/orders.read, or openid for any signed-in user); without them the authorizer accepts any user's ID token and rejects every client-credentials token" },
        { "scopes-on-public", "Routes.orders.Scopes = [openid] are only allowed on Cognito-authorized routes (not public or iam)" },
        { "scope-pattern", "Routes.orders.Scopes[0] = backend orders must be an OAuth scope such as openid or backend/orders.read" },
        { "scope-twice", "Routes.orders.Scopes[1] = openid is listed twice" },
        { "scope-unknown", "Routes.orders.Scopes[0] = backend/orders.read is not a scope of the user pool; declared: backend/internal, email, openid, profile" },
    };

    private static ApiCase Broken(string row) => row switch
    {
        "burst-below-rate" => Valid.WithSettings(Valid.Settings with { Throttle = new ApiThrottle { Rate = 100, Burst = 50 } }),
        "rate-zero" => Valid.WithSettings(Valid.Settings with { Throttle = new ApiThrottle { Rate = 0, Burst = 1 } }),
        "stage-name" => Valid.WithSettings(Valid.Settings with { StageName = "v 1" }),
        "domain" => Valid with { DomainName = "API.example" },
        "tier-key" => Valid.WithSettings(Valid.Settings with { Tiers = new Dictionary<string, ApiTier> { ["Free"] = Tier } }),
        "tier-burst" => Valid.WithTier(Tier with { Burst = 4 }),
        "quota-period" => Valid.WithTier(Tier with { Quota = new ApiQuota { Limit = 1, Period = "year" } }),
        "quota-limit" => Valid.WithTier(Tier with { Quota = new ApiQuota { Limit = 0, Period = "day" } }),
        "clients-empty" => Valid.WithTier(Tier with { Clients = [] }),
        "client-twice" => Valid.WithTier(Tier with { Clients = ["acme", "acme"] }),
        "client-key" => Valid.WithTier(Tier with { Clients = ["Acme"] }),
        "no-routes" => Valid with { Routes = new Dictionary<string, ApiRouteSettings>() },
        "route-key" => Valid with { Routes = new Dictionary<string, ApiRouteSettings> { ["Orders"] = Route } },
        "path" => Valid.WithRoute(Route with { Path = "orders" }),
        "greedy-not-last" => Valid.WithRoute(Route with { Path = "/{proxy+}/x" }),
        "method" => Valid.WithRoute(Route with { Method = "FETCH" }),
        "duplicate" => Valid with { Routes = new Dictionary<string, ApiRouteSettings> { ["another"] = Route with { Path = "/orders/{key}" }, ["orders"] = Route } },
        "public-and-iam" => Valid.WithRoute(Route with { Public = true, Iam = true }),
        "no-user-pool" => Valid with { HasUserPool = false },
        "schema-not-json" => Valid.WithRoute(Route with { Method = "POST", Schema = "[1, 2]" }),
        "schema-on-get" => Valid.WithRoute(Route with { Schema = "{\"type\":\"object\"}" }),
        "route-throttle" => Valid.WithRoute(Route with { Throttle = new ApiThrottle { Rate = 2, Burst = 1 } }),
        "unknown-tier" => Valid.WithRoute(Route with { TierThrottles = new Dictionary<string, ApiThrottle> { ["gold"] = new() { Rate = 1, Burst = 1 } } }),
        "tier-throttle" => Valid.WithRoute(Route with { TierThrottles = new Dictionary<string, ApiThrottle> { ["free"] = new() { Rate = -1, Burst = 1 } } }),
        "no-scopes" => Valid.WithRoute(Route with { Scopes = null }),
        "scopes-on-public" => Valid.WithRoute(Route with { Public = true, Scopes = ["openid"] }),
        "scope-pattern" => Valid.WithRoute(Route with { Scopes = ["backend orders"] }),
        "scope-twice" => Valid.WithRoute(Route with { Scopes = ["openid", "openid"] }),
        "scope-unknown" => Valid with { OAuthScopes = Components.Security.UserDirectory.OAuthScopes(new Components.Security.UserDirectorySettings()) },
        _ => throw new ArgumentOutOfRangeException(nameof(row)),
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void EachBrokenSettingHasOneClearMessage(string row, string message) =>
        Assert.Equal(message, Assert.Throws<PropsValidationException>(() => Broken(row).Validate()).Detail);

    [Fact]
    public void ANotFoundPrefixMustBeAPathAndCannotShareALevelWithAPathParameter()
    {
        var stack = TestStacks.Empty();
        var key = Network.CreateLogKey(stack, "LogKey", "test");
        ApiGatewayProps Props(string prefix, string path) => new()
        {
            IntegrationBaseUrl = "https://backend.example.com",
            Throttle = new ApiThrottle { Rate = 10, Burst = 10 },
            LogEncryptionKey = key,
            Routes = new Dictionary<string, ApiRoute> { ["orders"] = new() { Path = path, Method = "GET", Public = true } },
            NotFoundPrefixes = [prefix],
        };
        Assert.Equal("NotFoundPrefixes = api/ must be a path prefix such as /api (segments of letters, digits, -, _ or ., no trailing /)",
            Assert.Throws<PropsValidationException>(() => new ApiGateway(stack, "Slash", Props("api/", "/api/x"))).Detail);
        Assert.Equal("NotFoundPrefixes = /api has the path parameter {id} directly under it, which a greedy 404 resource cannot share; declare its paths as routes or leave the prefix out",
            Assert.Throws<PropsValidationException>(() => new ApiGateway(stack, "Param", Props("/api", "/api/{id}"))).Detail);
    }

    [Fact]
    public void TheConstructorRefusesADomainWithoutACertificateAnAnInvalidBackendUrlAndGrantsOnCognitoRoutes()
    {
        var stack = TestStacks.Empty();
        var key = Network.CreateLogKey(stack, "LogKey", "test");
        ApiGatewayProps Props() => new()
        {
            IntegrationBaseUrl = "https://backend.example.com",
            Throttle = new ApiThrottle { Rate = 10, Burst = 10 },
            LogEncryptionKey = key,
            Routes = new Dictionary<string, ApiRoute> { ["health"] = new() { Path = "/health", Method = "GET", Public = true } },
        };
        Assert.Equal("Certificate is required with domainName",
            Assert.Throws<PropsValidationException>(() => new ApiGateway(stack, "NoCert", Props() with { DomainName = "api.example.com" })).Detail);
        Assert.Equal("IntegrationBaseUrl = ftp://x must start with https:// or http://",
            Assert.Throws<PropsValidationException>(() => new ApiGateway(stack, "Ftp", Props() with { IntegrationBaseUrl = "ftp://x" })).Detail);
        var api = new ApiGateway(stack, "Api", Props());
        var role = new Role(stack, "Role", new RoleProps { AssumedBy = new ServicePrincipal("ec2.amazonaws.com") });
        Assert.Contains("not an IAM-authorized route", Assert.Throws<ArgumentException>(() => api.GrantInvoke("health", role)).Message);
        Assert.Contains("is not a route; declared: health", Assert.Throws<ArgumentException>(() => api.GrantInvoke("nope", role)).Message);
    }
}
