using System.ComponentModel;
using System.Text.Json;
using ScalableBackend.Stacks;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ScalableBackend.Infra.Commands;

/// <summary><c>synth</c>: validate, synthesize and write <c>DIR/Backend-&lt;Env&gt;.template.json</c> per environment.</summary>
public sealed class SynthCommand(IAnsiConsole console) : Command<SynthCommand.Settings>
{
    /// <summary>Options of <c>synth</c>.</summary>
    public sealed class Settings : EnvironmentSettings
    {
        /// <summary>Output directory.</summary>
        [CommandOption("-o|--out <DIR>")]
        [Description("Directory for the templates (default: cdk.out).")]
        [DefaultValue("cdk.out")]
        public string Out { get; init; } = "cdk.out";
    }

    /// <inheritdoc/>
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        // Validate every selected environment first: a bad file stops the run before anything is written.
        var definitions = settings.LoadEnvironments();
        var written = new List<string>();
        console.Status().Start("Synthesizing", status =>
        {
            foreach (var definition in definitions)
            {
                status.Status($"Synthesizing {definition.StackName} from {definition.File}");
                foreach (var stack in BackendSynthesizer.Synthesize(definition, settings.Out).Stacks)
                {
                    written.Add(stack.TemplatePath);
                    console.MarkupLine($"[green]✓[/] {Markup.Escape(stack.StackName)} → {Markup.Escape(stack.TemplatePath)}");
                }
            }
        });
        foreach (var path in written)
            console.Write(ResourceTable(path));
        return 0;
    }

    /// <summary>A table of the template's resource counts by type.</summary>
    public static Table ResourceTable(string templatePath)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(templatePath));
        var counts = doc.RootElement.GetProperty("Resources").EnumerateObject()
            .GroupBy(r => r.Value.GetProperty("Type").GetString() ?? "?")
            .Select(g => (Type: g.Key, Count: g.Count()))
            .OrderBy(t => t.Type, StringComparer.Ordinal)
            .ToArray();
        var table = new Table().Title(Path.GetFileName(templatePath)).AddColumn("Resource type").AddColumn(new TableColumn("Count").RightAligned());
        foreach (var (type, count) in counts)
            table.AddRow(Markup.Escape(type), count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        table.AddRow("[bold]Total[/]", $"[bold]{counts.Sum(c => c.Count)}[/]");
        return table;
    }
}
