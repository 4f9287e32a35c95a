using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using Amazon.CDK;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ScalableBackend.Stacks.Config;

/// <summary>
/// Binds a YAML document onto immutable records, tracking the key path so that every error names the file,
/// the key, the value and what is allowed. Keys are camelCased property names; a property with
/// <c>required</c> must be present; a key that matches no property is an error listing the allowed keys.
/// Supported values: text, whole numbers, numbers, booleans, enums (snake_case member names), durations
/// (<c>30s</c>, <c>5m</c>, <c>1h</c>, <c>7d</c>), lists, maps with text keys, and nested records.
/// </summary>
public sealed partial class ConfigBinder(string file)
{

    /// <summary>Parses <paramref name="yaml"/> and binds it to <typeparamref name="T"/>.</summary>
    /// <exception cref="ConfigException">The YAML is malformed or does not fit the schema.</exception>
    public T Bind<T>(string yaml) where T : class
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new ConfigException(file, "", $"is not valid YAML (line {e.Start.Line}, column {e.Start.Column}): {e.InnerException?.Message ?? e.Message}");
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner throws this, without a position, on some unterminated input.
            throw new ConfigException(file, "", "is not valid YAML: the document ends inside an unterminated list, map or string");
        }
        if (stream.Documents.Count == 0)
            throw new ConfigException(file, "", "is empty");
        return (T)Bind(typeof(T), stream.Documents[0].RootNode, "")!;
    }

    private object? Bind(Type type, YamlNode node, string path)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (IsNull(node)) throw Error(path, "must have a value");
        if (underlying == typeof(string)) return Scalar(node, path, "text");
        if (underlying == typeof(int))
            return int.TryParse(Scalar(node, path, "a whole number"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var i)
                ? i : throw Error(path, $"= {Describe(node)} must be a whole number");
        if (underlying == typeof(double))
            return double.TryParse(Scalar(node, path, "a number"), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)
                ? d : throw Error(path, $"= {Describe(node)} must be a number");
        if (underlying == typeof(bool))
            return Scalar(node, path, "true or false") switch
            {
                "true" => true,
                "false" => false,
                _ => throw Error(path, $"= {Describe(node)} must be true or false"),
            };
        if (underlying.IsEnum) return BindEnum(underlying, node, path);
        if (underlying == typeof(Duration)) return BindDuration(node, path);
        if (underlying.IsGenericType && underlying.GetGenericTypeDefinition() == typeof(IReadOnlyList<>))
            return BindList(underlying.GetGenericArguments()[0], node, path);
        if (underlying.IsGenericType && underlying.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>))
            return BindMap(underlying.GetGenericArguments()[1], node, path);
        return BindRecord(underlying, node, path);
    }

    private object BindRecord(Type type, YamlNode node, string path)
    {
        if (node is not YamlMappingNode map)
            throw Error(path, $"= {Describe(node)} must be a map of keys");
        // A record may hide a settings property with a file-specific one (`new`): the most derived declaration wins.
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.SetMethod is { IsPublic: true })
            .GroupBy(p => p.Name, StringComparer.Ordinal)
            .Select(g => g.OrderByDescending(p => Depth(p.DeclaringType!)).First())
            .ToDictionary(p => KeyOf(p.Name), StringComparer.Ordinal);
        var instance = Activator.CreateInstance(type)!;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (keyNode, valueNode) in map.Children)
        {
            var key = Scalar(keyNode, path, "a key");
            var at = Join(path, key);
            if (!properties.TryGetValue(key, out var property))
                throw Error(at, $"is not a known key; allowed here: {string.Join(", ", properties.Keys.Order(StringComparer.Ordinal))}");
            seen.Add(key);
            if (IsNull(valueNode))
            {
                if (IsRequired(property) || !IsNullable(property))
                    throw Error(at, "must have a value");
                continue;
            }
            property.SetValue(instance, Bind(property.PropertyType, valueNode, at));
        }
        foreach (var (key, property) in properties)
            if (IsRequired(property) && !seen.Contains(key))
                throw Error(Join(path, key), "is required");
        return instance;
    }

    private object BindList(Type element, YamlNode node, string path)
    {
        if (node is not YamlSequenceNode seq)
            throw Error(path, $"= {Describe(node)} must be a list");
        var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(element))!;
        var index = 0;
        foreach (var item in seq.Children)
        {
            list.Add(Bind(element, item, $"{path}[{index}]"));
            index++;
        }
        return list;
    }

    private object BindMap(Type valueType, YamlNode node, string path)
    {
        if (node is not YamlMappingNode map)
            throw Error(path, $"= {Describe(node)} must be a map of keys");
        var dict = (IDictionary)Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(typeof(string), valueType))!;
        foreach (var (keyNode, valueNode) in map.Children)
        {
            var key = Scalar(keyNode, path, "a key");
            if (dict.Contains(key)) throw Error(Join(path, key), "appears twice");
            dict.Add(key, Bind(valueType, valueNode, Join(path, key)));
        }
        return dict;
    }

    private object BindEnum(Type type, YamlNode node, string path)
    {
        var text = Scalar(node, path, "one of the listed names");
        var names = Enum.GetNames(type).ToDictionary(SnakeCase, n => n, StringComparer.Ordinal);
        return names.TryGetValue(text, out var name)
            ? Enum.Parse(type, name)
            : throw Error(path, $"= {text} must be one of {string.Join(", ", names.Keys)}");
    }

    private Duration BindDuration(YamlNode node, string path)
    {
        var text = Scalar(node, path, "a duration");
        var match = DurationPattern().Match(text);
        if (!match.Success)
            throw Error(path, $"= {text} must be a duration such as 30s, 5m, 1h or 7d");
        var amount = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch
        {
            "s" => Duration.Seconds(amount),
            "m" => Duration.Minutes(amount),
            "h" => Duration.Hours(amount),
            _ => Duration.Days(amount),
        };
    }

    private string Scalar(YamlNode node, string path, string expected) =>
        node is YamlScalarNode { Value: { } value } ? value : throw Error(path, $"= {Describe(node)} must be {expected}");

    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: null or "" or "~" or "null" or "Null" or "NULL" };

    private static int Depth(Type t)
    {
        var depth = 0;
        for (var b = t.BaseType; b is not null; b = b.BaseType) depth++;
        return depth;
    }

    private static bool IsRequired(PropertyInfo p) =>
        p.GetCustomAttributes().Any(a => a.GetType().Name == "RequiredMemberAttribute");

    // A context per call: NullabilityInfoContext is not thread-safe, and files are bound from parallel tests.
    private static bool IsNullable(PropertyInfo p) =>
        Nullable.GetUnderlyingType(p.PropertyType) is not null
        || (!p.PropertyType.IsValueType && new NullabilityInfoContext().Create(p).WriteState == NullabilityState.Nullable);

    private static string Describe(YamlNode node) => node switch
    {
        YamlScalarNode s => s.Value ?? "null",
        YamlSequenceNode => "a list",
        _ => "a map",
    };

    private ConfigException Error(string path, string problem) => new(file, path, problem);

    private static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    /// <summary>The file key for a property name: <c>MinCapacity</c> → <c>minCapacity</c>.</summary>
    public static string KeyOf(string propertyName) =>
        propertyName.Length == 0 ? propertyName : char.ToLowerInvariant(propertyName[0]) + propertyName[1..];

    /// <summary>The file spelling of an enum member: <c>LeastOutstandingRequests</c> → <c>least_outstanding_requests</c>.</summary>
    public static string SnakeCase(string name) => SnakeBoundary().Replace(name, "$1_$2").ToLowerInvariant();

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)(s|m|h|d)$")]
    private static partial Regex DurationPattern();

    [GeneratedRegex("([a-z0-9])([A-Z])")]
    private static partial Regex SnakeBoundary();
}
