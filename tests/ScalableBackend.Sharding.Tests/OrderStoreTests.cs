using ScalableBackend.Examples.OrdersBackend;
using ScalableBackend.Sharding.Tests.Support;
using static ScalableBackend.Sharding.Tests.Support.Maps;

namespace ScalableBackend.Sharding.Tests;

/// <summary>
/// examples/OrdersBackend's <see cref="OrderStore"/>, the client as an application uses it: the map from an SSM reader,
/// IAM tokens for the service's own database user, orders on their customer's shard of the real server (databases
/// <c>orders_a</c>, <c>orders_b</c>).
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class OrderStoreTests(PostgresFixture postgres) : IAsyncLifetime
{
    private const string Parameter = "/backend/prod/database/shard-map";
    private TemporaryPostgres Server => postgres.Server;

    private sealed class Ssm(string json) : ISsmParameterReader
    {
        public Task<string> GetParameterValueAsync(string name, CancellationToken cancellationToken) =>
            name == Parameter ? Task.FromResult(json) : throw new KeyNotFoundException(name);
    }

    /// <summary>Stands in for the AWS SDK's RDS signer; the throwaway server trusts loopback, so any token logs in.</summary>
    private sealed class Tokens : IIamAuthTokenGenerator
    {
        public List<string> Generated { get; } = [];

        public ValueTask<string> GenerateAsync(string host, int port, string username, CancellationToken cancellationToken)
        {
            lock (Generated) Generated.Add($"{username}@{host}:{port}");
            return ValueTask.FromResult("token");
        }
    }

    public async Task InitializeAsync()
    {
        await Server.CreateDatabaseAsync("orders_a");
        await Server.CreateDatabaseAsync("orders_b");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task PlacesAndReadsOrdersOnEachCustomersShard()
    {
        var map = new ShardMap(16, new Dictionary<string, ShardEntry>
        {
            ["a"] = Shard(Server.Endpoint, R(0, 7)) with { SecretArn = "arn:aws:secretsmanager:eu-west-1:1:secret:a" },
            ["b"] = Shard(Server.Endpoint, R(8, 15)) with { SecretArn = "arn:aws:secretsmanager:eu-west-1:1:secret:b" },
        });
        var tokens = new Tokens();
        await using var store = await OrderStore.OpenAsync(new Ssm(map.ToJson()), tokens, "postgres", Parameter, new ShardedDataSourceOptions
        {
            DatabaseOf = id => $"orders_{id}",
            SslMode = Npgsql.SslMode.Disable,
            RefreshInterval = null,
        });
        await store.MigrateAsync();
        var customers = Enumerable.Range(1, 40).Select(i => $"customer-{i}").ToArray();
        foreach (var customer in customers)
        {
            await store.PlaceAsync(new Order("o1", customer, 100));
            await store.PlaceAsync(new Order("o2", customer, 250));
        }
        await store.PlaceAsync(new Order("o2", customers[0], 300));

        Assert.Equal([new Order("o1", customers[0], 100), new Order("o2", customers[0], 300)], await store.ForCustomerAsync(customers[0]));
        foreach (var shard in new[] { "a", "b" })
        {
            var expected = customers.Count(c => store.ShardOf(c) == shard);
            Assert.InRange(expected, 5, 35);
            Assert.Equal(expected * 2L, await Server.ScalarAsync<long>($"orders_{shard}", "SELECT count(*) FROM orders"));
        }
        // IAM tokens for the member's user at each shard's host, never a secret.
        Assert.Equal([$"postgres@{Server.Endpoint}"], tokens.Generated.Distinct());
    }
}
