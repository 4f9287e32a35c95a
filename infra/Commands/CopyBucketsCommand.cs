using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Npgsql;
using ScalableBackend.Components.Data;
using ScalableBackend.Sharding;
using ScalableBackend.Stacks.Config;
using Spectre.Console;
using Spectre.Console.Cli;
using ShardBucketRange = ScalableBackend.Sharding.BucketRange;

namespace ScalableBackend.Infra.Commands;

/// <summary>What <c>copy-buckets</c> does.</summary>
public enum CopyStep
{
    /// <summary>Step 2 of a move: copy the range's rows (resuming after the last committed batch), catch up, verify.</summary>
    Copy,
    /// <summary>Compare the range on both shards (rows and checksum per bucket), changing nothing.</summary>
    Verify,
    /// <summary>Step 4: delete the range's rows from the old owner; only once the environment says the move is switched.</summary>
    Clean,
}

/// <summary>What <c>copy-buckets</c> prints.</summary>
public enum CopyFormat
{
    /// <summary>Lines for people.</summary>
    Table,
    /// <summary>One JSON document on standard output.</summary>
    Json,
}

/// <summary>
/// <c>copy-buckets</c>: runs <see cref="BucketCopier"/> for one entry of the environment file's <c>database.moves</c>. The
/// move (its range, old and new owner, state) and the bucket count come from the file; the connection strings of the
/// two shards from <c>SCALABLE_BACKEND_CONNECTION_&lt;SHARD&gt;</c> or <c>--connection</c> (never with a password on the
/// command line; Npgsql reads <c>PGPASSWORD</c> or <c>~/.pgpass</c>). Output names hosts and databases, never
/// credentials. Exit 1 when a copy or verify finds the range not ready to switch.
/// </summary>
public sealed partial class CopyBucketsCommand(IAnsiConsole console) : Command<CopyBucketsCommand.Settings>
{
    /// <summary>The prefix of the environment variables holding each shard's connection string.</summary>
    public const string ConnectionVariablePrefix = "SCALABLE_BACKEND_CONNECTION_";

    /// <summary>Options of <c>copy-buckets</c>.</summary>
    public sealed class Settings : OutputSettings
    {
        /// <summary>The environment whose <c>database.moves</c> names the move.</summary>
        [CommandOption("-e|--env <ENV>")]
        [Description("Environment whose database.moves lists the move: dev, staging or prod (required).")]
        public string? Env { get; init; }

        /// <summary>The moving range, as the move's <c>buckets</c>; optional when the file lists one move.</summary>
        [CommandOption("-m|--move <FROM-TO>")]
        [Description("The move's bucket range as in database.moves, e.g. 896-1023 (default: the only move the file lists).")]
        public string? Move { get; init; }

        /// <summary>Tables to copy, each with its key column.</summary>
        [CommandOption("-t|--table <TABLE:KEY>")]
        [Description("A table and its key column (the column the application routes by, unique on the new shard), e.g. orders:customer_id; several, or the option repeated (required).")]
        public string[] Tables { get; init; } = [];

        /// <summary>What to do.</summary>
        [CommandOption("-s|--step <STEP>")]
        [Description("copy (copy, catch up, verify; resumes after a crash), verify (compare only) or clean (delete the old copy once the move is switched) (default: copy).")]
        [DefaultValue(CopyStep.Copy)]
        [TypeConverter(typeof(EnumOption<CopyStep>))]
        public CopyStep Step { get; init; } = CopyStep.Copy;

        /// <summary>Rows per batch.</summary>
        [CommandOption("--batch-size <N>")]
        [Description("Rows read per batch, at least 1 (default: 2000).")]
        public int? BatchSize { get; init; }

        /// <summary>Connection strings by shard, without passwords.</summary>
        [CommandOption("-c|--connection <SHARD=CONNECTION>")]
        [Description("A shard's connection string, e.g. shard5=\"Host=…;Database=orders;Username=copier\" — without a password (PGPASSWORD or ~/.pgpass); default: SCALABLE_BACKEND_CONNECTION_<SHARD>.")]
        public string[] Connections { get; init; } = [];

        /// <summary>Output format.</summary>
        [CommandOption("-f|--format <FORMAT>")]
        [Description("table (for people) or json (one document on standard output) (default: table).")]
        [DefaultValue(CopyFormat.Table)]
        [TypeConverter(typeof(EnumOption<CopyFormat>))]
        public CopyFormat Format { get; init; } = CopyFormat.Table;

        /// <inheritdoc/>
        public override ValidationResult Validate()
        {
            if (base.Validate() is { Successful: false } failed)
                return failed;
            if (Env is null)
                return ValidationResult.Error($"--env is required: the environment whose database.moves lists the move ({string.Join(", ", EnvironmentLoader.Environments)})");
            if (!EnvironmentLoader.Environments.Contains(Env))
                return ValidationResult.Error($"--env = {Env} is not an environment; allowed: {string.Join(", ", EnvironmentLoader.Environments)}");
            if (Tables.Length == 0)
                return ValidationResult.Error("--table is required: name each table to copy with its key column, e.g. --table orders:customer_id");
            if (BatchSize is < 1)
                return ValidationResult.Error($"--batch-size = {BatchSize} must be at least 1");
            return ValidationResult.Success();
        }
    }

    /// <summary>What a run did, as printed with <c>--format json</c>.</summary>
    private sealed record Outcome(string Environment, string Move, string State, string Step, string From, string To,
        IReadOnlyList<TableCopyResult>? Tables, VerifyReport? Verify, long? RowsDeleted);

    /// <inheritdoc/>
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken) =>
        ExecuteAsync(settings, cancellationToken).GetAwaiter().GetResult();

    private async Task<int> ExecuteAsync(Settings settings, CancellationToken cancellationToken)
    {
        var environment = EnvironmentLoader.Load(settings.Env!);
        var database = environment.Config.Database
            ?? throw new CommandLineException($"copy-buckets: {environment.File} has no database section, so nothing moves");
        var move = SelectMove(environment.File, database, settings.Move);
        var tables = settings.Tables.Select(ParseTable).ToArray();
        var connections = ParseConnections(settings.Connections, database);
        var bucketCount = database.BucketCount ?? 1024;
        var state = BucketMove.NameOf(move.State);
        var at = $"{environment.File}: database.moves {move.Buckets} {move.From} -> {move.To}";
        if (settings.Step != CopyStep.Clean && move.State != MoveState.Copying)
            throw new CommandLineException($"copy-buckets --step {Name(settings.Step)}: {at} is {state}: {move.To} serves the range now, and copying from {move.From} would overwrite its newer rows; only --step clean runs after the switch");
        if (settings.Step == CopyStep.Clean && move.State == MoveState.Copying)
            throw new CommandLineException($"copy-buckets --step clean: {at} is still copying, so {move.From} serves the range; deploy the move switched (step 3) and wait one refresh interval before cleaning (step 4)");

        await using var source = NpgsqlDataSource.Create(Connection(connections, move.From));
        await using var target = NpgsqlDataSource.Create(Connection(connections, move.To));
        var json = settings.Format == CopyFormat.Json;
        var copier = new BucketCopier(source, target, move, bucketCount, tables, new BucketCopyOptions
        {
            BatchSize = settings.BatchSize ?? new BucketCopyOptions().BatchSize,
        });
        if (!json && !settings.Quiet)
            console.MarkupLine(Markup.Escape($"{Name(settings.Step)} {move.Buckets} from {move.From} ({Describe(connections[move.From])}) to {move.To} ({Describe(connections[move.To])}), {bucketCount} buckets, {state} in {environment.File}"));

        Outcome outcome;
        try
        {
            outcome = settings.Step switch
            {
                CopyStep.Copy => await CopyAsync(),
                CopyStep.Verify => Result(null, await copier.VerifyAsync(cancellationToken), null),
                _ => Result(null, null, await copier.CleanAsync(MapOf(database), cancellationToken)),
            };
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            // Npgsql's messages name host, port and database, never the password.
            throw new CommandLineException($"copy-buckets --step {Name(settings.Step)} {move.Buckets} {move.From} -> {move.To}: {e.Message}");
        }

        if (json)
        {
            console.WriteLine(JsonSerializer.Serialize(ToJson(outcome)));
        }
        else
        {
            foreach (var table in outcome.Tables ?? [])
                if (!settings.Quiet)
                    console.MarkupLine(Markup.Escape(table.AlreadyDone
                        ? $"  {table.Table}: copied before (after key {table.ResumedAfterKey}); catching up only"
                        : $"  {table.Table}: {table.RowsScanned} rows scanned, {table.RowsCopied} copied{(table.ResumedAfterKey is { } k ? $", resumed after key {k}" : "")}"));
            if (outcome.Verify is { } report)
            {
                if (report.ReadyToSwitch)
                {
                    if (!settings.Quiet)
                        console.MarkupLine(Markup.Escape($"verified: {report.Buckets.Count} table bucket(s) agree, {report.SourceRows} rows; ready to switch (freeze writes to the range, run copy once more, then deploy the move switched)"));
                }
                else
                {
                    console.MarkupLine($"[red]not ready to switch:[/] {Markup.Escape($"{report.Mismatches.Count} of {report.Buckets.Count} table bucket(s) differ, e.g. {string.Join("; ", report.Mismatches.Take(5).Select(m => $"{m.Table} bucket {m.Bucket}: {m.SourceRows} rows on {move.From}, {m.TargetRows} on {move.To}"))}")}");
                }
            }
            if (outcome.RowsDeleted is { } deleted && !settings.Quiet)
                console.MarkupLine(Markup.Escape($"cleaned: {deleted} rows of {move.Buckets} deleted from {move.From}; set the move's state to cleaned or drop the entry"));
        }
        return outcome.Verify is { ReadyToSwitch: false } ? 1 : 0;

        async Task<Outcome> CopyAsync()
        {
            var copied = await copier.CopyAsync(cancellationToken);
            for (var pass = 0; pass < 3; pass++)
                if ((await copier.CatchUpAsync(cancellationToken)).BucketsRepaired == 0)
                    break;
            return Result(copied, await copier.VerifyAsync(cancellationToken), null);
        }

        Outcome Result(IReadOnlyList<TableCopyResult>? copied, VerifyReport? verify, long? deleted) =>
            new(environment.Name, move.Buckets.ToString(), state, Name(settings.Step), move.From, move.To, copied, verify, deleted);
    }

    private static object ToJson(Outcome o) => new Dictionary<string, object?>
    {
        ["environment"] = o.Environment,
        ["move"] = o.Move,
        ["from"] = o.From,
        ["to"] = o.To,
        ["state"] = o.State,
        ["step"] = o.Step,
        ["tables"] = o.Tables?.Select(t => new Dictionary<string, object?>
        {
            ["table"] = t.Table, ["rowsScanned"] = t.RowsScanned, ["rowsCopied"] = t.RowsCopied, ["resumedAfterKey"] = t.ResumedAfterKey, ["alreadyDone"] = t.AlreadyDone,
        }).ToArray(),
        ["verify"] = o.Verify is { } v ? new Dictionary<string, object?>
        {
            ["readyToSwitch"] = v.ReadyToSwitch,
            ["buckets"] = v.Buckets.Count,
            ["sourceRows"] = v.SourceRows,
            ["mismatches"] = v.Mismatches.Select(m => new Dictionary<string, object?>
            {
                ["table"] = m.Table, ["bucket"] = m.Bucket, ["sourceRows"] = m.SourceRows, ["targetRows"] = m.TargetRows,
            }).ToArray(),
        } : null,
        ["rowsDeleted"] = o.RowsDeleted,
    };

    private static string Name(CopyStep step) => step.ToString().ToLowerInvariant();

    /// <summary>The move <paramref name="range"/> names among the file's moves (or the only one), as the client reads it.</summary>
    public static BucketMove SelectMove(string file, ShardedDatabaseSettings database, string? range)
    {
        var moves = (database.Moves ?? []).Select(ToMove).ToArray();
        if (moves.Length == 0)
            throw new CommandLineException($"copy-buckets: {file}: database.moves lists no move; add one with state: copying (step 2 of moving buckets) and deploy it first");
        if (range is null)
            return moves.Length == 1 ? moves[0]
                : throw new CommandLineException($"copy-buckets: {file} lists {moves.Length} moves; choose one with --move ({string.Join(", ", moves.Select(m => m.Buckets))})");
        if (ShardBucketRange.TryParse(range) is not { } wanted)
            throw new CommandLineException($"--move = {range} must be a bucket range FROM-TO as in database.moves, e.g. 896-1023");
        return moves.FirstOrDefault(m => m.Buckets == wanted)
            ?? throw new CommandLineException($"--move = {range} is not a move of {file}; database.moves lists {string.Join(", ", moves.Select(m => m.Buckets))}");
    }

    private static BucketMove ToMove(BucketMoveSettings m) => new(new ShardBucketRange(m.Buckets.From, m.Buckets.To), m.FromShard, m.ToShard, m.State switch
    {
        BucketMoveState.Copying => MoveState.Copying,
        BucketMoveState.Switched => MoveState.Switched,
        _ => MoveState.Cleaned,
    });

    /// <summary>The map the environment publishes, without endpoints (which only a deployment knows): what <see cref="BucketCopier.CleanAsync"/> checks.</summary>
    private static ShardMap MapOf(ShardedDatabaseSettings database) => new(
        database.BucketCount ?? 1024,
        database.Shards.ToDictionary(kv => kv.Key, kv => new ShardEntry
        {
            Buckets = kv.Value.Buckets.Select(b => new ShardBucketRange(b.From, b.To)).ToArray(),
            Writer = "(deployed endpoint):5432",
        }),
        (database.Moves ?? []).Select(ToMove).ToArray());

    [GeneratedRegex(@"^(?<table>[A-Za-z_][A-Za-z0-9_$]*(\.[A-Za-z_][A-Za-z0-9_$]*)?):(?<key>[A-Za-z_][A-Za-z0-9_$]*)$")]
    private static partial Regex TablePattern();

    private static CopyTable ParseTable(string text) => TablePattern().Match(text) is { Success: true } m
        ? new CopyTable(m.Groups["table"].Value, m.Groups["key"].Value)
        : throw new CommandLineException($"--table = {text} must be TABLE:KEY_COLUMN (a table, optionally schema.table, and its key column), e.g. orders:customer_id");

    /// <summary>The environment variable holding the connection string of shard <paramref name="shardId"/>: <c>SCALABLE_BACKEND_CONNECTION_SHARD5</c>.</summary>
    public static string ConnectionVariable(string shardId) =>
        ConnectionVariablePrefix + new string(shardId.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToUpperInvariant(c) : '_').ToArray());

    private static Dictionary<string, NpgsqlConnectionStringBuilder> ParseConnections(string[] options, ShardedDatabaseSettings database)
    {
        var result = new Dictionary<string, NpgsqlConnectionStringBuilder>(StringComparer.Ordinal);
        foreach (var option in options)
        {
            var parts = option.Split('=', 2);
            if (parts.Length != 2 || parts[0].Length == 0)
                throw new CommandLineException("--connection must be SHARD=CONNECTION_STRING, e.g. shard5=\"Host=db5.internal;Database=orders;Username=copier\"");
            var shard = parts[0];
            if (!database.Shards.ContainsKey(shard))
                throw new CommandLineException($"--connection {shard}: not a shard of database.shards; declared: {string.Join(", ", database.Shards.Keys.Order(StringComparer.Ordinal))}");
            var builder = Parse(parts[1], $"--connection {shard}");
            if (!string.IsNullOrEmpty(builder.Password))
                throw new CommandLineException($"--connection {shard} holds a password; command lines are visible to other users of the machine: put the connection string in {ConnectionVariable(shard)}, or the password in PGPASSWORD or ~/.pgpass");
            result[shard] = builder;
        }
        foreach (var shard in database.Shards.Keys)
            if (!result.ContainsKey(shard) && System.Environment.GetEnvironmentVariable(ConnectionVariable(shard)) is { Length: > 0 } text)
                result[shard] = Parse(text, ConnectionVariable(shard));
        return result;
    }

    private static NpgsqlConnectionStringBuilder Parse(string text, string where)
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(text);
            if (string.IsNullOrEmpty(builder.Host))
                throw new CommandLineException($"{where}: the connection string names no Host");
            return builder;
        }
        catch (ArgumentException e)
        {
            // The message names the keyword Npgsql did not accept, not the value (which may be a password).
            throw new CommandLineException($"{where}: not a connection string Npgsql reads ({e.Message.Split('\n')[0]}); write Host=…;Port=…;Database=…;Username=…");
        }
    }

    private static string Connection(Dictionary<string, NpgsqlConnectionStringBuilder> connections, string shard) =>
        connections.TryGetValue(shard, out var builder) ? builder.ConnectionString
            : throw new CommandLineException($"copy-buckets: no connection string for {shard}: set {ConnectionVariable(shard)} or pass --connection {shard}=\"Host=…;Database=…;Username=…\" (the password in PGPASSWORD or ~/.pgpass)");

    private static string Describe(NpgsqlConnectionStringBuilder b) =>
        string.Create(CultureInfo.InvariantCulture, $"{b.Host}:{b.Port}/{b.Database ?? b.Username}");
}
