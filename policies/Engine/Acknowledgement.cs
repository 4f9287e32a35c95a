using System.Text.Json.Nodes;
using ScalableBackend.Policies.Rules.Acknowledgements;

namespace ScalableBackend.Policies;

/// <summary>
/// An acknowledged rule on one resource, read from its metadata in exactly this shape:
/// <code>"Metadata": { "ScalableBackend": { "Acknowledgements": [ { "Rule": "SB-ELB-002", "Reason": "…" } ] } }</code>
/// </summary>
/// <param name="RuleId">The acknowledged rule.</param>
/// <param name="Reason">Why the finding is acceptable here.</param>
public sealed record Acknowledgement(string RuleId, string Reason)
{
    /// <summary>The metadata key under which our components write acknowledgements.</summary>
    public const string MetadataKey = "ScalableBackend";

    /// <summary>
    /// The prefix of this pack's rule ids. An acknowledgement of an unknown id with this prefix is a problem; ids of
    /// other checkers written in the same list (AWS's CloudFormation validator, <c>W3010</c>; cdk-nag,
    /// <c>AwsSolutions-S1</c>) are theirs to apply, and this pack leaves them alone.
    /// </summary>
    public const string OwnRulePrefix = "SB-";

    /// <summary>The list key inside <see cref="MetadataKey"/>.</summary>
    public const string ListKey = "Acknowledgements";

    /// <summary>
    /// Reads the valid acknowledgements of a resource; each invalid entry becomes a problem (rule and message)
    /// instead, and is not applied.
    /// </summary>
    internal static (List<Acknowledgement> Valid, List<(RuleDescriptor Rule, string Message)> Problems) Read(
        TemplateResource resource, ISet<string> knownRuleIds)
    {
        var valid = new List<Acknowledgement>();
        var problems = new List<(RuleDescriptor, string)>();
        if (resource.Metadata?[MetadataKey] is not { } section)
        {
            return (valid, problems);
        }

        if (section[ListKey] is not JsonArray entries)
        {
            problems.Add((AcknowledgementRules.Malformed,
                $"Metadata.{MetadataKey} has no \"{ListKey}\" list"));
            return (valid, problems);
        }

        for (var i = 0; i < entries.Count; i++)
        {
            var where = $"Metadata.{MetadataKey}.{ListKey}[{i}]";
            var entry = entries[i] as JsonObject;
            var rule = Values.AsString(entry?["Rule"])?.Trim();
            if (entry is null || string.IsNullOrEmpty(rule))
            {
                problems.Add((AcknowledgementRules.Malformed, $"{where} is not an object with a \"Rule\" string"));
                continue;
            }

            var reason = Values.AsString(entry["Reason"])?.Trim();
            if (string.IsNullOrEmpty(reason))
            {
                problems.Add((AcknowledgementRules.MissingReason, $"{where} acknowledges {rule} without a reason; the finding stays unacknowledged"));
            }
            else if (!knownRuleIds.Contains(rule) && rule.StartsWith(OwnRulePrefix, StringComparison.Ordinal))
            {
                problems.Add((AcknowledgementRules.UnknownRule, $"{where} acknowledges unknown rule {rule}"));
            }
            else if (knownRuleIds.Contains(rule))
            {
                valid.Add(new Acknowledgement(rule, reason));
            }
        }

        return (valid, problems);
    }
}
