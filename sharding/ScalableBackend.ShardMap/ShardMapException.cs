namespace ScalableBackend.Sharding;

/// <summary>
/// A shard map is not valid or not readable. <see cref="Path"/> names the place in the JSON document
/// (<c>shards.shard2.buckets[0]</c>, <c>moves[1].state</c>, or empty for the document) so the message points at it.
/// </summary>
public sealed class ShardMapException : FormatException
{
    /// <summary>Where in the document the problem is, dotted; empty for the whole document.</summary>
    public string Path { get; }

    /// <summary>Creates the exception; the message reads <c>shard map: Path: problem</c>.</summary>
    public ShardMapException(string path, string problem, Exception? inner = null)
        : base(path.Length == 0 ? $"shard map: {problem}" : $"shard map: {path}: {problem}", inner) => Path = path;
}
