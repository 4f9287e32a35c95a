using System.Text.Json.Nodes;

namespace ScalableBackend.Policies.Rules.Security;

/// <summary>Finds the identity-policy documents of IAM resources and their Allow statements.</summary>
internal static class IamDocuments
{
    public static readonly IReadOnlyList<string> Types =
    [
        "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy", "AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group",
        "AWS::IAM::RolePolicy", "AWS::IAM::UserPolicy", "AWS::IAM::GroupPolicy",
    ];

    /// <summary>(where, statement) for each Allow statement: PolicyDocument, or each inline Policies[i].PolicyDocument.
    /// A role's AssumeRolePolicyDocument is a trust policy and is not included.</summary>
    public static IEnumerable<(string Where, JsonObject Statement)> AllowStatements(TemplateResource r)
    {
        var documents = new List<(string, JsonNode?)>();
        if (r["PolicyDocument"] is { } document)
        {
            documents.Add(("PolicyDocument", document));
        }

        var inline = Values.AsList(r["Policies"]) ?? [];
        for (var i = 0; i < inline.Count; i++)
        {
            var name = Values.AsString(inline[i]?["PolicyName"]) ?? i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            documents.Add(($"Policies[{name}]", inline[i]?["PolicyDocument"]));
        }

        foreach (var (where, doc) in documents)
        {
            var index = 0;
            foreach (var statement in RuleText.Statements(doc))
            {
                if (Values.IsString(statement["Effect"], "Allow"))
                {
                    yield return ($"{where} statement {Values.AsString(statement["Sid"]) ?? index.ToString(System.Globalization.CultureInfo.InvariantCulture)}", statement);
                }

                index++;
            }
        }
    }

    public static bool HasWildcard(JsonNode? value, params string[] wildcards) =>
        (Values.AsList(value) ?? []).Any(v => wildcards.Contains(Values.AsString(v)));
}

/// <summary>SB-IAM-001. Allow statements with Action "*" (or "*:*").</summary>
internal sealed class NoWildcardActions : IPolicyRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "SB-IAM-001", Severity.Error,
        "IAM policies do not allow every action",
        "Action \"*\" grants administrator power on the resources: one leaked credential or SSRF becomes full control, including over IAM itself.",
        "List the actions the workload calls (CDK: grant* methods generate them).");

    public IReadOnlyList<string> ResourceTypes => IamDocuments.Types;

    public IEnumerable<string> Check(TemplateResource r, RuleContext context) =>
        IamDocuments.AllowStatements(r)
            .Where(s => IamDocuments.HasWildcard(s.Statement["Action"], "*", "*:*"))
            .Select(s => $"{s.Where} allows Action \"*\"");
}

/// <summary>SB-IAM-002. Allow statements with Resource "*".</summary>
internal sealed class NoWildcardResources : IPolicyRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "SB-IAM-002", Severity.Warning,
        "IAM policies name their resources",
        "Resource \"*\" lets the granted actions reach every resource of the account, including other environments' data; some actions (e.g. cloudwatch:PutMetricData, ec2:Describe*) do require it.",
        "Scope Resource to the ARNs the workload uses; acknowledge the finding where the action supports no resource-level permission.");

    public IReadOnlyList<string> ResourceTypes => IamDocuments.Types;

    public IEnumerable<string> Check(TemplateResource r, RuleContext context) =>
        IamDocuments.AllowStatements(r)
            .Where(s => IamDocuments.HasWildcard(s.Statement["Resource"], "*"))
            .Select(s => $"{s.Where} allows Resource \"*\"");
}
