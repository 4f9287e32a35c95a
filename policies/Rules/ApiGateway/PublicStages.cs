using System.Text.Json.Nodes;

namespace ScalableBackend.Policies.Rules.ApiGateway;

/// <summary>
/// The public REST API stages of a template: AWS::ApiGateway::Stage resources, and deployments that create a stage
/// through StageName. A stage whose RestApi (followed through RestApiId) is PRIVATE is not public.
/// </summary>
internal static class PublicStages
{
    public const string Stage = "AWS::ApiGateway::Stage";
    public const string Deployment = "AWS::ApiGateway::Deployment";

    public static readonly IReadOnlyList<string> Types = [Stage, Deployment];

    /// <summary>The stage settings object (a Stage's properties, a Deployment's StageDescription) when this
    /// resource defines a public stage; null otherwise.</summary>
    public static JsonObject? Settings(TemplateResource r, RuleContext context)
    {
        if (r.Type == Deployment && r["StageName"] is null)
        {
            return null;
        }

        var api = context.Graph.Resolve(r["RestApiId"]);
        var types = Values.AsList(Values.At(api?.Properties, "EndpointConfiguration.Types")) ?? [];
        if (types.Any(t => Values.IsString(t, "PRIVATE")))
        {
            return null;
        }

        return r.Type == Stage ? r.Properties : r["StageDescription"] as JsonObject ?? new JsonObject();
    }
}

/// <summary>
/// SB-API-001. Passes when the stage (or a Deployment's StageDescription) sets both ThrottlingRateLimit and
/// ThrottlingBurstLimit, at the top level of StageDescription or in some MethodSettings entry.
/// </summary>
internal sealed class StageThrottling : IPolicyRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "SB-API-001", Severity.Error,
        "Public API stages are throttled",
        "Without stage throttling a single client or a bot can consume the account-wide API Gateway limit and the backend capacity behind it, taking the API down for everyone.",
        "Add MethodSettings [{ ResourcePath: \"/*\", HttpMethod: \"*\", ThrottlingRateLimit: …, ThrottlingBurstLimit: … }] to the stage.",
        Source: "https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html");

    public IReadOnlyList<string> ResourceTypes => PublicStages.Types;

    public IEnumerable<string> Check(TemplateResource r, RuleContext context)
    {
        if (PublicStages.Settings(r, context) is not { } settings)
        {
            yield break;
        }

        var candidates = (Values.AsList(settings["MethodSettings"]) ?? []).Append(settings);
        if (!candidates.Any(s => s?["ThrottlingRateLimit"] is not null && s["ThrottlingBurstLimit"] is not null))
        {
            yield return "no MethodSettings with ThrottlingRateLimit and ThrottlingBurstLimit";
        }
    }
}

/// <summary>
/// SB-API-002. Passes when an AWS::WAFv2::WebACLAssociation's ResourceArn refers (Ref, GetAtt or ${…} in Fn::Sub)
/// to the stage or to the stage's RestApi.
/// </summary>
internal sealed class StageWebAcl : IPolicyRule
{
    private const string Association = "AWS::WAFv2::WebACLAssociation";

    public RuleDescriptor Descriptor { get; } = new(
        "SB-API-002", Severity.Error,
        "Public API stages are protected by AWS WAF",
        "A public API without a web ACL has no rate-based blocking, IP reputation or managed rule protection against injection and bot traffic.",
        "Add an AWS::WAFv2::WebACLAssociation whose ResourceArn is the stage ARN (arn:aws:apigateway:${AWS::Region}::/restapis/${Api}/stages/${Stage}).",
        Source: "https://docs.aws.amazon.com/securityhub/latest/userguide/apigateway-controls.html#apigateway-4");

    public IReadOnlyList<string> ResourceTypes => PublicStages.Types;

    public IEnumerable<string> Check(TemplateResource r, RuleContext context)
    {
        if (PublicStages.Settings(r, context) is null)
        {
            yield break;
        }

        var targets = new[] { r, context.Graph.Resolve(r["RestApiId"]) };
        if (!targets.Any(t => t is not null && context.Graph.Referrers(t, Association, "ResourceArn").Any()))
        {
            yield return "no AWS::WAFv2::WebACLAssociation refers to this stage";
        }
    }
}
