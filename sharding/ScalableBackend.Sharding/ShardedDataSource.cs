using Npgsql;

namespace ScalableBackend.Sharding;

/// <summary>
/// The shard-aware entry point an application uses: it reads the shard map, maps a key to its bucket
/// (<c>crc32(UTF-8 key) mod bucketCount</c>) and the bucket to the shard serving it now, and hands out one pooled
/// <see cref="NpgsqlDataSource"/> per shard (through the shard's proxy when the map lists one).
/// <para>
/// <b>Moves.</b> While a range is <c>copying</c>, its old owner serves it, so reads and writes keep going there;
/// once the map says <c>switched</c>, they go to the new owner. The client follows the map it last read: the map is
/// read again every <see cref="ShardedDataSourceOptions.RefreshInterval"/> (or on <see cref="RefreshAsync"/>), and
/// an invalid map is refused while the previous one stays in use. Around a switch, clients read the new map at
/// different moments; the application keeps writes to the moving range frozen from the final catch-up until every
/// client has refreshed (see <see cref="BucketCopier"/>).
/// </para>
/// </summary>
public sealed class ShardedDataSource : IAsyncDisposable
{
    private readonly IShardMapSource _source;
    private readonly IShardCredentialProvider _credentials;
    private readonly ShardedDataSourceOptions _options;
    private readonly SemaphoreSlim _refreshLock = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task? _refreshLoop;
    private volatile State _state;
    private string _json;

    private sealed record Pools(NpgsqlDataSource Writer, IReadOnlyList<NpgsqlDataSource> Readers);
    private sealed record State(ShardMap Map, IReadOnlyDictionary<string, Pools> Shards, IReadOnlyDictionary<string, NpgsqlDataSource> ByEndpoint);

    private ShardedDataSource(IShardMapSource source, IShardCredentialProvider credentials, ShardedDataSourceOptions options, string json, State state)
    {
        _source = source;
        _credentials = credentials;
        _options = options;
        _json = json;
        _state = state;
        if (options.RefreshInterval is { } interval)
            _refreshLoop = RefreshLoopAsync(interval, _stopping.Token);
    }

    /// <summary>Reads the map from <paramref name="source"/> and prepares a pool per shard (connections open lazily).</summary>
    /// <exception cref="ShardMapException">The map is not valid.</exception>
    public static async Task<ShardedDataSource> CreateAsync(IShardMapSource source, IShardCredentialProvider credentials, ShardedDataSourceOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(credentials);
        options ??= new ShardedDataSourceOptions();
        var json = await source.ReadAsync(cancellationToken).ConfigureAwait(false);
        var map = ShardMap.Parse(json);
        var state = await BuildAsync(map, credentials, options, new Dictionary<string, NpgsqlDataSource>(), cancellationToken).ConfigureAwait(false);
        return new ShardedDataSource(source, credentials, options, json, state);
    }

    /// <summary>The map in use.</summary>
    public ShardMap Map => _state.Map;

    /// <summary>Where <paramref name="key"/> goes now: its bucket, the shard serving it and the bucket's move, if any.</summary>
    public ShardRoute Route(string key) => _state.Map.Route(key);

    /// <summary>The pool of the shard serving <paramref name="key"/> now (its proxy, or its writer): reads and writes.</summary>
    public NpgsqlDataSource ForKey(string key)
    {
        var state = _state;
        return state.Shards[state.Map.Route(key).Shard].Writer;
    }

    /// <summary>
    /// A pool for reads of <paramref name="key"/> that may lag: a read replica of the serving shard (chosen by the
    /// key's bucket, so one key always reads from the same replica), or its writer when it has none.
    /// </summary>
    public NpgsqlDataSource ForKeyReadOnly(string key)
    {
        var state = _state;
        var route = state.Map.Route(key);
        var pools = state.Shards[route.Shard];
        return pools.Readers.Count == 0 ? pools.Writer : pools.Readers[route.Bucket % pools.Readers.Count];
    }

    /// <summary>The pool of shard <paramref name="shardId"/> (its proxy, or its writer), whatever it serves.</summary>
    /// <exception cref="KeyNotFoundException">The map has no such shard.</exception>
    public NpgsqlDataSource ForShard(string shardId) =>
        _state.Shards.TryGetValue(shardId, out var pools) ? pools.Writer : throw new KeyNotFoundException($"the shard map has no shard {shardId}");

    /// <summary>Opens a connection to the shard serving <paramref name="key"/> now.</summary>
    public ValueTask<NpgsqlConnection> OpenConnectionAsync(string key, CancellationToken cancellationToken = default) =>
        ForKey(key).OpenConnectionAsync(cancellationToken);

    /// <summary>
    /// Reads the map again. Pools of shards whose endpoint is unchanged are kept; new shards get pools; pools no map
    /// shard uses any more are disposed. Returns whether the map changed.
    /// </summary>
    /// <exception cref="ShardMapException">The new map is not valid; the previous one stays in use.</exception>
    public async Task<bool> RefreshAsync(CancellationToken cancellationToken = default)
    {
        await _refreshLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var json = await _source.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (json == _json) return false;
            var map = ShardMap.Parse(json);
            var old = _state;
            var state = await BuildAsync(map, _credentials, _options, old.ByEndpoint, cancellationToken).ConfigureAwait(false);
            _state = state;
            _json = json;
            var kept = state.ByEndpoint.Values.ToHashSet();
            foreach (var pool in old.ByEndpoint.Values.Where(p => !kept.Contains(p)))
                await pool.DisposeAsync().ConfigureAwait(false);
            return true;
        }
        finally
        {
            _refreshLock.Release();
        }
    }

    /// <summary>Stops the background refresh and disposes every pool.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_refreshLoop is not null)
            await _refreshLoop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        foreach (var pool in _state.ByEndpoint.Values)
            await pool.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
        _refreshLock.Dispose();
    }

    private async Task RefreshLoopAsync(TimeSpan interval, CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(interval);
        while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false))
        {
            try { await RefreshAsync(stopping).ConfigureAwait(false); }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested) { return; }
            catch (Exception e) { _options.OnRefreshError?.Invoke(e); }
        }
    }

    private static async Task<State> BuildAsync(ShardMap map, IShardCredentialProvider credentials, ShardedDataSourceOptions options, IReadOnlyDictionary<string, NpgsqlDataSource> existing, CancellationToken cancellationToken)
    {
        var byEndpoint = new Dictionary<string, NpgsqlDataSource>(StringComparer.Ordinal);
        var shards = new Dictionary<string, Pools>(StringComparer.Ordinal);
        var created = new List<NpgsqlDataSource>();
        try
        {
            foreach (var (id, shard) in map.Shards)
            {
                var writer = options.UseProxy && shard.Proxy is { } proxy ? proxy : shard.Writer;
                var readers = new List<NpgsqlDataSource>();
                foreach (var endpoint in shard.Readers)
                    readers.Add(await PoolAsync(id, shard, endpoint).ConfigureAwait(false));
                shards[id] = new Pools(await PoolAsync(id, shard, writer).ConfigureAwait(false), readers);
            }
        }
        catch
        {
            foreach (var pool in created) await pool.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return new State(map, shards, byEndpoint);

        async Task<NpgsqlDataSource> PoolAsync(string id, ShardEntry shard, string endpoint)
        {
            var database = options.DatabaseOf?.Invoke(id) ?? options.Database ?? "postgres";
            var key = $"{id}|{endpoint}|{database}";
            if (byEndpoint.TryGetValue(key, out var pool)) return pool;
            if (existing.TryGetValue(key, out pool))
                return byEndpoint[key] = pool;
            var (host, port) = ShardEndpoint.Split(endpoint);
            var target = new ShardEndpoint(id, shard, host, port);
            var first = await credentials.GetAsync(target, cancellationToken).ConfigureAwait(false);
            var connection = new NpgsqlConnectionStringBuilder
            {
                Host = host,
                Port = port,
                Database = database,
                Username = first.Username,
                SslMode = options.SslMode,
                ApplicationName = $"ScalableBackend.Sharding/{id}",
            };
            if (credentials.RefreshInterval is null) connection.Password = first.Password;
            options.Configure?.Invoke(id, connection);
            var builder = new NpgsqlDataSourceBuilder(connection.ConnectionString);
            if (credentials.RefreshInterval is { } refresh)
                builder.UsePeriodicPasswordProvider(
                    async (_, ct) => (await credentials.GetAsync(target, ct).ConfigureAwait(false)).Password,
                    refresh, TimeSpan.FromSeconds(10));
            pool = builder.Build();
            created.Add(pool);
            return byEndpoint[key] = pool;
        }
    }
}
