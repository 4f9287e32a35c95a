using ScalableBackend.Sharding;

namespace ScalableBackend.Examples.OrdersBackend;

/// <summary>One order of a customer.</summary>
/// <param name="OrderId">The order's id.</param>
/// <param name="CustomerId">The customer it belongs to: the key orders are sharded by.</param>
/// <param name="TotalCents">Its total, in cents.</param>
public sealed record Order(string OrderId, string CustomerId, long TotalCents);

/// <summary>
/// The API's side of a sharded database (<c>ShardedDatabase</c>), as an application team writes it with the client
/// package <c>ScalableBackend.Sharding</c> instead of a router of its own: every order lives on the shard of its
/// customer, <c>crc32(customerId) mod bucketCount</c> through the shard map the stack publishes in SSM; the map is
/// re-read every minute, so buckets that move to a new shard are followed without a restart. Reads and writes of a
/// customer whose buckets are moving still go to the old owner until the map says switched.
/// </summary>
public sealed class OrderStore : IAsyncDisposable
{
    /// <summary>The table every shard holds (the same migration runs on each): <c>customer_id</c> first in its key.</summary>
    public const string Schema = """
        CREATE TABLE IF NOT EXISTS orders (
            customer_id text NOT NULL,
            order_id text NOT NULL,
            total_cents bigint NOT NULL,
            PRIMARY KEY (customer_id, order_id))
        """;

    private readonly ShardedDataSource _shards;

    private OrderStore(ShardedDataSource shards) => _shards = shards;

    /// <summary>
    /// Connects through the shard map in SSM parameter <paramref name="shardMapParameter"/> (the stack hands the API its
    /// name as <c>SB_DATABASE_SHARD_MAP_PARAMETER</c>) as the service's own database user <paramref name="databaseUser"/>
    /// (<c>SB_DATABASE_USER</c>) with IAM database authentication: a token from <paramref name="tokens"/> for the host
    /// connected to, renewed every ten minutes. No secret is read (the service may read none). <paramref name="ssm"/> and
    /// <paramref name="tokens"/> are one-line adapters over the AWS SDK (<c>RDSAuthTokenGenerator.GenerateAuthToken</c>);
    /// <paramref name="options"/> default to TLS VerifyFull and the <c>postgres</c> database, where the user's own schema
    /// (named after it, first on its search path) holds the orders table; a refresh every minute.
    /// </summary>
    public static async Task<OrderStore> OpenAsync(ISsmParameterReader ssm, IIamAuthTokenGenerator tokens, string databaseUser,
        string shardMapParameter, ShardedDataSourceOptions? options = null, CancellationToken cancellationToken = default) =>
        new(await ShardedDataSource.CreateAsync(new SsmShardMapSource(ssm, shardMapParameter), new IamAuthCredentialProvider(tokens, databaseUser),
            options ?? new ShardedDataSourceOptions(), cancellationToken).ConfigureAwait(false));

    /// <summary>Creates the orders table on every shard of the current map (a migration; run it on a new shard before its buckets move).</summary>
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        foreach (var shard in _shards.Map.Shards.Keys)
        {
            await using var command = _shards.ForShard(shard).CreateCommand(Schema);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Places <paramref name="order"/> on its customer's shard (again: the last total wins).</summary>
    public async Task PlaceAsync(Order order, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(order);
        await using var command = _shards.ForKey(order.CustomerId).CreateCommand(
            "INSERT INTO orders (customer_id, order_id, total_cents) VALUES (@customer, @order, @total) " +
            "ON CONFLICT (customer_id, order_id) DO UPDATE SET total_cents = EXCLUDED.total_cents");
        command.Parameters.AddWithValue("customer", order.CustomerId);
        command.Parameters.AddWithValue("order", order.OrderId);
        command.Parameters.AddWithValue("total", order.TotalCents);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The orders of <paramref name="customerId"/>, by order id, from a replica of its shard when the map lists one.</summary>
    public async Task<IReadOnlyList<Order>> ForCustomerAsync(string customerId, CancellationToken cancellationToken = default)
    {
        await using var command = _shards.ForKeyReadOnly(customerId).CreateCommand(
            "SELECT order_id, total_cents FROM orders WHERE customer_id = @customer ORDER BY order_id");
        command.Parameters.AddWithValue("customer", customerId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var orders = new List<Order>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            orders.Add(new Order(reader.GetString(0), customerId, reader.GetInt64(1)));
        return orders;
    }

    /// <summary>Which shard serves <paramref name="customerId"/> now (for logs and metrics).</summary>
    public string ShardOf(string customerId) => _shards.Route(customerId).Shard;

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _shards.DisposeAsync();
}
