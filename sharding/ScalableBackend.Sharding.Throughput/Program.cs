// A timed run of the bucket copy: seeds a table on a throwaway PostgreSQL, copies half its buckets to an empty shard
// at several batch sizes, and prints rows per second for the copy and the verification.
//   dotnet run -c Release --project sharding/ScalableBackend.Sharding.Throughput -- [rows] [batch sizes…]
using System.Diagnostics;
using System.Globalization;
using Npgsql;
using ScalableBackend.Sharding;
using ScalableBackend.Sharding.Tests.Support;

var rows = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
var batchSizes = args.Length > 1 ? args[1..].Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray() : [100, 500, 2_000, 10_000];
var move = new BucketMove(new BucketRange(512, 1023), "old", "new", MoveState.Copying);
CopyTable[] tables = [new("items", "id")];

await using var server = await TemporaryPostgres.StartAsync();
await server.CreateDatabaseAsync("old");
await server.ExecuteAsync("old",
    "CREATE TABLE items (id text PRIMARY KEY, customer bigint NOT NULL, status text NOT NULL, total numeric(12,2), created timestamptz NOT NULL, body jsonb);" +
    $"INSERT INTO items SELECT 'order-' || g, g % 5000, 'paid', g * 1.25, now() - g * interval '1 minute', jsonb_build_object('lines', g % 7, 'note', repeat('x', 40)) FROM generate_series(1, {rows}) g; ANALYZE items");
Console.WriteLine($"PostgreSQL {server.Version}, {rows:N0} rows of ~150 bytes, moving buckets {move.Buckets} of 1024 (about half the rows), {Environment.ProcessorCount} cores");
Console.WriteLine("batch | scanned rows/s | copied rows/s | copy s | verify rows/s (both sides)");
await using var source = NpgsqlDataSource.Create(server.ConnectionString("old"));
foreach (var batch in batchSizes)
{
    await server.CreateDatabaseAsync("new");
    await server.ExecuteAsync("new", "CREATE TABLE items (id text PRIMARY KEY, customer bigint NOT NULL, status text NOT NULL, total numeric(12,2), created timestamptz NOT NULL, body jsonb)");
    await using var target = NpgsqlDataSource.Create(server.ConnectionString("new"));
    var copier = new BucketCopier(source, target, move, 1024, tables, new BucketCopyOptions { BatchSize = batch });
    var clock = Stopwatch.StartNew();
    var result = (await copier.CopyAsync()).Single();
    var copySeconds = clock.Elapsed.TotalSeconds;
    clock.Restart();
    var report = await copier.VerifyAsync();
    var verifySeconds = clock.Elapsed.TotalSeconds;
    if (!report.ReadyToSwitch) throw new InvalidOperationException("verification failed");
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{batch,5} | {result.RowsScanned / copySeconds,14:N0} | {result.RowsCopied / copySeconds,13:N0} | {copySeconds,6:F2} | {rows / verifySeconds,10:N0}"));
    NpgsqlConnection.ClearAllPools();
}
