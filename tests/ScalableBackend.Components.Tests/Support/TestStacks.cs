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
    /// <summary>Synthesizes <paramref name="stack"/> once; the JSON is the template file the synthesis wrote.</summary>
    public static Synthesized Of(Stack stack)
    {
        var template = Template.FromStack(stack);
        var file = Path.Combine(Stage.Of(stack)!.Outdir, stack.TemplateFile);
        return new Synthesized(template, JsonNode.Parse(File.ReadAllText(file))!.AsObject());
    }

    /// <summary>Resources as (logical id, resource) pairs.</summary>
    public IEnumerable<(string Id, JsonObject Resource)> Resources =>
        Json["Resources"]!.AsObject().Select(kv => (kv.Key, kv.Value!.AsObject()));

    /// <summary>Resources of one CloudFormation type.</summary>
    public IEnumerable<(string Id, JsonObject Resource)> OfType(string type) =>
        Resources.Where(r => (string?)r.Resource["Type"] == type);

    /// <summary>The properties of the single resource of <paramref name="type"/>.</summary>
    public JsonObject Single(string type) => OfType(type).Single().Resource["Properties"]!.AsObject();
}
