using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Amazon.CDK;
using Amazon.CDK.AWS.APIGateway;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Logs;
using Amazon.CDK.AWS.Route53;
using Amazon.CDK.AWS.Route53.Targets;
using Constructs;
using ScalableBackend.Components.Observability;
using ScalableBackend.Components.Compute;
using ScalableBackend.Components.Security;
using ApiDomainName = Amazon.CDK.AWS.APIGateway.DomainName_;
using Stage = Amazon.CDK.AWS.APIGateway.Stage;

namespace ScalableBackend.Components.Edge;

/// <summary>
/// A regional API Gateway REST API in front of the services: every route is an HTTP proxy integration to
/// <see cref="ApiGatewayProps.IntegrationBaseUrl"/> at the same path. The stage is throttled (stage-wide rate
/// and burst, per-route overrides as method settings), traced with X-Ray and writes JSON access logs to a
/// KMS-encrypted log group with retention. Routes are authorized by the Cognito user pool unless they say
/// <c>Public</c> (explicit opt-out) or <c>Iam</c> (internal, SigV4). Routes with a JSON schema get request body
/// validation. Each client tier is a usage plan with generated API keys, its own throttle and quota. An optional
/// regional custom domain uses TLS 1.2 and maps to the stage.
/// </summary>
/// <remarks>
/// Why an HTTP proxy to the load balancer rather than a VPC link: a REST API's VPC link needs a Network Load
/// Balancer in front of the Application Load Balancer (an extra hop, its own listeners, health checks and cost),
/// while the services already sit behind a public ALB with TLS and an HTTP-to-HTTPS redirect. The catch is that
/// a public ALB behind the API can be called directly, bypassing the API's throttles and authorizers; with
/// <see cref="ApiGatewayProps.OriginCheck"/> every integration adds the <see cref="OriginSecret"/> header, which the
/// load balancer's rules require (default action 403), so only requests that came through the API reach a service.
/// A greedy public route would still forward paths no route declares; <see cref="ApiGatewayProps.NotFoundPrefixes"/>
/// makes the API answer those itself with 404.
/// </remarks>
public sealed partial class ApiGateway : Construct
{
    /// <summary>The methods API Gateway accepts on a route.</summary>
    public static readonly IReadOnlyList<string> HttpMethods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY"];

    /// <summary>The quota periods a tier may use.</summary>
    public static readonly IReadOnlyList<string> QuotaPeriods = ["day", "week", "month"];

    /// <summary>The REST API.</summary>
    public RestApi Api { get; }

    /// <summary>The deployed stage.</summary>
    public Stage Stage { get; }

    /// <summary>The access log group (KMS-encrypted, with retention).</summary>
    public ILogGroup AccessLogGroup { get; }

    /// <summary>The methods, keyed by route name.</summary>
    public IReadOnlyDictionary<string, Method> Methods { get; }

    /// <summary>The usage plans, keyed by tier.</summary>
    public IReadOnlyDictionary<string, UsagePlan> UsagePlans { get; }

    /// <summary>The API keys, keyed by <c>tier/client</c>.</summary>
    public IReadOnlyDictionary<string, IApiKey> ApiKeys { get; }

    /// <summary>The Cognito authorizer; null when no route uses it.</summary>
    public CognitoUserPoolsAuthorizer? Authorizer { get; }

    /// <summary>The custom domain; null without <see cref="ApiGatewayProps.DomainName"/>.</summary>
    public ApiDomainName? Domain { get; }

    /// <summary>
    /// The DNS record the deployer must create: the custom domain as a CNAME to its regional API Gateway name, when no
    /// hosted zone is given to alias it in. Empty otherwise. Components create no outputs; the stack does.
    /// </summary>
    public IReadOnlyList<RequiredDnsRecord> RequiredDnsRecords { get; }

    /// <summary>The methods answering 404 under <see cref="ApiGatewayProps.NotFoundPrefixes"/>, keyed by prefix.</summary>
    public IReadOnlyDictionary<string, Method> NotFoundMethods { get; }

    private readonly IReadOnlyDictionary<string, ApiRoute> _routes;

    /// <summary>Creates the API; validates <paramref name="props"/> before creating anything.</summary>
    /// <exception cref="PropsValidationException">A property is out of its allowed range or names something unknown.</exception>
    public ApiGateway(Construct scope, string id, ApiGatewayProps props) : base(scope, id)
    {
        Validate(props, props.Routes.ToDictionary(kv => kv.Key, kv => (ApiRouteSettings)kv.Value), props.UserPool is not null, props.DomainName);
        if (props.DomainName is not null && props.Certificate is null)
            throw new PropsValidationException(nameof(props.Certificate), null, "is required with domainName");
        if (!props.IntegrationBaseUrl.StartsWith("https://", StringComparison.Ordinal) && !props.IntegrationBaseUrl.StartsWith("http://", StringComparison.Ordinal))
            throw new PropsValidationException(nameof(props.IntegrationBaseUrl), props.IntegrationBaseUrl, "must start with https:// or http://");
        foreach (var prefix in props.NotFoundPrefixes ?? [])
            if (!NotFoundPrefixPattern().IsMatch(prefix))
                throw new PropsValidationException(nameof(props.NotFoundPrefixes), prefix, "must be a path prefix such as /api (segments of letters, digits, -, _ or ., no trailing /)");
        _routes = props.Routes;
        var stageName = props.StageName ?? "v1";
        var routes = props.Routes.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToArray();

        AccessLogGroup = EncryptedLogGroup.Create(this, "AccessLogs", new EncryptedLogGroupProps
        {
            EncryptionKey = props.LogEncryptionKey,
            Retention = props.AccessLogRetention ?? RetentionDays.ONE_YEAR,
        });

        var methodOptions = new Dictionary<string, IMethodDeploymentOptions>();
        foreach (var (_, route) in routes)
            if (route.Throttle is { } t)
                methodOptions[$"{route.Path.TrimEnd('/')}/{(route.Method == "ANY" ? "*" : route.Method)}"] = new MethodDeploymentOptions
                {
                    ThrottlingRateLimit = t.Rate,
                    ThrottlingBurstLimit = t.Burst,
                };

        Api = new RestApi(this, "Api", new RestApiProps
        {
            RestApiName = props.Name ?? Node.Path.Replace('/', '-'),
            Description = $"{Node.Path}: proxy to the services",
            EndpointConfiguration = new EndpointConfiguration { Types = new[] { EndpointType.REGIONAL } },
            CloudWatchRole = props.ManageAccountLogRole ?? true,
            CloudWatchRoleRemovalPolicy = RemovalPolicy.RETAIN,
            DeployOptions = new StageOptions
            {
                StageName = stageName,
                ThrottlingRateLimit = props.Throttle.Rate,
                ThrottlingBurstLimit = props.Throttle.Burst,
                TracingEnabled = true,
                MetricsEnabled = true,
                AccessLogDestination = new LogGroupLogDestination(AccessLogGroup),
                AccessLogFormat = AccessLogFormat.JsonWithStandardFields(new JsonWithStandardFieldProps
                {
                    Caller = true, HttpMethod = true, Ip = true, Protocol = true, RequestTime = true,
                    ResourcePath = true, ResponseLength = true, Status = true, User = true,
                }),
                MethodOptions = methodOptions,
                // Execution logs (errors only, never request or response bodies) through the account's log role.
                LoggingLevel = MethodLoggingLevel.ERROR,
                DataTraceEnabled = false,
            },
        });
        Stage = Api.DeploymentStage;
        if (Api.Node.TryFindChild("CloudWatchRole") is { } logRole)
            Security.PolicyAcknowledgement.Apply(logRole, new Security.PolicyAcknowledgement(
                "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]",
                "AmazonAPIGatewayPushToCloudWatchLogs is the policy AWS documents for API Gateway's account-level logging role; " +
                "API Gateway writes every API's execution and access logs through this one role."));

        if (routes.Any(r => IsCognito(r.Value)))
            Authorizer = new CognitoUserPoolsAuthorizer(this, "Authorizer", new CognitoUserPoolsAuthorizerProps
            {
                CognitoUserPools = new[] { props.UserPool! },
                ResultsCacheTtl = Duration.Minutes(5),
            });
        RequestValidator? bodyValidator = routes.Any(r => r.Value.Schema is not null)
            ? Api.AddRequestValidator("BodyValidator", new RequestValidatorOptions { ValidateRequestBody = true, ValidateRequestParameters = true })
            : null;

        if (bodyValidator is null)
            Security.PolicyAcknowledgement.Apply(Api, new Security.PolicyAcknowledgement("AwsSolutions-APIG2",
                "No route of this API declares a request schema (routes.<name>.schema), so there is no body to validate; " +
                "a route that declares one gets a validator for its body and parameters."));

        var methods = new Dictionary<string, Method>();
        foreach (var (key, route) in routes)
            methods[key] = AddRoute(key, route, props.IntegrationBaseUrl, bodyValidator, props.OriginCheck);
        Methods = methods;
        NotFoundMethods = (props.NotFoundPrefixes ?? []).Distinct().Order(StringComparer.Ordinal)
            .ToDictionary(p => p, p => AddNotFound(p, routes.Select(r => r.Value).ToArray()));

        var plans = new Dictionary<string, UsagePlan>();
        var keys = new Dictionary<string, IApiKey>();
        foreach (var (tier, settings) in (props.Tiers ?? new Dictionary<string, ApiTier>()).OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var perMethod = routes
                .Where(r => r.Value.TierThrottles?.ContainsKey(tier) == true)
                .Select(r => (IThrottlingPerMethod)new ThrottlingPerMethod
                {
                    Method = methods[r.Key],
                    Throttle = new ThrottleSettings { RateLimit = r.Value.TierThrottles![tier].Rate, BurstLimit = r.Value.TierThrottles[tier].Burst },
                })
                .ToArray();
            var plan = Api.AddUsagePlan($"UsagePlan{WebService.ToPascal(tier)}", new UsagePlanProps
            {
                Name = $"{props.Name ?? Node.Path.Replace('/', '-')}-{tier}",
                Description = $"Client tier {tier}",
                Throttle = new ThrottleSettings { RateLimit = settings.Rate, BurstLimit = settings.Burst },
                Quota = settings.Quota is { } q ? new QuotaSettings { Limit = q.Limit, Period = ToPeriod(q.Period) } : null,
                ApiStages = new IUsagePlanPerApiStage[] { new UsagePlanPerApiStage { Api = Api, Stage = Stage, Throttle = perMethod } },
            });
            foreach (var client in settings.Clients ?? [tier])
            {
                // No value given: API Gateway generates the key; it never appears in the template.
                var apiKey = Api.AddApiKey($"ApiKey{WebService.ToPascal(tier)}{WebService.ToPascal(client)}", new ApiKeyOptions
                {
                    Description = $"Client {client} in tier {tier}",
                });
                plan.AddApiKey(apiKey);
                keys[$"{tier}/{client}"] = apiKey;
            }
            plans[tier] = plan;
        }
        UsagePlans = plans;
        ApiKeys = keys;

        var records = new List<RequiredDnsRecord>();
        if (props.DomainName is { } domainName)
        {
            Domain = new ApiDomainName(this, "Domain", new DomainNameProps
            {
                DomainName = domainName,
                Certificate = props.Certificate!,
                EndpointType = EndpointType.REGIONAL,
                SecurityPolicy = SecurityPolicy.TLS_1_2,
            });
            Domain.AddBasePathMapping(Api, new BasePathMappingOptions { Stage = Stage });
            if (!Token.IsUnresolved(props.Certificate!.CertificateArn))
                Security.PolicyAcknowledgement.Apply(Domain, Security.PolicyAcknowledgement.ForRules(
                    "The certificate is an existing ACM certificate imported by the ARN the caller gives (an environment file's api.domain.certificateArn); a template parameter would only move the same literal elsewhere.",
                    "W9002", "W9013"));
            if (props.HostedZone is { } zone)
                _ = new ARecord(this, "AliasRecord", new ARecordProps
                {
                    Zone = zone,
                    RecordName = domainName,
                    Target = RecordTarget.FromAlias(new ApiGatewayDomain(Domain)),
                });
            else
                records.Add(new RequiredDnsRecord(domainName, "CNAME", Domain.DomainNameAliasDomainName,
                    "the API's custom domain, served by its regional API Gateway endpoint (or an alias A record to it in Route 53)"));
        }
        RequiredDnsRecords = records;
    }

    /// <summary>
    /// Answers every method on <c>prefix/{proxy+}</c> with 404 from a mock integration (unless a route already declares
    /// <c>ANY</c> there), so paths under the prefix that no route declares never reach a backend through a shorter greedy route.
    /// </summary>
    private Method AddNotFound(string prefix, IReadOnlyList<ApiRoute> routes)
    {
        var depth = prefix.Count(c => c == '/');
        static string[] Segments(string path) => path.Trim('/').Split('/');
        var under = routes.Where(r => r.Path.StartsWith(prefix + "/", StringComparison.Ordinal)).Select(r => Segments(r.Path)).ToArray();
        var variable = under.Select(s => s[depth]).FirstOrDefault(s => s.StartsWith('{'));
        if (variable is not null && !variable.EndsWith("+}", StringComparison.Ordinal))
            throw new PropsValidationException(nameof(ApiGatewayProps.NotFoundPrefixes), prefix,
                $"has the path parameter {variable} directly under it, which a greedy 404 resource cannot share; declare its paths as routes or leave the prefix out");
        var greedy = variable ?? "{proxy+}";
        if (routes.Any(r => r.Method == "ANY" && r.Path.TrimEnd('/') == $"{prefix}/{greedy}"))
            throw new PropsValidationException(nameof(ApiGatewayProps.NotFoundPrefixes), prefix, $"is served by the route on ANY {prefix}/{greedy}: nothing under it is undeclared");
        var resource = Api.Root.ResourceForPath($"{prefix.Trim('/')}/{greedy}");
        var notFound = resource.AddMethod("ANY", new MockIntegration(new IntegrationOptions
        {
            RequestTemplates = new Dictionary<string, string> { ["application/json"] = "{\"statusCode\": 404}" },
            PassthroughBehavior = PassthroughBehavior.WHEN_NO_MATCH,
            IntegrationResponses = new IIntegrationResponse[]
            {
                new IntegrationResponse
                {
                    StatusCode = "404",
                    ResponseTemplates = new Dictionary<string, string> { ["application/json"] = "{\"message\": \"Not Found\"}" },
                },
            },
        }), new MethodOptions
        {
            OperationName = $"NotFound{WebService.ToPascal(prefix.Trim('/').Replace('/', '-').Replace('.', '-').Replace('_', '-').ToLowerInvariant())}",
            // Nothing is forwarded: the mock answers 404 to anyone, so no authorizer is needed.
            AuthorizationType = AuthorizationType.NONE,
            MethodResponses = new IMethodResponse[] { new MethodResponse { StatusCode = "404" } },
        });
        Security.PolicyAcknowledgement.Apply(notFound, Security.PolicyAcknowledgement.ForRules(
            "The mock answers 404 to every undeclared path under the services' prefixes and forwards nothing, so there is nothing to authorize.",
            "AwsSolutions-APIG4", "AwsSolutions-COG4"));
        return notFound;
    }

    private Method AddRoute(string key, ApiRoute route, string baseUrl, RequestValidator? validator, OriginCheck? origin)
    {
        var resource = route.Path == "/" ? Api.Root : Api.Root.ResourceForPath(route.Path.Trim('/'));
        var methodParameters = new Dictionary<string, bool>();
        var integrationParameters = new Dictionary<string, string>();
        foreach (Match m in PathParameter().Matches(route.Path))
        {
            var name = m.Groups[1].Value;
            methodParameters[$"method.request.path.{name}"] = true;
            integrationParameters[$"integration.request.path.{name}"] = $"method.request.path.{name}";
        }
        // A static header value is quoted; the value is a dynamic reference CloudFormation resolves at deploy time.
        if (origin is not null)
            integrationParameters[$"integration.request.header.{origin.HeaderName}"] = $"'{origin.SentValue}'";
        var backendPath = PathParameter().Replace(route.Path, "{$1}");
        var integration = new HttpIntegration(baseUrl.TrimEnd('/') + backendPath, new HttpIntegrationProps
        {
            HttpMethod = route.Method,
            Proxy = true,
            Options = new IntegrationOptions { RequestParameters = integrationParameters },
        });

        IModel? model = null;
        if (route.Schema is { } schema)
        {
            var pascal = WebService.ToPascal(key);
            var created = Api.AddModel($"{pascal}Model", new ModelOptions
            {
                ContentType = "application/json",
                ModelName = $"{pascal}Request",
                Description = $"Request body of route {key}",
                Schema = new JsonSchema { Schema = JsonSchemaVersion.DRAFT4, Type = JsonSchemaType.OBJECT },
            });
            // The schema comes as JSON text; CloudFormation takes it as an object, exactly as written.
            ((CfnModel)created.Node.DefaultChild!).Schema = ToJsii(JsonNode.Parse(schema)!);
            model = created;
        }

        var authorization = route.Public == true ? AuthorizationType.NONE
            : route.Iam == true ? AuthorizationType.IAM
            : AuthorizationType.COGNITO;
        var method = resource.AddMethod(route.Method, integration, new MethodOptions
        {
            OperationName = WebService.ToPascal(key),
            AuthorizationType = authorization,
            Authorizer = authorization == AuthorizationType.COGNITO ? Authorizer : null,
            AuthorizationScopes = authorization == AuthorizationType.COGNITO && route.Scopes is { Count: > 0 } scopes ? scopes.ToArray() : null,
            ApiKeyRequired = route.ApiKeyRequired ?? false,
            RequestParameters = methodParameters.Count > 0 ? methodParameters : null,
            RequestValidator = model is not null ? validator : null,
            RequestModels = model is not null ? new Dictionary<string, IModel> { ["application/json"] = model } : null,
        });
        if (authorization == AuthorizationType.NONE)
            Security.PolicyAcknowledgement.Apply(method, Security.PolicyAcknowledgement.ForRules(
                $"Route {key} is declared public (routes.{key}.public: true) in the environment file: anyone may call it, " +
                "within the stage's throttles and the web ACL.",
                "AwsSolutions-APIG4", "AwsSolutions-COG4"));
        else if (authorization == AuthorizationType.IAM)
            Security.PolicyAcknowledgement.Apply(method, new Security.PolicyAcknowledgement("AwsSolutions-COG4",
                $"Route {key} is declared IAM-authorized (routes.{key}.iam: true): callers sign with SigV4 and need " +
                "execute-api:Invoke on exactly this method (GrantInvoke), which is the authorization a service-to-service route wants."));
        return method;
    }

    /// <summary>
    /// Allows <paramref name="grantee"/> to call the IAM-authorized route <paramref name="route"/>:
    /// <c>execute-api:Invoke</c> on exactly that method of the stage, nothing else.
    /// </summary>
    /// <exception cref="ArgumentException">No such route, or the route is not IAM-authorized.</exception>
    public Grant GrantInvoke(string route, IGrantable grantee)
    {
        if (!Methods.TryGetValue(route, out var method))
            throw new ArgumentException($"{route} is not a route; declared: {string.Join(", ", Methods.Keys.Order(StringComparer.Ordinal))}", nameof(route));
        if (_routes[route].Iam != true)
            throw new ArgumentException($"{route} is not an IAM-authorized route; only those are granted", nameof(route));
        return Grant.AddToPrincipal(new GrantOnPrincipalOptions
        {
            Grantee = grantee,
            Actions = new[] { "execute-api:Invoke" },
            ResourceArns = new[] { method.MethodArn },
        });
    }

    private static bool IsCognito(ApiRouteSettings route) => route.Public != true && route.Iam != true;

    private static Period ToPeriod(string period) => period switch
    {
        "day" => Period.DAY,
        "week" => Period.WEEK,
        _ => Period.MONTH,
    };

    private static object ToJsii(JsonNode node) => node switch
    {
        JsonObject o => o.ToDictionary(kv => kv.Key, kv => kv.Value is null ? null! : ToJsii(kv.Value)),
        JsonArray a => a.Select(v => v is null ? null! : ToJsii(v)).ToArray(),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>(),
        JsonValue v => v.GetValue<double>(),
        _ => throw new ArgumentException("unsupported JSON value"),
    };

    private static PropsValidationException Invalid(string path, object? value, string rule) => new(path, value, rule);

    /// <summary>
    /// Checks the settings of an API with its <paramref name="routes"/>, whether a Cognito user pool can authorize
    /// them (<paramref name="hasUserPool"/>), its custom <paramref name="domainName"/>, if any, and the scopes the user
    /// pool can issue (<paramref name="oauthScopes"/>, see <c>UserDirectory.OAuthScopes</c>; null leaves route scopes
    /// unchecked); throws naming the property path, the value and what is allowed.
    /// </summary>
    /// <exception cref="PropsValidationException">A setting is out of its allowed range or names something unknown.</exception>
    public static void Validate(ApiGatewaySettings s, IReadOnlyDictionary<string, ApiRouteSettings> routes, bool hasUserPool, string? domainName,
        IReadOnlySet<string>? oauthScopes = null)
    {
        if (s.StageName is { } stage && !StagePattern().IsMatch(stage))
            throw Invalid(nameof(s.StageName), stage, "must be letters, digits, dashes or underscores (at most 128)");
        ValidateThrottle(nameof(s.Throttle), s.Throttle.Rate, s.Throttle.Burst);
        if (domainName is { } domain && !DomainPattern().IsMatch(domain))
            throw Invalid(nameof(ApiGatewayProps.DomainName), domain, "must be a DNS name such as api.example.com");

        var tiers = s.Tiers ?? new Dictionary<string, ApiTier>();
        foreach (var (name, tier) in tiers.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var at = $"{nameof(s.Tiers)}.{name}";
            if (!WebService.IsValidKey(name))
                throw Invalid(nameof(s.Tiers), name, "keys must be lower-case letters, digits and dashes, starting with a letter (at most 40)");
            ValidateThrottle(at, tier.Rate, tier.Burst);
            if (tier.Quota is { } quota)
            {
                if (quota.Limit < 1)
                    throw Invalid($"{at}.{nameof(tier.Quota)}.{nameof(quota.Limit)}", quota.Limit, "must be at least 1");
                if (!QuotaPeriods.Contains(quota.Period))
                    throw Invalid($"{at}.{nameof(tier.Quota)}.{nameof(quota.Period)}", quota.Period, $"must be one of {string.Join(", ", QuotaPeriods)}");
            }
            var clients = tier.Clients ?? [];
            if (tier.Clients is { Count: 0 })
                throw Invalid($"{at}.{nameof(tier.Clients)}", null, "must list at least one client (or be left out for one key named after the tier)");
            for (var i = 0; i < clients.Count; i++)
            {
                if (!WebService.IsValidKey(clients[i]))
                    throw Invalid($"{at}.{nameof(tier.Clients)}[{i}]", clients[i], "must be lower-case letters, digits and dashes, starting with a letter (at most 40)");
                if (clients.Take(i).Contains(clients[i]))
                    throw Invalid($"{at}.{nameof(tier.Clients)}[{i}]", clients[i], "is listed twice");
            }
        }

        if (routes.Count == 0)
            throw Invalid("Routes", null, "must declare at least one route");
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, route) in routes.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var at = $"Routes.{name}";
            if (!WebService.IsValidKey(name))
                throw Invalid("Routes", name, "keys must be lower-case letters, digits and dashes, starting with a letter (at most 40)");
            if (!RoutePathPattern().IsMatch(route.Path) || route.Path.IndexOf('+') is var plus and >= 0 && plus != route.Path.Length - 2)
                throw Invalid($"{at}.{nameof(route.Path)}", route.Path, "must start with / and have segments of letters, digits, -, _, . or {name}; only the last may be greedy ({name+})");
            if (!HttpMethods.Contains(route.Method))
                throw Invalid($"{at}.{nameof(route.Method)}", route.Method, $"must be one of {string.Join(", ", HttpMethods)}");
            var pathKey = PathParameter().Replace(route.Path.TrimEnd('/'), "{}");
            if (seen.TryGetValue($"{route.Method} {pathKey}", out var other))
                throw Invalid($"{at}.{nameof(route.Method)}", route.Method, $"on {route.Path} is already declared by routes.{other}");
            seen[$"{route.Method} {pathKey}"] = name;
            if (route.Public == true && route.Iam == true)
                throw Invalid($"{at}.{nameof(route.Iam)}", true, "must not be set together with public: a route is public, IAM-authorized or Cognito-authorized");
            if (IsCognito(route) && !hasUserPool)
                throw Invalid(at, null, "is authorized by Cognito by default but there is no user pool: configure one, or set public or iam");
            var scopes = route.Scopes ?? [];
            if (!IsCognito(route) && route.Scopes is not null)
                throw Invalid($"{at}.{nameof(route.Scopes)}", scopes, "are only allowed on Cognito-authorized routes (not public or iam)");
            if (IsCognito(route) && scopes.Count == 0)
                throw Invalid($"{at}.{nameof(route.Scopes)}", null, "are required on a Cognito-authorized route: name the OAuth scopes a token needs (e.g. backend/orders.read, or openid for any signed-in user); without them the authorizer accepts any user's ID token and rejects every client-credentials token");
            for (var i = 0; i < scopes.Count; i++)
            {
                if (!ScopePattern().IsMatch(scopes[i]))
                    throw Invalid($"{at}.{nameof(route.Scopes)}[{i}]", scopes[i], "must be an OAuth scope such as openid or backend/orders.read");
                if (scopes.Take(i).Contains(scopes[i]))
                    throw Invalid($"{at}.{nameof(route.Scopes)}[{i}]", scopes[i], "is listed twice");
                if (oauthScopes is not null && !oauthScopes.Contains(scopes[i]))
                    throw Invalid($"{at}.{nameof(route.Scopes)}[{i}]", scopes[i], $"is not a scope of the user pool; declared: {string.Join(", ", oauthScopes.Order(StringComparer.Ordinal))}");
            }
            if (route.Schema is { } schema)
            {
                JsonNode? parsed;
                try { parsed = JsonNode.Parse(schema); }
                catch (JsonException) { parsed = null; }
                if (parsed is not JsonObject)
                    throw Invalid($"{at}.{nameof(route.Schema)}", null, "must be a JSON object (a JSON schema, draft 4)");
                if (route.Method is "GET" or "HEAD" or "DELETE" or "OPTIONS")
                    throw Invalid($"{at}.{nameof(route.Schema)}", null, $"validates a request body, which a {route.Method} request does not have");
            }
            if (route.Throttle is { } t)
                ValidateThrottle($"{at}.{nameof(route.Throttle)}", t.Rate, t.Burst);
            foreach (var (tier, t2) in (route.TierThrottles ?? new Dictionary<string, ApiThrottle>()).OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                if (!tiers.ContainsKey(tier))
                    throw Invalid($"{at}.{nameof(route.TierThrottles)}", tier, $"is not a tier; declared: {(tiers.Count == 0 ? "none" : string.Join(", ", tiers.Keys.Order(StringComparer.Ordinal)))}");
                ValidateThrottle($"{at}.{nameof(route.TierThrottles)}.{tier}", t2.Rate, t2.Burst);
            }
        }
    }

    private static void ValidateThrottle(string at, double rate, int burst)
    {
        if (rate <= 0)
            throw Invalid($"{at}.Rate", rate, "must be greater than 0");
        if (burst < Math.Ceiling(rate))
            throw Invalid($"{at}.Burst", burst, $"must be at least rate ({PropsValidationException.Format(rate)}): a burst below the rate caps it");
    }

    [GeneratedRegex(@"\{([A-Za-z0-9_]+)\+?\}")]
    private static partial Regex PathParameter();

    [GeneratedRegex(@"^/$|^(/([A-Za-z0-9._-]+|\{[A-Za-z0-9_]+\+?\}))+/?$")]
    private static partial Regex RoutePathPattern();

    [GeneratedRegex(@"^[A-Za-z0-9_-]{1,128}$")]
    private static partial Regex StagePattern();

    [GeneratedRegex(@"^[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)?$")]
    private static partial Regex ScopePattern();

    [GeneratedRegex(@"^(/[A-Za-z0-9._-]+)+$")]
    private static partial Regex NotFoundPrefixPattern();

    [GeneratedRegex(@"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")]
    private static partial Regex DomainPattern();
}
