using System.Text.Json.Nodes;

namespace ScalableBackend.Policies.Rules.Security;

/// <summary>
/// SB-SEC-001. Walks every property of every resource. A key looks secret when, lower-cased without <c>_</c> and
/// <c>-</c>, it ends with password, passwd, passphrase, secret, authtoken, apikey, secretkey, secretaccesskey,
/// privatekey or accesstoken, or is secretstring. Only string values are judged: a dynamic reference
/// (<c>{{resolve:secretsmanager:…}}</c>, <c>{{resolve:ssm-secure:…}}</c>) passes, a <c>Ref</c> passes when it
/// names a NoEcho parameter or a resource, any other intrinsic passes, and an empty string passes.
/// </summary>
internal sealed class LiteralSecrets : IPolicyRule
{
    private static readonly string[] SecretSuffixes =
    [
        "password", "passwd", "passphrase", "secret", "authtoken", "apikey", "secretkey", "secretaccesskey", "privatekey", "accesstoken",
    ];

    public RuleDescriptor Descriptor { get; } = new(
        "SB-SEC-001", Severity.Error,
        "No literal secrets in templates",
        "A password or token written in a template lands in source control, in cdk.out, in CloudFormation's console and API, and in every copy of the template.",
        "Generate the secret in Secrets Manager and pass a dynamic reference {{resolve:secretsmanager:…}} (CDK: SecretValue.secretsManager), or a NoEcho parameter.",
        Source: "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/security-best-practices.html#creds");

    /// <summary>Empty: every resource type (the rule is keyed on property names).</summary>
    public IReadOnlyList<string> ResourceTypes => [];

    public IEnumerable<string> Check(TemplateResource r, RuleContext context)
    {
        var found = new List<string>();
        Walk(r.Properties, string.Empty, context, found);
        return found;
    }

    private static void Walk(JsonNode? node, string path, RuleContext context, List<string> found)
    {
        switch (node)
        {
            case JsonObject obj when !Values.IsIntrinsic(obj):
                foreach (var (key, child) in obj)
                {
                    var childPath = path.Length == 0 ? key : $"{path}.{key}";
                    if (LooksSecret(key) && Problem(child, context) is { } problem)
                    {
                        found.Add($"{childPath} {problem}");
                    }
                    else
                    {
                        Walk(child, childPath, context, found);
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    Walk(array[i], $"{path}[{i}]", context, found);
                }

                break;
        }
    }

    private static bool LooksSecret(string key)
    {
        var normalized = key.Replace("_", string.Empty, StringComparison.Ordinal).Replace("-", string.Empty, StringComparison.Ordinal).ToLowerInvariant();
        return normalized == "secretstring" || SecretSuffixes.Any(s => normalized.EndsWith(s, StringComparison.Ordinal));
    }

    private static string? Problem(JsonNode? value, RuleContext context)
    {
        if (value is JsonObject { Count: 1 } obj && obj["Ref"] is JsonValue reference && reference.TryGetValue<string>(out var name))
        {
            return context.Template.HasParameter(name) && !context.Template.IsNoEchoParameter(name)
                ? $"refers to parameter {name}, which is not NoEcho"
                : null;
        }

        if (value is not JsonValue || Values.AsString(value) is not { Length: > 0 } text)
        {
            return null;
        }

        return text.Contains("{{resolve:secretsmanager:", StringComparison.Ordinal)
            || text.Contains("{{resolve:ssm-secure:", StringComparison.Ordinal)
            || value.GetValueKind() != System.Text.Json.JsonValueKind.String
            ? null
            : "is a literal string; use a Secrets Manager dynamic reference";
    }
}
