using System.ComponentModel;
using ScalableBackend.Infra.Preview;
using ScalableBackend.Policies;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ScalableBackend.Infra.Commands;

/// <summary>
/// <c>cost</c>: the monthly estimate per environment and stack, and per resource kind, at minimum and at maximum scale,
/// from the price table in <c>infra/Pricing/prices.json</c>. Prices the table lacks are shown as unknown, never as zero;
/// an environment outside the table's region says so.
/// </summary>
public sealed class CostCommand(IAnsiConsole console) : Command<CostCommand.Settings>
{
    /// <summary>Options of <c>cost</c>.</summary>
    public sealed class Settings : EnvironmentSettings
    {
        /// <summary>Templates to price as they are, instead of synthesizing.</summary>
        [CommandOption("-t|--template <FILE>")]
        [Description("Synthesized templates (JSON or YAML) to price as they are: several files, a pattern, or the option repeated.")]
        public string[] Templates { get; init; } = [];

        /// <summary>Also list every priced resource.</summary>
        [CommandOption("--lines")]
        [Description("Also list every priced resource with how it is counted.")]
        public bool Lines { get; init; }
    }

    /// <summary>The estimate of one environment: per stack, and the region whose prices were used.</summary>
    /// <param name="Templates">The environment's templates.</param>
    /// <param name="Stacks">Each stack's estimate, in deployment order.</param>
    /// <param name="Region">The environment's region, when known.</param>
    public sealed record EnvironmentCost(EnvironmentTemplates Templates, IReadOnlyList<(StackTemplate Stack, CostEstimate Cost)> Stacks, string? Region)
    {
        /// <summary>Every stack's lines together.</summary>
        public CostEstimate Total => new(Stacks.SelectMany(s => s.Cost.Lines).ToArray());

        /// <summary>Prices every stack of <paramref name="environment"/>.</summary>
        public static EnvironmentCost Of(LoadedEnvironment environment, PriceTable prices) => new(
            environment.Templates,
            environment.Stacks.Select(s => (s.Stack, CostEstimator.Estimate(s.Template, prices))).ToArray(),
            environment.Templates.Region ?? PriceTable.RegionOf(environment.Stacks.Select(s => s.Template)));
    }

    /// <inheritdoc/>
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var environments = settings.Templates.Length > 0
            ? TemplateFiles.Group(TemplateFiles.Expand(settings.Templates), settings.SingleEnvironment)
            : Work.Synthesize(settings);
        var prices = PriceTable.Default;
        foreach (var environment in environments)
        {
            var cost = EnvironmentCost.Of(LoadedEnvironment.Load(environment), prices);
            var total = cost.Total;
            console.MarkupLine(Markup.Escape($"{environment.Prefix}: {total.MinTotal} – {total.MaxTotal} per month ({prices.Currency}, {prices.PricesUsedFor(cost.Region)}, of {prices.Date})"));
            if (settings.Quiet)
                continue;
            if (cost.Stacks.Count > 1)
                console.Write(StackTable(cost));
            console.Write(Reports.CostTable($"{environment.Prefix} — per resource kind", total));
            if (settings.Lines || settings.Verbose)
            {
                var table = new Table().AddColumns("Stack", "Resource", "Kind", "Counted as").AddColumn(new TableColumn("Minimum").RightAligned()).AddColumn(new TableColumn("Maximum").RightAligned());
                foreach (var (stack, estimate) in cost.Stacks)
                    foreach (var line in estimate.Lines)
                        table.AddRow(Markup.Escape(stack.StackName), Markup.Escape(line.LogicalId), Markup.Escape(line.Kind), Markup.Escape(line.Detail),
                            line.Min is { } min ? CostEstimate.Money(min) : "[yellow]unknown[/]", line.Max is { } max ? CostEstimate.Money(max) : "[yellow]unknown[/]");
                console.Write(table);
            }
            else if (Reports.UnknownTable(total) is { } unknown)
            {
                console.Write(unknown);
            }
        }
        if (!settings.Quiet)
            console.MarkupLine("[grey]Prices and usage assumptions: infra/Pricing/prices.json (its source and notes say how sure they are).[/]");
        return 0;
    }

    /// <summary>The estimate per stack, with the environment's total.</summary>
    public static Table StackTable(EnvironmentCost cost)
    {
        var table = new Table().AddColumn("Stack").AddColumn(new TableColumn("Minimum / month").RightAligned()).AddColumn(new TableColumn("Maximum / month").RightAligned());
        foreach (var (stack, estimate) in cost.Stacks)
            table.AddRow(Markup.Escape(stack.StackName), Markup.Escape(estimate.MinTotal), Markup.Escape(estimate.MaxTotal));
        var total = cost.Total;
        table.AddRow("[bold]Total[/]", $"[bold]{Markup.Escape(total.MinTotal)}[/]", $"[bold]{Markup.Escape(total.MaxTotal)}[/]");
        return table;
    }
}
