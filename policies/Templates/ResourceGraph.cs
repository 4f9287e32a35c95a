using System.Text.Json.Nodes;

namespace ScalableBackend.Policies;

/// <summary>A reference from one resource to another: where it was written and what it points at.</summary>
/// <param name="Source">The resource holding the reference.</param>
/// <param name="Path">The property path of the reference inside the source, e.g. <c>Properties.RedrivePolicy.deadLetterTargetArn</c>.</param>
/// <param name="Target">The resource referred to (in the same template, or in another template of the set).</param>
public sealed record ResourceReference(TemplateResource Source, string Path, TemplateResource Target);

/// <summary>
/// The resolver rules use to follow references between resources, in both directions. Built once per check in a
/// single pass over the templates. It follows <c>Ref</c>, <c>Fn::GetAtt</c> and <c>${…}</c> in <c>Fn::Sub</c> within
/// a template, and, across the templates of a <see cref="TemplateSet"/>, <c>Fn::ImportValue</c> to the resource the
/// exporting output's <c>Value</c> names, and SSM parameters (<c>{{resolve:ssm:/name}}</c>, or a <c>Ref</c> to a
/// parameter of type <c>AWS::SSM::Parameter::Value&lt;…&gt;</c> whose <c>Default</c> is the name) to the resource the
/// <c>AWS::SSM::Parameter</c> of that <c>Name</c> stores. Export and parameter names may be literals, <c>Fn::Sub</c>
/// (with <c>${AWS::StackName}</c>) or <c>Fn::Join</c>.
/// </summary>
public sealed class ResourceGraph
{
    private const int MaxHops = 8;
    private const string SsmParameter = "AWS::SSM::Parameter";

    private readonly IReadOnlyList<(string? StackName, TemplateDocument Template)> _templates;
    private readonly Dictionary<JsonNode, (string? StackName, TemplateDocument Template)> _byRoot = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<string, (TemplateDocument Template, JsonNode? Value)> _exports = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TemplateResource> _ssmParameters = new(StringComparer.Ordinal);
    private readonly Dictionary<TemplateResource, List<ResourceReference>> _incoming = new(ReferenceEqualityComparer.Instance);

    /// <summary>Indexes every reference between the resources of <paramref name="template"/>.</summary>
    public ResourceGraph(TemplateDocument template)
        : this([(null, template)])
    {
    }

    /// <summary>Indexes every reference between the resources of the set's templates, within and across them.</summary>
    public ResourceGraph(TemplateSet set)
        : this(set.Stacks.Select(s => ((string?)s.StackName, s.Template)).ToList())
    {
    }

    private ResourceGraph(IReadOnlyList<(string? StackName, TemplateDocument Template)> templates)
    {
        _templates = templates;
        foreach (var entry in templates)
        {
            _byRoot[entry.Template.Root] = entry;
            IndexExports(entry.StackName, entry.Template);
            foreach (var parameter in entry.Template.OfType(SsmParameter))
            {
                if (StaticText.Render(parameter["Name"], entry.Template, entry.StackName) is { } name)
                {
                    _ssmParameters.TryAdd(name, parameter);
                }
            }
        }

        foreach (var (_, template) in templates)
        {
            foreach (var resource in template.Resources)
            {
                Collect(resource, resource.Properties, "Properties");
            }
        }
    }

    /// <summary>
    /// The resource a value points at: <c>{"Ref": id}</c> or <c>{"Fn::GetAtt": [id, attr]}</c> (or <c>"id.attr"</c>)
    /// in the value's own template; <c>Fn::ImportValue</c> of another template's export; an SSM parameter reference.
    /// Null for literals, ordinary parameters, pseudo parameters, other intrinsics and exports outside the set.
    /// </summary>
    public TemplateResource? Resolve(JsonNode? value) =>
        value is null ? null : Resolve(value, TemplateOf(value), 0);

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

    /// <summary>Every reference to <paramref name="target"/> from other resources (of any template of the set), in template order.</summary>
    public IReadOnlyList<ResourceReference> ReferencesTo(TemplateResource target) =>
        _incoming.TryGetValue(target, out var list) ? list : [];

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

    /// <summary>The stack name of the template that declares <paramref name="resource"/>; null outside a <see cref="TemplateSet"/>.</summary>
    public string? StackOf(TemplateResource resource) =>
        _byRoot.TryGetValue(resource.Template.Root, out var entry) ? entry.StackName : null;

    /// <summary>
    /// <see cref="StaticText"/> of a value in the context of the template that holds it; an <c>Fn::ImportValue</c> of
    /// an export in the set renders as the exported value (in the exporting template's terms).
    /// </summary>
    internal string? Text(JsonNode? value, TemplateDocument template) => Text(value, template, 0);

    /// <summary>The resources of one type in every template of the set, in the set's order.</summary>
    public IEnumerable<TemplateResource> OfType(string type) => _templates.SelectMany(t => t.Template.OfType(type));

    private string? Text(JsonNode? value, TemplateDocument template, int hops)
    {
        var stack = _byRoot.TryGetValue(template.Root, out var entry) ? entry.StackName : null;
        return StaticText.Render(value, template, stack, obj =>
            hops < MaxHops
            && obj["Fn::ImportValue"] is { } import
            && StaticText.Render(import, template, stack) is { } name
            && _exports.TryGetValue(name, out var export)
                ? Text(export.Value, export.Template, hops + 1)
                : null);
    }

    private TemplateDocument? TemplateOf(JsonNode value)
    {
        if (_byRoot.TryGetValue(value.Root, out var entry))
        {
            return entry.Template;
        }

        return _templates.Count == 1 ? _templates[0].Template : null;
    }

    private void IndexExports(string? stackName, TemplateDocument template)
    {
        if (template.Outputs is not { } outputs)
        {
            return;
        }

        foreach (var (_, output) in outputs)
        {
            if (Values.At(output, "Export.Name") is { } exportName
                && StaticText.Render(exportName, template, stackName) is { } name)
            {
                _exports.TryAdd(name, (template, output?["Value"]));
            }
        }
    }

    private TemplateResource? Resolve(JsonNode value, TemplateDocument? template, int hops)
    {
        if (template is null || hops > MaxHops)
        {
            return null;
        }

        if (value is JsonValue && Values.AsString(value) is { } text)
        {
            return SsmName(text) is { } name ? FromSsm(name, hops) : null;
        }

        if (value is not JsonObject { Count: 1 } obj)
        {
            return null;
        }

        if (obj["Ref"] is JsonValue r && r.TryGetValue<string>(out var refId))
        {
            return template.GetResource(refId) ?? FromSsmParameterType(template, refId, hops);
        }

        if (obj["Fn::GetAtt"] is { } getAtt)
        {
            var id = getAtt switch
            {
                JsonArray { Count: > 0 } a when a[0] is JsonValue v && v.TryGetValue<string>(out var s) => s,
                JsonValue v when v.TryGetValue<string>(out var dotted) => dotted.Split('.')[0],
                _ => null,
            };
            return id is null ? null : template.GetResource(id);
        }

        if (obj["Fn::ImportValue"] is { } import
            && Text(import, template) is { } exportName
            && _exports.TryGetValue(exportName, out var export)
            && export.Value is { } exported)
        {
            return Resolve(exported, export.Template, hops + 1);
        }

        return null;
    }

    /// <summary>A parameter of type <c>AWS::SSM::Parameter::Value&lt;…&gt;</c> whose default names a parameter in the set.</summary>
    private TemplateResource? FromSsmParameterType(TemplateDocument template, string parameterName, int hops) =>
        template.Parameters?[parameterName] is JsonObject parameter
        && StaticText.IsSsmParameterType(parameter)
        && Values.AsString(parameter["Default"]) is { } name
            ? FromSsm(name, hops)
            : null;

    private TemplateResource? FromSsm(string name, int hops) =>
        _ssmParameters.TryGetValue(name, out var parameter) && parameter["Value"] is { } value
            ? Resolve(value, parameter.Template, hops + 1)
            : null;

    /// <summary>The parameter name of a whole-value dynamic reference <c>{{resolve:ssm:/name}}</c> or <c>{{resolve:ssm:/name:3}}</c>.</summary>
    private static string? SsmName(string text)
    {
        const string Prefix = "{{resolve:ssm:";
        if (!text.StartsWith(Prefix, StringComparison.Ordinal) || !text.EndsWith("}}", StringComparison.Ordinal))
        {
            return null;
        }

        var name = text[Prefix.Length..^2];
        var version = name.LastIndexOf(':');
        return version > 0 && name[(version + 1)..].All(char.IsAsciiDigit) ? name[..version] : name;
    }

    private void Collect(TemplateResource source, JsonNode? node, string path)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj.Count == 1 && (obj.ContainsKey("Ref") || obj.ContainsKey("Fn::GetAtt") || obj.ContainsKey("Fn::ImportValue")))
                {
                    Add(source, path, Resolve(obj, source.Template, 0));
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
            case JsonValue value when _ssmParameters.Count > 0 && Values.AsString(value) is { } text && SsmName(text) is { } name:
                Add(source, path, FromSsm(name, 0));
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

            var id = name.Split('.')[0];
            Add(source, path + ".Fn::Sub", source.Template.GetResource(id) ?? FromSsmParameterType(source.Template, id, 0));
        }
    }

    private void Add(TemplateResource source, string path, TemplateResource? target)
    {
        if (target is null || ReferenceEquals(target, source))
        {
            return;
        }

        if (!_incoming.TryGetValue(target, out var list))
        {
            list = [];
            _incoming[target] = list;
        }

        list.Add(new ResourceReference(source, path, target));
    }
}
