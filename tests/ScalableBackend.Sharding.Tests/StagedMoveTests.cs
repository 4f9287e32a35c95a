using System.Diagnostics;
using ScalableBackend.Infra.Preview;
using ScalableBackend.Policies;
using ScalableBackend.Sharding.Tests.Support;

namespace ScalableBackend.Sharding.Tests;

/// <summary>
/// Adding shard <c>b</c> and moving buckets 32–63 of 64 to it from <c>a</c>, end to end, as README describes: at each
/// step the environment file is loaded and its database section synthesized; the preview's resharding guard
/// (SB-DIFF-002) passes the step and refuses the one-step version; the client reads the published map (endpoints joined
/// in at the throwaway server) and routes every key; the rows are copied and the old copy cleaned by the
/// <c>copy-buckets</c> verb of the built CLI, run as its own process with the connection strings in its environment.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class StagedMoveTests(PostgresFixture postgres) : IAsyncLifetime
{
    private const string Secret = "s3cr3t-pa55word";
    private readonly string _stacks = Directory.CreateTempSubdirectory("sb-staged-stacks-").FullName;
    private TemporaryPostgres Server => postgres.Server;

    private const string OnlyA = "    a: { buckets: [{ from: 0, to: 63 }] }";
    private const string WithEmptyB = OnlyA + "\n    b: { buckets: [] }";
    private const string Split = "    a: { buckets: [{ from: 0, to: 31 }] }\n    b: { buckets: [{ from: 32, to: 63 }] }";
    private static string Move(string state) => $"  moves:\n    - {{ buckets: {{ from: 32, to: 63 }}, fromShard: a, toShard: b, state: {state} }}\n";

    private static string Environment(string shards, string moves = "") => $"""
        region: eu-west-1
        network:
          availabilityZones: [eu-west-1a, eu-west-1b]
          natGateways: 1
        logs:
          retentionDays: 7
        loadBalancer:
          allowPlainHttp: true
          deletionProtection: false
        services:
          api:
            instanceType: t3.micro
            routing: {"{"} priority: 1, pathPatterns: ["/*"] {"}"}
            minCapacity: 1
            maxCapacity: 2
            scaling: {"{"} cpuTargetPercent: 70 {"}"}
        database:
          instanceType: db.t4g.micro
          allocatedStorageGiB: 20
          multiAz: false
          backupRetentionDays: 1
          deletionProtection: false
          snapshotOnDelete: false
          enablePerformanceInsights: false
          bucketCount: 64
          shards:
        {shards}
        {moves}  users: [api]
        """;

    public async Task InitializeAsync()
    {
        foreach (var db in new[] { "staged_a", "staged_b" })
        {
            await Server.CreateDatabaseAsync(db);
            await Server.ExecuteAsync(db, "CREATE TABLE orders (customer_id text PRIMARY KEY, total integer NOT NULL)");
        }
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_stacks, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>Writes <c>dev.yaml</c> and synthesizes what it publishes.</summary>
    private PublishedShardMap Deploy(string yaml)
    {
        File.WriteAllText(Path.Combine(_stacks, "dev.yaml"), yaml);
        return PublishedShardMap.Of(_stacks, "dev");
    }

    private static IReadOnlyList<ShardMoveChange> Guard(PublishedShardMap from, PublishedShardMap to) =>
        ShardMoveGuard.Find(TemplateDocument.FromJson(from.Template, "base"), TemplateDocument.FromJson(to.Template, "head"));

    /// <summary>Runs the built CLI's copy-buckets with the shards' connection strings (with a password) in its environment.</summary>
    private (int ExitCode, string StdOut, string StdErr) CopyBuckets(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (string[])[Path.Combine(AppContext.BaseDirectory, "ScalableBackend.Infra.dll"), "copy-buckets", "--env", "dev", .. args])
            start.ArgumentList.Add(arg);
        start.Environment["SCALABLE_BACKEND_STACKS_DIR"] = _stacks;
        foreach (var shard in new[] { "a", "b" })
            start.Environment[$"SCALABLE_BACKEND_CONNECTION_{shard.ToUpperInvariant()}"] = $"{Server.ConnectionString($"staged_{shard}", pooling: false)};Password={Secret}";
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var result = (process.ExitCode, stdout, stderr.GetAwaiter().GetResult());
        Assert.DoesNotContain(Secret, result.stdout + result.Item3);
        return result;
    }

    private static readonly string[] Keys = Enumerable.Range(1, 400).Select(i => $"customer-{i}").ToArray();

    private static async Task<Dictionary<string, int>> ReadAllAsync(ShardedDataSource client)
    {
        var rows = new Dictionary<string, int>();
        foreach (var key in Keys)
        {
            await using var command = client.ForKey(key).CreateCommand("SELECT total FROM orders WHERE customer_id = @k");
            command.Parameters.AddWithValue("k", key);
            if (await command.ExecuteScalarAsync() is int total)
                rows[key] = total;
        }
        return rows;
    }

    private async Task<long> RowsAsync(string db, int fromBucket, int toBucket)
    {
        var keys = new List<string>();
        await using var pool = Npgsql.NpgsqlDataSource.Create(Server.ConnectionString(db));
        await using var command = pool.CreateCommand("SELECT customer_id FROM orders");
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) keys.Add(reader.GetString(0));
        return keys.Count(k => ShardMap.BucketOf(k, 64) is var b && b >= fromBucket && b <= toBucket);
    }

    [Fact]
    public async Task CreateCopySwitchCleanThroughTheFileTheGuardTheClientAndTheVerb()
    {
        // Step 0: a alone serves 0-63; the application writes through the client.
        var step0 = Deploy(Environment(OnlyA));
        var source = new JsonShardMapSource(step0.Resolve("127.0.0.1", Server.Port));
        await using var client = await Maps.ClientAsync(source, "staged_");
        foreach (var (key, i) in Keys.Select((k, i) => (k, i)))
        {
            await using var insert = client.ForKey(key).CreateCommand("INSERT INTO orders VALUES (@k, @t)");
            insert.Parameters.AddWithValue("k", key);
            insert.Parameters.AddWithValue("t", i);
            await insert.ExecuteNonQueryAsync();
        }
        var moving = Keys.Where(k => client.Route(k).Bucket >= 32).ToArray();
        Assert.InRange(moving.Length, 150, 250);

        // The one-step version: b created and given 32-63 in the same deploy.
        var oneStep = Deploy(Environment(Split));
        Assert.Contains("buckets 32-63 are given to b, which does not exist in the base; first deploy b with buckets: [] (step 1)",
            Assert.Single(Guard(step0, oneStep)).Message);

        // Step 1: b is created serving nothing; every key still goes to a.
        var step1 = Deploy(Environment(WithEmptyB));
        Assert.Empty(Guard(step0, step1));
        source.Update(step1.Resolve("127.0.0.1", Server.Port));
        Assert.True(await client.RefreshAsync());
        Assert.Equal(2, client.Map.Version);
        Assert.All(Keys, k => Assert.Equal("a", client.Route(k).Shard));
        Assert.Contains("without having been copying in the base", Assert.Single(Guard(step1, Deploy(Environment(Split, Move("switched"))))).Message);

        // Step 2: the move is copying; a still serves it. Copy, then a write to a moving key, then copy again (catch-up).
        var step2 = Deploy(Environment(WithEmptyB, Move("copying")));
        Assert.Empty(Guard(step1, step2));
        source.Update(step2.Resolve("127.0.0.1", Server.Port));
        Assert.True(await client.RefreshAsync());
        Assert.All(moving, k => Assert.Equal(("a", MoveState.Copying), (client.Route(k).Shard, client.Route(k).Move!.State)));
        var refused = CopyBuckets("--table", "orders:customer_id", "--step", "clean");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("is still copying, so a serves the range; deploy the move switched (step 3)", refused.StdErr);

        var copy = CopyBuckets("--table", "orders:customer_id", "--batch-size", "50");
        Assert.True(copy.ExitCode == 0, copy.StdOut + copy.StdErr);
        Assert.Contains($"orders: 400 rows scanned, {moving.Length} copied", copy.StdOut);
        Assert.Contains("ready to switch", copy.StdOut);
        Assert.Contains($"127.0.0.1:{Server.Port}/staged_a", copy.StdOut);
        await using (var update = client.ForKey(moving[0]).CreateCommand("UPDATE orders SET total = -1 WHERE customer_id = @k"))
        {
            update.Parameters.AddWithValue("k", moving[0]);
            Assert.Equal(1, await update.ExecuteNonQueryAsync());
        }
        var again = CopyBuckets("--table", "orders:customer_id", "--format", "json");
        Assert.True(again.ExitCode == 0, again.StdOut + again.StdErr);
        Assert.Contains("\"alreadyDone\":true", again.StdOut);
        Assert.Contains("\"readyToSwitch\":true", again.StdOut);
        var before = await ReadAllAsync(client);

        // Step 3: b serves 32-63; the client follows and reads every row, the updated one current.
        var step3 = Deploy(Environment(Split, Move("switched")));
        Assert.Empty(Guard(step2, step3));
        source.Update(step3.Resolve("127.0.0.1", Server.Port));
        Assert.True(await client.RefreshAsync());
        Assert.All(moving, k => Assert.Equal("b", client.Route(k).Shard));
        Assert.Equal(before, await ReadAllAsync(client));
        Assert.Equal(-1, before[moving[0]]);
        var late = CopyBuckets("--table", "orders:customer_id");
        Assert.Equal(1, late.ExitCode);
        Assert.Contains("is switched: b serves the range now, and copying from a would overwrite its newer rows", late.StdErr);

        // Step 4: clean the old copy, then mark the move cleaned.
        Assert.Equal(moving.Length, await RowsAsync("staged_a", 32, 63));
        var clean = CopyBuckets("--table", "orders:customer_id", "--step", "clean");
        Assert.True(clean.ExitCode == 0, clean.StdOut + clean.StdErr);
        Assert.Contains($"cleaned: {moving.Length} rows of 32-63 deleted from a", clean.StdOut);
        Assert.Equal(0, await RowsAsync("staged_a", 32, 63));
        Assert.Equal(400 - moving.Length, await RowsAsync("staged_a", 0, 31));
        var step4 = Deploy(Environment(Split, Move("cleaned")));
        Assert.Empty(Guard(step3, step4));
        Assert.Contains("is cleaned, but the base still has it copying", Assert.Single(Guard(step2, step4)).Message);
        source.Update(step4.Resolve("127.0.0.1", Server.Port));
        Assert.True(await client.RefreshAsync());
        Assert.Equal(before, await ReadAllAsync(client));
    }

    [Theory]
    [InlineData(new[] { "--table", "orders" }, "--table = orders must be TABLE:KEY_COLUMN")]
    [InlineData(new[] { "--table", "orders:customer_id", "--move", "0-7" }, "--move = 0-7 is not a move of")]
    [InlineData(new[] { "--table", "orders:customer_id", "--connection", "b=Host=127.0.0.1;Password=x" }, "--connection b holds a password")]
    [InlineData(new[] { "--table", "orders:customer_id", "--connection", "c=Host=127.0.0.1" }, "--connection c: not a shard of database.shards; declared: a, b")]
    [InlineData(new[] { "--tabel", "orders:customer_id" }, "copy-buckets: unknown option '--tabel'; did you mean '--table'?")]
    [InlineData(new[] { "--table", "orders:customer_id", "--step", "switch" }, "--step = switch must be one of copy, verify, clean")]
    public void BadInputStopsWithOneLineNamingTheOption(string[] args, string message)
    {
        File.WriteAllText(Path.Combine(_stacks, "dev.yaml"), Environment(WithEmptyB, Move("copying")));
        var (code, _, stderr) = CopyBuckets(args);
        Assert.Equal(1, code);
        Assert.Contains(message, stderr);
    }
}
