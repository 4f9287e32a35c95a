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

    /// <summary>SB-DIFF-002: buckets change shards only through the lifecycle's steps: create empty, copy, switch, clean.</summary>
    public static readonly RuleDescriptor ShardMoveOrder = new(
        "SB-DIFF-002",
        Severity.Error,
        "Shard map changes move buckets one lifecycle step at a time",
        "The shard map sends every key to the shard listing its bucket: giving buckets to a shard that is only being created, or switching them before their rows were copied, sends live keys to a database without their rows, and every read of them misses until someone copies the data by hand. Changing bucketCount remaps every key.",
        "Deploy one step at a time: (1) the new shard with buckets: [], (2) a database.moves entry with state: copying, then run copy-buckets until it reports ready, (3) the range listed under the new shard with state: switched, (4) copy-buckets --step clean, then state: cleaned or drop the entry. Keep bucketCount. A library user may acknowledge it on the shard map parameter with a reason.");

    /// <summary>Every change rule.</summary>
    public static IReadOnlyList<RuleDescriptor> All { get; } = [StatefulReplacement, ShardMoveOrder];
}
