using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ScalableBackend.Policies;

/// <summary>
/// Reads literal values out of a template. CloudFormation accepts <c>true</c> and <c>"true"</c>, <c>5</c> and
/// <c>"5"</c> alike, so these helpers do too. A value that is an intrinsic function (<c>Ref</c>, <c>Fn::If</c>,
/// <c>Fn::Sub</c>, …) is <em>unknown</em>: rules skip a "must be X" check on it rather than report a false
/// "missing" finding — see <see cref="IsIntrinsic"/>.
/// </summary>
public static class Values
{
    /// <summary>
    /// True when the node is an intrinsic function or condition reference: an object with a single key that is
    /// <c>Ref</c>, <c>Condition</c> or <c>Fn::…</c> (or another namespaced tag such as <c>Rain::Embed</c>).
    /// </summary>
    public static bool IsIntrinsic(JsonNode? node)
    {
        if (node is not JsonObject obj || obj.Count != 1)
        {
            return false;
        }

        var key = obj.First().Key;
        return key is "Ref" or "Condition" || key.Contains("::", StringComparison.Ordinal);
    }

    /// <summary>The literal string (numbers and booleans in their JSON spelling), or null for anything else.</summary>
    public static string? AsString(JsonNode? node)
    {
        if (node is not JsonValue value)
        {
            return null;
        }

        return value.GetValueKind() switch
        {
            JsonValueKind.String => value.GetValue<string>(),
            JsonValueKind.Number => value.ToJsonString(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => null,
        };
    }

    /// <summary>True only for a literal <c>true</c> or <c>"true"</c> (any case).</summary>
    public static bool IsTrue(JsonNode? node) =>
        string.Equals(AsString(node), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>True only for a literal <c>false</c> or <c>"false"</c> (any case).</summary>
    public static bool IsFalse(JsonNode? node) =>
        string.Equals(AsString(node), "false", StringComparison.OrdinalIgnoreCase);

    /// <summary>The literal integer, or null when absent, not a number, or an intrinsic.</summary>
    public static long? AsInteger(JsonNode? node) =>
        long.TryParse(AsString(node), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : null;

    /// <summary>True when the literal string equals <paramref name="expected"/>, ignoring case.</summary>
    public static bool IsString(JsonNode? node, string expected) =>
        string.Equals(AsString(node), expected, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The items of a list property: the array's elements, or the single value as a one-item list. Null when
    /// absent or when the list itself is an intrinsic (<c>Ref</c> to a list parameter, <c>Fn::Split</c>, …).
    /// </summary>
    public static IList<JsonNode?>? AsList(JsonNode? node) => node switch
    {
        null => null,
        JsonArray array => (IList<JsonNode?>)array,
        _ when IsIntrinsic(node) => null,
        _ => new List<JsonNode?> { node },
    };

    /// <summary>Follows <c>a.b.c</c> through nested objects; null when any step is missing.</summary>
    public static JsonNode? At(JsonNode? node, string path)
    {
        foreach (var step in path.Split('.'))
        {
            node = (node as JsonObject)?[step];
            if (node is null)
            {
                return null;
            }
        }

        return node;
    }
}
