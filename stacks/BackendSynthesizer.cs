using Amazon.CDK;
using ScalableBackend.Stacks.Config;

namespace ScalableBackend.Stacks;

/// <summary>
/// Synthesizes environments into CloudFormation templates without AWS credentials or lookups. Each
/// environment gets its own CDK app in a scratch directory; only when synthesis succeeded is the template
/// moved into the output directory (atomically), so a failed run leaves the previous output intact.
/// </summary>
public static class BackendSynthesizer
{
    /// <summary>The file name of environment <paramref name="definition"/>'s template.</summary>
    public static string TemplateFileName(EnvironmentDefinition definition) => $"{definition.StackName}.template.json";

    /// <summary>Adds one <see cref="BackendStack"/> per definition to <paramref name="app"/> (the CDK CLI's path).</summary>
    public static IReadOnlyList<BackendStack> AddStacks(App app, IEnumerable<EnvironmentDefinition> definitions) =>
        definitions.Select(d => new BackendStack(app, d)).ToArray();

    /// <summary>Synthesizes <paramref name="definition"/> and writes its template into <paramref name="outDir"/>; returns the template's path.</summary>
    public static string Synthesize(EnvironmentDefinition definition, string outDir)
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
            _ = new BackendStack(app, definition);
            app.Synth();
            var fileName = TemplateFileName(definition);
            Directory.CreateDirectory(outDir);
            var target = Path.Combine(outDir, fileName);
            var staging = Path.Combine(outDir, $".{fileName}.partial");
            File.Copy(Path.Combine(scratch.FullName, fileName), staging, overwrite: true);
            File.Move(staging, target, overwrite: true);
            return target;
        }
        finally
        {
            try { scratch.Delete(recursive: true); } catch (IOException) { /* scratch space; the OS cleans temp */ }
        }
    }
}
