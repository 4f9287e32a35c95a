using System.Text.Json;
using ScalableBackend.Policies;

namespace ScalableBackend.Infra.Validation;

/// <summary>
/// AWS's offline CloudFormation validator, <c>@aws/cloudformation-validate</c> (cfn-lint's rules and the
/// CloudFormation resource provider schemas, compiled to WebAssembly; the copy <c>aws-cdk-lib</c> ships, pinned in
/// <c>package.json</c>), run over templates in one Node.js process (<c>Validation/cfn-validate.js</c>). Its
/// diagnostics become <see cref="Finding"/>s with the validator's rule ids (<c>F3020</c>, <c>W2531</c>, …): FATAL and
/// ERROR are errors, WARN are warnings; INFO is not reported. A resource acknowledges a validator rule exactly as a
/// policy rule, in <c>Metadata.ScalableBackend.Acknowledgements</c> (written by the components'
/// <c>PolicyAcknowledgement</c>), with a reason.
/// </summary>
public static class CloudFormationValidator
{
    /// <summary>The npm package that carries the validator.</summary>
    public const string Package = "aws-cdk-lib";

    /// <summary>True for a validator rule id (cfn-lint style: a letter F, E, W or I and four digits, e.g. <c>W3010</c>).</summary>
    public static bool IsValidatorRule(string ruleId) =>
        ruleId.Length == 5 && ruleId[0] is 'E' or 'F' or 'W' or 'I' && ruleId.Skip(1).All(char.IsAsciiDigit);

    /// <summary>
    /// Validates each template (path, and the region its environment deploys to, for region-specific checks such as
    /// instance types and zones; null for the validator's default).
    /// </summary>
    /// <exception cref="Preview.PreviewException">Node.js or the npm package is missing, or the validator failed.</exception>
    public static IReadOnlyList<Finding> Validate(IReadOnlyList<(string Path, string? Region)> templates)
    {
        if (templates.Count == 0)
            return [];
        var request = JsonSerializer.Serialize(templates.Select(t => new { file = Path.GetFullPath(t.Path), region = t.Region }));
        var output = NodeScript.Run("cfn-validate.js", Package, "AWS's CloudFormation validator", request);
        var report = JsonSerializer.Deserialize<Report>(output, Json)
            ?? throw new Preview.PreviewException("AWS's CloudFormation validator printed nothing");
        var byFile = templates.ToDictionary(t => Path.GetFullPath(t.Path), t => t.Path);
        var acknowledgements = new Dictionary<string, IReadOnlyDictionary<(string, string), string>>();
        var findings = new List<Finding>();
        foreach (var d in report.Diagnostics)
        {
            var file = byFile.GetValueOrDefault(d.File, d.File);
            if (!acknowledgements.TryGetValue(file, out var acks))
                acknowledgements[file] = acks = ReadAcknowledgements(file);
            var severity = d.Severity is "FATAL" or "ERROR" ? Severity.Error : Severity.Warning;
            var where = d.PropertyPath.Length > 0 ? $" ({d.PropertyPath})" : "";
            var logicalId = d.LogicalId.Length > 0 ? d.LogicalId : "(template)";
            var type = d.ResourceType.Length > 0 ? d.ResourceType : d.EntityType;
            var finding = new Finding(file, d.RuleId, severity, logicalId, type, $"{d.Severity} {d.Message}{where}");
            if (acks.TryGetValue((logicalId, d.RuleId), out var reason))
                finding = finding with { Acknowledged = true, Reason = reason };
            findings.Add(finding);
        }
        return findings;
    }

    /// <summary>The validator-rule acknowledgements with reasons in a template's resource metadata.</summary>
    private static IReadOnlyDictionary<(string, string), string> ReadAcknowledgements(string file)
    {
        var result = new Dictionary<(string, string), string>();
        var template = TemplateDocument.Load(file);
        foreach (var resource in template.Resources)
        {
            if (resource.Metadata?[Acknowledgement.MetadataKey]?[Acknowledgement.ListKey] is not System.Text.Json.Nodes.JsonArray list)
                continue;
            foreach (var entry in list)
            {
                var rule = entry?["Rule"]?.GetValue<string>();
                var reason = entry?["Reason"]?.GetValue<string>();
                if (rule is not null && IsValidatorRule(rule) && !string.IsNullOrWhiteSpace(reason))
                    result.TryAdd((resource.LogicalId, rule), reason.Trim());
            }
        }
        return result;
    }

    private static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true };

    private sealed record Report(string Version, List<Diagnostic> Diagnostics);

    private sealed record Diagnostic(
        string File, string RuleId, string Severity, string LogicalId, string EntityType, string ResourceType,
        string PropertyPath, string Message, string DocumentationUrl);
}
