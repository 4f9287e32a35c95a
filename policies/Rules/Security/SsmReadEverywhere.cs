using System.Text.RegularExpressions;

namespace ScalableBackend.Policies.Rules.Security;

/// <summary>
/// SB-IAM-004. An Allow statement of an identity policy (<c>AWS::IAM::Policy</c>, <c>ManagedPolicy</c>, the inline
/// <c>Policies</c> of a role, user or group, and the <c>*Policy</c> types) whose <c>Action</c> grants reading
/// parameters — an <c>ssm:</c> pattern matching <c>ssm:GetParameter</c>, <c>ssm:GetParameters</c> or
/// <c>ssm:GetParametersByPath</c> (<c>ssm:GetParameter*</c>, <c>ssm:Get*</c>, <c>ssm:*</c>, any case) — on every parameter:
/// <c>Resource</c> <c>*</c>, or an ARN whose service matches <c>ssm</c> and whose resource part matches any parameter
/// name (<c>arn:aws:ssm:*:*:parameter/*</c>, <c>…:*</c>) in any region and account. Also a role, user or group attaching
/// an AWS managed policy that grants this (<see cref="ReadingManagedPolicies"/>). <c>Action: "*"</c> is SB-IAM-001's;
/// unknown parts of a resource (a parameter without default, an import) count as scoped.
/// </summary>
internal sealed partial class SsmReadEverywhere : IPolicyRule
{
    private static readonly string[] ReadActions = ["ssm:getparameter", "ssm:getparameters", "ssm:getparametersbypath"];

    /// <summary>
    /// AWS managed policies that allow reading every parameter (AWS Managed Policy Reference Guide, each policy's
    /// document): AmazonSSMManagedInstanceCore allows ssm:GetParameter and ssm:GetParameters on <c>*</c>;
    /// AmazonSSMReadOnlyAccess allows ssm:Get* on <c>*</c>.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> ReadingManagedPolicies = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["AmazonSSMManagedInstanceCore"] = "ssm:GetParameter and ssm:GetParameters on *",
        ["AmazonSSMReadOnlyAccess"] = "ssm:Get* on *",
    };

    public RuleDescriptor Descriptor { get; } = new(
        "SB-IAM-004", Severity.Warning,
        "IAM policies do not let a workload read every SSM parameter",
        "ssm:GetParameter* on \"*\" lets every instance holding the role read every parameter of the account and region: other services' and environments' endpoints, secret ARNs and shard maps, which is the map an intruder needs to move sideways (SecureString values also need kms:Decrypt on their key). AmazonSSMManagedInstanceCore, the usual policy for Session Manager, grants exactly this; Session Manager itself needs no parameter access.",
        "Grant ssm:GetParameter(s) on the parameters the workload reads (arn:aws:ssm:<region>:<account>:parameter/<prefix>/*), and replace AmazonSSMManagedInstanceCore with a policy holding only the Session Manager and agent actions (ssm:UpdateInstanceInformation, ssmmessages:*, ec2messages:*).",
        Source: "https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-access.html");

    public IReadOnlyList<string> ResourceTypes => IamDocuments.Types;

    public IEnumerable<string> Check(TemplateResource r, RuleContext context)
    {
        foreach (var (where, statement) in IamDocuments.AllowStatements(r))
        {
            var reads = RuleText.Items(statement["Action"]).Select(Values.AsString).OfType<string>()
                .Where(a => a.StartsWith("ssm:", StringComparison.OrdinalIgnoreCase)
                    && ReadActions.Any(read => Glob.Matches(a.ToLowerInvariant(), read)))
                .ToList();
            var everywhere = RuleText.Items(statement["Resource"])
                .Select(item => context.Graph.Text(item, r.Template)).OfType<string>()
                .FirstOrDefault(EveryParameter);
            if (reads.Count > 0 && everywhere is not null)
            {
                yield return $"{where} allows {string.Join(", ", reads)} on every parameter (Resource \"{everywhere}\")";
            }
        }

        foreach (var arn in Values.AsList(r["ManagedPolicyArns"]) ?? [])
        {
            var text = context.Graph.Text(arn, r.Template);
            var name = text?[(text.LastIndexOf('/') + 1)..];
            if (text?.StartsWith("arn:aws:iam::aws:policy/", StringComparison.Ordinal) == true
                && ReadingManagedPolicies.TryGetValue(name!, out var grants))
            {
                yield return $"ManagedPolicyArns attaches AWS managed {name} ({grants})";
            }
        }
    }

    /// <summary>True for <c>*</c> and for an SSM ARN pattern that matches any parameter (unknown parts never match).</summary>
    private static bool EveryParameter(string resource)
    {
        if (resource == "*")
        {
            return true;
        }

        var parts = Placeholder().Replace(resource, "\u0001").Split(':', 6);
        return parts.Length == 6 && parts[0] == "arn"
            && Glob.Matches(parts[2], "ssm")
            && Glob.Matches(parts[5], "parameter/any/parameter-name");
    }

    [GeneratedRegex(@"\$\{[^}]*\}")]
    private static partial Regex Placeholder();
}
