using System.Text.Json;
using Amazon.CDK;
using ScalableBackend.Stacks.Config;

namespace ScalableBackend.Stacks;

/// <summary>
/// Synthesizes environments into CloudFormation templates without AWS credentials or lookups. Each
/// environment gets its own CDK app in a scratch directory; only when synthesis of every stack succeeded are the
/// templates moved into the output directory (each atomically), so a failed run leaves the previous output intact.
/// </summary>
public static class BackendSynthesizer
{
    /// <summary>
    /// Adds every stack of every environment in <paramref name="definitions"/> to <paramref name="app"/> (the CDK
    /// CLI's path), dependencies declared so <c>cdk deploy --all</c> orders them; returns the stacks in deployment order.
    /// </summary>
    public static IReadOnlyList<Stack> AddStacks(App app, IEnumerable<EnvironmentDefinition> definitions) =>
        definitions.SelectMany(d => Build(app, d)).ToArray();

    /// <summary>
    /// Synthesizes every stack of <paramref name="definition"/> and writes their templates into
    /// <paramref name="outDir"/> as <c>&lt;StackName&gt;.template.json</c>.
    /// </summary>
    public static SynthesizedEnvironment Synthesize(EnvironmentDefinition definition, string outDir)
    {
        var scratch = Directory.CreateTempSubdirectory("sb-synth-");
        try
        {
            var app = new App(new AppProps
            {
                Outdir = scratch.FullName,
                // As the CDK CLI does by default: each resource records its construct path, which plan groups by.
                Context = new Dictionary<string, object> { ["aws:cdk:enable-path-metadata"] = true },
            });
            var built = Build(app, definition);
            app.Synth();
            Directory.CreateDirectory(outDir);
            // Stage every template first, then move each into place: nothing is replaced unless all synthesized.
            var staged = new List<(string Staging, string Target)>();
            var stacks = new List<SynthesizedStack>();
            var warnings = new List<string>();
            foreach (var identity in definition.Stacks)
            {
                var fileName = identity.TemplateFileName;
                var staging = Path.Combine(outDir, $".{fileName}.partial");
                File.Copy(Path.Combine(scratch.FullName, fileName), staging, overwrite: true);
                staged.Add((staging, Path.Combine(outDir, fileName)));
                var (count, contributors) = CountResources(staging);
                stacks.Add(new SynthesizedStack(identity.StackName, Path.Combine(outDir, fileName), identity.Role, identity.Key, count));
                if (StackSizeGuard.Warning(identity.StackName, count, contributors) is { } warning)
                    warnings.Add(warning);
            }
            foreach (var (staging, target) in staged)
                File.Move(staging, target, overwrite: true);
            return new SynthesizedEnvironment(definition, stacks) { Warnings = warnings };
        }
        finally
        {
            try { scratch.Delete(recursive: true); } catch (IOException) { /* scratch space; the OS cleans temp */ }
        }
    }

    private static IReadOnlyList<Stack> Build(App app, EnvironmentDefinition definition) => BackendEnvironment.Build(app, definition).Stacks;

    // The number of resources and, per top-level construct (from the path metadata), how many each contributes.
    private static (int Count, IReadOnlyList<(string Construct, int Resources)> Contributors) CountResources(string templatePath)
    {
        using var stream = File.OpenRead(templatePath);
        using var doc = JsonDocument.Parse(stream);
        if (!doc.RootElement.TryGetProperty("Resources", out var resources))
            return (0, []);
        var owners = resources.EnumerateObject().Select(r =>
            r.Value.TryGetProperty("Metadata", out var m) && m.TryGetProperty("aws:cdk:path", out var path) && path.GetString()?.Split('/') is [_, var owner, ..]
                ? owner : r.Name).ToArray();
        return (owners.Length, owners.GroupBy(o => o).Select(g => (g.Key, g.Count())).ToArray());
    }
}
