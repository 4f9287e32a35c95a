using System.Text;

namespace ScalableBackend.Sharding;

/// <summary>
/// The shard map a <c>ShardedDatabase</c> publishes in SSM: the key space split into <see cref="BucketCount"/> virtual
/// buckets, <c>bucket = crc32(UTF-8 key) mod bucketCount</c>, each bucket served by exactly one shard, and (version 2)
/// bucket ranges moving between shards. An instance is always valid: the constructor checks every rule and throws
/// <see cref="ShardMapException"/> naming the place in the JSON document.
/// <para>
/// Version 1 is the map as published before resharding existed: every shard lists at least one range, no moves.
/// Version 2 adds shards without buckets and <see cref="Moves"/>. The <c>buckets</c> of each shard always mean the
/// buckets it serves now, in both versions, so a reader that ignores moves still routes every key correctly.
/// </para>
/// </summary>
public sealed class ShardMap
{
    /// <summary>The hash function the map is computed with, as named in the document.</summary>
    public const string HashFunction = "crc32";

    /// <summary>The largest bucket count.</summary>
    public const int MaxBucketCount = 65536;

    /// <summary>The versions this library reads: 1 (before resharding) and 2 (empty shards, moves).</summary>
    public static IReadOnlyList<int> ReadableVersions { get; } = [1, 2];

    private readonly string[] _servedBy;
    private readonly BucketMove?[] _moveOf;

    /// <summary>The document version: 1, or 2 when the map needs it.</summary>
    public int Version { get; }

    /// <summary>How many virtual buckets the key space has, 1–65536; fixed for the life of the data.</summary>
    public int BucketCount { get; }

    /// <summary>The shards by id.</summary>
    public IReadOnlyDictionary<string, ShardEntry> Shards { get; }

    /// <summary>The bucket ranges moving between shards, in document order (version 2; empty in version 1).</summary>
    public IReadOnlyList<BucketMove> Moves { get; }

    /// <summary>
    /// Creates and validates a map. <paramref name="version"/> defaults to the lowest that can express it: 1 without
    /// moves and empty shards, else 2.
    /// </summary>
    /// <exception cref="ShardMapException">A rule is broken; the message names where and which.</exception>
    public ShardMap(int bucketCount, IReadOnlyDictionary<string, ShardEntry> shards, IReadOnlyList<BucketMove>? moves = null, int? version = null)
    {
        moves ??= [];
        Version = version ?? (moves.Count == 0 && shards.Values.All(s => s.Buckets.Count > 0) ? 1 : 2);
        if (!ReadableVersions.Contains(Version))
            throw new ShardMapException("version", $"{Version} is not a version this library reads ({string.Join(", ", ReadableVersions)}); update ScalableBackend.ShardMap");
        if (bucketCount < 1 || bucketCount > MaxBucketCount)
            throw new ShardMapException("bucketCount", $"{bucketCount} must be between 1 and {MaxBucketCount}");
        if (shards.Count == 0)
            throw new ShardMapException("shards", "lists no shard; a map needs at least one");
        BucketCount = bucketCount;
        Shards = shards;
        Moves = moves;
        _servedBy = new string[bucketCount];
        _moveOf = new BucketMove?[bucketCount];

        foreach (var (id, shard) in shards.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var at = $"shards.{id}";
            if (id.Length == 0)
                throw new ShardMapException("shards", "has a shard with an empty id");
            if (string.IsNullOrWhiteSpace(shard.Writer))
                throw new ShardMapException($"{at}.writer", "is missing; every shard needs its writer endpoint host:port");
            if (shard.Buckets.Count == 0 && Version == 1)
                throw new ShardMapException($"{at}.buckets", "is empty; a shard without buckets needs version 2");
            for (var i = 0; i < shard.Buckets.Count; i++)
            {
                var range = shard.Buckets[i];
                CheckRange($"{at}.buckets[{i}]", range);
                for (var b = range.From; b <= range.To; b++)
                {
                    if (_servedBy[b] is { } owner)
                        throw new ShardMapException($"{at}.buckets[{i}]", $"{range} overlaps buckets of shard {owner} (bucket {b}); every bucket has exactly one owner");
                    _servedBy[b] = id;
                }
            }
        }
        var missing = Array.FindIndex(_servedBy, o => o is null);
        if (missing >= 0)
        {
            var end = missing;
            while (end + 1 < bucketCount && _servedBy[end + 1] is null) end++;
            throw new ShardMapException("shards", $"buckets {new BucketRange(missing, end)} have no owner; every bucket from 0 to {bucketCount - 1} needs exactly one shard");
        }

        if (moves.Count > 0 && Version == 1)
            throw new ShardMapException("moves", "needs version 2");
        for (var i = 0; i < moves.Count; i++)
        {
            var move = moves[i];
            var at = $"moves[{i}]";
            CheckRange($"{at}.buckets", move.Buckets);
            foreach (var (key, shard) in new[] { ("from", move.From), ("to", move.To) })
                if (!shards.ContainsKey(shard))
                    throw new ShardMapException($"{at}.{key}", $"{shard} is not a shard of this map; a shard stays in the map while it sends or receives buckets");
            if (move.From == move.To)
                throw new ShardMapException($"{at}.to", $"{move.To} is also the shard the range comes from");
            for (var b = move.Buckets.From; b <= move.Buckets.To; b++)
            {
                if (_moveOf[b] is { } other)
                    throw new ShardMapException($"{at}.buckets", $"{move.Buckets} overlaps the move {other.Id} (bucket {b}); a bucket moves once at a time");
                _moveOf[b] = move;
                if (_servedBy[b] != move.Owner)
                    throw new ShardMapException($"{at}.buckets", move.State == MoveState.Copying
                        ? $"{move.Buckets} is copying, so its old owner {move.From} still serves it and lists it; bucket {b} is listed under {_servedBy[b]}"
                        : $"{move.Buckets} is {BucketMove.NameOf(move.State)}, so its new owner {move.To} serves it and lists it; bucket {b} is listed under {_servedBy[b]}");
            }
        }
    }

    /// <summary>The bucket of <paramref name="key"/>: <c>crc32(UTF-8 key) mod bucketCount</c>.</summary>
    public int BucketOf(string key) => BucketOf(key, BucketCount);

    /// <summary>The bucket of <paramref name="key"/> among <paramref name="bucketCount"/> buckets: <c>crc32(UTF-8 key) mod bucketCount</c>.</summary>
    public static int BucketOf(string key, int bucketCount)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentOutOfRangeException.ThrowIfLessThan(bucketCount, 1);
        var max = Encoding.UTF8.GetMaxByteCount(key.Length);
        Span<byte> buffer = max <= 512 ? stackalloc byte[max] : new byte[max];
        var length = Encoding.UTF8.GetBytes(key, buffer);
        return (int)(Crc32.Compute(buffer[..length]) % (uint)bucketCount);
    }

    /// <summary>The id of the shard serving <paramref name="bucket"/> now.</summary>
    public string ShardOf(int bucket)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bucket);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(bucket, BucketCount);
        return _servedBy[bucket];
    }

    /// <summary>The move <paramref name="bucket"/> is part of, or null.</summary>
    public BucketMove? MoveOf(int bucket)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bucket);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(bucket, BucketCount);
        return _moveOf[bucket];
    }

    /// <summary>Where <paramref name="key"/> goes now: its bucket, the shard serving it, its move.</summary>
    public ShardRoute Route(string key)
    {
        var bucket = BucketOf(key);
        return new ShardRoute(bucket, _servedBy[bucket], _moveOf[bucket]);
    }

    /// <summary>Reads and validates a map from its JSON text, version 1 or 2.</summary>
    /// <exception cref="ShardMapException">The text is not a valid shard map; the message names where.</exception>
    public static ShardMap Parse(string json) => ShardMapJson.Parse(json);

    /// <summary>Reads and validates a map from a UTF-8 JSON stream, version 1 or 2.</summary>
    /// <exception cref="ShardMapException">The document is not a valid shard map; the message names where.</exception>
    public static ShardMap Parse(Stream utf8Json) => ShardMapJson.Parse(utf8Json);

    /// <summary>The map's JSON text, in the shape <c>ShardedDatabase</c> publishes (compact, keys in a fixed order).</summary>
    public string ToJson() => ShardMapJson.Write(this);

    private void CheckRange(string at, BucketRange range)
    {
        if (range.From < 0 || range.From >= BucketCount || range.To < range.From || range.To >= BucketCount)
            throw new ShardMapException(at, $"{range} must lie within 0-{BucketCount - 1} (bucketCount {BucketCount}) with from ≤ to");
    }
}
