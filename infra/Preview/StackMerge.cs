using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ScalableBackend.Policies;

namespace ScalableBackend.Infra.Preview;

/// <summary>
/// One template from the stacks of an environment, for the views that look at the environment as a whole (the
/// topology diagram; a base from before the stack split): every resource of every stack, each
/// <c>Fn::ImportValue</c> of another stack's export replaced by the exported value (so the reference points at
/// the producing resource), and a logical id that two stacks share renamed <c>&lt;id&gt;_&lt;stack&gt;</c> in the later stack.
/// </summary>
public static partial class StackMerge
{
    [GeneratedRegex(@"[^A-Za-z0-9]")]
    private static partial Regex NotAlphanumeric();

    /// <summary>Merges <paramref name="stacks"/> (stack name → template, in deployment order) into one template named <paramref name="file"/>.</summary>
    public static TemplateDocument Merge(string file, IReadOnlyList<(string StackName, TemplateDocument Template)> stacks)
    {
        if (stacks.Count == 1)
            return stacks[0].Template;
        var resources = new JsonObject();
        var acknowledgements = new JsonArray();
        var exports = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        var renamed = new List<Dictionary<string, string>>();
        foreach (var (stackName, template) in stacks)
        {
            var names = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var resource in template.Resources)
                names[resource.LogicalId] = resources.ContainsKey(resource.LogicalId) || names.ContainsValue(resource.LogicalId)
                    ? $"{resource.LogicalId}_{NotAlphanumeric().Replace(stackName, "")}"
                    : resource.LogicalId;
            foreach (var resource in template.Resources)
                resources[names[resource.LogicalId]] = JsonNode.Parse("{}"); // reserve the id in order
            renamed.Add(names);
            foreach (var (_, output) in template.Root["Outputs"] as JsonObject ?? [])
                if (ExportName(output?["Export"]?["Name"], stackName) is { } name)
                    exports[name] = Rename(output?["Value"]?.DeepClone(), names);
            foreach (var entry in Values.At(template.Root["Metadata"], $"{Acknowledgement.MetadataKey}.{Acknowledgement.ListKey}") as JsonArray ?? [])
                acknowledgements.Add(entry?.DeepClone());
        }
        for (var i = 0; i < stacks.Count; i++)
        {
            var (stackName, template) = stacks[i];
            foreach (var resource in template.Resources)
            {
                var copy = Rename(template.Root["Resources"]![resource.LogicalId]!.DeepClone(), renamed[i])!;
                resources[renamed[i][resource.LogicalId]] = ResolveImports(copy, exports, stackName);
            }
        }
        var root = new JsonObject { ["Resources"] = resources };
        if (acknowledgements.Count > 0)
            root["Metadata"] = new JsonObject { [Acknowledgement.MetadataKey] = new JsonObject { [Acknowledgement.ListKey] = acknowledgements } };
        return TemplateDocument.FromJson(root, file);
    }

    private static string? ExportName(JsonNode? name, string stackName) => name switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonObject o when o["Fn::Sub"] is JsonValue sub && sub.TryGetValue<string>(out var text) =>
            text.Replace("${AWS::StackName}", stackName, StringComparison.Ordinal),
        _ => null,
    };

    private static JsonNode ResolveImports(JsonNode node, IReadOnlyDictionary<string, JsonNode?> exports, string stackName)
    {
        switch (node)
        {
            case JsonObject o when o.Count == 1 && o["Fn::ImportValue"] is { } import
                                   && ExportName(import, stackName) is { } name && exports.TryGetValue(name, out var value) && value is not null:
                return value.DeepClone();
            case JsonObject o:
                foreach (var key in o.Select(p => p.Key).ToArray())
                    if (o[key] is { } child && ResolveImports(child, exports, stackName) is var resolved && !ReferenceEquals(resolved, child))
                        o[key] = resolved;
                return o;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                    if (a[i] is { } child && ResolveImports(child, exports, stackName) is var resolved && !ReferenceEquals(resolved, child))
                        a[i] = resolved;
                return a;
            default:
                return node;
        }
    }

    /// <summary>Rewrites <c>Ref</c>, <c>Fn::GetAtt</c> and <c>DependsOn</c> to renamed ids.</summary>
    private static JsonNode? Rename(JsonNode? node, IReadOnlyDictionary<string, string> names)
    {
        if (names.All(n => n.Key == n.Value))
            return node;
        switch (node)
        {
            case JsonObject o:
                foreach (var key in o.Select(p => p.Key).ToArray())
                {
                    var child = o[key];
                    if (key is "Ref" or "DependsOn" && child is JsonValue v && v.TryGetValue<string>(out var id) && names.TryGetValue(id, out var to))
                        o[key] = to;
                    else if (key == "Fn::GetAtt" && child is JsonArray { Count: > 0 } att && att[0] is JsonValue first
                             && first.TryGetValue<string>(out var target) && names.TryGetValue(target, out var renamedTarget))
                        att[0] = renamedTarget;
                    else if (key == "DependsOn" && child is JsonArray deps)
                    {
                        for (var i = 0; i < deps.Count; i++)
                        {
                            if (deps[i] is JsonValue d && d.TryGetValue<string>(out var dep) && names.TryGetValue(dep, out var renamedDep))
                                deps[i] = renamedDep;
                        }
                    }
                    else
                    {
                        Rename(child, names);
                    }
                }
                return o;
            case JsonArray a:
                foreach (var item in a)
                    Rename(item, names);
                return a;
            default:
                return node;
        }
    }
}
