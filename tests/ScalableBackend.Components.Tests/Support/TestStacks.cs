using System.Text.Json.Nodes;
using Amazon.CDK;
using Amazon.CDK.Assertions;
using ScalableBackend.Components.Networking;

namespace ScalableBackend.Components.Tests.Support;

/// <summary>Small stacks for component tests: a region, explicit zones, no account, no lookups.</summary>
public static class TestStacks
{
    static TestStacks() => System.Environment.SetEnvironmentVariable("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20");

    /// <summary>An empty stack in us-east-1.</summary>
    public static Stack Empty(string name = "Test")
    {
        var app = new App(new AppProps { Outdir = Directory.CreateTempSubdirectory("sb-ctest-").FullName });
        return new Stack(app, name, new StackProps { Env = new Amazon.CDK.Environment { Region = "us-east-1" } });
    }

    /// <summary>A stack holding a two-zone <see cref="Network"/> with one NAT gateway.</summary>
    public static (Stack Stack, Network Network) WithNetwork(string name = "Test")
    {
        var stack = Empty(name);
        var network = new Network(stack, "Network", new NetworkProps
        {
            AvailabilityZones = ["us-east-1a", "us-east-1b"],
            NatGateways = 1,
        });
        return (stack, network);
    }
}

/// <summary>A synthesized stack: the assertions template and the raw JSON.</summary>
public sealed record Synthesized(Template Template, JsonObject Json)
{
    /// <summary>Synthesizes <paramref name="stack"/> once.</summary>
    public static Synthesized Of(Stack stack)
    {
        var template = Template.FromStack(stack);
        return new Synthesized(template, JsonNode.Parse(template.ToJSON().ToJsonString())!.AsObject());
    }

    /// <summary>Resources of one CloudFormation type.</summary>
    public IEnumerable<(string Id, JsonObject Resource)> OfType(string type) =>
        Json["Resources"]!.AsObject().Where(kv => (string?)kv.Value!["Type"] == type).Select(kv => (kv.Key, kv.Value!.AsObject()));
}

internal static class JsonExtensions
{
    /// <summary>Serializes a jsii JSON value (nested dictionaries and arrays) to JSON text.</summary>
    public static string ToJsonString(this IDictionary<string, object> value) => System.Text.Json.JsonSerializer.Serialize(value);
}
