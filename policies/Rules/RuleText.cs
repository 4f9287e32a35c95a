using System.Text.Json.Nodes;

namespace ScalableBackend.Policies.Rules;

/// <summary>Small shared helpers for rule messages and policy documents.</summary>
internal static class RuleText
{
    /// <summary>"is missing" or "is false" / "is 3": how a value falls short, for messages.</summary>
    public static string Describe(JsonNode? value) =>
        value is null ? "is missing" : $"is {Values.AsString(value) ?? value.ToJsonString()}";

    /// <summary>
    /// The items of a property that holds one value or a list: an intrinsic (<c>Ref</c>, <c>Fn::Sub</c>, …) counts as one
    /// item, unlike <see cref="Values.AsList"/>, which treats it as an unknown list.
    /// </summary>
    public static IList<JsonNode?> Items(JsonNode? value) =>
        Values.IsIntrinsic(value) ? [value] : Values.AsList(value) ?? [];

    /// <summary>The statements of an IAM/resource policy document (a single statement or a list).</summary>
    public static IEnumerable<JsonObject> Statements(JsonNode? policyDocument) =>
        (Values.AsList(Values.At(policyDocument, "Statement")) ?? []).OfType<JsonObject>();

    /// <summary>True when the statement's condition matches requests made without TLS (<c>Bool aws:SecureTransport = false</c>).</summary>
    public static bool DeniesInsecureTransport(JsonObject statement) =>
        statement["Condition"] is JsonObject condition
        && condition.Any(op =>
            op.Key is "Bool" or "BoolIfExists"
            && op.Value is JsonObject test
            && test.Any(t => string.Equals(t.Key, "aws:SecureTransport", StringComparison.OrdinalIgnoreCase)
                && (Values.AsList(t.Value) ?? []).Any(Values.IsFalse)));
}
