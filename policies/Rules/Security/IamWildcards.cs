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
        "List the actions the workload calls (CDK: grant* methods generate them).",
        Source: "https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-1");

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
        "Scope Resource to the ARNs the workload uses; acknowledge the finding where the action supports no resource-level permission.",
        Source: "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege");

    public IReadOnlyList<string> ResourceTypes => IamDocuments.Types;

    public IEnumerable<string> Check(TemplateResource r, RuleContext context) =>
        IamDocuments.AllowStatements(r)
            .Where(s => IamDocuments.HasWildcard(s.Statement["Resource"], "*"))
            .Select(s => $"{s.Where} allows Resource \"*\"");
}

/// <summary>
/// SB-IAM-003. Each ManagedPolicyArns entry of a role, user or group that renders to
/// <c>arn:aws:iam::aws:policy/[path/]Name</c> (a literal, or <c>Fn::Sub</c>/<c>Fn::Join</c> with
/// <c>${AWS::Partition}</c>) is looked up by name in the shipped list <c>policies/Data/aws-managed-policies.json</c>
/// of AWS managed policies that grant administrator or service-wide access. Unlisted managed policies and customer
/// managed policies are not judged here (SB-IAM-001/002 read the documents in the template).
/// </summary>
internal sealed class NoBroadManagedPolicies : IPolicyRule
{
    private const string AwsPolicyPrefix = "arn:aws:iam::aws:policy/";

    public RuleDescriptor Descriptor { get; } = new(
        "SB-IAM-003", Severity.Error,
        "IAM principals do not attach AWS managed policies that grant admin or service-wide access",
        "AWS managed policies such as AdministratorAccess or AmazonS3FullAccess grant their actions on every resource of the account, including other environments' data; AWS's IAM best practices say to move from AWS managed policies to least-privilege customer managed policies for workloads.",
        "Replace the managed policy with statements scoped to the resources the workload uses (CDK: bucket.grantRead(role), table.grantReadWriteData(role), …).",
        Source: "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#bp-use-aws-defined-policies");

    public IReadOnlyList<string> ResourceTypes { get; } = ["AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group"];

    public IEnumerable<string> Check(TemplateResource r, RuleContext context)
    {
        foreach (var arn in Values.AsList(r["ManagedPolicyArns"]) ?? [])
        {
            var text = context.Graph.Text(arn, r.Template);
            if (text is null || !text.StartsWith(AwsPolicyPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            var name = text[(text.LastIndexOf('/') + 1)..];
            if (ManagedPolicies.Broad.TryGetValue(name, out var policy))
            {
                yield return $"ManagedPolicyArns attaches AWS managed {name} ({policy.Access}: {policy.Grants})";
            }
        }
    }
}

/// <summary>The shipped list of broad AWS managed policies (an embedded copy of policies/Data/aws-managed-policies.json).</summary>
internal static class ManagedPolicies
{
    /// <summary>One listed policy: <c>admin</c> or <c>service-wide</c>, and what it grants, for messages.</summary>
    public sealed record Entry(string Access, string Grants);

    /// <summary>Listed policies by name.</summary>
    public static IReadOnlyDictionary<string, Entry> Broad { get; } = Load();

    private static Dictionary<string, Entry> Load()
    {
        using var stream = typeof(ManagedPolicies).Assembly.GetManifestResourceStream("ScalableBackend.Policies.aws-managed-policies.json")
            ?? throw new InvalidOperationException("the embedded aws-managed-policies.json is missing");
        var root = JsonNode.Parse(stream)!;
        return root["policies"]!.AsArray()
            .Select(p => (Name: (string)p!["name"]!, Entry: new Entry((string)p["access"]!, (string)p["grants"]!)))
            .ToDictionary(p => p.Name, p => p.Entry, StringComparer.Ordinal);
    }
}
