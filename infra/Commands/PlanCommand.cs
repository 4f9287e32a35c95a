using System.ComponentModel;
using System.Text;
using ScalableBackend.Infra.Preview;
using ScalableBackend.Policies;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ScalableBackend.Infra.Commands;

/// <summary>
/// <c>plan</c>: per environment, synthesize, check against the policy pack, estimate the monthly cost and summarize
/// (resources by component, policy results, cost at minimum and maximum scale, a Mermaid topology). Exit 1 on any
/// unacknowledged policy error.
/// </summary>
public sealed class PlanCommand(IAnsiConsole console) : Command<PlanCommand.Settings>
{
    /// <summary>Options of <c>plan</c>.</summary>
    public sealed class Settings : EnvironmentSettings
    {
        /// <summary>Where synthesized templates are written.</summary>
        [CommandOption("-o|--out <DIR>")]
        [Description("Directory for synthesized templates (default: cdk.out).")]
        [DefaultValue("cdk.out")]
        public string Out { get; init; } = "cdk.out";

        /// <summary>Output format.</summary>
        [CommandOption("-f|--format <FORMAT>")]
        [Description("table (for people) or markdown (one document for a pull-request comment) (default: table).")]
        [DefaultValue("table")]
        public string Format { get; init; } = "table";

        /// <summary>File for the Markdown document.</summary>
        [CommandOption("--output <FILE>")]
        [Description("Write the markdown document to FILE instead of standard output.")]
        public string? Output { get; init; }

        /// <inheritdoc/>
        public override ValidationResult Validate() => Format is "table" or "markdown"
            ? ValidationResult.Success()
            : ValidationResult.Error($"--format = {Format} must be one of table, markdown");
    }

    /// <summary>Everything the plan reports about one environment.</summary>
    /// <param name="Name">The environment.</param>
    /// <param name="StackName">Its stack.</param>
    /// <param name="Template">Its synthesized template.</param>
    /// <param name="Findings">The policy results.</param>
    /// <param name="Cost">The monthly estimate.</param>
    /// <param name="Diagram">The Mermaid topology.</param>
    public sealed record EnvironmentPlan(string Name, string StackName, TemplateDocument Template, IReadOnlyList<Finding> Findings, CostEstimate Cost, string Diagram);

    /// <inheritdoc/>
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var markdown = settings.Format == "markdown";
        var progressConsole = Work.ProgressConsole(console, markdown && settings.Output is null);
        var names = Work.Select(settings.Env);
        var plans = Work.WithStatus(progressConsole, "Planning", progress =>
        {
            var result = new List<EnvironmentPlan>();
            foreach (var (definition, file) in Work.Synthesize(names, settings.Out, progress))
            {
                progress($"Checking and pricing {definition.StackName}");
                var template = TemplateDocument.Load(file);
                result.Add(new EnvironmentPlan(definition.Name, definition.StackName, template,
                    PolicyEngine.Default.Check(template, definition.Name),
                    CostEstimator.Estimate(template, PriceTable.Default),
                    TopologyDiagram.Render(template)));
            }
            return result;
        });

        if (markdown)
            Work.Emit(Markdown(plans), settings.Output);
        else
            foreach (var plan in plans)
                Render(plan);
        return Findings.ExitCode(plans.SelectMany(p => p.Findings));
    }

    private void Render(EnvironmentPlan plan)
    {
        console.Write(new Rule($"[bold]{Markup.Escape(plan.StackName)}[/]").LeftJustified());
        console.Write(Reports.ComponentsTable($"{plan.StackName} — resources by component", plan.Template));
        CheckCommand.Render(console, [plan.Template.File], plan.Findings);
        console.Write(Reports.CostTable($"{plan.StackName} — monthly estimate", plan.Cost));
        console.WriteLine("Topology (Mermaid):");
        console.WriteLine(plan.Diagram);
    }

    /// <summary>One Markdown document: a summary table, then a collapsible section per environment.</summary>
    public static string Markdown(IReadOnlyList<EnvironmentPlan> plans)
    {
        var prices = PriceTable.Default;
        var text = new StringBuilder("## Plan\n\n| Environment | Resources | Policy | Monthly minimum | Monthly maximum |\n| --- | ---: | --- | ---: | ---: |\n");
        foreach (var p in plans)
            text.Append($"| {p.StackName} | {p.Template.Resources.Count} | {Verdict(p.Findings)} | {p.Cost.MinTotal} | {p.Cost.MaxTotal} |\n");
        foreach (var p in plans)
        {
            text.Append($"\n<details><summary><b>{p.StackName}</b> — {p.Template.Resources.Count} resources, policy {Verdict(p.Findings)}, {p.Cost.MinTotal} – {p.Cost.MaxTotal} per month</summary>\n\n");
            text.Append("#### Resources by component\n\n").Append(Reports.ComponentsMarkdown(p.Template));
            text.Append("\n#### Policy results\n\n").Append(Reports.FindingsMarkdown(p.Findings));
            text.Append("\n#### Monthly estimate\n\n").Append(Reports.CostMarkdown(p.Cost));
            text.Append("\n#### Topology\n\n```mermaid\n").Append(p.Diagram).Append("```\n\n</details>\n");
        }
        text.Append($"\n<sub>On-demand {prices.Region} prices of {prices.Date} with the usage assumptions in infra/Pricing/prices.json; minimum and maximum follow the scaling bounds.</sub>\n");
        return text.ToString();
    }

    private static string Verdict(IReadOnlyList<Finding> findings) =>
        findings.Count(Findings.IsBlocking) is var n && n > 0 ? $"❌ {n} error(s)" : "✅ pass";
}
