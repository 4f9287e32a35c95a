using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ScalableBackend.Policies;

/// <summary>
/// Converts a YAML CloudFormation template into the same <see cref="JsonNode"/> model as a JSON template.
/// Short-form tags become their long form: <c>!Ref x</c> → <c>{"Ref":"x"}</c>, <c>!GetAtt a.b</c> →
/// <c>{"Fn::GetAtt":["a","b"]}</c>, <c>!Condition c</c> → <c>{"Condition":"c"}</c>, any other <c>!X</c> →
/// <c>{"Fn::X":…}</c>; a tag that already names a namespace (<c>!Rain::Embed</c>) is kept as written.
/// Plain scalars that read as booleans, integers or null become those; everything else (quoted scalars, decimals
/// such as engine versions <c>9.6</c>, dates) stays a string, as CloudFormation itself reads them.
/// </summary>
internal static partial class YamlTemplateReader
{
    /// <summary>Parses YAML text; throws <see cref="YamlException"/> on malformed input.</summary>
    public static JsonNode? Parse(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return stream.Documents.Count == 0 ? null : Convert(stream.Documents[0].RootNode);
    }

    private static JsonNode? Convert(YamlNode node)
    {
        var value = node switch
        {
            YamlScalarNode scalar => ConvertScalar(scalar),
            YamlSequenceNode sequence => ConvertSequence(sequence),
            YamlMappingNode mapping => ConvertMapping(mapping),
            _ => throw new YamlException(node.Start, node.End, $"unsupported YAML node {node.NodeType}"),
        };
        return WrapTag(node, value);
    }

    private static JsonNode? WrapTag(YamlNode node, JsonNode? value)
    {
        if (node.Tag.IsEmpty || node.Tag.IsNonSpecific)
        {
            return value;
        }

        var tag = node.Tag.Value;
        if (!tag.StartsWith('!') || tag.StartsWith("tag:yaml.org", StringComparison.Ordinal))
        {
            return value;
        }

        var name = tag[1..];
        return name switch
        {
            "Ref" => new JsonObject { ["Ref"] = value },
            "Condition" => new JsonObject { ["Condition"] = value },
            "GetAtt" => new JsonObject { ["Fn::GetAtt"] = GetAttArguments(value) },
            _ when name.Contains("::", StringComparison.Ordinal) => new JsonObject { [name] = value },
            _ => new JsonObject { ["Fn::" + name] = value },
        };
    }

    /// <summary><c>!GetAtt a.b.c</c> means attribute <c>b.c</c> of resource <c>a</c>.</summary>
    private static JsonNode? GetAttArguments(JsonNode? value)
    {
        if (value is JsonValue v && v.TryGetValue<string>(out var text))
        {
            var dot = text.IndexOf('.', StringComparison.Ordinal);
            return dot < 0
                ? new JsonArray(JsonValue.Create(text))
                : new JsonArray(JsonValue.Create(text[..dot]), JsonValue.Create(text[(dot + 1)..]));
        }

        return value;
    }

    private static JsonArray ConvertSequence(YamlSequenceNode sequence)
    {
        var array = new JsonArray();
        foreach (var child in sequence.Children)
        {
            array.Add(Convert(child));
        }

        return array;
    }

    private static JsonObject ConvertMapping(YamlMappingNode mapping)
    {
        var obj = new JsonObject();
        foreach (var (key, child) in mapping.Children)
        {
            var name = key is YamlScalarNode scalar
                ? scalar.Value ?? string.Empty
                : throw new YamlException(key.Start, key.End, "mapping keys must be plain strings");
            obj[name] = Convert(child);
        }

        return obj;
    }

    private static JsonNode? ConvertScalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? string.Empty;
        var isPlain = scalar.Style is ScalarStyle.Plain or ScalarStyle.Any;
        var hasTag = !scalar.Tag.IsEmpty && !scalar.Tag.IsNonSpecific;
        if (!isPlain || (hasTag && !scalar.Tag.Value.StartsWith('!')))
        {
            return JsonValue.Create(text);
        }

        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return hasTag ? JsonValue.Create(text) : null;
            case "true" or "True" or "TRUE":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE":
                return JsonValue.Create(false);
        }

        if (IntegerPattern().IsMatch(text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return JsonValue.Create(integer);
        }

        return JsonValue.Create(text);
    }

    [GeneratedRegex(@"^-?(0|[1-9][0-9]*)$")]
    private static partial Regex IntegerPattern();
}
