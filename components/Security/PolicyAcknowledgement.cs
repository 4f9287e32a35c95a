using System.Text.RegularExpressions;
using Amazon.CDK;
using Constructs;

namespace ScalableBackend.Components.Security;

/// <summary>
/// A finding that a resource knowingly does not satisfy, with the reason written next to the code that decided it:
/// a rule of this project's policy pack (<c>SB-ELB-001</c>), of AWS's CloudFormation validator (<c>W3010</c>) or of
/// cdk-nag (<c>AwsSolutions-IAM5</c>, or one finding of it, <c>AwsSolutions-IAM5[Resource::*]</c>). The reason is
/// mandatory: the checkers report an acknowledgement without one as an error.
/// </summary>
/// <param name="Rule">The rule id, for example <c>SB-ELB-001</c>, <c>W3010</c> or <c>AwsSolutions-S1</c>.</param>
/// <param name="Reason">Why the finding is accepted for this resource; never empty.</param>
public sealed partial record PolicyAcknowledgement(string Rule, string Reason)
{
    /// <summary>The template metadata key the policy pack (and the validator step of <c>check</c>) reads acknowledgements from.</summary>
    public const string MetadataKey = "ScalableBackend";

    /// <summary>The template metadata key cdk-nag's template format uses: <c>cdk_nag.rules_to_suppress</c>.</summary>
    public const string CdkNagMetadataKey = "cdk_nag";

    /// <summary>The template metadata key cfn-lint reads: <c>cfn-lint.config.ignore_checks</c>.</summary>
    public const string CfnLintMetadataKey = "cfn-lint";

    /// <summary>One reason for several rules of different checkers that flag the same decision.</summary>
    public static PolicyAcknowledgement[] ForRules(string reason, params string[] rules) =>
        rules.Select(rule => new PolicyAcknowledgement(rule, reason)).ToArray();

    /// <summary>
    /// Writes the acknowledgements into the CloudFormation metadata of <paramref name="scope"/> (a
    /// <see cref="CfnResource"/>, or a construct whose default child is one), once for every checker that reads
    /// them: every rule, with its reason, into <c>Metadata.ScalableBackend.Acknowledgements = [{Rule, Reason}]</c>
    /// (the policy pack and <c>check</c>'s validator step); cdk-nag rules also into cdk-nag's template format
    /// <c>Metadata.cdk_nag.rules_to_suppress = [{id, reason, applies_to?}]</c> (a finding id <c>Rule[x]</c> becomes
    /// <c>applies_to: [x]</c>); validator rules also into cfn-lint's <c>Metadata.cfn-lint.config.ignore_checks</c>.
    /// Calls add up: several constructs (the component that made the resource, the stack that chose a setting) can
    /// each acknowledge what they decided on the same resource; a rule given twice with the same reason is written once.
    /// </summary>
    /// <exception cref="ArgumentException">No acknowledgement given, a rule or reason is empty, or the scope has no CloudFormation resource.</exception>
    public static void Apply(IConstruct scope, params PolicyAcknowledgement[] acknowledgements)
    {
        if (acknowledgements.Length == 0)
            throw new ArgumentException("at least one acknowledgement is required", nameof(acknowledgements));
        foreach (var ack in acknowledgements)
        {
            if (string.IsNullOrWhiteSpace(ack.Rule))
                throw new ArgumentException("an acknowledgement needs a rule id", nameof(acknowledgements));
            if (string.IsNullOrWhiteSpace(ack.Reason))
                throw new ArgumentException($"the acknowledgement of {ack.Rule} needs a reason", nameof(acknowledgements));
        }
        var resource = scope as CfnResource ?? scope.Node.DefaultChild as CfnResource
            ?? throw new ArgumentException($"{scope.Node.Path} has no CloudFormation resource to acknowledge on", nameof(scope));
        var all = Applied.GetOrCreateValue(resource);
        foreach (var ack in acknowledgements.Where(a => !all.Contains(a)))
            all.Add(ack);
        Write(resource, all);
    }

    // Every acknowledgement given so far per resource: the metadata is rewritten whole on each call (jsii hands back
    // the same proxy object for the same resource, so the table finds earlier calls).
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<CfnResource, List<PolicyAcknowledgement>> Applied = new();

    private static void Write(CfnResource resource, List<PolicyAcknowledgement> acknowledgements)
    {
        resource.AddMetadata(MetadataKey, new Dictionary<string, object>
        {
            ["Acknowledgements"] = acknowledgements
                .Select(a => (object)new Dictionary<string, object> { ["Rule"] = a.Rule, ["Reason"] = a.Reason })
                .ToArray(),
        });

        var nag = acknowledgements.Where(a => IsCdkNagRule(a.Rule))
            .GroupBy(a => (Rule: BaseRule(a.Rule), a.Reason))
            .Select(g =>
            {
                var entry = new Dictionary<string, object> { ["id"] = g.Key.Rule, ["reason"] = g.Key.Reason };
                var findings = g.Select(a => FindingPart(a.Rule)).ToArray();
                if (findings.All(f => f is not null))
                    entry["applies_to"] = findings.Select(f => IsRegex(f!) ? new Dictionary<string, object> { ["regex"] = f! } : (object)f!).ToArray();
                return (object)entry;
            })
            .ToArray();
        if (nag.Length > 0)
            resource.AddMetadata(CdkNagMetadataKey, new Dictionary<string, object> { ["rules_to_suppress"] = nag });

        var lint = acknowledgements.Where(a => IsValidatorRule(a.Rule)).Select(a => (object)a.Rule).Distinct().ToArray();
        if (lint.Length > 0)
        {
            resource.AddMetadata(CfnLintMetadataKey, new Dictionary<string, object>
            {
                ["config"] = new Dictionary<string, object> { ["ignore_checks"] = lint },
            });
        }
    }

    /// <summary>
    /// Acknowledges on the policy <paramref name="grantee"/>'s grants were written into: a role's <c>DefaultPolicy</c>
    /// (the CDK's <c>Grant</c> and <c>AddToPrincipalPolicy</c> target). Nothing happens when the grantee is not a role
    /// of this app or holds no such policy (an imported role keeps its policies elsewhere).
    /// </summary>
    public static void ApplyToGrants(Amazon.CDK.AWS.IAM.IGrantable grantee, params PolicyAcknowledgement[] acknowledgements)
    {
        if (grantee.GrantPrincipal is Amazon.CDK.AWS.IAM.IRole role && role.Node.TryFindChild("DefaultPolicy") is { } policy)
            Apply(policy, acknowledgements);
    }

    /// <summary>A finding part written <c>/pattern/</c> is a regular expression over cdk-nag's finding ids (its <c>applies_to: [{regex}]</c>).</summary>
    public static bool IsRegex(string finding) => finding.Length > 2 && finding[0] == '/' && finding.LastIndexOf('/') > 0;

    /// <summary>True for a cdk-nag rule or finding id (<c>AwsSolutions-IAM5</c>, <c>AwsSolutions-IAM5[Resource::*]</c>).</summary>
    public static bool IsCdkNagRule(string rule) => CdkNagRule().IsMatch(rule);

    /// <summary>True for a rule id of AWS's CloudFormation validator / cfn-lint (<c>W3010</c>).</summary>
    public static bool IsValidatorRule(string rule) => ValidatorRule().IsMatch(rule);

    private static string BaseRule(string rule) => rule.Split('[', 2)[0];

    private static string? FindingPart(string rule) =>
        rule.IndexOf('[', StringComparison.Ordinal) is var i and >= 0 && rule.EndsWith(']') ? rule[(i + 1)..^1] : null;

    [GeneratedRegex(@"^(AwsSolutions|HIPAA\.Security|NIST\.800\.53\.R[45]|PCI\.DSS\.321|Serverless)-[A-Za-z0-9]+(\[.+\])?$")]
    private static partial Regex CdkNagRule();

    [GeneratedRegex(@"^[EFWI][0-9]{4}$")]
    private static partial Regex ValidatorRule();
}
