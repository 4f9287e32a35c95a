using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;
using ScalableBackend.Components.Data;
using ScalableBackend.Sharding.Tests.Support;

namespace ScalableBackend.Sharding.Tests;

/// <summary>
/// The <c>Custom::DatabaseUsers</c> function as it deploys — the bundle embedded in ScalableBackend.Components (the
/// handler and pg) — run with node against the throwaway PostgreSQL server, as RDS's master user would run it: a role
/// that is no superuser, with <c>CREATEROLE</c> and the admin option on a stand-in <c>rds_iam</c>, owning the database.
/// Roles are cluster-wide, so this class's users carry its own prefix.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class DatabaseUsersHandlerTests(PostgresFixture postgres) : IAsyncLifetime
{
    private const string Database = "users_db";
    private const string Master = "users_master";
    private const string Api = "svc_users_api";
    private const string Worker = "svc_users_worker";
    private TemporaryPostgres Server => postgres.Server;
    private string _handler = "";

    public async Task InitializeAsync()
    {
        await Server.ExecuteAsync("postgres", $"""
            DO $$ BEGIN
              IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'rds_iam') THEN CREATE ROLE rds_iam; END IF;
              IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{Master}') THEN CREATE ROLE {Master} LOGIN CREATEROLE; END IF;
            END $$;
            GRANT rds_iam TO {Master} WITH ADMIN OPTION;
            """);
        await Server.ExecuteAsync("postgres", $"DROP DATABASE IF EXISTS {Database} WITH (FORCE)");
        foreach (var role in new[] { Api, Worker })
            await Server.ExecuteAsync("postgres", $"DROP ROLE IF EXISTS {role}");
        await Server.ExecuteAsync("postgres", $"CREATE DATABASE {Database} OWNER {Master}");
        _handler = Path.Combine(Path.GetTempPath(), $"database-users-{Guid.NewGuid():N}.js");
        await using var stream = typeof(ShardedDatabase).Assembly.GetManifestResourceStream("ScalableBackend.Components.Data.database-users.js")!;
        await using var file = File.Create(_handler);
        await stream.CopyToAsync(file);
    }

    public Task DisposeAsync()
    {
        File.Delete(_handler);
        return Task.CompletedTask;
    }

    private JsonObject Event(string type, string[] users, string[]? oldUsers = null)
    {
        var e = new JsonObject
        {
            ["RequestType"] = type,
            ["ResourceProperties"] = new JsonObject
            {
                ["Host"] = "127.0.0.1",
                ["Port"] = Server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Database"] = Database,
                ["Users"] = new JsonArray(users.Select(u => (JsonNode)u).ToArray()),
            },
        };
        if (oldUsers is not null)
            e["OldResourceProperties"] = new JsonObject { ["Users"] = new JsonArray(oldUsers.Select(u => (JsonNode)u).ToArray()) };
        return e;
    }

    /// <summary>Runs the bundle's <c>run</c> (what the handler does after reading the master secret) as the master, without TLS.</summary>
    private async Task<JsonNode> RunAsync(JsonObject e) => JsonNode.Parse(await NodeAsync(new JsonObject
    {
        ["mode"] = "run",
        ["event"] = e,
        ["credentials"] = new JsonObject { ["user"] = Master, ["password"] = "" },
    }))!;

    private async Task<string> NodeAsync(JsonObject input)
    {
        const string driver = """
            const m = require(process.env.HANDLER);
            const input = JSON.parse(process.env.INPUT);
            (async () => {
              if (input.mode === 'run') console.log(JSON.stringify(await m.run(input.event, { credentials: input.credentials, ssl: false })));
              else await m.respond(input.event, input.status, input.reason, m.physicalIdOf(input.event));
            })().catch((e) => { console.error(e.message); process.exit(1); });
            """;
        var start = new ProcessStartInfo("node", ["-e", driver]) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["HANDLER"] = _handler;
        start.Environment["INPUT"] = input.ToJsonString();
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0) throw new InvalidOperationException($"node exited {process.ExitCode}: {await error}");
        return await output;
    }

    private Task<T> AsSuperuser<T>(string sql) => Server.ScalarAsync<T>(Database, sql);

    private async Task<string> LogInAsync(string user, string sql = "SELECT current_user")
    {
        var builder = new NpgsqlConnectionStringBuilder(Server.ConnectionString(Database, pooling: false)) { Username = user };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (await command.ExecuteScalarAsync())?.ToString() ?? "";
    }

    [Fact]
    public async Task CreatesIamRolesThatLogInWithTheirOwnSchemaTwiceOverAndOnlyRevokesLogin()
    {
        // Create, then the same again (CloudFormation retries, a re-run after a failed update): no error, same result.
        var first = await RunAsync(Event("Create", [Api, Worker]));
        Assert.Equal($"[\"{Api}\",\"{Worker}\"]", first["users"]!.ToJsonString());
        await RunAsync(Event("Create", [Api, Worker]));

        foreach (var user in new[] { Api, Worker })
        {
            Assert.True(await AsSuperuser<bool>($"SELECT rolcanlogin FROM pg_roles WHERE rolname = '{user}'"));
            Assert.False(await AsSuperuser<bool>($"SELECT rolsuper OR rolcreaterole OR rolcreatedb FROM pg_roles WHERE rolname = '{user}'"));
            Assert.True(await AsSuperuser<bool>($"SELECT pg_has_role('{user}', 'rds_iam', 'MEMBER')"));
            Assert.True(await AsSuperuser<bool>($"SELECT has_database_privilege('{user}', '{Database}', 'CONNECT')"));
            Assert.Equal(user, await AsSuperuser<string>($"SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname = '{user}'"));
            Assert.Equal(user, await LogInAsync(user));
        }
        // Its tables land in its own schema (first on the default search_path), not in public.
        await LogInAsync(Api, "CREATE TABLE orders (id int PRIMARY KEY); INSERT INTO orders VALUES (1); SELECT 1");
        Assert.Equal(1L, await AsSuperuser<long>($"SELECT count(*) FROM {Api}.orders"));
        // And another user's schema is closed to it.
        var denied = await Assert.ThrowsAsync<PostgresException>(() => LogInAsync(Worker, $"SELECT count(*) FROM {Api}.orders"));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, denied.SqlState);

        // Dropped from the list: cannot log in any more, but the role, its schema and its rows stay.
        var update = await RunAsync(Event("Update", [Worker], oldUsers: [Api, Worker]));
        Assert.Equal($"[\"{Api}\"]", update["revoked"]!.ToJsonString());
        var refused = await Assert.ThrowsAsync<PostgresException>(() => LogInAsync(Api));
        Assert.Equal(PostgresErrorCodes.InvalidAuthorizationSpecification, refused.SqlState);
        Assert.Equal(1L, await AsSuperuser<long>($"SELECT count(*) FROM {Api}.orders"));
        Assert.Equal(Worker, await LogInAsync(Worker));

        // Added back: logs in again and finds its rows.
        await RunAsync(Event("Update", [Api, Worker], oldUsers: [Worker]));
        Assert.Equal("1", await LogInAsync(Api, "SELECT count(*) FROM orders"));

        // The resource deleted: every user loses login; nothing is dropped.
        var delete = await RunAsync(Event("Delete", [Api, Worker]));
        Assert.Equal("[]", delete["users"]!.ToJsonString());
        foreach (var user in new[] { Api, Worker })
            Assert.False(await AsSuperuser<bool>($"SELECT rolcanlogin FROM pg_roles WHERE rolname = '{user}'"));
        Assert.Equal(1L, await AsSuperuser<long>($"SELECT count(*) FROM {Api}.orders"));
    }

    [Fact]
    public async Task AnswersCloudFormationOnTheResponseUrlWithAStablePhysicalId()
    {
        using var listener = new HttpListener();
        var port = FreePort();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var received = listener.GetContextAsync();
        var e = Event("Update", [Api]);
        e["ResponseURL"] = $"http://127.0.0.1:{port}/response?X-Amz-Signature=abc";
        e["StackId"] = "arn:aws:cloudformation:eu-west-1:123456789012:stack/Backend-Prod-Data/1";
        e["RequestId"] = "request-1";
        e["LogicalResourceId"] = "DatabaseShard1Users";
        e["PhysicalResourceId"] = "database-users:host:postgres";
        var sent = NodeAsync(new JsonObject { ["mode"] = "respond", ["event"] = e, ["status"] = "SUCCESS", ["reason"] = "ok" });
        var context = await received;
        using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
        var body = JsonNode.Parse(await reader.ReadToEndAsync())!;
        context.Response.StatusCode = 200;
        context.Response.Close();
        await sent;

        Assert.Equal("PUT", context.Request.HttpMethod);
        Assert.Equal("/response?X-Amz-Signature=abc", context.Request.RawUrl);
        Assert.Equal("SUCCESS", (string?)body["Status"]);
        Assert.Equal("database-users:host:postgres", (string?)body["PhysicalResourceId"]);
        Assert.Equal("request-1", (string?)body["RequestId"]);
        Assert.Equal("DatabaseShard1Users", (string?)body["LogicalResourceId"]);
        Assert.Equal(e["StackId"]!.GetValue<string>(), (string?)body["StackId"]);
    }

    private static int FreePort()
    {
        using var socket = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
