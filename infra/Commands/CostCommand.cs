using System.ComponentModel;
using ScalableBackend.Infra.Preview;
using ScalableBackend.Policies;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ScalableBackend.Infra.Commands;

/// <summary>
/// <c>cost</c>: the monthly estimate per resource kind and in total, at minimum and at maximum scale, from the price
/// table in <c>infra/Pricing/prices.json</c>. Prices the table lacks are shown as unknown, never as zero.
/// </summary>
public sealed class CostCommand(IAnsiConsole console) : Command<CostCommand.Settings>
{
    /// <summary>Options of <c>cost</c>.</summary>
    public sealed class Settings : EnvironmentSettings
    {
        /// <summary>Templates to price as they are, instead of synthesizing.</summary>
        [CommandOption("-t|--template <FILE>")]
        [Description("A synthesized template (JSON or YAML) to price as it is; repeatable.")]
        public string[] Templates { get; init; } = [];

        /// <summary>Where synthesized templates are written.</summary>
        [CommandOption("-o|--out <DIR>")]
        [Description("Directory for synthesized templates (default: cdk.out).")]
        [DefaultValue("cdk.out")]
        public string Out { get; init; } = "cdk.out";

        /// <summary>Also list every priced resource.</summary>
        [CommandOption("--lines")]
        [Description("Also list every priced resource with how it is counted.")]
        public bool Lines { get; init; }
    }

    /// <inheritdoc/>
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var templates = settings.Templates.Length > 0
            ? settings.Templates
            : Work.WithStatus(console, "Synthesizing", progress =>
                Work.Synthesize(Work.Select(settings.Env), settings.Out, progress).Select(s => s.Template).ToArray());
        var prices = PriceTable.Default;
        foreach (var file in templates)
        {
            var estimate = CostEstimator.Estimate(TemplateDocument.Load(file), prices);
            console.Write(Reports.CostTable($"{Path.GetFileName(file)} — monthly estimate ({prices.Region}, {prices.Currency}, prices of {prices.Date})", estimate));
            if (settings.Lines)
            {
                var table = new Table().AddColumns("Resource", "Kind", "Counted as").AddColumn(new TableColumn("Minimum").RightAligned()).AddColumn(new TableColumn("Maximum").RightAligned());
                foreach (var line in estimate.Lines)
                    table.AddRow(Markup.Escape(line.LogicalId), Markup.Escape(line.Kind), Markup.Escape(line.Detail),
                        line.Min is { } min ? CostEstimate.Money(min) : "[yellow]unknown[/]", line.Max is { } max ? CostEstimate.Money(max) : "[yellow]unknown[/]");
                console.Write(table);
            }
            else if (Reports.UnknownTable(estimate) is { } unknown)
            {
                console.Write(unknown);
            }
        }
        console.MarkupLine("[grey]Prices and usage assumptions: infra/Pricing/prices.json (its source and notes say how sure they are).[/]");
        return 0;
    }
}
