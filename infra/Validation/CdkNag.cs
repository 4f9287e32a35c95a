using System.Text.Json;

namespace ScalableBackend.Infra.Validation;

/// <summary>One cdk-nag finding on one resource of one template.</summary>
/// <param name="File">The template.</param>
/// <param name="RuleId">The finding's id as cdk-nag prints it, e.g. <c>AwsSolutions-IAM5[Resource::*]</c>.</param>
/// <param name="Rule">The rule without the finding part, e.g. <c>AwsSolutions-IAM5</c>.</param>
/// <param name="Severity">cdk-nag's level: <c>error</c> or <c>warning</c>.</param>
/// <param name="LogicalId">The resource.</param>
/// <param name="ResourceType">Its type.</param>
/// <param name="Message">The rule's first sentence.</param>
/// <param name="Suppressed">True when the resource's <c>Metadata.cdk_nag.rules_to_suppress</c> covers it with a reason.</param>
/// <param name="Reason">That reason; empty when not suppressed.</param>
public sealed record NagFinding(
    string File, string RuleId, string Rule, string Severity, string LogicalId, string ResourceType, string Message,
    bool Suppressed, string Reason);

/// <summary>
/// cdk-nag's AwsSolutions pack (npm <c>cdk-nag</c>, pinned in <c>package.json</c>) over plain templates, each included
/// into an empty stack through <c>CfnInclude</c> (<c>Validation/cdk-nag.js</c>, one Node.js process). Suppressions are
/// read from the template in cdk-nag's own format, <c>Metadata.cdk_nag.rules_to_suppress: [{id, reason, applies_to?}]</c>.
/// </summary>
public static class CdkNag
{
    /// <summary>The npm package.</summary>
    public const string Package = "cdk-nag";

    /// <summary>Runs the AwsSolutions pack over <paramref name="templates"/>.</summary>
    /// <exception cref="Preview.PreviewException">Node.js or the npm packages are missing, or cdk-nag failed.</exception>
    public static IReadOnlyList<NagFinding> Check(IReadOnlyList<string> templates)
    {
        if (templates.Count == 0)
            return [];
        var request = JsonSerializer.Serialize(templates.Select(t => new { file = Path.GetFullPath(t) }));
        var output = NodeScript.Run("cdk-nag.js", Package, "cdk-nag", request);
        var report = JsonSerializer.Deserialize<Report>(output, Json)
            ?? throw new Preview.PreviewException("cdk-nag printed nothing");
        var byFile = templates.ToDictionary(Path.GetFullPath, t => t);
        return report.Findings.Select(f => f with { File = byFile.GetValueOrDefault(f.File, f.File) }).ToList();
    }

    private static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true };

    private sealed record Report(string Version, List<NagFinding> Findings);
}
