using System.Text;
using System.Text.Json.Nodes;

namespace ScalableBackend.Policies;

/// <summary>
/// Renders a value that builds a string (a literal, <c>Ref</c>, <c>Fn::GetAtt</c>, <c>Fn::Sub</c>, <c>Fn::Join</c>)
/// as one text, so two spellings of the same name compare equal. Known parts are substituted: literals,
/// <c>AWS::StackName</c> (when the stack name is known), <c>AWS::Partition</c> (<c>aws</c>),
/// <c>AWS::URLSuffix</c> (<c>amazonaws.com</c>) and parameters that have a <c>Default</c>. Unknown parts become
/// placeholders in <c>Fn::Sub</c> spelling: <c>${AWS::Region}</c>, <c>${AWS::AccountId}</c>, <c>${Bucket}</c> for
/// <c>Ref Bucket</c>, <c>${Bucket.Arn}</c> for its attribute. Anything else (<c>Fn::If</c>, <c>Fn::ImportValue</c>,
/// …) cannot be rendered: null.
/// </summary>
internal static class StaticText
{
    private const int MaxDepth = 16;

    /// <summary>
    /// The text of <paramref name="node"/> in <paramref name="template"/>, or null when it cannot be rendered.
    /// <paramref name="other"/>, when given, renders the intrinsics this class does not know (the set's graph renders
    /// <c>Fn::ImportValue</c> as the exported value); null from it means unknown.
    /// </summary>
    public static string? Render(JsonNode? node, TemplateDocument template, string? stackName, Func<JsonObject, string?>? other = null)
    {
        var text = new StringBuilder();
        return Append(text, node, template, stackName, 0, other) ? text.ToString() : null;
    }

    private static bool Append(StringBuilder text, JsonNode? node, TemplateDocument template, string? stackName, int depth, Func<JsonObject, string?>? other)
    {
        if (depth > MaxDepth)
        {
            return false;
        }

        if (node is JsonValue && Values.AsString(node) is { } literal)
        {
            text.Append(literal);
            return true;
        }

        if (node is not JsonObject { Count: 1 } obj)
        {
            return false;
        }

        if (obj["Ref"] is JsonValue r && r.TryGetValue<string>(out var name))
        {
            return AppendName(text, name, template, stackName);
        }

        if (obj["Fn::GetAtt"] is { } getAtt)
        {
            var parts = getAtt switch
            {
                JsonArray { Count: 2 } a => $"{Values.AsString(a[0])}.{Values.AsString(a[1])}",
                JsonValue v => Values.AsString(v),
                _ => null,
            };
            if (parts is null)
            {
                return false;
            }

            text.Append("${").Append(parts).Append('}');
            return true;
        }

        if (obj["Fn::Join"] is JsonArray { Count: 2 } join && Values.AsString(join[0]) is { } delimiter && join[1] is JsonArray items)
        {
            for (var i = 0; i < items.Count; i++)
            {
                if (i > 0)
                {
                    text.Append(delimiter);
                }

                if (!Append(text, items[i], template, stackName, depth + 1, other))
                {
                    return false;
                }
            }

            return true;
        }

        if (obj["Fn::Sub"] is { } sub)
        {
            return AppendSub(text, sub, template, stackName, depth, other);
        }

        if (other?.Invoke(obj) is { } rendered)
        {
            text.Append(rendered);
            return true;
        }

        return false;
    }

    private static bool AppendSub(StringBuilder text, JsonNode sub, TemplateDocument template, string? stackName, int depth, Func<JsonObject, string?>? other)
    {
        var (body, variables) = sub switch
        {
            JsonArray { Count: > 0 } a => (Values.AsString(a[0]), a.Count > 1 ? a[1] as JsonObject : null),
            _ => (Values.AsString(sub), null),
        };
        if (body is null)
        {
            return false;
        }

        var position = 0;
        while (position < body.Length)
        {
            var start = body.IndexOf("${", position, StringComparison.Ordinal);
            var end = start < 0 ? -1 : body.IndexOf('}', start);
            if (start < 0 || end < 0)
            {
                text.Append(body, position, body.Length - position);
                return true;
            }

            text.Append(body, position, start - position);
            var name = body[(start + 2)..end];
            position = end + 1;
            if (name.StartsWith('!'))
            {
                text.Append("${").Append(name, 1, name.Length - 1).Append('}');
            }
            else if (variables?[name] is { } variable)
            {
                if (!Append(text, variable, template, stackName, depth + 1, other))
                {
                    return false;
                }
            }
            else if (name.Contains('.', StringComparison.Ordinal) && !name.StartsWith("AWS::", StringComparison.Ordinal))
            {
                text.Append("${").Append(name).Append('}');
            }
            else if (!AppendName(text, name, template, stackName))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A <c>Ref</c> target: a pseudo parameter, a parameter (its default) or a resource (a placeholder).</summary>
    private static bool AppendName(StringBuilder text, string name, TemplateDocument template, string? stackName)
    {
        switch (name)
        {
            case "AWS::StackName" when stackName is not null:
                text.Append(stackName);
                return true;
            case "AWS::Partition":
                text.Append("aws");
                return true;
            case "AWS::URLSuffix":
                text.Append("amazonaws.com");
                return true;
        }

        if (template.Parameters?[name] is JsonObject parameter && parameter["Default"] is { } fallback
            && Values.AsString(fallback) is { } value && !IsSsmParameterType(parameter))
        {
            text.Append(value);
            return true;
        }

        text.Append("${").Append(name).Append('}');
        return true;
    }

    /// <summary>True for a parameter of type <c>AWS::SSM::Parameter::Value&lt;…&gt;</c> (its default is a parameter name, not the value).</summary>
    public static bool IsSsmParameterType(JsonObject parameter) =>
        Values.AsString(parameter["Type"])?.StartsWith("AWS::SSM::Parameter::Value<", StringComparison.Ordinal) == true;
}
