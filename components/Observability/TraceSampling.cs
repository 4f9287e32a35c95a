using System.Text.RegularExpressions;
using Amazon.CDK.AWS.XRay;
using Constructs;

namespace ScalableBackend.Components.Observability;

/// <summary>
/// An X-Ray sampling rule: the SDKs on the instances trace <see cref="TraceSamplingSettings.Reservoir"/> requests per
/// second and <see cref="TraceSamplingSettings.Rate"/> of the rest, for every host, method and path of the matched
/// service. The instances send segments to the CloudWatch agent's X-Ray receiver (<see cref="CloudWatchAgentConfig"/>).
/// </summary>
public sealed partial class TraceSampling : Construct
{
    /// <summary>The sampling rule.</summary>
    public CfnSamplingRule Rule { get; }

    /// <summary>Creates the rule; validates <paramref name="props"/> before creating anything.</summary>
    /// <exception cref="PropsValidationException">A property is out of its allowed range.</exception>
    public TraceSampling(Construct scope, string id, TraceSamplingProps props) : base(scope, id)
    {
        Validate(props);
        if (!RuleNamePattern().IsMatch(props.RuleName))
            throw new PropsValidationException(nameof(props.RuleName), props.RuleName, "must be 1 to 32 letters, digits, - or _");
        if (props.Priority is { } priority && priority is < 1 or > 9999)
            throw new PropsValidationException(nameof(props.Priority), priority, "must be between 1 and 9999");

        Rule = new CfnSamplingRule(this, "Rule", new CfnSamplingRuleProps
        {
            SamplingRule = new CfnSamplingRule.SamplingRuleProperty
            {
                RuleName = props.RuleName,
                Priority = props.Priority ?? 1000,
                FixedRate = props.Rate ?? 0.05,
                ReservoirSize = props.Reservoir ?? 1,
                ServiceName = props.ServiceName ?? "*",
                ServiceType = "*",
                Host = "*",
                HttpMethod = "*",
                UrlPath = "*",
                ResourceArn = "*",
                Version = 1,
            },
        });
    }

    /// <summary>Checks the settings of a sampling rule; throws naming the property, the value and what is allowed.</summary>
    /// <exception cref="PropsValidationException">A setting is out of its allowed range.</exception>
    public static void Validate(TraceSamplingSettings s)
    {
        if (s.Rate is { } rate && (rate < 0 || rate > 1 || double.IsNaN(rate)))
            throw new PropsValidationException(nameof(s.Rate), rate, "must be between 0 and 1");
        if (s.Reservoir is { } reservoir && reservoir is < 0 or > 10000)
            throw new PropsValidationException(nameof(s.Reservoir), reservoir, "must be between 0 and 10000");
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,32}$")]
    private static partial Regex RuleNamePattern();
}
