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
    /// The virtual buckets this shard owns. Across all shards every bucket from 0 to the bucket count − 1 has exactly
    /// one owner. Moving buckets changes only the shard map, never a database resource. Required.
    /// </summary>
    public required IReadOnlyList<BucketRange> Buckets { get; init; }

    /// <summary>Read replicas of the shard's writer, 0–5. Default: 0.</summary>
    public int? ReadReplicas { get; init; }

    /// <summary>Whether an RDS Proxy (TLS required) pools connections to the shard's writer. Default: false.</summary>
    public bool? EnableProxy { get; init; }
}
