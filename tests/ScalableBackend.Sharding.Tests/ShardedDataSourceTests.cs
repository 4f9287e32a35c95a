using Npgsql;
using ScalableBackend.Sharding.Tests.Support;
using static ScalableBackend.Sharding.Tests.Support.Maps;

namespace ScalableBackend.Sharding.Tests;

/// <summary>The client against a real server: one database per shard (<c>client_a</c>, <c>client_b</c>).</summary>
[Collection(PostgresCollection.Name)]
public sealed class ShardedDataSourceTests(PostgresFixture postgres) : IAsyncLifetime
{
    private TemporaryPostgres Server => postgres.Server;
    private ShardMap Split(int at) => Of(Server.Endpoint, 64, [("a", [R(0, at - 1)]), ("b", [R(at, 63)])]);

    public async Task InitializeAsync()
    {
        foreach (var db in new[] { "client_a", "client_b" })
        {
            await Server.CreateDatabaseAsync(db);
            await Server.ExecuteAsync(db, "CREATE TABLE items (id text PRIMARY KEY, shard text NOT NULL DEFAULT current_database())");
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static async Task<string> WhereAsync(ShardedDataSource client, string key)
    {
        await using var command = client.ForKey(key).CreateCommand("SELECT current_database()");
        return (string)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task SendsEachKeyToTheDatabaseOfTheShardServingItsBucket()
    {
        var map = Split(32);
        await using var client = await ClientAsync(new JsonShardMapSource(map.ToJson()), "client_");
        foreach (var key in Enumerable.Range(0, 40).Select(i => $"k{i}"))
            Assert.Equal("client_" + map.Route(key).Shard, await WhereAsync(client, key));
    }

    [Fact]
    public async Task RefreshesTheMapWithoutARestart()
    {
        var source = new JsonShardMapSource(Split(64 - 1).ToJson());
        await using var client = await ClientAsync(source, "client_");
        var key = Enumerable.Range(0, 1000).Select(i => $"k{i}").First(k => ShardMap.BucketOf(k, 64) == 10);
        Assert.Equal("client_a", await WhereAsync(client, key));
        source.Update(Split(5).ToJson());
        Assert.True(await client.RefreshAsync());
        Assert.Equal("client_b", await WhereAsync(client, key));
        Assert.False(await client.RefreshAsync());
    }

    [Fact]
    public async Task RefreshesInTheBackground()
    {
        var source = new JsonShardMapSource(Split(63).ToJson());
        await using var client = await ShardedDataSource.CreateAsync(source, new StaticCredentialProvider("postgres", "x"),
            new ShardedDataSourceOptions { DatabaseOf = id => "client_" + id, SslMode = SslMode.Disable, RefreshInterval = TimeSpan.FromMilliseconds(50) });
        source.Update(Split(1).ToJson());
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (client.Map.ShardOf(10) != "b" && DateTime.UtcNow < deadline) await Task.Delay(20);
        Assert.Equal("b", client.Map.ShardOf(10));
    }

    [Fact]
    public async Task KeepsTheOldMapWhenTheNewOneIsInvalid()
    {
        var source = new JsonShardMapSource(Split(32).ToJson());
        await using var client = await ClientAsync(source, "client_");
        source.Update(Split(32).ToJson().Replace("\"version\":1", "\"version\":9", StringComparison.Ordinal));
        var error = await Assert.ThrowsAsync<ShardMapException>(() => client.RefreshAsync());
        Assert.Contains("version: 9 is not a version this library reads", error.Message);
        Assert.Equal("a", client.Map.ShardOf(0));
        Assert.Equal("client_a", await WhereAsync(client, Enumerable.Range(0, 1000).Select(i => $"k{i}").First(k => ShardMap.BucketOf(k, 64) < 32)));
    }

    [Fact]
    public async Task ReadsAndWritesAMovingBucketAtItsOldOwnerUntilTheSwitch()
    {
        var copying = new ShardMap(64, new Dictionary<string, ShardEntry> { ["a"] = Shard(Server.Endpoint, R(0, 63)), ["b"] = Shard(Server.Endpoint) },
            [new BucketMove(R(32, 63), "a", "b", MoveState.Copying)]);
        var switched = new ShardMap(64, new Dictionary<string, ShardEntry> { ["a"] = Shard(Server.Endpoint, R(0, 31)), ["b"] = Shard(Server.Endpoint, R(32, 63)) },
            [new BucketMove(R(32, 63), "a", "b", MoveState.Switched)]);
        var source = new JsonShardMapSource(copying.ToJson());
        await using var client = await ClientAsync(source, "client_");
        var key = Enumerable.Range(0, 1000).Select(i => $"k{i}").First(k => ShardMap.BucketOf(k, 64) >= 32);
        Assert.Equal("a", client.Route(key).Shard);
        Assert.Equal(MoveState.Copying, client.Route(key).Move!.State);
        Assert.Equal("client_a", await WhereAsync(client, key));
        source.Update(switched.ToJson());
        await client.RefreshAsync();
        Assert.Equal("client_b", await WhereAsync(client, key));
    }

    [Fact]
    public async Task ConnectsThroughTheProxyWhenTheMapListsOne()
    {
        // The writer's port is closed; only the proxy endpoint reaches the server.
        var map = new ShardMap(4, new Dictionary<string, ShardEntry> { ["a"] = new() { Buckets = [R(0, 3)], Writer = "127.0.0.1:1", Proxy = Server.Endpoint } });
        await using var client = await ClientAsync(new JsonShardMapSource(map.ToJson()), "client_");
        Assert.Equal("client_a", await WhereAsync(client, "any"));
    }

    [Fact]
    public async Task TakesCredentialsFromTheShardsSecret()
    {
        var map = new ShardMap(4, new Dictionary<string, ShardEntry> { ["a"] = new() { Buckets = [R(0, 3)], Writer = Server.Endpoint, SecretArn = "arn:secret:a" } });
        var secrets = new FakeSecrets("{\"username\":\"postgres\",\"password\":\"from-the-secret\",\"engine\":\"postgres\"}");
        await using var client = await ShardedDataSource.CreateAsync(new JsonShardMapSource(map.ToJson()), new SecretCredentialProvider(secrets),
            new ShardedDataSourceOptions { DatabaseOf = id => "client_" + id, SslMode = SslMode.Disable, RefreshInterval = null });
        await using var command = client.ForKey("k").CreateCommand("SELECT current_user");
        Assert.Equal("postgres", await command.ExecuteScalarAsync());
        Assert.Contains("arn:secret:a", secrets.Read);
    }

    [Fact]
    public async Task AsksForAnIamTokenForTheEndpointItConnectsTo()
    {
        var map = new ShardMap(4, new Dictionary<string, ShardEntry> { ["a"] = new() { Buckets = [R(0, 3)], Writer = "127.0.0.1:1", Proxy = Server.Endpoint } });
        var tokens = new FakeTokens();
        await using var client = await ShardedDataSource.CreateAsync(new JsonShardMapSource(map.ToJson()), new IamAuthCredentialProvider(tokens, "postgres"),
            new ShardedDataSourceOptions { DatabaseOf = id => "client_" + id, SslMode = SslMode.Disable, RefreshInterval = null });
        await using var command = client.ForKey("k").CreateCommand("SELECT 1");
        Assert.Equal(1, await command.ExecuteScalarAsync());
        Assert.Contains(("127.0.0.1", Server.Port, "postgres"), tokens.Asked);
    }

    [Fact]
    public async Task ReadsTheMapFromTheSsmParameterThroughTheApplicationsReader()
    {
        var ssm = new FakeSsm(Split(32).ToJson());
        await using var client = await ShardedDataSource.CreateAsync(new SsmShardMapSource(ssm, "/backend/prod/database/shard-map"), new StaticCredentialProvider("postgres", "x"),
            new ShardedDataSourceOptions { DatabaseOf = id => "client_" + id, SslMode = SslMode.Disable, RefreshInterval = null });
        Assert.Equal(["/backend/prod/database/shard-map"], ssm.Asked);
        Assert.Equal("a", client.Map.ShardOf(31));
    }

    [Fact]
    public async Task ReadsTheMapFromAStream()
    {
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(Split(32).ToJson()));
        await using var client = await ClientAsync(JsonShardMapSource.FromStream(stream), "client_");
        Assert.Equal("b", client.Map.ShardOf(32));
    }

    private sealed class FakeSsm(string value) : ISsmParameterReader
    {
        public List<string> Asked { get; } = [];
        public Task<string> GetParameterValueAsync(string name, CancellationToken cancellationToken) { Asked.Add(name); return Task.FromResult(value); }
    }

    private sealed class FakeSecrets(string value) : ISecretReader
    {
        public List<string> Read { get; } = [];
        public Task<string> GetSecretStringAsync(string secretArn, CancellationToken cancellationToken) { lock (Read) Read.Add(secretArn); return Task.FromResult(value); }
    }

    private sealed class FakeTokens : IIamAuthTokenGenerator
    {
        public List<(string, int, string)> Asked { get; } = [];
        public ValueTask<string> GenerateAsync(string host, int port, string username, CancellationToken cancellationToken) { lock (Asked) Asked.Add((host, port, username)); return ValueTask.FromResult("token"); }
    }
}
