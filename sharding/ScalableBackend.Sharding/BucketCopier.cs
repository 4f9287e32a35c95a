using System.Globalization;
using System.Text;
using Npgsql;

namespace ScalableBackend.Sharding;

/// <summary>
/// Moves the rows of one bucket range from its old owner to its new owner, for the tables the application names.
/// <para>
/// <b>Steps.</b> (1) <see cref="CopyAsync"/>, while the map says <c>copying</c> and the application keeps writing to
/// the old owner: each table is read in key order in batches of <see cref="BucketCopyOptions.BatchSize"/>; rows of
/// the moving buckets are upserted on the new owner, and the batch's last key is recorded in the same transaction in
/// <see cref="BucketCopyOptions.ProgressTable"/> there, so a copy that dies resumes after the last committed batch.
/// (2) <see cref="CatchUpAsync"/>, as often as useful: compares every moving bucket on both shards (row count and a
/// checksum of the rows' md5) and repairs the buckets that differ — rows missing or different on the new owner are
/// copied again, rows the old owner no longer has are deleted. (3) Freeze writes to the moving range, run a last
/// <see cref="CatchUpAsync"/> and <see cref="VerifyAsync"/>: when <see cref="VerifyReport.ReadyToSwitch"/> is true,
/// publish the map with the move <c>switched</c>, wait until every client has read it, then let writes resume (they
/// now go to the new owner). (4) <see cref="CleanAsync"/> deletes the range's rows from the old owner once the map
/// says <c>switched</c>.
/// </para>
/// <para>
/// <b>Consistency.</b> A bulk pass sees each batch as of its own moment: rows written behind it are caught by the
/// catch-up passes, which converge as writes slow down. Only with writes to the range frozen does a clean verify
/// prove the copy complete; the freeze lasts from the final catch-up until every client has the switched map (its
/// refresh interval). Rows are identified by the key column alone, so the tables need it unique on both shards, and
/// both shards must have the same columns and types (run the same migrations first). Each side is read with
/// <c>TimeZone=UTC</c>, ISO dates and exact floats so checksums agree.
/// </para>
/// </summary>
public sealed class BucketCopier
{
    private readonly NpgsqlDataSource _source;
    private readonly NpgsqlDataSource _target;
    private readonly int _bucketCount;
    private readonly IReadOnlyList<CopyTable> _tables;
    private readonly BucketCopyOptions _options;

    /// <summary>A copier of <paramref name="move"/> from <paramref name="source"/> (the old owner) to <paramref name="target"/> (the new owner).</summary>
    public BucketCopier(NpgsqlDataSource source, NpgsqlDataSource target, BucketMove move, int bucketCount, IReadOnlyList<CopyTable> tables, BucketCopyOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(move);
        ArgumentOutOfRangeException.ThrowIfLessThan(bucketCount, 1);
        if (tables is null || tables.Count == 0)
            throw new ArgumentException("name at least one table to copy", nameof(tables));
        options ??= new BucketCopyOptions();
        if (options.BatchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.BatchSize, "BatchSize must be at least 1");
        if (move.Buckets.To >= bucketCount)
            throw new ArgumentException($"the move's range {move.Buckets} lies beyond bucketCount {bucketCount}", nameof(move));
        _source = source;
        _target = target;
        Move = move;
        _bucketCount = bucketCount;
        _tables = tables;
        _options = options;
    }

    /// <summary>A copier of <paramref name="move"/> between the shards of <paramref name="client"/>'s map.</summary>
    public static BucketCopier For(ShardedDataSource client, BucketMove move, IReadOnlyList<CopyTable> tables, BucketCopyOptions? options = null) =>
        new(client.ForShard(move.From), client.ForShard(move.To), move, client.Map.BucketCount, tables, options);

    /// <summary>The move this copier works on.</summary>
    public BucketMove Move { get; }

    /// <summary>Step 1: copies the moving buckets' rows of every table, resuming after the last committed batch of an earlier run.</summary>
    public async Task<IReadOnlyList<TableCopyResult>> CopyAsync(CancellationToken cancellationToken = default)
    {
        await using var source = await OpenAsync(_source, cancellationToken).ConfigureAwait(false);
        await using var target = await OpenAsync(_target, cancellationToken).ConfigureAwait(false);
        await EnsureProgressTableAsync(target, cancellationToken).ConfigureAwait(false);
        var results = new List<TableCopyResult>();
        foreach (var table in _tables)
        {
            var shape = await ShapeAsync(source, target, table, cancellationToken).ConfigureAwait(false);
            var (lastKey, done) = await ReadProgressAsync(target, table, cancellationToken).ConfigureAwait(false);
            if (done)
            {
                results.Add(new TableCopyResult(table.Name, lastKey, 0, 0, true));
                continue;
            }
            var resumedAfter = lastKey;
            long scanned = 0, copied = 0;
            while (true)
            {
                var rows = await ReadBatchAsync(source, shape, lastKey, cancellationToken).ConfigureAwait(false);
                var moving = rows.Where(r => Move.Buckets.Contains(ShardMap.BucketOf(r[0]!, _bucketCount))).ToArray();
                var finished = rows.Count < _options.BatchSize;
                var batchLast = rows.Count > 0 ? rows[^1][0] : lastKey;
                await using (var tx = await target.BeginTransactionAsync(cancellationToken).ConfigureAwait(false))
                {
                    await UpsertAsync(target, shape, moving, cancellationToken).ConfigureAwait(false);
                    await WriteProgressAsync(target, table, batchLast, moving.Length, finished, cancellationToken).ConfigureAwait(false);
                    await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
                }
                scanned += rows.Count;
                copied += moving.Length;
                lastKey = batchLast;
                _options.OnBatch?.Invoke(table.Name, scanned, copied);
                if (finished) break;
            }
            results.Add(new TableCopyResult(table.Name, resumedAfter, scanned, copied, false));
        }
        return results;
    }

    /// <summary>Compares every moving bucket of every table on both shards: row counts and checksums.</summary>
    public async Task<VerifyReport> VerifyAsync(CancellationToken cancellationToken = default)
    {
        await using var source = await OpenAsync(_source, cancellationToken).ConfigureAwait(false);
        await using var target = await OpenAsync(_target, cancellationToken).ConfigureAwait(false);
        var checks = new List<BucketCheck>();
        foreach (var table in _tables)
        {
            var shape = await ShapeAsync(source, target, table, cancellationToken).ConfigureAwait(false);
            var (sourceRows, sourceSums) = await AggregateAsync(source, shape, cancellationToken).ConfigureAwait(false);
            var (targetRows, targetSums) = await AggregateAsync(target, shape, cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < Move.Buckets.Count; i++)
                checks.Add(new BucketCheck(table.Name, Move.Buckets.From + i, sourceRows[i], targetRows[i], sourceSums[i], targetSums[i]));
        }
        return new VerifyReport(Move, checks);
    }

    /// <summary>Step 2: repairs every bucket that differs: copies missing or changed rows again, deletes rows the old owner no longer has.</summary>
    public async Task<CatchUpResult> CatchUpAsync(CancellationToken cancellationToken = default)
    {
        var report = await VerifyAsync(cancellationToken).ConfigureAwait(false);
        var mismatches = report.Mismatches;
        if (mismatches.Count == 0) return new CatchUpResult(0, 0, 0);
        await using var source = await OpenAsync(_source, cancellationToken).ConfigureAwait(false);
        await using var target = await OpenAsync(_target, cancellationToken).ConfigureAwait(false);
        long upserted = 0, deleted = 0;
        foreach (var table in _tables)
        {
            var buckets = mismatches.Where(m => m.Table == table.Name).Select(m => m.Bucket).ToHashSet();
            if (buckets.Count == 0) continue;
            var shape = await ShapeAsync(source, target, table, cancellationToken).ConfigureAwait(false);
            var sourceRows = await RowHashesAsync(source, shape, buckets, cancellationToken).ConfigureAwait(false);
            var targetRows = await RowHashesAsync(target, shape, buckets, cancellationToken).ConfigureAwait(false);
            var stale = sourceRows.Where(kv => !targetRows.TryGetValue(kv.Key, out var hash) || hash != kv.Value).Select(kv => kv.Key).ToArray();
            var extra = targetRows.Keys.Where(k => !sourceRows.ContainsKey(k)).ToArray();
            foreach (var chunk in stale.Chunk(_options.BatchSize))
            {
                var rows = await ReadKeysAsync(source, shape, chunk, cancellationToken).ConfigureAwait(false);
                await using var tx = await target.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                await UpsertAsync(target, shape, rows, cancellationToken).ConfigureAwait(false);
                await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
                upserted += rows.Count;
            }
            foreach (var chunk in extra.Chunk(_options.BatchSize))
                deleted += await DeleteKeysAsync(target, shape, chunk, cancellationToken).ConfigureAwait(false);
        }
        return new CatchUpResult(mismatches.Count, upserted, deleted);
    }

    /// <summary>
    /// Steps 1–3 without the freeze: copies, then catches up until a pass repairs nothing or
    /// <paramref name="maxCatchUpPasses"/> passes ran, then verifies. With writes to the range frozen, a report that
    /// is <see cref="VerifyReport.ReadyToSwitch"/> means the range can be switched.
    /// </summary>
    public async Task<VerifyReport> RunAsync(int maxCatchUpPasses = 3, CancellationToken cancellationToken = default)
    {
        await CopyAsync(cancellationToken).ConfigureAwait(false);
        for (var pass = 0; pass < maxCatchUpPasses; pass++)
            if ((await CatchUpAsync(cancellationToken).ConfigureAwait(false)).BucketsRepaired == 0) break;
        return await VerifyAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Step 4: deletes the range's rows from the old owner and the move's progress records from the new owner.
    /// Refused unless <paramref name="map"/> — the map the clients read — says the move is switched (or cleaned).
    /// Safe to run again. Returns the rows deleted.
    /// </summary>
    /// <exception cref="InvalidOperationException">The map does not say the range has switched to its new owner.</exception>
    public async Task<long> CleanAsync(ShardMap map, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(map);
        var listed = map.Moves.FirstOrDefault(m => m.Buckets == Move.Buckets && m.From == Move.From && m.To == Move.To);
        if (listed is null || listed.State == MoveState.Copying)
            throw new InvalidOperationException($"the shard map does not say {Move.Id} has switched ({(listed is null ? "no such move" : "it is still copying")}); clean the old copy only after the map serves the range from {Move.To}");
        await using var source = await OpenAsync(_source, cancellationToken).ConfigureAwait(false);
        await using var target = await OpenAsync(_target, cancellationToken).ConfigureAwait(false);
        long deleted = 0;
        foreach (var table in _tables)
        {
            var shape = await ShapeAsync(source, target, table, cancellationToken).ConfigureAwait(false);
            string? lastKey = null;
            while (true)
            {
                var keys = await ReadKeyBatchAsync(source, shape, lastKey, cancellationToken).ConfigureAwait(false);
                var moving = keys.Where(k => Move.Buckets.Contains(ShardMap.BucketOf(k, _bucketCount))).ToArray();
                if (moving.Length > 0)
                    deleted += await DeleteKeysAsync(source, shape, moving, cancellationToken).ConfigureAwait(false);
                if (keys.Count < _options.BatchSize) break;
                lastKey = keys[^1];
            }
        }
        await ResetProgressAsync(target, cancellationToken).ConfigureAwait(false);
        return deleted;
    }

    /// <summary>Forgets this move's progress on the new owner (after aborting a move, so a later copy starts from the beginning).</summary>
    public async Task ResetProgressAsync(CancellationToken cancellationToken = default)
    {
        await using var target = await OpenAsync(_target, cancellationToken).ConfigureAwait(false);
        await ResetProgressAsync(target, cancellationToken).ConfigureAwait(false);
    }

    private async Task ResetProgressAsync(NpgsqlConnection target, CancellationToken cancellationToken)
    {
        await EnsureProgressTableAsync(target, cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"DELETE FROM {QuoteName(_options.ProgressTable)} WHERE move_id = @move", target);
        command.Parameters.AddWithValue("move", Move.Id);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    // ---- table shape -------------------------------------------------------------------------------------------

    /// <summary>A table's quoted name, its copied columns (not generated), the key column and its type.</summary>
    private sealed record Shape(string Table, string QuotedTable, IReadOnlyList<string> Columns, string QuotedKey, string KeyType, int StageId)
    {
        public string ColumnList => string.Join(", ", Columns.Select(QuoteIdentifier));
        public string Stage => $"sharding_stage_{StageId}";
    }

    private async Task<Shape> ShapeAsync(NpgsqlConnection source, NpgsqlConnection target, CopyTable table, CancellationToken cancellationToken)
    {
        var quoted = QuoteName(table.Name);
        var sourceColumns = await ColumnsAsync(source, quoted, table, "old owner " + Move.From, cancellationToken).ConfigureAwait(false);
        var targetColumns = await ColumnsAsync(target, quoted, table, "new owner " + Move.To, cancellationToken).ConfigureAwait(false);
        foreach (var (column, type) in sourceColumns)
        {
            if (!targetColumns.TryGetValue(column, out var targetType))
                throw new InvalidOperationException($"table {table.Name} on the new owner {Move.To} has no column {column}; create the same schema there first");
            if (targetType != type)
                throw new InvalidOperationException($"table {table.Name}: column {column} is {type} on {Move.From} but {targetType} on {Move.To}; both shards need the same schema");
        }
        if (!sourceColumns.TryGetValue(table.KeyColumn, out var keyType))
            throw new InvalidOperationException($"table {table.Name} has no column {table.KeyColumn} (its key column) on {Move.From}");
        if (!await IsUniqueAsync(target, quoted, table.KeyColumn, cancellationToken).ConfigureAwait(false))
            throw new InvalidOperationException($"table {table.Name} on the new owner {Move.To} needs a primary key or unique index on {table.KeyColumn} alone, so copied rows upsert by key");
        return new Shape(table.Name, quoted, sourceColumns.Keys.ToArray(), QuoteIdentifier(table.KeyColumn), keyType, _tables.ToList().IndexOf(table));
    }

    private static async Task<Dictionary<string, string>> ColumnsAsync(NpgsqlConnection connection, string quotedTable, CopyTable table, string side, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a " +
            "WHERE a.attrelid = to_regclass(@table) AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = '' ORDER BY a.attnum", connection);
        command.Parameters.AddWithValue("table", quotedTable);
        var columns = new Dictionary<string, string>(StringComparer.Ordinal);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                columns[reader.GetString(0)] = reader.GetString(1);
        return columns.Count > 0 ? columns : throw new InvalidOperationException($"table {table.Name} does not exist on the {side}");
    }

    private static async Task<bool> IsUniqueAsync(NpgsqlConnection connection, string quotedTable, string column, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT EXISTS (SELECT 1 FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0] " +
            "WHERE i.indrelid = to_regclass(@table) AND i.indisunique AND i.indnkeyatts = 1 AND i.indpred IS NULL AND a.attname = @column)", connection);
        command.Parameters.AddWithValue("table", quotedTable);
        command.Parameters.AddWithValue("column", column);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    // ---- reading -----------------------------------------------------------------------------------------------

    private async Task<List<string?[]>> ReadBatchAsync(NpgsqlConnection source, Shape shape, string? afterKey, CancellationToken cancellationToken)
    {
        var texts = string.Join(", ", shape.Columns.Select((c, i) => $"t.{QuoteIdentifier(c)}::text AS c{i}"));
        // Qualified with the table's alias: a bare name in ORDER BY would sort by the output column (its text).
        var where = afterKey is null ? "" : $" WHERE t.{shape.QuotedKey} > CAST(@after AS {shape.KeyType})";
        await using var command = new NpgsqlCommand($"SELECT t.{shape.QuotedKey}::text AS sharding_key, {texts} FROM {shape.QuotedTable} AS t{where} ORDER BY t.{shape.QuotedKey} LIMIT @limit", source);
        if (afterKey is not null) command.Parameters.AddWithValue("after", afterKey);
        command.Parameters.AddWithValue("limit", _options.BatchSize);
        return await ReadRowsAsync(command, shape.Columns.Count + 1, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<List<string?[]>> ReadKeysAsync(NpgsqlConnection source, Shape shape, string[] keys, CancellationToken cancellationToken)
    {
        var texts = string.Join(", ", shape.Columns.Select((c, i) => $"t.{QuoteIdentifier(c)}::text AS c{i}"));
        await using var command = new NpgsqlCommand($"SELECT t.{shape.QuotedKey}::text AS sharding_key, {texts} FROM {shape.QuotedTable} AS t WHERE t.{shape.QuotedKey} = ANY(CAST(@keys AS {shape.KeyType}[]))", source);
        command.Parameters.AddWithValue("keys", keys);
        return await ReadRowsAsync(command, shape.Columns.Count + 1, cancellationToken).ConfigureAwait(false);
    }

    private async Task<List<string>> ReadKeyBatchAsync(NpgsqlConnection connection, Shape shape, string? afterKey, CancellationToken cancellationToken)
    {
        var where = afterKey is null ? "" : $" WHERE t.{shape.QuotedKey} > CAST(@after AS {shape.KeyType})";
        await using var command = new NpgsqlCommand($"SELECT t.{shape.QuotedKey}::text AS sharding_key FROM {shape.QuotedTable} AS t{where} ORDER BY t.{shape.QuotedKey} LIMIT @limit", connection);
        if (afterKey is not null) command.Parameters.AddWithValue("after", afterKey);
        command.Parameters.AddWithValue("limit", _options.BatchSize);
        var keys = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            keys.Add(reader.GetString(0));
        return keys;
    }

    private static async Task<List<string?[]>> ReadRowsAsync(NpgsqlCommand command, int width, CancellationToken cancellationToken)
    {
        var rows = new List<string?[]>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var row = new string?[width];
            for (var i = 0; i < width; i++)
                row[i] = reader.IsDBNull(i) ? null : reader.GetString(i);
            rows.Add(row);
        }
        return rows;
    }

    /// <summary>Per moving bucket (index from the range's start): row count and checksum.</summary>
    private async Task<(long[] Rows, ulong[] Sums)> AggregateAsync(NpgsqlConnection connection, Shape shape, CancellationToken cancellationToken)
    {
        var rows = new long[Move.Buckets.Count];
        var sums = new ulong[Move.Buckets.Count];
        await foreach (var (key, hash) in HashesAsync(connection, shape, cancellationToken).ConfigureAwait(false))
        {
            var bucket = ShardMap.BucketOf(key, _bucketCount);
            if (!Move.Buckets.Contains(bucket)) continue;
            rows[bucket - Move.Buckets.From]++;
            sums[bucket - Move.Buckets.From] += ulong.Parse(hash.AsSpan(0, 16), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
        }
        return (rows, sums);
    }

    private async Task<Dictionary<string, string>> RowHashesAsync(NpgsqlConnection connection, Shape shape, HashSet<int> buckets, CancellationToken cancellationToken)
    {
        var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
        await foreach (var (key, hash) in HashesAsync(connection, shape, cancellationToken).ConfigureAwait(false))
            if (buckets.Contains(ShardMap.BucketOf(key, _bucketCount)))
                hashes[key] = hash;
        return hashes;
    }

    private static async IAsyncEnumerable<(string Key, string Hash)> HashesAsync(NpgsqlConnection connection, Shape shape, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT {shape.QuotedKey}::text, md5(ROW({shape.ColumnList})::text) FROM {shape.QuotedTable}", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            yield return (reader.GetString(0), reader.GetString(1));
    }

    // ---- writing -----------------------------------------------------------------------------------------------

    /// <summary>Upserts <paramref name="rows"/> (key text first, then the columns) through a session temp table filled by COPY.</summary>
    private static async Task UpsertAsync(NpgsqlConnection target, Shape shape, IReadOnlyCollection<string?[]> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0) return;
        await ExecuteAsync(target, $"CREATE TEMP TABLE IF NOT EXISTS {shape.Stage} ON COMMIT DELETE ROWS AS SELECT {shape.ColumnList} FROM {shape.QuotedTable} WITH NO DATA", cancellationToken).ConfigureAwait(false);
        await using (var writer = await target.BeginTextImportAsync($"COPY {shape.Stage} ({shape.ColumnList}) FROM STDIN", cancellationToken).ConfigureAwait(false))
        {
            var line = new StringBuilder();
            foreach (var row in rows)
            {
                line.Clear();
                for (var i = 1; i < row.Length; i++)
                {
                    if (i > 1) line.Append('\t');
                    AppendCopyText(line, row[i]);
                }
                line.Append('\n');
                await writer.WriteAsync(line, cancellationToken).ConfigureAwait(false);
            }
        }
        var updates = shape.Columns.Where(c => QuoteIdentifier(c) != shape.QuotedKey).Select(c => $"{QuoteIdentifier(c)} = EXCLUDED.{QuoteIdentifier(c)}").ToArray();
        var conflict = updates.Length == 0 ? "DO NOTHING" : "DO UPDATE SET " + string.Join(", ", updates);
        // Every caller runs inside a transaction: the stage empties itself at commit (ON COMMIT DELETE ROWS).
        await ExecuteAsync(target, $"INSERT INTO {shape.QuotedTable} ({shape.ColumnList}) OVERRIDING SYSTEM VALUE SELECT {shape.ColumnList} FROM {shape.Stage} ON CONFLICT ({shape.QuotedKey}) {conflict}", cancellationToken).ConfigureAwait(false);
    }

    private static async Task<long> DeleteKeysAsync(NpgsqlConnection connection, Shape shape, string[] keys, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"DELETE FROM {shape.QuotedTable} WHERE {shape.QuotedKey} = ANY(CAST(@keys AS {shape.KeyType}[]))", connection);
        command.Parameters.AddWithValue("keys", keys);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    // ---- progress ----------------------------------------------------------------------------------------------

    private async Task EnsureProgressTableAsync(NpgsqlConnection target, CancellationToken cancellationToken) =>
        await ExecuteAsync(target,
            $"CREATE TABLE IF NOT EXISTS {QuoteName(_options.ProgressTable)} (move_id text NOT NULL, table_name text NOT NULL, last_key text, " +
            "rows_copied bigint NOT NULL DEFAULT 0, done boolean NOT NULL DEFAULT false, updated_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (move_id, table_name))",
            cancellationToken).ConfigureAwait(false);

    private async Task<(string? LastKey, bool Done)> ReadProgressAsync(NpgsqlConnection target, CopyTable table, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT last_key, done FROM {QuoteName(_options.ProgressTable)} WHERE move_id = @move AND table_name = @table", target);
        command.Parameters.AddWithValue("move", Move.Id);
        command.Parameters.AddWithValue("table", table.Name);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? (reader.IsDBNull(0) ? null : reader.GetString(0), reader.GetBoolean(1))
            : (null, false);
    }

    private async Task WriteProgressAsync(NpgsqlConnection target, CopyTable table, string? lastKey, long copied, bool done, CancellationToken cancellationToken)
    {
        var progress = QuoteName(_options.ProgressTable);
        await using var command = new NpgsqlCommand(
            $"INSERT INTO {progress} AS p (move_id, table_name, last_key, rows_copied, done) VALUES (@move, @table, @last, @copied, @done) " +
            "ON CONFLICT (move_id, table_name) DO UPDATE SET last_key = EXCLUDED.last_key, rows_copied = p.rows_copied + EXCLUDED.rows_copied, done = EXCLUDED.done, updated_at = now()", target);
        command.Parameters.AddWithValue("move", Move.Id);
        command.Parameters.AddWithValue("table", table.Name);
        command.Parameters.AddWithValue("last", (object?)lastKey ?? DBNull.Value);
        command.Parameters.AddWithValue("copied", copied);
        command.Parameters.AddWithValue("done", done);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    private static async Task<NpgsqlConnection> OpenAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        // The same text on both sides, whatever the servers' defaults: checksums compare row text.
        await ExecuteAsync(connection, "SET TimeZone = 'UTC'; SET DateStyle = 'ISO, MDY'; SET IntervalStyle = 'postgres'; SET extra_float_digits = 1; SET bytea_output = 'hex'", cancellationToken).ConfigureAwait(false);
        return connection;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Appends a value in COPY's text format: <c>\N</c> for null; backslash, tab, newline and carriage return escaped.</summary>
    private static void AppendCopyText(StringBuilder line, string? value)
    {
        if (value is null) { line.Append("\\N"); return; }
        foreach (var c in value)
            _ = c switch
            {
                '\\' => line.Append("\\\\"),
                '\t' => line.Append("\\t"),
                '\n' => line.Append("\\n"),
                '\r' => line.Append("\\r"),
                _ => line.Append(c),
            };
    }

    /// <summary><c>sales.orders</c> → <c>"sales"."orders"</c>.</summary>
    private static string QuoteName(string name) => string.Join('.', name.Split('.').Select(QuoteIdentifier));

    private static string QuoteIdentifier(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
