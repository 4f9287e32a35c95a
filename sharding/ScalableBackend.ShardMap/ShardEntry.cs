namespace ScalableBackend.Sharding;

/// <summary>One shard in the map: the buckets it serves and how to reach it.</summary>
public sealed record ShardEntry
{
    /// <summary>
    /// The bucket ranges this shard serves now: reads and writes of their keys go here. Empty for a shard that was
    /// just created or whose buckets all moved away (version 2). Default: none.
    /// </summary>
    public IReadOnlyList<BucketRange> Buckets { get; init; } = [];

    /// <summary>The writer's endpoint, <c>host:port</c>. Required.</summary>
    public required string Writer { get; init; }

    /// <summary>The read replicas' endpoints, <c>host:port</c> each; they lag the writer. Default: none.</summary>
    public IReadOnlyList<string> Readers { get; init; } = [];

    /// <summary>The RDS Proxy endpoint in front of the writer, <c>host:port</c>, or null when the shard has none. Default: null.</summary>
    public string? Proxy { get; init; }

    /// <summary>The ARN of the Secrets Manager secret with the shard's credentials (RDS's JSON: username, password, …). Default: null.</summary>
    public string? SecretArn { get; init; }
}
