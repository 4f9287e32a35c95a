namespace ScalableBackend.Sharding;

/// <summary>Where a range of buckets is in its move from one shard to another.</summary>
public enum MoveState
{
    /// <summary>Rows are being copied to the new owner; the old owner (<see cref="BucketMove.From"/>) still serves the range and lists it in its buckets.</summary>
    Copying,

    /// <summary>The new owner (<see cref="BucketMove.To"/>) serves the range and lists it; the old owner still holds a stale copy to be cleaned.</summary>
    Switched,

    /// <summary>The old copy has been deleted; the new owner serves the range. The entry may be dropped from the map.</summary>
    Cleaned,
}

/// <summary>A bucket range moving between shards (shard map version 2).</summary>
/// <param name="Buckets">The range that moves.</param>
/// <param name="From">The shard the range comes from (its old owner).</param>
/// <param name="To">The shard the range goes to (its new owner).</param>
/// <param name="State">How far the move has come.</param>
public sealed record BucketMove(BucketRange Buckets, string From, string To, MoveState State)
{
    /// <summary>The shard serving the range in this state: <see cref="From"/> while copying, <see cref="To"/> after the switch.</summary>
    public string Owner => State == MoveState.Copying ? From : To;

    /// <summary>A stable name of the move, <c>896-1023:shard4-&gt;shard5</c> (used e.g. to key copy progress).</summary>
    public string Id => $"{Buckets}:{From}->{To}";

    /// <summary>The state's name in the map: <c>copying</c>, <c>switched</c>, <c>cleaned</c>.</summary>
    public static string NameOf(MoveState state) => state switch
    {
        MoveState.Copying => "copying",
        MoveState.Switched => "switched",
        MoveState.Cleaned => "cleaned",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "unknown move state"),
    };

    /// <summary>The state named <paramref name="name"/> (<c>copying</c>, <c>switched</c>, <c>cleaned</c>), or null.</summary>
    public static MoveState? StateOf(string name) => name switch
    {
        "copying" => MoveState.Copying,
        "switched" => MoveState.Switched,
        "cleaned" => MoveState.Cleaned,
        _ => null,
    };
}

/// <summary>Where a key goes: its bucket, the shard serving it now and the bucket's move, if any.</summary>
/// <param name="Bucket">The key's bucket, <c>crc32(UTF-8 key) mod bucketCount</c>.</param>
/// <param name="Shard">The id of the shard serving the bucket now (reads and writes).</param>
/// <param name="Move">The move the bucket is part of, or null.</param>
public readonly record struct ShardRoute(int Bucket, string Shard, BucketMove? Move);
