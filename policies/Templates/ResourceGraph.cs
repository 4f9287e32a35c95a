using System.Text.Json.Nodes;

namespace ScalableBackend.Policies;

/// <summary>A reference from one resource to another: where it was written and what it points at.</summary>
/// <param name="Source">The resource holding the reference.</param>
/// <param name="Path">The property path of the reference inside the source, e.g. <c>Properties.RedrivePolicy.deadLetterTargetArn</c>.</param>
/// <param name="Target">The resource referred to.</param>
public sealed record ResourceReference(TemplateResource Source, string Path, TemplateResource Target);

/// <summary>
/// The resolver rules use to follow <c>Ref</c>, <c>Fn::GetAtt</c> and <c>${…}</c> in <c>Fn::Sub</c> between
/// resources of one template, in both directions. Built once per check in a single pass over the template.
/// </summary>
public sealed class ResourceGraph
{
    private readonly TemplateDocument _template;
    private readonly Dictionary<string, List<ResourceReference>> _incoming = new(StringComparer.Ordinal);

    /// <summary>Indexes every reference between the resources of <paramref name="template"/>.</summary>
    public ResourceGraph(TemplateDocument template)
    {
        _template = template;
        foreach (var resource in template.Resources)
        {
            Collect(resource, resource.Properties, "Properties");
        }
    }

    /// <summary>
    /// The resource a value points at: <c>{"Ref": id}</c> or <c>{"Fn::GetAtt": [id, attr]}</c> (or <c>"id.attr"</c>).
    /// Null for literals, parameters, pseudo parameters and other intrinsics.
    /// </summary>
    public TemplateResource? Resolve(JsonNode? value)
    {
        var id = TargetId(value);
        return id is null ? null : _template.GetResource(id);
    }

    /// <summary>The resources a list property (or single value) points at; unresolvable items are left out.</summary>
    public IReadOnlyList<TemplateResource> ResolveAll(JsonNode? value)
    {
        var items = Values.AsList(value);
        if (items is null)
        {
            return [];
        }

        var resolved = new List<TemplateResource>();
        foreach (var item in items)
        {
            if (Resolve(item) is { } target)
            {
                resolved.Add(target);
            }
        }

        return resolved;
    }

    /// <summary>Every reference to <paramref name="target"/> from other resources, in template order.</summary>
    public IReadOnlyList<ResourceReference> ReferencesTo(TemplateResource target) =>
        _incoming.TryGetValue(target.LogicalId, out var list) ? list : [];

    /// <summary>
    /// The resources of <paramref name="sourceType"/> that refer to <paramref name="target"/>, optionally only through
    /// the property <paramref name="property"/> (top level, e.g. <c>AutoScalingGroupName</c>) or anything below it.
    /// </summary>
    public IEnumerable<TemplateResource> Referrers(TemplateResource target, string sourceType, string? property = null)
    {
        var prefix = property is null ? null : "Properties." + property;
        return ReferencesTo(target)
            .Where(r => r.Source.Type == sourceType
                && (prefix is null || r.Path == prefix || r.Path.StartsWith(prefix + ".", StringComparison.Ordinal)
                    || r.Path.StartsWith(prefix + "[", StringComparison.Ordinal)))
            .Select(r => r.Source)
            .Distinct();
    }

    private static string? TargetId(JsonNode? value)
    {
        if (value is not JsonObject obj || obj.Count != 1)
        {
            return null;
        }

        if (obj["Ref"] is JsonValue r && r.TryGetValue<string>(out var refId))
        {
            return refId;
        }

        return obj["Fn::GetAtt"] switch
        {
            JsonArray { Count: > 0 } a when a[0] is JsonValue v && v.TryGetValue<string>(out var id) => id,
            JsonValue v when v.TryGetValue<string>(out var dotted) => dotted.Split('.')[0],
            _ => null,
        };
    }

    private void Collect(TemplateResource source, JsonNode? node, string path)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj.Count == 1 && TargetId(obj) is { } id)
                {
                    Add(source, path, id);
                    return;
                }

                if (obj.Count == 1 && obj["Fn::Sub"] is { } sub)
                {
                    CollectSub(source, sub, path);
                    return;
                }

                foreach (var (key, child) in obj)
                {
                    Collect(source, child, path + "." + key);
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    Collect(source, array[i], $"{path}[{i}]");
                }

                break;
        }
    }

    private void CollectSub(TemplateResource source, JsonNode sub, string path)
    {
        var (text, variables) = sub switch
        {
            JsonArray { Count: > 0 } a => (Values.AsString(a[0]), a.Count > 1 ? a[1] as JsonObject : null),
            _ => (Values.AsString(sub), null),
        };
        if (variables is not null)
        {
            Collect(source, variables, path + ".Fn::Sub");
        }

        if (text is null)
        {
            return;
        }

        var start = 0;
        while ((start = text.IndexOf("${", start, StringComparison.Ordinal)) >= 0)
        {
            var end = text.IndexOf('}', start);
            if (end < 0)
            {
                return;
            }

            var name = text[(start + 2)..end];
            start = end + 1;
            if (name.StartsWith('!') || variables?.ContainsKey(name) == true)
            {
                continue;
            }

            Add(source, path + ".Fn::Sub", name.Split('.')[0]);
        }
    }

    private void Add(TemplateResource source, string path, string targetId)
    {
        if (_template.GetResource(targetId) is not { } target || ReferenceEquals(target, source))
        {
            return;
        }

        if (!_incoming.TryGetValue(targetId, out var list))
        {
            list = [];
            _incoming[targetId] = list;
        }

        list.Add(new ResourceReference(source, path, target));
    }
}
