using System.Text;
using System.Text.Json;

namespace ScalableBackend.Policies;

/// <summary>
/// SARIF 2.1.0 report for code-scanning tools: one run of <c>ScalableBackend.Policies</c>, its rules, and one
/// result per finding located at the template file and the resource's logical ID (qualified by its stack,
/// <c>Backend-Prod-Data/Resources/Queue</c>, for findings of a <see cref="TemplateSet"/> check, which also carry
/// <c>properties.stack</c>). Acknowledged findings carry
/// an in-source suppression with the acknowledgement's reason as justification.
/// </summary>
public static class Sarif
{
    /// <summary>The schema URI written to <c>$schema</c>.</summary>
    public const string SchemaUri = "https://json.schemastore.org/sarif-2.1.0.json";

    /// <summary>The tool name written to <c>tool.driver.name</c>.</summary>
    public const string ToolName = "ScalableBackend.Policies";

    /// <summary>
    /// Serializes findings; <paramref name="rules"/> (usually <see cref="PolicyRules.All"/>) become
    /// <c>tool.driver.rules</c>, and each result's <c>ruleIndex</c> points into them when the rule is listed.
    /// </summary>
    public static string Serialize(IEnumerable<Finding> findings, IEnumerable<RuleDescriptor> rules)
    {
        var ruleList = rules.ToList();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < ruleList.Count; i++)
        {
            index.TryAdd(ruleList[i].Id, i);
        }

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, FindingsJson.WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("$schema", SchemaUri);
            json.WriteString("version", "2.1.0");
            json.WriteStartArray("runs");
            json.WriteStartObject();
            WriteTool(json, ruleList);
            json.WriteStartArray("results");
            foreach (var finding in findings)
            {
                WriteResult(json, finding, index);
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteTool(Utf8JsonWriter json, List<RuleDescriptor> rules)
    {
        json.WriteStartObject("tool");
        json.WriteStartObject("driver");
        json.WriteString("name", ToolName);
        json.WriteStartArray("rules");
        foreach (var rule in rules)
        {
            json.WriteStartObject();
            json.WriteString("id", rule.Id);
            WriteText(json, "shortDescription", rule.Title);
            WriteText(json, "fullDescription", rule.Why);
            WriteText(json, "help", rule.Fix);
            if (rule.Source is not null)
            {
                json.WriteString("helpUri", rule.Source);
            }

            json.WriteStartObject("defaultConfiguration");
            json.WriteString("level", rule.Severity.ToName());
            json.WriteEndObject();
            json.WriteStartObject("properties");
            json.WriteBoolean("productionOnly", rule.ProductionOnly);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteResult(Utf8JsonWriter json, Finding finding, Dictionary<string, int> ruleIndex)
    {
        json.WriteStartObject();
        json.WriteString("ruleId", finding.RuleId);
        if (ruleIndex.TryGetValue(finding.RuleId, out var i))
        {
            json.WriteNumber("ruleIndex", i);
        }

        json.WriteString("level", finding.Severity.ToName());
        WriteText(json, "message", finding.Message);
        json.WriteStartArray("locations");
        json.WriteStartObject();
        json.WriteStartObject("physicalLocation");
        json.WriteStartObject("artifactLocation");
        json.WriteString("uri", finding.File.Replace('\\', '/'));
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteStartArray("logicalLocations");
        json.WriteStartObject();
        json.WriteString("name", finding.LogicalId);
        json.WriteString("fullyQualifiedName", finding.Stack is null ? $"Resources/{finding.LogicalId}" : $"{finding.Stack}/Resources/{finding.LogicalId}");
        json.WriteString("kind", "resource");
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndArray();
        if (finding.Acknowledged)
        {
            json.WriteStartArray("suppressions");
            json.WriteStartObject();
            json.WriteString("kind", "inSource");
            json.WriteString("justification", finding.Reason ?? string.Empty);
            json.WriteEndObject();
            json.WriteEndArray();
        }

        json.WriteStartObject("properties");
        json.WriteString("resourceType", finding.ResourceType);
        if (finding.Stack is not null)
        {
            json.WriteString("stack", finding.Stack);
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteText(Utf8JsonWriter json, string name, string text)
    {
        json.WriteStartObject(name);
        json.WriteString("text", text);
        json.WriteEndObject();
    }
}
