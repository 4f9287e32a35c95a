namespace ScalableBackend.Policies;

/// <summary>
/// Rules that judge a change between two templates (a base and a head), not one template: the preview's
/// <c>diff</c> applies them. They are in the catalog so acknowledgements of them are known and SARIF lists them.
/// </summary>
public static class ChangeRules
{
    /// <summary>SB-DIFF-001: a change must not replace or delete a stateful resource unless acknowledged with a reason.</summary>
    public static readonly RuleDescriptor StatefulReplacement = new(
        "SB-DIFF-001",
        Severity.Error,
        "Changes do not replace or delete stateful resources unacknowledged",
        "Replacing or deleting a database, cache, queue, bucket, search domain, log group, broker, stream, table, file system, key or secret loses its data or its identity.",
        "Revert the property change (keep logical IDs stable), or acknowledge it on the head resource with a reason: PolicyAcknowledgement.Apply(resource, new(\"SB-DIFF-001\", \"…\")).");

    /// <summary>Every change rule.</summary>
    public static IReadOnlyList<RuleDescriptor> All { get; } = [StatefulReplacement];
}
