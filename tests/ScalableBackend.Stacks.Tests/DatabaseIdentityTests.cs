using System.Text.Json.Nodes;
using ScalableBackend.Components.Data;

namespace ScalableBackend.Stacks.Tests;

/// <summary>
/// Issue 18.3 for the database: every member of <c>database.users</c> connects as its own PostgreSQL user through IAM
/// database authentication, on exactly its user in every shard; no member reads a shard's master secret; the proxies
/// require IAM from clients and reach PostgreSQL through end-to-end IAM. In every environment.
/// </summary>
[Collection(EnvironmentCollection.Name)]
public sealed class DatabaseIdentityTests(EnvironmentFixture environments)
{
    /// <summary>An intrinsic as text: imports as <c>&lt;import Name&gt;</c>, references as <c>&lt;Id&gt;</c>, attributes as <c>&lt;Id.Attribute&gt;</c>.</summary>
    private static string Text(JsonNode node) => node switch
    {
        JsonValue v => v.GetValue<string>(),
        JsonObject o when o["Fn::Join"] is JsonArray join => string.Concat(join[1]!.AsArray().Select(p => Text(p!))),
        JsonObject o when o["Fn::ImportValue"] is { } import => $"<import {Text(import)}>",
        JsonObject o when o["Ref"] is { } r => $"<{(string)r!}>",
        JsonObject o when o["Fn::GetAtt"] is JsonArray at => $"<{(string)at[0]!}.{(string)at[1]!}>",
        JsonObject o when o["Fn::Select"] is JsonArray sel => $"<select {(int)sel[0]!} of {Text(sel[1]!["Fn::Split"]![1]!)}>",
        _ => node.ToJsonString(),
    };

    private static string P(string key) => Components.Compute.WebService.ToPascal(key);

    private static IEnumerable<JsonObject> Statements(StackTemplate stack) =>
        stack.OfType("AWS::IAM::Policy").SelectMany(p => p.Resource["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray().Select(s => s!.AsObject()));

    private static string[] Actions(JsonObject statement) =>
        statement["Action"] is JsonArray many ? many.Select(a => (string)a!).ToArray() : [(string)statement["Action"]!];

    /// <summary>The statement's resources as text, an account the file sets written as <c>&lt;AWS::AccountId&gt;</c> too.</summary>
    private static string[] Resources(JsonObject statement) =>
        (statement["Resource"] is JsonArray many ? many.Select(r => Text(r!)).ToArray() : [Text(statement["Resource"]!)])
        .Select(r => System.Text.RegularExpressions.Regex.Replace(r, @":[0-9]{12}:dbuser:", ":<AWS::AccountId>:dbuser:")).ToArray();

    [Fact]
    public void NoMemberCanReadOrDecryptAShardsMasterSecret()
    {
        foreach (var env in environments.All)
            foreach (var member in env.Members)
            {
                var reads = Statements(member).Where(s => Actions(s).Any(a => a.StartsWith("secretsmanager:", StringComparison.Ordinal) || a == "kms:Decrypt"));
                Assert.All(reads.SelectMany(Resources), r =>
                {
                    Assert.DoesNotContain(":Database", r, StringComparison.Ordinal); // DatabaseShard<N>SecretArn, DatabaseKeyArn
                    Assert.DoesNotContain("InstanceSecret", r, StringComparison.Ordinal);
                });
                Assert.DoesNotContain("DatabaseShard1SecretArn", member.Json.ToJsonString(), StringComparison.Ordinal);
            }
    }

    [Fact]
    public void EachDatabaseUserMayConnectAsExactlyItsOwnUserOnEveryInstanceAndProxy()
    {
        foreach (var env in environments.All)
        {
            var database = env.Definition.Config.Database!;
            var data = env.Data.Name;
            foreach (var member in env.Members)
            {
                var key = member.Identity.Key!;
                var connects = Statements(member).Where(s => Actions(s).Any(a => a.StartsWith("rds-db:", StringComparison.Ordinal))).ToArray();
                if (database.Users?.Contains(key) != true)
                {
                    Assert.Empty(connects);
                    continue;
                }
                var connect = Assert.Single(connects);
                Assert.Equal(["rds-db:connect"], Actions(connect));
                var user = ShardedDatabase.UserNameOf(key);
                string[] expected = database.Shards.OrderBy(kv => kv.Key, StringComparer.Ordinal).SelectMany(kv => (string[])
                [
                    $"{data}:Database{P(kv.Key)}ResourceId",
                    .. Enumerable.Range(1, kv.Value.ReadReplicas ?? 0).Select(n => $"{data}:Database{P(kv.Key)}Replica{n}ResourceId"),
                    .. kv.Value.EnableProxy == true ? [$"{data}:Database{P(kv.Key)}ProxyResourceId"] : Array.Empty<string>(),
                ]).Select(export => $"arn:<AWS::Partition>:rds-db:{env.Definition.Config.Region}:<AWS::AccountId>:dbuser:<import {export}>/{user}").ToArray();
                Assert.Equal(expected, Resources(connect));
            }
        }
    }

    [Fact]
    public void TheDataStackExportsTheResourceIdsTheGrantsImport()
    {
        foreach (var env in environments.All)
        {
            var outputs = env.Data.Outputs;
            foreach (var (id, shard) in env.Definition.Config.Database!.Shards)
            {
                var pascal = $"Database{P(id)}";
                Assert.Matches(@"^<DatabaseShard[0-9]+Instance[0-9A-F]+\.DbiResourceId>$", Text(outputs[$"{pascal}ResourceId"]!["Value"]!));
                for (var n = 1; n <= (shard.ReadReplicas ?? 0); n++)
                    Assert.Matches($@"^<{pascal}Replica{n}[0-9A-F]+\.DbiResourceId>$", Text(outputs[$"{pascal}Replica{n}ResourceId"]!["Value"]!));
                if (shard.EnableProxy == true)
                    Assert.Matches($@"^<select 6 of <{pascal}Proxy[0-9A-F]+\.DBProxyArn>>$", Text(outputs[$"{pascal}ProxyResourceId"]!["Value"]!));
            }
        }
    }

    [Fact]
    public void ProxiesRequireIamFromClientsAndReachTheWriterAsTheMembersThroughIam()
    {
        var proxies = 0;
        foreach (var env in environments.All)
        {
            var users = (env.Definition.Config.Database!.Users ?? []).Select(ShardedDatabase.UserNameOf).Order(StringComparer.Ordinal).ToArray();
            foreach (var (id, proxy) in env.Data.OfType("AWS::RDS::DBProxy"))
            {
                proxies++;
                var p = proxy["Properties"]!;
                Assert.Equal("IAM_AUTH", (string?)p["DefaultAuthScheme"]);
                Assert.All(p["Auth"]!.AsArray(), a => Assert.Equal("REQUIRED", (string?)a!["IAMAuth"]));
                var role = (string)p["RoleArn"]!["Fn::GetAtt"]![0]!;
                var statements = env.Data.OfType("AWS::IAM::Policy")
                    .Where(x => x.Resource["Properties"]!["Roles"]!.AsArray().Any(r => (string?)r!["Ref"] == role))
                    .SelectMany(x => x.Resource["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray().Select(s => s!.AsObject())).ToArray();
                var connect = Assert.Single(statements, s => Actions(s).Contains("rds-db:connect"));
                var shard = id[..id.IndexOf("Proxy", StringComparison.Ordinal)];
                Assert.Equal(users, Resources(connect).Select(r =>
                {
                    Assert.Matches($@"^arn:<AWS::Partition>:rds-db:{env.Definition.Config.Region}:<AWS::AccountId>:dbuser:<{shard}Instance[0-9A-F]+\.DbiResourceId>/", r);
                    return r[(r.LastIndexOf('/') + 1)..];
                }));
            }
        }
        Assert.True(proxies > 0, "no environment declares a proxy");
    }
}
