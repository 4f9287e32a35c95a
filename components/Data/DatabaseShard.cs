namespace ScalableBackend.Components.Data;

/// <summary>An inclusive range of virtual buckets, e.g. <c>{ From = 0, To = 255 }</c>.</summary>
public sealed record BucketRange
{
    /// <summary>The first bucket of the range, 0 or more. Required.</summary>
    public required int From { get; init; }

    /// <summary>The last bucket of the range (inclusive), at least <see cref="From"/> and below the bucket count. Required.</summary>
    public required int To { get; init; }

    /// <inheritdoc/>
    public override string ToString() => From == To ? $"{From}" : $"{From}-{To}";
}

/// <summary>One shard of a <see cref="ShardedDatabase"/>: the slice of the key space it owns and its optional extras.</summary>
public sealed record DatabaseShard
{
    /// <summary>
    /// The virtual buckets this shard serves now. Across all shards every bucket from 0 to the bucket count − 1 has
    /// exactly one owner. Empty for a shard just created to receive buckets (see <see cref="ShardedDatabaseSettings.Moves"/>).
    /// Moving buckets changes only the shard map, never a database resource. Required.
    /// </summary>
    public required IReadOnlyList<BucketRange> Buckets { get; init; }

    /// <summary>Read replicas of the shard's writer, 0–5. Default: 0.</summary>
    public int? ReadReplicas { get; init; }

    /// <summary>Whether an RDS Proxy (TLS required) pools connections to the shard's writer. Default: false.</summary>
    public bool? EnableProxy { get; init; }
}

/// <summary>How far a <see cref="BucketMoveSettings"/> has come; published as the shard map's move state.</summary>
public enum BucketMoveState
{
    /// <summary>Rows are being copied; the old owner still serves the range and lists it in its buckets.</summary>
    Copying,

    /// <summary>The new owner serves the range and lists it in its buckets; the old owner holds a stale copy.</summary>
    Switched,

    /// <summary>The old copy has been deleted; the entry may be removed.</summary>
    Cleaned,
}

/// <summary>
/// A bucket range moving between shards: created empty, the new shard receives the range while it is
/// <see cref="BucketMoveState.Copying"/> (the old owner serves), then <see cref="BucketMoveState.Switched"/> (the new
/// owner serves and lists the range), then <see cref="BucketMoveState.Cleaned"/>. Published in the shard map (version 2).
/// </summary>
public sealed record BucketMoveSettings
{
    /// <summary>The range that moves. Required.</summary>
    public required BucketRange Buckets { get; init; }

    /// <summary>The id of the shard the range comes from (its old owner). Required.</summary>
    public required string FromShard { get; init; }

    /// <summary>The id of the shard the range goes to (its new owner). Required.</summary>
    public required string ToShard { get; init; }

    /// <summary>How far the move has come. Required.</summary>
    public required BucketMoveState State { get; init; }
}
