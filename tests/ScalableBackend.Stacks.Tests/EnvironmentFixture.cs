using System.Text.Json.Nodes;
using Amazon.CDK.Assertions;
using ScalableBackend.Policies;
using ScalableBackend.Stacks;
using ScalableBackend.Stacks.Config;

namespace ScalableBackend.Stacks.Tests;

/// <summary>One synthesized stack of an environment: who it is, its template JSON and (built on first use) its CDK assertions template.</summary>
public sealed class StackTemplate(StackIdentity identity, string path, JsonObject json)
{
    private readonly Lazy<Template> _template = new(() => Template.FromString(json.ToJsonString()));

    /// <summary>The stack's name, role and key.</summary>
    public StackIdentity Identity { get; } = identity;

    /// <summary>The CloudFormation stack name.</summary>
    public string Name => Identity.StackName;

    /// <summary>Where the synthesizer wrote the template.</summary>
    public string Path { get; } = path;

    /// <summary>The template as JSON.</summary>
    public JsonObject Json { get; } = json;

    /// <summary>The CDK assertions view of the template.</summary>
    public Template Template => _template.Value;

    /// <summary>Resources of the template as (logical id, resource) pairs.</summary>
    public IEnumerable<(string Id, JsonObject Resource)> Resources =>
        (Json["Resources"]?.AsObject() ?? []).Select(kv => (kv.Key, kv.Value!.AsObject()));

    /// <summary>Resources of one CloudFormation type.</summary>
    public IEnumerable<(string Id, JsonObject Resource)> OfType(string type) =>
        Resources.Where(r => (string?)r.Resource["Type"] == type);

    /// <summary>The outputs of the template, keyed by output id.</summary>
    public JsonObject Outputs => Json["Outputs"]?.AsObject() ?? new JsonObject();

    /// <summary>The template as the policy pack reads it.</summary>
    public TemplateDocument Document => TemplateDocument.FromJson(Json, Identity.TemplateFileName);
}

/// <summary>A synthesized environment: its definition and every stack's template, in deployment order.</summary>
public sealed record EnvironmentTemplates(EnvironmentDefinition Definition, IReadOnlyList<StackTemplate> Stacks)
{
    /// <summary>The stack of role <paramref name="role"/> (and <paramref name="key"/> for a service or worker).</summary>
    public StackTemplate Stack(StackRole role, string? key = null) =>
        Stacks.Single(s => s.Identity.Role == role && s.Identity.Key == key);

    /// <summary><c>Backend-&lt;Env&gt;-Platform</c>.</summary>
    public StackTemplate Platform => Stack(StackRole.Platform);
    /// <summary><c>Backend-&lt;Env&gt;-Data</c>.</summary>
    public StackTemplate Data => Stack(StackRole.Data);
    /// <summary><c>Backend-&lt;Env&gt;-Edge</c>.</summary>
    public StackTemplate Edge => Stack(StackRole.Edge);
    /// <summary><c>Backend-&lt;Env&gt;-Operations</c>.</summary>
    public StackTemplate Operations => Stack(StackRole.Operations);
    /// <summary><c>Backend-&lt;Env&gt;-Service-&lt;Key&gt;</c>.</summary>
    public StackTemplate Service(string key) => Stack(StackRole.Service, key);
    /// <summary><c>Backend-&lt;Env&gt;-Worker-&lt;Key&gt;</c>.</summary>
    public StackTemplate Worker(string key) => Stack(StackRole.Worker, key);
    /// <summary>Every service and worker stack.</summary>
    public IEnumerable<StackTemplate> Members => Stacks.Where(s => s.Identity.Role is StackRole.Service or StackRole.Worker);

    /// <summary>The resources of every stack as (stack, logical id, resource).</summary>
    public IEnumerable<(StackTemplate Stack, string Id, JsonObject Resource)> AllResources =>
        Stacks.SelectMany(s => s.Resources.Select(r => (s, r.Id, r.Resource)));

    /// <summary>The resources of every stack keyed <c>&lt;StackName&gt;/&lt;logical id&gt;</c> (ids repeat across stacks).</summary>
    public IReadOnlyDictionary<string, JsonNode> QualifiedResources =>
        AllResources.ToDictionary(r => $"{r.Stack.Name}/{r.Id}", r => (JsonNode)r.Resource);

    /// <summary>The resources of every stack as (logical id, resource) pairs.</summary>
    public IEnumerable<(string Id, JsonObject Resource)> Resources => AllResources.Select(r => (r.Id, r.Resource));

    /// <summary>The resources of one CloudFormation type in every stack.</summary>
    public IEnumerable<(string Id, JsonObject Resource)> OfType(string type) =>
        Resources.Where(r => (string?)r.Resource["Type"] == type);

    /// <summary>The environment's templates as the policy pack checks them: one set, one graph.</summary>
    public TemplateSet TemplateSet => new(Stacks.Select(s => new KeyValuePair<string, TemplateDocument>(s.Name, s.Document)));
}

/// <summary>Synthesizes small or whole environments through <see cref="BackendSynthesizer"/>, the CLI's own path.</summary>
public static class Synth
{
    static Synth() => System.Environment.SetEnvironmentVariable("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20");

    /// <summary>Builds and synthesizes every stack of <paramref name="definition"/> once.</summary>
    public static EnvironmentTemplates Environment(EnvironmentDefinition definition)
    {
        var outdir = Directory.CreateTempSubdirectory("sb-test-");
        var synthesized = BackendSynthesizer.Synthesize(definition, outdir.FullName);
        var stacks = synthesized.Stacks.Select(s => new StackTemplate(new StackIdentity(s.StackName, s.Role, s.Key), s.TemplatePath,
            JsonNode.Parse(File.ReadAllText(s.TemplatePath))!.AsObject())).ToArray();
        return new EnvironmentTemplates(definition, stacks);
    }

    /// <summary>
    /// Builds and synthesizes <paramref name="definition"/> in an app of its own (as <see cref="BackendSynthesizer"/> does),
    /// also returning the cloud assembly, which carries what the templates do not (termination protection, dependencies).
    /// </summary>
    public static (EnvironmentTemplates Templates, Amazon.CDK.CXAPI.CloudAssembly Assembly) WithAssembly(EnvironmentDefinition definition)
    {
        var outdir = Directory.CreateTempSubdirectory("sb-test-");
        var app = new Amazon.CDK.App(new Amazon.CDK.AppProps
        {
            Outdir = outdir.FullName,
            Context = new Dictionary<string, object> { ["aws:cdk:enable-path-metadata"] = true },
        });
        BackendSynthesizer.AddStacks(app, [definition]);
        var assembly = app.Synth();
        var stacks = definition.Stacks.Select(s => System.IO.Path.Combine(outdir.FullName, s.TemplateFileName) is var path
            ? new StackTemplate(s, path, JsonNode.Parse(File.ReadAllText(path))!.AsObject()) : null!).ToArray();
        return (new EnvironmentTemplates(definition, stacks), assembly);
    }

    /// <summary>The repository's <c>stacks/</c> folder.</summary>
    public static string StacksDirectory
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(System.IO.Path.Combine(dir.FullName, "stacks", "prod.yaml")))
                    return System.IO.Path.Combine(dir.FullName, "stacks");
            throw new DirectoryNotFoundException("stacks/prod.yaml not found above " + AppContext.BaseDirectory);
        }
    }
}

/// <summary>The three environments, each synthesized once per test run.</summary>
public sealed class EnvironmentFixture
{
    private readonly Lazy<EnvironmentTemplates> _dev = new(() => Load("dev"));
    private readonly Lazy<EnvironmentTemplates> _staging = new(() => Load("staging"));
    private readonly Lazy<EnvironmentTemplates> _prod = new(() => Load("prod"));

    /// <summary>Backend-Dev-*.</summary>
    public EnvironmentTemplates Dev => _dev.Value;
    /// <summary>Backend-Staging-*.</summary>
    public EnvironmentTemplates Staging => _staging.Value;
    /// <summary>Backend-Prod-*.</summary>
    public EnvironmentTemplates Prod => _prod.Value;
    /// <summary>All three.</summary>
    public IEnumerable<EnvironmentTemplates> All => [Dev, Staging, Prod];

    private static EnvironmentTemplates Load(string name) =>
        Synth.Environment(EnvironmentLoader.Load(name, Synth.StacksDirectory));
}

[CollectionDefinition(Name)]
public sealed class EnvironmentCollection : ICollectionFixture<EnvironmentFixture>
{
    public const string Name = "Environments";
}
