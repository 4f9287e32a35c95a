namespace ScalableBackend.Sharding;

/// <summary>A table whose rows follow their key's bucket.</summary>
/// <param name="Name">The table, optionally schema-qualified (<c>orders</c>, <c>sales.orders</c>); quoted as given.</param>
/// <param name="KeyColumn">The column holding the shard key; the row's bucket is <c>crc32(UTF-8 of its text form) mod bucketCount</c>. It must be the primary key or have a unique index of its own on both shards.</param>
public sealed record CopyTable(string Name, string KeyColumn);

/// <summary>How a <see cref="BucketCopier"/> works.</summary>
public sealed record BucketCopyOptions
{
    /// <summary>Rows read from the old owner per batch (each batch is one transaction on the new owner, with its progress). Default: 2000.</summary>
    public int BatchSize { get; init; } = 2000;

    /// <summary>The table on the new owner that records each table's progress, so a copy resumes after a crash. Created when missing. Default: <c>sharding_copy_progress</c>.</summary>
    public string ProgressTable { get; init; } = "sharding_copy_progress";

    /// <summary>Called after every committed batch (table, rows scanned so far, rows copied so far); throwing from it stops the copy like a crash would. Default: nothing.</summary>
    public Action<string, long, long>? OnBatch { get; init; }
}

/// <summary>What one table's bulk copy did.</summary>
/// <param name="Table">The table.</param>
/// <param name="ResumedAfterKey">The key the copy resumed after (from the progress table), or null when it started from the beginning.</param>
/// <param name="RowsScanned">Rows of the old owner read by this run (all buckets; only the moving ones are copied).</param>
/// <param name="RowsCopied">Rows of the moving buckets upserted by this run.</param>
/// <param name="AlreadyDone">Whether an earlier run had finished the table, so this one did nothing.</param>
public sealed record TableCopyResult(string Table, string? ResumedAfterKey, long RowsScanned, long RowsCopied, bool AlreadyDone);

/// <summary>One bucket of one table compared on both shards.</summary>
/// <param name="Table">The table.</param>
/// <param name="Bucket">The bucket.</param>
/// <param name="SourceRows">Rows on the old owner.</param>
/// <param name="TargetRows">Rows on the new owner.</param>
/// <param name="SourceChecksum">The old owner's checksum: the sum (mod 2^64) of the first 8 bytes of each row's md5.</param>
/// <param name="TargetChecksum">The new owner's checksum.</param>
public sealed record BucketCheck(string Table, int Bucket, long SourceRows, long TargetRows, ulong SourceChecksum, ulong TargetChecksum)
{
    /// <summary>Whether both shards hold the same rows.</summary>
    public bool Matches => SourceRows == TargetRows && SourceChecksum == TargetChecksum;
}

/// <summary>The comparison of every moving bucket of every table.</summary>
/// <param name="Move">The move.</param>
/// <param name="Buckets">One check per table and bucket, tables in the order given, buckets ascending.</param>
public sealed record VerifyReport(BucketMove Move, IReadOnlyList<BucketCheck> Buckets)
{
    /// <summary>The checks that differ.</summary>
    public IReadOnlyList<BucketCheck> Mismatches => Buckets.Where(b => !b.Matches).ToArray();

    /// <summary>Whether every bucket matches: the range is ready to switch (with writes to it frozen since the last catch-up).</summary>
    public bool ReadyToSwitch => Buckets.All(b => b.Matches);

    /// <summary>The rows of the range on the old owner, over all tables.</summary>
    public long SourceRows => Buckets.Sum(b => b.SourceRows);
}

/// <summary>What a catch-up pass repaired.</summary>
/// <param name="BucketsRepaired">Buckets (over all tables) that differed.</param>
/// <param name="RowsUpserted">Rows copied again because they were missing or different on the new owner.</param>
/// <param name="RowsDeleted">Rows deleted from the new owner because the old owner no longer has them.</param>
public sealed record CatchUpResult(int BucketsRepaired, long RowsUpserted, long RowsDeleted);
