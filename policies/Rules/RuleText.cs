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

    /// <summary>
    /// True when the statement's condition matches every request made without TLS: its only test is
    /// <c>Bool</c> (or <c>BoolIfExists</c>) <c>aws:SecureTransport = false</c>. IAM ANDs every key and operator of a
    /// condition, so any further test (e.g. <c>aws:ViaAWSService = false</c> beside it) narrows the deny to some of those
    /// requests and lets the others through.
    /// </summary>
    public static bool DeniesInsecureTransport(JsonObject statement) =>
        statement["Condition"] is JsonObject { Count: 1 } condition
        && condition.Single() is { Key: "Bool" or "BoolIfExists", Value: JsonObject { Count: 1 } test }
        && test.Single() is var t
        && string.Equals(t.Key, "aws:SecureTransport", StringComparison.OrdinalIgnoreCase)
        && (Values.AsList(t.Value) ?? []).Any(Values.IsFalse);
}
