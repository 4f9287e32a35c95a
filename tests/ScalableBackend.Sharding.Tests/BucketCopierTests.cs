using Npgsql;
using ScalableBackend.Sharding.Tests.Support;
using static ScalableBackend.Sharding.Tests.Support.Maps;

namespace ScalableBackend.Sharding.Tests;

/// <summary>
/// Moving buckets 32–63 of 64 from shard <c>a</c> to a new, empty shard <c>b</c> on a real server (databases
/// <c>move_a</c>, <c>move_b</c>), with the tables an application would have: <c>items</c> keyed by text and
/// <c>events</c> keyed by bigint.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class BucketCopierTests(PostgresFixture postgres) : IAsyncLifetime
{
    private const int Buckets = 64;
    private static readonly BucketMove Copying = new(R(32, 63), "a", "b", MoveState.Copying);
    private static readonly CopyTable[] Tables = [new("items", "id"), new("events", "id")];
    private TemporaryPostgres Server => postgres.Server;

    private ShardMap CopyingMap => new(Buckets, new Dictionary<string, ShardEntry> { ["a"] = Shard(Server.Endpoint, R(0, 63)), ["b"] = Shard(Server.Endpoint) }, [Copying]);
    private ShardMap SwitchedMap => new(Buckets, new Dictionary<string, ShardEntry> { ["a"] = Shard(Server.Endpoint, R(0, 31)), ["b"] = Shard(Server.Endpoint, R(32, 63)) }, [Copying with { State = MoveState.Switched }]);

    public async Task InitializeAsync()
    {
        foreach (var db in new[] { "move_a", "move_b" })
        {
            await Server.CreateDatabaseAsync(db);
            await Server.ExecuteAsync(db,
                "CREATE TABLE items (id text PRIMARY KEY, value integer NOT NULL, note text, updated timestamptz NOT NULL DEFAULT now());" +
                "CREATE TABLE events (id bigint PRIMARY KEY, payload jsonb, amount numeric(12,2), tags text[])");
        }
        await Server.ExecuteAsync("move_a",
            "INSERT INTO items SELECT 'item-' || g, g, CASE WHEN g % 7 = 0 THEN NULL ELSE E'tab\\there, line\\nbreak \\\\ ' || g END FROM generate_series(1, 2000) g;" +
            "INSERT INTO events SELECT g, jsonb_build_object('n', g, 's', 'é'), g / 3.0, ARRAY['x', g::text] FROM generate_series(1, 1000) g");
    }

    private readonly List<NpgsqlDataSource> _pools = [];

    public async Task DisposeAsync()
    {
        foreach (var pool in _pools) await pool.DisposeAsync();
    }

    private NpgsqlDataSource Db(string name)
    {
        var pool = NpgsqlDataSource.Create(Server.ConnectionString(name));
        _pools.Add(pool);
        return pool;
    }

    private BucketCopier Copier(BucketCopyOptions? options = null) => new(Db("move_a"), Db("move_b"), Copying, Buckets, Tables, options);

    private async Task<Dictionary<string, int>> ItemsAsync(string db)
    {
        await using var command = Db(db).CreateCommand("SELECT id, value FROM items");
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new Dictionary<string, int>();
        while (await reader.ReadAsync()) rows.Add(reader.GetString(0), reader.GetInt32(1));
        return rows;
    }

    private async Task<List<long>> EventIdsAsync(string db)
    {
        await using var command = Db(db).CreateCommand("SELECT id FROM events");
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new List<long>();
        while (await reader.ReadAsync()) ids.Add(reader.GetInt64(0));
        return ids;
    }

    [Fact]
    public async Task MovesARangeWhileAWriterInsertsUpdatesAndDeletesWithoutLosingOrDuplicatingARow()
    {
        var source = new JsonShardMapSource(CopyingMap.ToJson());
        await using var client = await ClientAsync(source, "move_");
        var writer = new Writer(client, Enumerable.Range(1, 2000).ToDictionary(i => $"item-{i}", i => i));
        var writing = writer.RunAsync();
        var copier = Copier(new BucketCopyOptions { BatchSize = 200 });

        await writer.WaitForOpsAsync(50);
        var copied = await copier.CopyAsync();
        Assert.All(copied, c => Assert.True(c.RowsCopied > 0, $"{c.Table} copied nothing"));
        await writer.WaitForOpsAsync(writer.Ops + 50);
        await copier.CatchUpAsync();
        await writer.WaitForOpsAsync(writer.Ops + 50);
        await copier.CatchUpAsync();

        // The switch: freeze writes, catch up the last of them, verify, publish the switched map, resume.
        await writer.FreezeAsync();
        await copier.CatchUpAsync();
        var report = await copier.VerifyAsync();
        Assert.True(report.ReadyToSwitch, string.Join("; ", report.Mismatches.Take(5)));
        Assert.Equal(Tables.Length * 32, report.Buckets.Count);
        source.Update(SwitchedMap.ToJson());
        await client.RefreshAsync();
        writer.Unfreeze();
        await writer.WaitForOpsAsync(writer.Ops + 100);
        await writer.StopAsync();
        await writing;

        var cleaned = await copier.CleanAsync(client.Map);
        Assert.True(cleaned > 0);
        Assert.Empty(writer.Errors);

        var onA = await ItemsAsync("move_a");
        var onB = await ItemsAsync("move_b");
        Assert.Empty(onA.Keys.Intersect(onB.Keys));                     // none duplicated
        Assert.All(onA.Keys, k => Assert.Equal("a", client.Map.Route(k).Shard));
        Assert.All(onB.Keys, k => Assert.Equal("b", client.Map.Route(k).Shard));
        var all = onA.Concat(onB).ToDictionary();
        Assert.Equal(writer.Model.OrderBy(kv => kv.Key), all.OrderBy(kv => kv.Key)); // none lost, every value current
        Assert.True(writer.Ops >= 250, $"only {writer.Ops} writes ran");

        var eventsA = await EventIdsAsync("move_a");
        var eventsB = await EventIdsAsync("move_b");
        Assert.Equal(Enumerable.Range(1, 1000).Select(i => (long)i), eventsA.Concat(eventsB).Order());
        Assert.All(eventsB, id => Assert.InRange(ShardMap.BucketOf(id.ToString(System.Globalization.CultureInfo.InvariantCulture), Buckets), 32, 63));
    }

    [Fact]
    public async Task ACopyKilledHalfwayResumesAfterItsLastBatchAndFinishes()
    {
        var batches = 0;
        var dying = Copier(new BucketCopyOptions { BatchSize = 100, OnBatch = (_, _, _) => { if (++batches == 5) throw new SimulatedCrash(); } });
        await Assert.ThrowsAsync<SimulatedCrash>(() => dying.CopyAsync());
        var partial = await Server.ScalarAsync<long>("move_b", "SELECT count(*) FROM items");
        Assert.InRange(partial, 1, 999);
        Assert.False(await Server.ScalarAsync<bool>("move_b", "SELECT done FROM sharding_copy_progress WHERE table_name = 'items'"));

        var results = await Copier(new BucketCopyOptions { BatchSize = 100 }).CopyAsync();
        var items = results.Single(r => r.Table == "items");
        Assert.NotNull(items.ResumedAfterKey);
        Assert.Equal(2000 - 5 * 100, items.RowsScanned);                // resumed, not restarted
        Assert.Null(results.Single(r => r.Table == "events").ResumedAfterKey);
        var report = await Copier().VerifyAsync();
        Assert.True(report.ReadyToSwitch, string.Join("; ", report.Mismatches.Take(5)));
        Assert.All(await Copier().CopyAsync(), r => Assert.True(r.AlreadyDone));
    }

    [Fact]
    public async Task VerifyFindsEveryKindOfDifferenceAndCatchUpRepairsIt()
    {
        var copier = Copier();
        await copier.CopyAsync();
        var moving = (await ItemsAsync("move_a")).Keys.Where(k => Copying.Buckets.Contains(ShardMap.BucketOf(k, Buckets))).Order(StringComparer.Ordinal).ToArray();
        await Server.ExecuteAsync("move_a", $"UPDATE items SET value = -1 WHERE id = '{moving[0]}'; DELETE FROM items WHERE id = '{moving[1]}'; INSERT INTO items (id, value) VALUES ('{moving[1]}x', 0)");
        var report = await copier.VerifyAsync();
        Assert.False(report.ReadyToSwitch);
        Assert.InRange(report.Mismatches.Count, 1, 3);

        var repaired = await copier.CatchUpAsync();
        Assert.Equal(1, repaired.RowsDeleted);
        Assert.Equal(ShardMap.BucketOf($"{moving[1]}x", Buckets) is >= 32 ? 2 : 1, repaired.RowsUpserted);
        Assert.True((await copier.VerifyAsync()).ReadyToSwitch);
        Assert.Equal(-1, (await ItemsAsync("move_b"))[moving[0]]);
    }

    [Fact]
    public async Task RefusesToCleanBeforeTheMapSaysSwitched()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Copier().CleanAsync(CopyingMap));
        Assert.Equal("the shard map does not say 32-63:a->b has switched (it is still copying); clean the old copy only after the map serves the range from b", error.Message);
        Assert.Equal(2000, await Server.ScalarAsync<long>("move_a", "SELECT count(*) FROM items"));
    }

    [Fact]
    public async Task RefusesATargetWithoutTheSameSchema()
    {
        await Server.ExecuteAsync("move_b", "ALTER TABLE items DROP COLUMN note");
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Copier().CopyAsync());
        Assert.Equal("table items on the new owner b has no column note; create the same schema there first", error.Message);
    }

    [Fact]
    public async Task RefusesATargetWithoutAUniqueKey()
    {
        await Server.ExecuteAsync("move_b", "ALTER TABLE events DROP CONSTRAINT events_pkey");
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Copier().CopyAsync());
        Assert.Equal("table events on the new owner b needs a primary key or unique index on id alone, so copied rows upsert by key", error.Message);
    }

    private sealed class SimulatedCrash : Exception;

    /// <summary>
    /// An application writing through the client: updates, inserts and deletes random items, and after every write
    /// reads the key back through the client (it must see its own write). <see cref="Model"/> is what the table must hold.
    /// </summary>
    private sealed class Writer(ShardedDataSource client, Dictionary<string, int> model)
    {
        private readonly SemaphoreSlim _gate = new(1, 1);
        private readonly Random _random = new(14);
        private volatile bool _stop;
        private int _ops;
        private int _next = 100_000;

        public Dictionary<string, int> Model { get; } = model;
        public List<string> Errors { get; } = [];
        public int Ops => Volatile.Read(ref _ops);

        public async Task RunAsync()
        {
            var keys = Model.Keys.ToList();
            while (!_stop)
            {
                await _gate.WaitAsync();
                try
                {
                    var roll = _random.Next(100);
                    if (roll < 50 && keys.Count > 0)
                    {
                        var key = keys[_random.Next(keys.Count)];
                        await ExecuteAsync(key, "UPDATE items SET value = value + 1, updated = now() WHERE id = @id", Model[key] + 1);
                        Model[key]++;
                        await CheckAsync(key, Model[key]);
                    }
                    else if (roll < 85)
                    {
                        var key = $"new-{_next++}";
                        await ExecuteAsync(key, "INSERT INTO items (id, value, note) VALUES (@id, @value, 'written during the move')", 1);
                        Model[key] = 1;
                        keys.Add(key);
                        await CheckAsync(key, 1);
                    }
                    else if (keys.Count > 0)
                    {
                        var index = _random.Next(keys.Count);
                        var key = keys[index];
                        await ExecuteAsync(key, "DELETE FROM items WHERE id = @id", 0);
                        Model.Remove(key);
                        keys[index] = keys[^1];
                        keys.RemoveAt(keys.Count - 1);
                        await CheckAsync(key, null);
                    }
                    Interlocked.Increment(ref _ops);
                }
                catch (Exception e) { lock (Errors) Errors.Add(e.ToString()); }
                finally { _gate.Release(); }
            }
        }

        private async Task ExecuteAsync(string key, string sql, int value)
        {
            await using var command = client.ForKey(key).CreateCommand(sql);
            command.Parameters.AddWithValue("id", key);
            command.Parameters.AddWithValue("value", value);
            await command.ExecuteNonQueryAsync();
        }

        private async Task CheckAsync(string key, int? expected)
        {
            await using var command = client.ForKey(key).CreateCommand("SELECT value FROM items WHERE id = @id");
            command.Parameters.AddWithValue("id", key);
            var value = await command.ExecuteScalarAsync();
            var actual = value is int v ? v : (int?)null;
            if (actual != expected) lock (Errors) Errors.Add($"read {key} = {actual?.ToString() ?? "nothing"}, wrote {expected?.ToString() ?? "a delete"}");
        }

        public async Task WaitForOpsAsync(int count)
        {
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (Ops < count && DateTime.UtcNow < deadline && Errors.Count == 0) await Task.Delay(5);
        }

        public Task FreezeAsync() => _gate.WaitAsync();

        public void Unfreeze() => _gate.Release();

        public Task StopAsync()
        {
            _stop = true;
            return Task.CompletedTask;
        }
    }
}
