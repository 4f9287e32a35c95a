using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.CDK;
using Amazon.CDK.AWS.EC2;
using ScalableBackend.Components.Data;
using ScalableBackend.Stacks.Config;

namespace ScalableBackend.Sharding.Tests.Support;

/// <summary>
/// The shard map an environment file publishes: its database section through <see cref="ShardedDatabase"/> in a small
/// stack, synthesized; <see cref="Template"/> is the stack's template, <see cref="Resolve"/> joins the parameter's value
/// with every shard's writer at a given endpoint, as CloudFormation would with RDS's.
/// </summary>
public sealed class PublishedShardMap
{
    static PublishedShardMap() => System.Environment.SetEnvironmentVariable("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20");

    /// <summary>The synthesized template holding the shard map parameter.</summary>
    public required JsonNode Template { get; init; }

    /// <summary>The database section it came from.</summary>
    public required DatabaseConfig Settings { get; init; }

    /// <summary>Synthesizes the database section of environment file <paramref name="environment"/> in <paramref name="stacksDir"/>.</summary>
    public static PublishedShardMap Of(string stacksDir, string environment)
    {
        var settings = EnvironmentLoader.Load(environment, stacksDir).Config.Database ?? throw new InvalidOperationException("no database section");
        var app = new App();
        var stack = new Stack(app, "Data", new StackProps { Env = new Amazon.CDK.Environment { Region = "eu-west-1" } });
        var vpc = new Vpc(stack, "Vpc", new VpcProps
        {
            AvailabilityZones = ["eu-west-1a", "eu-west-1b"],
            NatGateways = 0,
            SubnetConfiguration = [new SubnetConfiguration { Name = "Isolated", SubnetType = SubnetType.PRIVATE_ISOLATED, CidrMask = 24 }],
        });
        // The map is what is tested; this VPC has no egress subnets for the credential-rotation function.
        _ = new ShardedDatabase(stack, "Database", new ShardedDatabaseProps(settings with { CredentialRotationDays = 0 }, vpc, new InstanceType(settings.InstanceType.Replace("db.", "", StringComparison.Ordinal))));
        return new PublishedShardMap
        {
            Template = JsonNode.Parse(JsonSerializer.Serialize(Amazon.CDK.Assertions.Template.FromStack(stack).ToJSON()))!,
            Settings = settings,
        };
    }

    /// <summary>The map's JSON with every writer at <paramref name="host"/>:<paramref name="port"/>.</summary>
    public string Resolve(string host, int port)
    {
        var parameter = Template["Resources"]!.AsObject().Single(r => r.Key.StartsWith("DatabaseShardMap", StringComparison.Ordinal)).Value!;
        return Join(parameter["Properties"]!["Value"]!, host, port);
    }

    private static string Join(JsonNode node, string host, int port) => node switch
    {
        JsonValue v => v.GetValue<string>(),
        JsonObject o when o["Fn::Join"] is JsonArray join => string.Join(join[0]!.GetValue<string>(), join[1]!.AsArray().Select(p => Join(p!, host, port))),
        JsonObject o when o["Fn::GetAtt"] is JsonArray att => att[1]!.GetValue<string>() switch
        {
            "Endpoint.Address" => host,
            "Endpoint.Port" => port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            var other => throw new InvalidOperationException($"unexpected attribute {other}"),
        },
        JsonObject o when o["Ref"] is JsonValue r => $"arn:aws:secretsmanager:eu-west-1:123456789012:secret:{r.GetValue<string>()}",
        _ => throw new InvalidOperationException($"unexpected intrinsic {node.ToJsonString()}"),
    };
}
