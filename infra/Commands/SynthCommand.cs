using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using Amazon.CDK;
using ScalableBackend.Stacks;
using ScalableBackend.Stacks.Config;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ScalableBackend.Infra.Commands;

/// <summary>
/// <c>synth</c>: validate the selected environments, synthesize every stack of each into one cloud assembly and write
/// it to <c>DIR</c>: <c>Backend-&lt;Env&gt;-&lt;Stack&gt;.template.json</c> per stack and the <c>manifest.json</c> that
/// <c>npx cdk deploy --app DIR</c> reads. Nothing is written unless every environment synthesized.
/// </summary>
public sealed class SynthCommand(IAnsiConsole console) : Command<SynthCommand.Settings>
{
    /// <summary>Options of <c>synth</c>.</summary>
    public sealed class Settings : EnvironmentSettings;

    /// <inheritdoc/>
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        // Validate every selected environment first: a bad file stops the run before anything is written.
        var definitions = settings.LoadEnvironments();
        var environments = Work.WithProgress("Synthesizing", settings.Quiet, progress =>
        {
            progress($"Synthesizing {string.Join(", ", definitions.Select(d => d.StackName))}");
            return WriteAssembly(definitions, settings.Out);
        });
        // A warning is a problem: printed with --quiet too.
        foreach (var warning in environments.SelectMany(e => e.Warnings))
            Terminal.Current.Error.MarkupLine($"[yellow]warning:[/] {Markup.Escape(warning)}");
        if (settings.Quiet)
            return 0;
        var table = new Table().AddColumns("Environment", "Stack").AddColumn(new TableColumn("Resources").RightAligned()).AddColumn("Template");
        foreach (var environment in environments)
            foreach (var stack in environment.Stacks)
                table.AddRow(Markup.Escape(environment.Environment ?? ""), Markup.Escape(stack.StackName), N(Count(stack.File).Total), Markup.Escape(stack.File));
        console.Write(table);
        if (settings.Verbose)
            foreach (var stack in environments.SelectMany(e => e.Stacks))
                console.Write(ResourceTable(stack.File));
        var stacks = environments.Sum(e => e.Stacks.Count);
        console.MarkupLine(Markup.Escape($"{stacks} stack(s) of {environments.Count} environment(s) in {settings.Out}; deploy with: npx cdk deploy --app {settings.Out} '{environments[0].Prefix}-*'"));
        return 0;
    }

    /// <summary>
    /// Synthesizes every stack of <paramref name="definitions"/> in one CDK app — the same stacks and dependencies the CDK
    /// CLI gets from <see cref="CdkApp"/> — in a scratch directory, then moves the cloud assembly into
    /// <paramref name="outDir"/> (templates first, each atomically, the manifest last). Templates of these environments'
    /// stacks that no longer exist are removed, so the directory holds exactly the current stack sets.
    /// </summary>
    public static IReadOnlyList<EnvironmentTemplates> WriteAssembly(IReadOnlyList<EnvironmentDefinition> definitions, string outDir)
    {
        var scratch = Directory.CreateTempSubdirectory("sb-assembly-");
        try
        {
            var app = new App(new AppProps
            {
                Outdir = scratch.FullName,
                // As the CDK CLI does by default: each resource records its construct path, which plan groups by.
                Context = new Dictionary<string, object> { ["aws:cdk:enable-path-metadata"] = true },
            });
            var stacks = BackendSynthesizer.AddStacks(app, definitions);
            app.Synth();
            var warnings = SizeWarnings(Path.Combine(scratch.FullName, "manifest.json"));
            Directory.CreateDirectory(outDir);
            var files = Directory.GetFiles(scratch.FullName, "*", SearchOption.AllDirectories)
                .OrderBy(f => Path.GetFileName(f) == "manifest.json" ? 1 : 0).ToArray();
            foreach (var file in files)
            {
                var target = Path.Combine(outDir, Path.GetRelativePath(scratch.FullName, file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                var staging = target + ".partial";
                File.Copy(file, staging, overwrite: true);
                File.Move(staging, target, overwrite: true);
            }
            var result = definitions.Select(d =>
            {
                var prefix = StackNames.EnvironmentPrefix(d.Name);
                var mine = stacks.Where(s => s.StackName == prefix || s.StackName.StartsWith(prefix + "-", StringComparison.Ordinal))
                    .Select(s => new StackTemplate(s.StackName, Path.Combine(outDir, StackNames.TemplateFileName(s.StackName)))).ToArray();
                return new EnvironmentTemplates(d.Name, prefix, mine, d.Config.Region,
                    SynthesisWarnings: mine.SelectMany(m => warnings.GetValueOrDefault(m.StackName) ?? []).ToArray());
            }).ToArray();
            foreach (var environment in result)
                foreach (var file in Directory.GetFiles(outDir, $"{environment.Prefix}*.template.json"))
                    if (TemplateFiles.Parse(file) is { } name && name.Prefix == environment.Prefix
                        && environment.Stacks.All(s => s.StackName != name.StackName))
                        File.Delete(file);
            return result;
        }
        finally
        {
            try { scratch.Delete(recursive: true); } catch (IOException) { /* scratch space; the OS cleans temp */ }
        }
    }

    private static string N(int n) => n.ToString(CultureInfo.InvariantCulture);

    private const string SizeWarningAck = " [ack: ScalableBackend:StackSize]";

    /// <summary>
    /// The stack size guard's warnings by stack, as the guard annotated them in the cloud assembly's manifest (CDK
    /// warnings with the id <c>ScalableBackend:StackSize</c>): the same text <c>SynthesizedEnvironment.Warnings</c> holds.
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> SizeWarnings(string manifestPath)
    {
        var result = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        using var manifest = JsonDocument.Parse(File.ReadAllText(manifestPath));
        if (!manifest.RootElement.TryGetProperty("artifacts", out var artifacts))
            return result;
        foreach (var artifact in artifacts.EnumerateObject())
        {
            if (!artifact.Value.TryGetProperty("metadata", out var metadata))
                continue;
            var warnings = metadata.EnumerateObject().SelectMany(m => m.Value.EnumerateArray())
                .Where(e => e.TryGetProperty("type", out var t) && t.GetString() == "aws:cdk:warning" && e.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.String)
                .Select(e => e.GetProperty("data").GetString()!)
                .Where(text => text.EndsWith(SizeWarningAck, StringComparison.Ordinal))
                .Select(text => text[..^SizeWarningAck.Length])
                .ToArray();
            if (warnings.Length > 0)
                result[artifact.Name] = warnings;
        }
        return result;
    }

    private static (int Total, IReadOnlyList<(string Type, int Count)> ByType) Count(string templatePath)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(templatePath));
        var counts = doc.RootElement.TryGetProperty("Resources", out var resources)
            ? resources.EnumerateObject()
                .GroupBy(r => r.Value.GetProperty("Type").GetString() ?? "?")
                .Select(g => (Type: g.Key, Count: g.Count()))
                .OrderBy(t => t.Type, StringComparer.Ordinal)
                .ToArray()
            : [];
        return (counts.Sum(c => c.Count), counts);
    }

    /// <summary>A table of the template's resource counts by type.</summary>
    public static Table ResourceTable(string templatePath)
    {
        var (total, counts) = Count(templatePath);
        var table = new Table().Title(Markup.Escape(Path.GetFileName(templatePath))).AddColumn("Resource type").AddColumn(new TableColumn("Count").RightAligned());
        foreach (var (type, count) in counts)
            table.AddRow(Markup.Escape(type), N(count));
        table.AddRow("[bold]Total[/]", $"[bold]{N(total)}[/]");
        return table;
    }
}
