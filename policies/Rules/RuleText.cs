using System.Text.Json.Nodes;

namespace ScalableBackend.Policies.Rules;

/// <summary>Small shared helpers for rule messages and policy documents.</summary>
internal static class RuleText
{
    /// <summary>"is missing" or "is false" / "is 3": how a value falls short, for messages.</summary>
    public static string Describe(JsonNode? value) =>
        value is null ? "is missing" : $"is {Values.AsString(value) ?? value.ToJsonString()}";

    /// <summary>The statements of an IAM/resource policy document (a single statement or a list).</summary>
    public static IEnumerable<JsonObject> Statements(JsonNode? policyDocument) =>
        (Values.AsList(Values.At(policyDocument, "Statement")) ?? []).OfType<JsonObject>();

    /// <summary>True when some statement denies requests made without TLS (<c>aws:SecureTransport</c> false).</summary>
    public static bool DeniesInsecureTransport(JsonNode? policyDocument) =>
        Statements(policyDocument).Any(s =>
            Values.IsString(s["Effect"], "Deny")
            && s["Condition"] is JsonObject condition
            && condition.Any(op =>
                op.Key is "Bool" or "BoolIfExists"
                && op.Value is JsonObject test
                && test.Any(t => string.Equals(t.Key, "aws:SecureTransport", StringComparison.OrdinalIgnoreCase)
                    && (Values.AsList(t.Value) ?? []).Any(Values.IsFalse))));

    /// <summary>
    /// Findings for a resource that needs a resource policy denying insecure transport: the policies of
    /// <paramref name="policyType"/> that name it through <paramref name="targetProperty"/> are checked.
    /// </summary>
    public static IEnumerable<string> RequireSecureTransportPolicy(
        TemplateResource resource, RuleContext context, string policyType, string targetProperty)
    {
        var policies = context.Graph.Referrers(resource, policyType, targetProperty).ToList();
        if (policies.Count == 0)
        {
            yield return $"no {policyType} in {(context.Stack is null ? "this template" : "the stacks checked")} refers to {resource.LogicalId}, so nothing denies requests without TLS";
        }
        else if (!policies.Any(p => DeniesInsecureTransport(p["PolicyDocument"])))
        {
            yield return $"{string.Join(", ", policies.Select(context.NameOf))} has no Deny statement with Condition Bool aws:SecureTransport = false";
        }
    }
}
