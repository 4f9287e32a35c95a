using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace ScalableBackend.Sharding.Tests.Support;

/// <summary>
/// A throwaway PostgreSQL cluster: <c>initdb</c> into a temp folder, started with <c>pg_ctl</c> on a free loopback port
/// (TCP only on 127.0.0.1, trust authentication, no fsync), stopped and deleted on dispose. The server binaries come
/// from <c>SCALABLE_BACKEND_PG_BIN</c>, else the newest <c>/usr/lib/postgresql/&lt;version&gt;/bin</c> (Debian's
/// <c>postgresql</c> package), else <c>PATH</c>. PostgreSQL refuses to run as root, so as root the cluster is owned by
/// and run as the <c>postgres</c> user (through <c>runuser</c>).
/// </summary>
public sealed class TemporaryPostgres : IAsyncDisposable
{
    /// <summary>The variable naming the folder that holds <c>initdb</c> and <c>pg_ctl</c>.</summary>
    public const string BinVariable = "SCALABLE_BACKEND_PG_BIN";

    private readonly string _bin;
    private readonly string _root;
    private readonly string? _runAs;
    private bool _stopped;

    /// <summary>The port the server listens on (127.0.0.1).</summary>
    public int Port { get; }

    /// <summary>The server's major version, e.g. 15.</summary>
    public string Version { get; }

    private TemporaryPostgres(string bin, string root, string? runAs, int port, string version)
    {
        _bin = bin;
        _root = root;
        _runAs = runAs;
        Port = port;
        Version = version;
    }

    /// <summary>Creates and starts a cluster.</summary>
    /// <exception cref="InvalidOperationException">The binaries are missing (the message says how to install them) or the server does not start.</exception>
    public static async Task<TemporaryPostgres> StartAsync()
    {
        var bin = FindBinaries();
        var root = Directory.CreateTempSubdirectory("sb-pg-").FullName;
        var runAs = Environment.UserName == "root" ? "postgres" : null;
        if (runAs is not null)
            await RunAsync("chown", ["-R", $"{runAs}:{runAs}", root], null).ConfigureAwait(false);
        var data = Path.Combine(root, "data");
        await RunAsync(Path.Combine(bin, "initdb"), ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"], runAs).ConfigureAwait(false);
        var port = FreePort();
        var server = new TemporaryPostgres(bin, root, runAs, port, Path.GetFileName(Path.GetDirectoryName(bin)) ?? "?");
        try
        {
            var options = $"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={root} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100";
            await RunAsync(Path.Combine(bin, "pg_ctl"), ["-D", data, "-l", Path.Combine(root, "server.log"), "-o", options, "-w", "-t", "60", "start"], runAs).ConfigureAwait(false);
        }
        catch (InvalidOperationException e)
        {
            var log = File.Exists(Path.Combine(root, "server.log")) ? File.ReadAllText(Path.Combine(root, "server.log")) : "";
            await server.DisposeAsync().ConfigureAwait(false);
            throw new InvalidOperationException($"{e.Message}\nserver log:\n{log}", e);
        }
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.StopAsync().GetAwaiter().GetResult();
        return server;
    }

    /// <summary>A connection string to <paramref name="database"/> as the superuser.</summary>
    public string ConnectionString(string database, bool pooling = true) =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Database = database, Username = "postgres", Pooling = pooling, MaxPoolSize = 20 }.ConnectionString;

    /// <summary>The endpoint as the shard map writes it, <c>127.0.0.1:port</c>.</summary>
    public string Endpoint => $"127.0.0.1:{Port}";

    /// <summary>Creates database <paramref name="name"/> (dropping it first when it exists).</summary>
    public async Task CreateDatabaseAsync(string name)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres", pooling: false));
        await connection.OpenAsync().ConfigureAwait(false);
        await using (var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection))
            await drop.ExecuteNonQueryAsync().ConfigureAwait(false);
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await create.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    /// <summary>Runs <paramref name="sql"/> in <paramref name="database"/>.</summary>
    public async Task ExecuteAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString(database, pooling: false));
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    /// <summary>The first column of the first row of <paramref name="sql"/> in <paramref name="database"/>.</summary>
    public async Task<T> ScalarAsync<T>(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString(database, pooling: false));
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync().ConfigureAwait(false))!;
    }

    /// <summary>Stops the server and deletes its folder.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        NpgsqlConnection.ClearAllPools();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private async Task StopAsync()
    {
        if (_stopped) return;
        _stopped = true;
        var data = Path.Combine(_root, "data");
        if (File.Exists(Path.Combine(data, "postmaster.pid")))
        {
            try { await RunAsync(Path.Combine(_bin, "pg_ctl"), ["-D", data, "-m", "immediate", "-w", "stop"], _runAs).ConfigureAwait(false); }
            catch (InvalidOperationException) { }
        }
    }

    private static string FindBinaries()
    {
        if (Environment.GetEnvironmentVariable(BinVariable) is { Length: > 0 } configured)
            return File.Exists(Path.Combine(configured, "initdb")) ? configured
                : throw new InvalidOperationException($"{BinVariable}={configured} holds no initdb");
        var debian = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => (Dir: Path.Combine(d, "bin"), Major: int.TryParse(Path.GetFileName(d), out var v) ? v : 0))
                .Where(d => File.Exists(Path.Combine(d.Dir, "initdb")) && File.Exists(Path.Combine(d.Dir, "pg_ctl")))
                .OrderByDescending(d => d.Major).Select(d => d.Dir).FirstOrDefault()
            : null;
        if (debian is not null) return debian;
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")));
        return onPath ?? throw new InvalidOperationException(
            "The sharding tests need the PostgreSQL server binaries (initdb, pg_ctl) and found none in /usr/lib/postgresql/<version>/bin or on PATH. " +
            $"Install them with `apt-get update && apt-get install -y postgresql` (Debian/Ubuntu; .ci/run does this), or set {BinVariable} to the folder holding initdb and pg_ctl.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task RunAsync(string program, IReadOnlyList<string> arguments, string? runAs)
    {
        var start = new ProcessStartInfo(runAs is null ? program : "runuser")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = "/tmp",
        };
        if (runAs is not null)
            foreach (var a in new[] { "-u", runAs, "--", program }) start.ArgumentList.Add(a);
        foreach (var a in arguments) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        // pg_ctl start leaves the server holding inherited pipes; read to end only for the programs that exit with them closed.
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            var error = await stderr.WaitAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
            throw new InvalidOperationException($"{Path.GetFileName(program)} {string.Join(' ', arguments)} failed ({process.ExitCode}): {error}");
        }
    }
}
