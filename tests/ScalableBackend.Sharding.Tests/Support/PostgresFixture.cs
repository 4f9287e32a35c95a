namespace ScalableBackend.Sharding.Tests.Support;

/// <summary>One throwaway PostgreSQL cluster for every test in <see cref="PostgresCollection"/>; each test class creates its own shard databases.</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private TemporaryPostgres? _server;

    /// <summary>The running server.</summary>
    public TemporaryPostgres Server => _server ?? throw new InvalidOperationException("the server has not started");

    public async Task InitializeAsync() => _server = await TemporaryPostgres.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "PostgreSQL";
}
