using System.Text.Json.Nodes;
using Amazon.CDK;
using Amazon.CDK.Assertions;
using ScalableBackend.Stacks;
using ScalableBackend.Stacks.Config;

namespace ScalableBackend.Stacks.Tests;

/// <summary>A synthesized environment: its CDK assertions template and the raw template JSON.</summary>
public sealed record SynthesizedEnvironment(EnvironmentDefinition Definition, Template Template, JsonObject Json)
{
    /// <summary>Resources of the template as (logical id, resource) pairs.</summary>
    public IEnumerable<(string Id, JsonObject Resource)> Resources =>
        Json["Resources"]!.AsObject().Select(kv => (kv.Key, kv.Value!.AsObject()));

    /// <summary>Resources of one CloudFormation type.</summary>
    public IEnumerable<(string Id, JsonObject Resource)> OfType(string type) =>
        Resources.Where(r => (string?)r.Resource["Type"] == type);
}

/// <summary>Synthesizes small or whole environments; each synthesis is one CDK app in a scratch folder.</summary>
public static class Synth
{
    static Synth() => System.Environment.SetEnvironmentVariable("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20");

    /// <summary>Builds and synthesizes <paramref name="definition"/> once.</summary>
    public static SynthesizedEnvironment Environment(EnvironmentDefinition definition)
    {
        var outdir = Directory.CreateTempSubdirectory("sb-test-");
        var app = new App(new AppProps { Outdir = outdir.FullName });
        var stack = new BackendStack(app, definition);
        var template = Template.FromStack(stack);
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(outdir.FullName, definition.Stacks[0].TemplateFileName)))!.AsObject();
        return new SynthesizedEnvironment(definition, template, json);
    }

    /// <summary>The repository's <c>stacks/</c> folder.</summary>
    public static string StacksDirectory
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "stacks", "prod.yaml")))
                    return Path.Combine(dir.FullName, "stacks");
            throw new DirectoryNotFoundException("stacks/prod.yaml not found above " + AppContext.BaseDirectory);
        }
    }
}

/// <summary>The three environments, each synthesized once per test run.</summary>
public sealed class EnvironmentFixture
{
    private readonly Lazy<SynthesizedEnvironment> _dev = new(() => Load("dev"));
    private readonly Lazy<SynthesizedEnvironment> _staging = new(() => Load("staging"));
    private readonly Lazy<SynthesizedEnvironment> _prod = new(() => Load("prod"));

    /// <summary>Backend-Dev.</summary>
    public SynthesizedEnvironment Dev => _dev.Value;
    /// <summary>Backend-Staging.</summary>
    public SynthesizedEnvironment Staging => _staging.Value;
    /// <summary>Backend-Prod.</summary>
    public SynthesizedEnvironment Prod => _prod.Value;
    /// <summary>All three.</summary>
    public IEnumerable<SynthesizedEnvironment> All => [Dev, Staging, Prod];

    private static SynthesizedEnvironment Load(string name) =>
        Synth.Environment(EnvironmentLoader.Load(name, Synth.StacksDirectory));
}

[CollectionDefinition(Name)]
public sealed class EnvironmentCollection : ICollectionFixture<EnvironmentFixture>
{
    public const string Name = "Environments";
}
