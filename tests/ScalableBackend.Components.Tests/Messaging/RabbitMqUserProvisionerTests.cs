using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using ScalableBackend.Components.Tests.Support;
using ScalableBackend.Components.Messaging;

namespace ScalableBackend.Components.Tests.Messaging;

/// <summary>Runs <see cref="RabbitMqBroker.UserProvisionerSource"/> (the code the template inlines) with node.</summary>
internal static class ProvisionerNode
{
    /// <summary>
    /// Runs <paramref name="script"/> with the provisioner loaded as <c>provisioner</c>, its secrets answered from
    /// <paramref name="secrets"/> (ARN → secret string) instead of Secrets Manager, and returns what it printed, parsed.
    /// </summary>
    public static JsonNode Run(IReadOnlyDictionary<string, string> secrets, string script)
    {
        var table = new JsonObject(secrets.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)JsonValue.Create(kv.Value))));
        return NodeScript.Run(RabbitMqBroker.UserProvisionerSource, $$"""
            const http = require('http');
            const provisioner = require('./index.js');
            const secrets = {{table.ToJsonString()}};
            provisioner.getSecret = async arn => { if (!(arn in secrets)) throw new Error('no secret ' + arn); return secrets[arn]; };
            """, script);
    }

    /// <summary>
    /// A node snippet: an HTTP server on loopback that records every request (method, path, authorization, content type,
    /// body) into <c>requests</c> and answers with <c>answer(req)</c> (default 204); its base URL is <c>base</c>.
    /// </summary>
    public const string RecordingServer = """
        const requests = [];
        let answer = () => 204;
        const server = http.createServer((req, res) => {
          let body = '';
          req.on('data', c => { body += c; });
          req.on('end', () => {
            requests.push({ method: req.method, path: req.url, authorization: req.headers.authorization || null,
              contentType: req.headers['content-type'] ?? null, body: body ? JSON.parse(body) : null });
            res.statusCode = answer(req);
            res.end(res.statusCode >= 300 ? 'refused' : '');
          });
        });
        await new Promise(r => server.listen(0, '127.0.0.1', r));
        const base = `http://127.0.0.1:${server.address().port}`;
        """;

    /// <summary>A custom resource event for user <c>api</c> whose management API and ResponseURL are <c>management</c> and <c>responses</c>.</summary>
    public static string Event(string requestType, string management, string responses) => $$"""
        ({ RequestType: '{{requestType}}', ResponseURL: `${{{responses}}}/cfn-response?X-Amz-Signature=abc`, StackId: 'stack', RequestId: 'r1',
          LogicalResourceId: 'RabbitMqUserApi', ResourceType: 'Custom::RabbitMqUser', {{(requestType == "Create" ? "" : "PhysicalResourceId: 'api',")}}
          ResourceProperties: { ServiceToken: 'arn:fn', Username: 'api', AmqpEndpoint: 'amqps://b-1.mq.us-east-1.amazonaws.com:5671',
            ManagementUrl: {{management}}, AdminSecretArn: 'arn:admin', UserSecretArn: 'arn:api', VirtualHost: '/',
            Configure: '^api\\.', Write: '^(api\\..*|amq\\.default)$', Read: '^api\\.' } })
        """;
}

/// <summary>
/// The provisioner's HTTP calls against a node HTTP server that records them: the exact management API requests
/// (PUT /api/users/&lt;name&gt; with tags none, PUT /api/permissions/%2F/&lt;name&gt;, DELETE on delete) and the
/// custom resource response CloudFormation waits for.
/// </summary>
public sealed class RabbitMqUserProvisionerTests
{
    private static readonly Dictionary<string, string> Secrets = new()
    {
        ["arn:admin"] = """{"username":"broker-admin","password":"admin-pass-1234"}""",
        ["arn:api"] = """{"username":"api","password":"api-pass-5678"}""",
    };

    private static readonly string AdminAuth = "Basic " + Convert.ToBase64String("broker-admin:admin-pass-1234"u8.ToArray());

    private static JsonArray Requests(string requestType, string answer = "() => 204") => ProvisionerNode.Run(Secrets, $$"""
        {{ProvisionerNode.RecordingServer}}
        answer = {{answer}};
        await provisioner.handler({{ProvisionerNode.Event(requestType, "base", "base")}});
        server.close();
        console.log(JSON.stringify(requests));
        """).AsArray();

    [Fact]
    public void CreateSetsTheUserWithoutTagsThenItsPermissionsThenReportsSuccess()
    {
        var requests = Requests("Create");
        Assert.Equal(3, requests.Count);
        var user = requests[0]!;
        Assert.Equal("PUT", (string?)user["method"]);
        Assert.Equal("/api/users/api", (string?)user["path"]);
        Assert.Equal(AdminAuth, (string?)user["authorization"]);
        Assert.Equal("application/json", (string?)user["contentType"]);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"password":"api-pass-5678","tags":""}"""), user["body"]));
        var permissions = requests[1]!;
        Assert.Equal("PUT", (string?)permissions["method"]);
        Assert.Equal("/api/permissions/%2F/api", (string?)permissions["path"]);
        Assert.Equal(AdminAuth, (string?)permissions["authorization"]);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"configure":"^api\\.","write":"^(api\\..*|amq\\.default)$","read":"^api\\."}"""), permissions["body"]));
        var response = requests[2]!;
        Assert.Equal("PUT", (string?)response["method"]);
        Assert.Equal("/cfn-response?X-Amz-Signature=abc", (string?)response["path"]);
        Assert.Equal("", (string?)response["contentType"]); // the pre-signed URL is signed with an empty content type
        Assert.Null(response["authorization"]);
        Assert.Equal("SUCCESS", (string?)response["body"]!["Status"]);
        Assert.Equal("api", (string?)response["body"]!["PhysicalResourceId"]);
        Assert.Equal("RabbitMqUserApi", (string?)response["body"]!["LogicalResourceId"]);
        Assert.DoesNotContain("api-pass-5678", response["body"]!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void DeleteRemovesTheUserAndAnAlreadyMissingUserIsNoFailure()
    {
        var requests = Requests("Delete", "req => req.method === 'DELETE' ? 404 : 200");
        Assert.Equal(2, requests.Count);
        Assert.Equal("DELETE", (string?)requests[0]!["method"]);
        Assert.Equal("/api/users/api", (string?)requests[0]!["path"]);
        Assert.Null(requests[0]!["body"]);
        Assert.Equal("SUCCESS", (string?)requests[1]!["body"]!["Status"]);
        Assert.Equal("api", (string?)requests[1]!["body"]!["PhysicalResourceId"]);
    }

    [Fact]
    public void ARefusedCallFailsTheResourceWithTheApisAnswer()
    {
        var requests = Requests("Update", "req => req.url.startsWith('/api/') ? 401 : 200");
        Assert.Equal(2, requests.Count);
        var body = requests[1]!["body"]!;
        Assert.Equal("FAILED", (string?)body["Status"]);
        Assert.Equal("PUT /api/users/api: HTTP 401 refused", (string?)body["Reason"]);
    }
}

/// <summary>Skipped unless the Debian package rabbitmq-server (with its management plugin) is installed.</summary>
public sealed class RabbitMqServerFactAttribute : FactAttribute
{
    /// <summary>The server's start script.</summary>
    public const string Server = "/usr/lib/rabbitmq/bin/rabbitmq-server";

    /// <summary>Skips the test without the package.</summary>
    public RabbitMqServerFactAttribute()
    {
        if (!File.Exists(Server))
            Skip = $"{Server} is not installed (apt-get install rabbitmq-server)";
    }
}

/// <summary>
/// The provisioner against a real RabbitMQ (the management plugin on loopback, started by the test): the user it
/// creates authenticates with its own password, has no tags and exactly the permissions given; delete removes it.
/// </summary>
public sealed class RabbitMqUserProvisionerServerTests
{
    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class Broker : IDisposable
    {
        public string Dir { get; } = Directory.CreateTempSubdirectory("sb-rabbitmq-").FullName;
        public int ManagementPort { get; } = FreePort();
        private readonly Process _process;

        public Broker()
        {
            File.WriteAllText(Path.Combine(Dir, "rabbitmq.conf"), $"""
                listeners.tcp.default = 127.0.0.1:{FreePort()}
                management.tcp.ip = 127.0.0.1
                management.tcp.port = {ManagementPort}
                default_user = broker-admin
                default_pass = admin-pass-1234
                """);
            File.WriteAllText(Path.Combine(Dir, "enabled_plugins"), "[rabbitmq_management].");
            var server = Start("/bin/sh", "-c", $"exec {RabbitMqServerFactAttribute.Server} > '{Path.Combine(Dir, "out.log")}' 2>&1");
            server.RedirectStandardOutput = server.RedirectStandardError = false;
            _process = Process.Start(server)!;
            try
            {
                WaitForManagementApi();
            }
            catch
            {
                Dispose(); // never leave a server behind
                throw;
            }
        }

        private void WaitForManagementApi()
        {
            using var http = new HttpClient();
            http.DefaultRequestHeaders.Authorization = new("Basic", Convert.ToBase64String("broker-admin:admin-pass-1234"u8.ToArray()));
            for (var deadline = DateTime.UtcNow.AddMinutes(3); ; Thread.Sleep(1000))
            {
                try
                {
                    if (http.GetAsync($"http://127.0.0.1:{ManagementPort}/api/overview").Result.IsSuccessStatusCode)
                        return;
                }
                catch (AggregateException) { }
                Assert.False(_process.HasExited, "rabbitmq-server exited: " + (File.Exists(Path.Combine(Dir, "out.log")) ? File.ReadAllText(Path.Combine(Dir, "out.log")) : "no output"));
                Assert.True(DateTime.UtcNow < deadline, "the management API did not answer within 3 minutes");
            }
        }

        public ProcessStartInfo Start(string file, params string[] args)
        {
            var start = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in args) start.ArgumentList.Add(a);
            start.Environment["HOME"] = Dir; // the Erlang cookie
            start.Environment["RABBITMQ_CONFIG_FILE"] = Path.Combine(Dir, "rabbitmq.conf");
            start.Environment["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(Dir, "enabled_plugins");
            start.Environment["RABBITMQ_MNESIA_BASE"] = Path.Combine(Dir, "mnesia");
            start.Environment["RABBITMQ_LOG_BASE"] = Path.Combine(Dir, "log");
            start.Environment["RABBITMQ_PID_FILE"] = Path.Combine(Dir, "pid");
            start.Environment["RABBITMQ_NODENAME"] = $"sbtest{ManagementPort}@localhost";
            start.Environment["RABBITMQ_DIST_PORT"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
            return start;
        }

        /// <summary>Runs rabbitmqctl against this node; returns its exit code.</summary>
        public int Ctl(params string[] args)
        {
            using var ctl = Process.Start(Start("/usr/lib/rabbitmq/bin/rabbitmqctl", args))!;
            ctl.StandardOutput.ReadToEnd();
            ctl.WaitForExit();
            return ctl.ExitCode;
        }

        public void Dispose()
        {
            Ctl("stop");
            if (!_process.WaitForExit(30_000))
                _process.Kill(entireProcessTree: true);
            _process.Dispose();
            try { Directory.Delete(Dir, recursive: true); } catch (IOException) { }
        }
    }

    [RabbitMqServerFact]
    public void CreatesAUserThatAuthenticatesWithItsOwnPasswordAndExactlyItsPermissionsThenDeletesIt()
    {
        using var broker = new Broker();
        var secrets = new Dictionary<string, string>
        {
            ["arn:admin"] = """{"username":"broker-admin","password":"admin-pass-1234"}""",
            ["arn:api"] = """{"username":"api","password":"api-pass-5678"}""",
        };
        var management = $"'http://127.0.0.1:{broker.ManagementPort}'";
        var result = ProvisionerNode.Run(secrets, $$"""
            {{ProvisionerNode.RecordingServer}}
            await provisioner.handler({{ProvisionerNode.Event("Create", management, "base")}});
            const auth = { authorization: 'Basic ' + Buffer.from('broker-admin:admin-pass-1234').toString('base64') };
            const get = path => fetch({{management}} + path, { headers: auth }).then(async r => ({ status: r.status, body: r.status === 200 ? await r.json() : null }));
            const user = await get('/api/users/api');
            const permissions = await get('/api/permissions/%2F/api');
            console.log(JSON.stringify({ responses: requests.map(r => r.body), user, permissions }));
            server.close();
            """);
        Assert.Equal("SUCCESS", (string?)result["responses"]![0]!["Status"]);
        Assert.Equal(200, (int)result["user"]!["status"]!);
        Assert.Equal("", result["user"]!["body"]!["tags"] is JsonArray tags ? string.Join(",", tags) : (string?)result["user"]!["body"]!["tags"]);
        var permissions = result["permissions"]!["body"]!;
        Assert.Equal("^api\\.", (string?)permissions["configure"]);
        Assert.Equal("^(api\\..*|amq\\.default)$", (string?)permissions["write"]);
        Assert.Equal("^api\\.", (string?)permissions["read"]);
        Assert.Equal(0, broker.Ctl("authenticate_user", "api", "api-pass-5678"));
        Assert.NotEqual(0, broker.Ctl("authenticate_user", "api", "admin-pass-1234"));

        var deleted = ProvisionerNode.Run(secrets, $$"""
            {{ProvisionerNode.RecordingServer}}
            await provisioner.handler({{ProvisionerNode.Event("Delete", management, "base")}});
            const r = await fetch({{management}} + '/api/users/api', { headers: { authorization: 'Basic ' + Buffer.from('broker-admin:admin-pass-1234').toString('base64') } });
            console.log(JSON.stringify({ status: requests[0].body.Status, after: r.status }));
            server.close();
            """);
        Assert.Equal("SUCCESS", (string?)deleted["status"]);
        Assert.Equal(404, (int)deleted["after"]!);
    }
}
