using System.Text.RegularExpressions;
using Amazon.CDK;
using Amazon.CDK.AWS.Logs;
using Amazon.CDK.AWS.WAFv2;
using Constructs;
using ScalableBackend.Components.Observability;
using ScalableBackend.Components.Compute;
using ScalableBackend.Components.Security;

namespace ScalableBackend.Components.Edge;

/// <summary>
/// A regional AWS WAF web ACL (L1: CDK 2.160 has no stable WAFv2 L2) for the public entry points: optionally a
/// rate-based rule that blocks a client IP above <see cref="WebFirewallSettings.RateLimitPerIp"/> requests per 5
/// minutes, then the AWS managed rule groups, each with CloudWatch metrics and sampled requests; everything else is
/// allowed. It logs to a KMS-encrypted log group named <c>aws-waf-logs-…</c> with retention (credentials redacted:
/// <see cref="AlwaysRedactedHeaders"/>) and is associated with each protected resource.
/// </summary>
/// <remarks>
/// A load balancer behind the API gets its own web ACL without a per-IP rule: all of the API's requests reach it from
/// API Gateway's addresses, so a per-IP limit there counts the whole API as one client and blocks it. A rate-based
/// rule can instead aggregate on a forwarded IP header (AWS WAF developer guide, "Rate-based rule statement",
/// <c>AggregateKeyType: FORWARDED_IP</c>); per-client limits stay at the API (usage plans, throttles).
/// </remarks>
public sealed partial class WebFirewall : Construct
{
    /// <summary>The managed rule groups used when none are given.</summary>
    public static readonly IReadOnlyList<string> DefaultManagedRules =
        ["AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesSQLiRuleSet"];

    /// <summary>Headers always redacted from the logs: credentials a log reader must not see (API keys and the API's origin secret included).</summary>
    public static readonly IReadOnlyList<string> AlwaysRedactedHeaders = ["authorization", "cookie", "x-api-key", OriginSecret.HeaderName];

    /// <summary>The web ACL.</summary>
    public CfnWebACL WebAcl { get; }

    /// <summary>The web ACL's log group.</summary>
    public ILogGroup LogGroup { get; }

    /// <summary>The logging configuration sending the web ACL's logs to <see cref="LogGroup"/>.</summary>
    public CfnLoggingConfiguration Logging { get; }

    private readonly Dictionary<string, CfnWebACLAssociation> _associations = new(StringComparer.Ordinal);

    /// <summary>The associations, keyed by the protected resource's name.</summary>
    public IReadOnlyDictionary<string, CfnWebACLAssociation> Associations => _associations;

    /// <summary>Creates the web ACL; validates <paramref name="props"/> before creating anything.</summary>
    /// <exception cref="PropsValidationException">A property is out of its allowed range.</exception>
    public WebFirewall(Construct scope, string id, WebFirewallProps props) : base(scope, id)
    {
        Validate(props);
        if (props.Name is { } given && !NamePattern().IsMatch(given))
            throw new PropsValidationException(nameof(props.Name), given, "must be letters, digits, dashes or underscores (at most 100)");
        var name = props.Name ?? Names.UniqueResourceName(this, new UniqueResourceNameOptions { MaxLength = 100, Separator = "-" });

        if (props.ClientIpHeader is { } header && !HeaderPattern().IsMatch(header))
            throw new PropsValidationException(nameof(props.ClientIpHeader), header, "must be a header name such as X-Forwarded-For");
        if (props.ClientIpHeader is not null && props.RateLimitPerIp is null)
            throw new PropsValidationException(nameof(props.ClientIpHeader), props.ClientIpHeader, "needs rateLimitPerIp: it only changes what the rate rule counts");
        foreach (var redacted in props.RedactedHeaders ?? [])
            if (!HeaderPattern().IsMatch(redacted))
                throw new PropsValidationException(nameof(props.RedactedHeaders), redacted, "must be header names such as x-session-token");

        var rules = new List<object>();
        if (props.RateLimitPerIp is { } limit)
            rules.Add(new CfnWebACL.RuleProperty
            {
                Name = "RateLimitPerIp",
                Priority = 0,
                Action = new CfnWebACL.RuleActionProperty { Block = new CfnWebACL.BlockActionProperty() },
                Statement = new CfnWebACL.StatementProperty
                {
                    RateBasedStatement = props.ClientIpHeader is { } ipHeader
                        ? new CfnWebACL.RateBasedStatementProperty
                        {
                            Limit = limit,
                            AggregateKeyType = "FORWARDED_IP",
                            ForwardedIpConfig = new CfnWebACL.ForwardedIPConfigurationProperty { HeaderName = ipHeader, FallbackBehavior = "NO_MATCH" },
                        }
                        : new CfnWebACL.RateBasedStatementProperty { Limit = limit, AggregateKeyType = "IP" },
                },
                VisibilityConfig = Visibility($"{name}-RateLimitPerIp"),
            });
        var managed = props.ManagedRules ?? DefaultManagedRules;
        for (var i = 0; i < managed.Count; i++)
        {
            rules.Add(new CfnWebACL.RuleProperty
            {
                Name = managed[i],
                // Priorities follow the list; the rate rule always runs first.
                Priority = i + 1,
                OverrideAction = new CfnWebACL.OverrideActionProperty { None = new Dictionary<string, object>() },
                Statement = new CfnWebACL.StatementProperty
                {
                    ManagedRuleGroupStatement = new CfnWebACL.ManagedRuleGroupStatementProperty { VendorName = "AWS", Name = managed[i] },
                },
                VisibilityConfig = Visibility($"{name}-{managed[i]}"),
            });
        }

        WebAcl = new CfnWebACL(this, "WebAcl", new CfnWebACLProps
        {
            Name = name,
            Description = props.RateLimitPerIp is null ? $"{Node.Path}: AWS managed rules" : $"{Node.Path}: per-IP rate limit and AWS managed rules",
            Scope = "REGIONAL",
            DefaultAction = new CfnWebACL.DefaultActionProperty { Allow = new CfnWebACL.AllowActionProperty() },
            VisibilityConfig = Visibility(name),
            Rules = rules.ToArray(),
        });

        LogGroup = EncryptedLogGroup.Create(this, "Logs", new EncryptedLogGroupProps
        {
            // AWS WAF only logs to log groups whose name starts with aws-waf-logs-.
            LogGroupName = $"aws-waf-logs-{name}",
            EncryptionKey = props.LogEncryptionKey,
            Retention = props.LogRetention ?? RetentionDays.ONE_YEAR,
        });
        Logging = new CfnLoggingConfiguration(this, "Logging", new CfnLoggingConfigurationProps
        {
            ResourceArn = WebAcl.AttrArn,
            // The destination is the log group ARN without the ":*" suffix CloudFormation's Arn attribute carries.
            LogDestinationConfigs = new[]
            {
                Stack.Of(this).FormatArn(new ArnComponents
                {
                    Service = "logs", Resource = "log-group", ResourceName = LogGroup.LogGroupName, ArnFormat = ArnFormat.COLON_RESOURCE_NAME,
                }),
            },
            RedactedFields = AlwaysRedactedHeaders.Concat((props.RedactedHeaders ?? []).Select(h => h.ToLowerInvariant()))
                .Distinct(StringComparer.Ordinal)
                .Select(h => (object)new CfnLoggingConfiguration.FieldToMatchProperty { SingleHeader = new Dictionary<string, object> { ["Name"] = h } })
                .ToArray(),
        });
        // A log group named by a literal needs the explicit order; one referenced by a token already has it (W3005).
        if (!Token.IsUnresolved(LogGroup.LogGroupName))
            Logging.Node.AddDependency(LogGroup);

        foreach (var (key, arn) in (props.ProtectedResources ?? new Dictionary<string, string>()).OrderBy(kv => kv.Key, StringComparer.Ordinal))
            Associate(key, arn);
    }

    /// <summary>Protects the resource <paramref name="resourceArn"/> (an API Gateway stage or an ALB) under the stable name <paramref name="key"/>.</summary>
    /// <exception cref="ArgumentException">The key is not a valid key or is already used.</exception>
    public CfnWebACLAssociation Associate(string key, string resourceArn)
    {
        if (!WebService.IsValidKey(key))
            throw new ArgumentException($"{key} must be lower-case letters, digits and dashes, starting with a letter (at most 40)", nameof(key));
        if (_associations.ContainsKey(key))
            throw new ArgumentException($"{key} is already associated", nameof(key));
        var association = new CfnWebACLAssociation(this, $"Association{WebService.ToPascal(key)}", new CfnWebACLAssociationProps
        {
            ResourceArn = resourceArn,
            WebAclArn = WebAcl.AttrArn,
        });
        _associations[key] = association;
        return association;
    }

    private static CfnWebACL.VisibilityConfigProperty Visibility(string metric) => new()
    {
        CloudWatchMetricsEnabled = true,
        SampledRequestsEnabled = true,
        MetricName = metric.Length > 128 ? metric[..128] : metric,
    };

    /// <summary>Checks the settings of a web ACL; throws naming the property, the value and what is allowed.</summary>
    /// <exception cref="PropsValidationException">A setting is out of its allowed range.</exception>
    public static void Validate(WebFirewallSettings s)
    {
        if (s.RateLimitPerIp is { } rate && (rate < 10 || rate > 2_000_000_000))
            throw new PropsValidationException(nameof(s.RateLimitPerIp), rate, "must be between 10 and 2000000000 requests per 5 minutes");
        if (s.ManagedRules is { } managed)
        {
            if (managed.Count == 0)
                throw new PropsValidationException(nameof(s.ManagedRules), null, "must list at least one rule group (or be left out for the defaults)");
            for (var i = 0; i < managed.Count; i++)
            {
                if (!ManagedRulePattern().IsMatch(managed[i]))
                    throw new PropsValidationException($"{nameof(s.ManagedRules)}[{i}]", managed[i], "must be an AWS managed rule group such as AWSManagedRulesCommonRuleSet");
                if (managed.Take(i).Contains(managed[i]))
                    throw new PropsValidationException($"{nameof(s.ManagedRules)}[{i}]", managed[i], "is listed twice");
            }
        }
    }

    [GeneratedRegex("^AWSManagedRules[A-Za-z0-9]+$")]
    private static partial Regex ManagedRulePattern();

    [GeneratedRegex("^[A-Za-z0-9_-]{1,100}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[A-Za-z0-9-]{1,64}$")]
    private static partial Regex HeaderPattern();
}
