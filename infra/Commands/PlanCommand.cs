using System.ComponentModel;
using System.Globalization;
using System.Text;
using ScalableBackend.Infra.Preview;
using ScalableBackend.Policies;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ScalableBackend.Infra.Commands;

/// <summary>
/// <c>plan</c>: per environment and stack, synthesize, check, estimate the monthly cost and summarize (resources,
/// policy results, cost at minimum and maximum scale, a Mermaid topology of the whole environment). Exit 1 on any
/// unacknowledged policy error.
/// </summary>
public sealed class PlanCommand(IAnsiConsole console) : Command<PlanCommand.Settings>
{
    /// <summary>Options of <c>plan</c>.</summary>
    public sealed class Settings : EnvironmentSettings
    {
        /// <summary>Templates to plan as they are, instead of synthesizing.</summary>
        [CommandOption("-t|--template <FILE>")]
        [Description("Synthesized templates to plan as they are (e.g. 'head/Backend-*.template.json'), grouped into environments by their names: several files, a pattern, or the option repeated.")]
        public string[] Templates { get; init; } = [];

        /// <summary>Output format.</summary>
        [CommandOption("-f|--format <FORMAT>")]
        [Description("table (for people) or markdown (one document for a pull-request comment) (default: table).")]
        [DefaultValue(ReportFormat.Table)]
        [TypeConverter(typeof(EnumOption<ReportFormat>))]
        public ReportFormat Format { get; init; } = ReportFormat.Table;

        /// <summary>File for the Markdown document.</summary>
        [CommandOption("--output <FILE>")]
        [Description("Write the markdown document to FILE instead of standard output.")]
        public string? Output { get; init; }

        /// <summary>Longest Markdown document, in characters.</summary>
        [CommandOption("--max-chars <N>")]
        [Description("Keep the markdown document within N characters: sections that do not fit are summarized and point to the full report (default: no limit).")]
        public int? MaxChars { get; init; }

        /// <summary>Where the complete Markdown document goes when <see cref="MaxChars"/> shortens it.</summary>
        [CommandOption("--full-output <FILE>")]
        [Description("Also write the complete markdown document (every finding, component and line) to FILE, e.g. for a workflow artifact.")]
        public string? FullOutput { get; init; }
    }

    /// <summary>Everything the plan reports about one environment.</summary>
    /// <param name="Check">The environment's stacks and their findings.</param>
    /// <param name="Cost">The monthly estimate per stack.</param>
    /// <param name="Diagram">The Mermaid topology of the whole environment.</param>
    public sealed record EnvironmentPlan(EnvironmentCheck Check, CostCommand.EnvironmentCost Cost, string Diagram)
    {
        /// <summary>The environment's stack prefix, e.g. <c>Backend-Prod</c>.</summary>
        public string Prefix => Check.Environment.Templates.Prefix;

        /// <summary>Plans one environment's synthesized templates.</summary>
        public static EnvironmentPlan Of(EnvironmentTemplates templates) => Of(LoadedEnvironment.Load(templates), CheckCommand.Checkers());

        /// <summary>Plans one loaded environment with <paramref name="checkers"/> (shared by a run over several environments).</summary>
        public static EnvironmentPlan Of(LoadedEnvironment loaded, IReadOnlyList<ITemplateChecker> checkers)
        {
            var merged = StackMerge.Merge(loaded.Templates.Prefix, loaded.Stacks.Select(s => (s.Stack.StackName, s.Template)).ToArray());
            return new EnvironmentPlan(EnvironmentCheck.Run(loaded, checkers), CostCommand.EnvironmentCost.Of(loaded, PriceTable.Default),
                TopologyDiagram.Render(merged, loaded.Templates.Keys));
        }
    }

    /// <inheritdoc/>
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var markdown = settings.Format == ReportFormat.Markdown;
        var environments = settings.Templates.Length > 0
            ? TemplateFiles.Group(TemplateFiles.Expand(settings.Templates), settings.SingleEnvironment)
            : Work.Synthesize(settings);
        var checkers = CheckCommand.Checkers();
        var plans = Work.WithProgress("Planning", settings.Quiet, progress =>
        {
            var loaded = environments.Select(LoadedEnvironment.Load).ToArray();
            progress("Running AWS's CloudFormation validator");
            foreach (var prepared in checkers.OfType<Validation.IPreparedChecker>())
                prepared.Prepare(loaded);
            return loaded.Select(e =>
            {
                progress($"Checking and pricing {e.Templates.Prefix}");
                return EnvironmentPlan.Of(e, checkers);
            }).ToArray();
        });

        if (markdown)
        {
            Work.Emit(Markdown(plans, settings.MaxChars, settings.Verbose), settings.Output);
            if (settings.FullOutput is { } full)
                Work.Emit(Markdown(plans, null, verbose: true), full);
        }
        else
        {
            foreach (var plan in plans)
                Render(plan, settings);
        }
        return Findings.ExitCode(plans.SelectMany(p => p.Check.Findings));
    }

    private void Render(EnvironmentPlan plan, OutputSettings output)
    {
        var stacks = plan.Check.Stacks;
        var total = plan.Cost.Total;
        console.MarkupLine(Markup.Escape($"{plan.Prefix}: {stacks.Count} stack(s), {stacks.Sum(s => s.Resources)} resources, policy {Verdict(plan.Check)}, {total.MinTotal} – {total.MaxTotal} per month ({PriceTable.Default.PricesUsedFor(plan.Cost.Region)})"));
        if (!output.Quiet)
            console.Write(StackTable(plan));
        foreach (var finding in plan.Check.Findings.Where(f => output.Verbose || !f.Acknowledged))
            console.MarkupLine(CheckReport.Line(plan.Check, finding));
        if (output.Quiet)
            return;
        console.Write(Reports.CostTable($"{plan.Prefix} — monthly estimate per resource kind", total));
        foreach (var record in DnsRecords(plan))
            console.MarkupLine(Markup.Escape($"DNS record to create by hand ({record.Stack}): {record.Record} — {record.Why}"));
        if (output.Verbose)
            foreach (var (stack, template) in plan.Check.Environment.Stacks)
                console.Write(Reports.ComponentsTable($"{stack.StackName} — resources by component", template));
        console.WriteLine("Topology (Mermaid):");
        console.WriteLine(plan.Diagram);
    }

    /// <summary>A row per stack: resources, policy counts, cost.</summary>
    public static Table StackTable(EnvironmentPlan plan)
    {
        var table = new Table().AddColumn("Stack").AddColumn(new TableColumn("Resources").RightAligned())
            .AddColumn(new TableColumn("Errors").RightAligned()).AddColumn(new TableColumn("Warnings").RightAligned())
            .AddColumn(new TableColumn("Acknowledged").RightAligned())
            .AddColumn(new TableColumn("Minimum / month").RightAligned()).AddColumn(new TableColumn("Maximum / month").RightAligned());
        foreach (var (stack, cost) in plan.Check.Stacks.Zip(plan.Cost.Stacks))
            table.AddRow(Markup.Escape(stack.StackName), N(stack.Resources), N(stack.Errors), N(stack.Warnings), N(stack.Acknowledged),
                Markup.Escape(cost.Cost.MinTotal), Markup.Escape(cost.Cost.MaxTotal));
        return table;
    }

    /// <summary>
    /// One Markdown document: a summary row per environment and stack, then a collapsible section per environment
    /// (policy results, the estimate per kind, the topology; with <paramref name="verbose"/> also every acknowledged
    /// finding and the resources by component of every stack). With <paramref name="maxChars"/>, sections that would not fit
    /// are replaced by a line pointing to the full report.
    /// </summary>
    public static string Markdown(IReadOnlyList<EnvironmentPlan> plans, int? maxChars = null, bool verbose = false)
    {
        var prices = PriceTable.Default;
        var summary = new StringBuilder("## Plan\n\n| Environment | Stack | Resources | Policy | Monthly minimum | Monthly maximum |\n| --- | --- | ---: | --- | ---: | ---: |\n");
        foreach (var p in plans)
            foreach (var (stack, cost) in p.Check.Stacks.Zip(p.Cost.Stacks))
                summary.Append($"| {p.Prefix} | {stack.ShortName(p.Prefix)} | {stack.Resources} | {Verdict(stack)} | {cost.Cost.MinTotal} | {cost.Cost.MaxTotal} |\n");
        var footer = new StringBuilder();
        foreach (var p in plans)
            footer.Append($"\n<sub>{p.Prefix}: {prices.PricesUsedFor(p.Cost.Region)} of {prices.Date}, on demand, with the usage assumptions in infra/Pricing/prices.json; minimum and maximum follow the scaling bounds.</sub>\n");
        var sections = plans.Select(p => (p.Prefix, Text: Section(p, verbose))).ToArray();
        return Budget.Compose(summary.ToString(), sections, footer.ToString(), maxChars);
    }

    private static string Section(EnvironmentPlan p, bool verbose)
    {
        var stacks = p.Check.Stacks;
        var total = p.Cost.Total;
        var text = new StringBuilder($"\n<details><summary><b>{p.Prefix}</b> — {stacks.Count} stack(s), {stacks.Sum(s => s.Resources)} resources, policy {Verdict(p.Check)}, {total.MinTotal} – {total.MaxTotal} per month</summary>\n\n");
        text.Append("#### Policy results\n\n").Append(CheckReport.Markdown(p.Check, verbose));
        text.Append("\n#### Monthly estimate\n\n").Append(Reports.CostMarkdown(total));
        if (DnsRecords(p) is { Count: > 0 } records)
        {
            text.Append("\n#### DNS records to create by hand\n\n| Stack | Record | Why |\n| --- | --- | --- |\n");
            foreach (var record in records)
                text.Append($"| {record.Stack} | `{record.Record}` | {record.Why.Replace("|", "\\|", StringComparison.Ordinal)} |\n");
        }
        if (verbose)
            foreach (var (stack, template) in p.Check.Environment.Stacks)
                text.Append($"\n#### {stack.StackName} — resources by component\n\n").Append(Reports.ComponentsMarkdown(template));
        text.Append("\n#### Topology\n\n```mermaid\n").Append(p.Diagram).Append("```\n\n</details>\n");
        return text.ToString();
    }

    /// <summary>
    /// The records the stacks need but cannot create (no hosted zone in the file): each stack's <c>DnsRecord…</c>
    /// outputs, their value written out with deploy-time parts as <c>&lt;LogicalId.Attribute&gt;</c>.
    /// </summary>
    public static IReadOnlyList<(string Stack, string Record, string Why)> DnsRecords(EnvironmentPlan plan) =>
        plan.Check.Environment.Stacks
            .SelectMany(s => (s.Template.Outputs ?? []).Where(o => o.Key.StartsWith("DnsRecord", StringComparison.Ordinal))
                .Select(o => (s.Stack.StackName, Written(o.Value?["Value"]), (string?)o.Value?["Description"] ?? "")))
            .ToList();

    private static string Written(System.Text.Json.Nodes.JsonNode? value) => value switch
    {
        System.Text.Json.Nodes.JsonValue v => v.ToString(),
        System.Text.Json.Nodes.JsonObject o when o["Fn::Join"] is System.Text.Json.Nodes.JsonArray join =>
            string.Join((string?)join[0] ?? "", (join[1] as System.Text.Json.Nodes.JsonArray ?? []).Select(Written)),
        System.Text.Json.Nodes.JsonObject o when o["Fn::GetAtt"] is System.Text.Json.Nodes.JsonArray att => $"<{string.Join('.', att.Select(a => (string?)a))}>",
        System.Text.Json.Nodes.JsonObject o when o["Ref"] is { } r => $"<{(string?)r}>",
        _ => value?.ToJsonString() ?? "",
    };

    private static string N(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Verdict(EnvironmentCheck check) => Verdict(check.Stacks.Sum(s => s.Errors));

    private static string Verdict(StackCheck stack) => Verdict(stack.Errors);

    private static string Verdict(int errors) => errors > 0 ? $"❌ {errors} error(s)" : "✅ pass";
}
