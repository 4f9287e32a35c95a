using System.ComponentModel;
using System.Text;
using ScalableBackend.Infra.Preview;
using ScalableBackend.Policies;
using ScalableBackend.Stacks.Config;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ScalableBackend.Infra.Commands;

/// <summary>
/// <c>diff</c>: the pull-request preview. Compares the environments' templates in <c>--head</c> (default: synthesized
/// now) with those in <c>--base</c>, offline, through <c>@aws-cdk/cloudformation-diff</c>; reports replaced or deleted
/// stateful resources prominently (rule <see cref="StatefulGuard.RuleId"/>) and the cost difference. Exit 1 on any
/// unacknowledged stateful change.
/// </summary>
public sealed class DiffCommand(IAnsiConsole console) : Command<DiffCommand.Settings>
{
    /// <summary>Options of <c>diff</c>.</summary>
    public sealed class Settings : EnvironmentSettings
    {
        /// <summary>The base branch's templates.</summary>
        [CommandOption("-b|--base <DIR>")]
        [Description("Directory with the base branch's Backend-<Env>.template.json files (required). A missing file means a new stack.")]
        public string? Base { get; init; }

        /// <summary>The head's templates; synthesized into <see cref="Out"/> when absent.</summary>
        [CommandOption("--head <DIR>")]
        [Description("Directory with the head's templates (default: synthesize now into --out).")]
        public string? Head { get; init; }

        /// <summary>Where templates are synthesized when <see cref="Head"/> is absent.</summary>
        [CommandOption("-o|--out <DIR>")]
        [Description("Directory for synthesized templates when --head is not given (default: cdk.out).")]
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
        public override ValidationResult Validate() =>
            Base is null ? ValidationResult.Error("--base <DIR> is required: the directory with the base branch's templates")
            : Format is "table" or "markdown" ? ValidationResult.Success()
            : ValidationResult.Error($"--format = {Format} must be one of table, markdown");
    }

    /// <summary>The comparison of one environment.</summary>
    /// <param name="StackName">The stack.</param>
    /// <param name="Diff">The library's diff.</param>
    /// <param name="Stateful">Replaced or deleted stateful resources.</param>
    /// <param name="BaseCost">The base's estimate; null for a new stack.</param>
    /// <param name="HeadCost">The head's estimate.</param>
    public sealed record EnvironmentDiff(string StackName, TemplateDiffResult Diff, IReadOnlyList<StatefulChange> Stateful, CostEstimate? BaseCost, CostEstimate HeadCost)
    {
        /// <summary>How many stateful changes are not acknowledged.</summary>
        public int Blocking => Stateful.Count(s => !s.Acknowledged);
    }

    /// <inheritdoc/>
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var markdown = settings.Format == "markdown";
        var progressConsole = Work.ProgressConsole(console, markdown && settings.Output is null);
        var names = Work.Select(settings.Env);
        if (!Directory.Exists(settings.Base))
            throw new PreviewException($"--base = {settings.Base}: no such directory (synthesize the base branch into it first)");

        var diffs = Work.WithStatus(progressConsole, "Comparing", progress =>
        {
            var heads = settings.Head is null
                ? Work.Synthesize(names, settings.Out, progress).Select(s => (Stack: s.Definition.StackName, File: s.Template)).ToList()
                : names.Select(n => EnvironmentDefinition.StackNameOf(n)).Select(stack => (Stack: stack, File: HeadFile(settings.Head, stack))).ToList();
            var pairs = heads.Select(h => (Base: BaseFile(settings.Base!, h.Stack), Head: h.File)).ToList();
            progress("Diffing templates with @aws-cdk/cloudformation-diff");
            var results = TemplateDiffer.Compare(pairs.Select(p => (p.Base, p.Head)).ToList());
            return heads.Zip(pairs, results).Select(x =>
            {
                var head = TemplateDocument.Load(x.Second.Head);
                var baseCost = x.Second.Base is { } b ? CostEstimator.Estimate(TemplateDocument.Load(b), PriceTable.Default) : null;
                return new EnvironmentDiff(x.First.Stack, x.Third, StatefulGuard.Find(x.Third, head), baseCost,
                    CostEstimator.Estimate(head, PriceTable.Default));
            }).ToList();
        });

        if (markdown)
            Work.Emit(Markdown(diffs), settings.Output);
        else
            foreach (var diff in diffs)
                Render(diff);
        return diffs.Any(d => d.Blocking > 0) ? 1 : 0;
    }

    private static string? BaseFile(string dir, string stack)
    {
        var path = Path.Combine(dir, $"{stack}.template.json");
        return File.Exists(path) ? path : null;
    }

    private static string HeadFile(string dir, string stack)
    {
        var path = Path.Combine(dir, $"{stack}.template.json");
        return File.Exists(path) ? path : throw new PreviewException($"--head: {path} does not exist");
    }

    private void Render(EnvironmentDiff diff)
    {
        console.Write(new Rule($"[bold]{Markup.Escape(diff.StackName)}[/]{(diff.BaseCost is null ? " (new stack)" : "")}").LeftJustified());
        console.WriteLine(diff.Diff.Changes.Count == 0 ? "There were no differences" : diff.Diff.Formatted.TrimEnd());
        foreach (var change in diff.Stateful)
        {
            if (change.Acknowledged)
                console.MarkupLine($"[grey]acknowledged {StatefulGuard.RuleId}: {Markup.Escape(change.Describe())} — {Markup.Escape(change.Reason!)}[/]");
            else
                console.MarkupLine($"[bold red]{StatefulGuard.RuleId} STATEFUL:[/] [red]{Markup.Escape(change.Describe())}[/]");
        }
        var min = diff.HeadCost.Min - (diff.BaseCost?.Min ?? 0m);
        var max = diff.HeadCost.Max - (diff.BaseCost?.Max ?? 0m);
        console.MarkupLine(Markup.Escape($"Monthly estimate: {diff.HeadCost.MinTotal} – {diff.HeadCost.MaxTotal} ({CostEstimate.SignedMoney(min)} at minimum, {CostEstimate.SignedMoney(max)} at maximum)"));
    }

    /// <summary>One Markdown document: a summary table, then a collapsible section per environment.</summary>
    public static string Markdown(IReadOnlyList<EnvironmentDiff> diffs)
    {
        var text = new StringBuilder("## Infrastructure diff\n\n");
        var blocking = diffs.Sum(d => d.Blocking);
        if (blocking > 0)
            text.Append($"> [!CAUTION]\n> **{blocking} unacknowledged change(s) would replace or delete stateful resources** — see {string.Join(", ", diffs.Where(d => d.Blocking > 0).Select(d => d.StackName))} below.\n\n");
        text.Append("| Environment | Changed resources | Stateful replacements / deletions | Monthly minimum | Monthly maximum |\n| --- | ---: | --- | ---: | ---: |\n");
        foreach (var d in diffs)
        {
            var stateful = d.Blocking > 0 ? $"❌ {d.Blocking}" : d.Stateful.Count > 0 ? $"✅ {d.Stateful.Count} acknowledged" : "✅ none";
            text.Append($"| {d.StackName}{(d.BaseCost is null ? " (new)" : "")} | {d.Diff.Changes.Count} | {stateful} | {Delta(d.BaseCost?.Min, d.HeadCost.Min)} | {Delta(d.BaseCost?.Max, d.HeadCost.Max)} |\n");
        }
        foreach (var d in diffs)
        {
            var open = d.Blocking > 0 ? " open" : "";
            text.Append($"\n<details{open}><summary><b>{d.StackName}</b> — {d.Diff.Changes.Count} changed resource(s){(d.Blocking > 0 ? $", ❌ {d.Blocking} stateful" : "")}</summary>\n\n");
            text.Append(Reports.StatefulMarkdown(d.Stateful));
            text.Append("\n#### Cost difference\n\n").Append(Reports.CostDeltaMarkdown(d.BaseCost, d.HeadCost));
            text.Append("\n#### Changes\n\n```\n").Append(d.Diff.Changes.Count == 0 ? "There were no differences\n" : d.Diff.Formatted.TrimEnd() + "\n").Append("```\n\n</details>\n");
        }
        return text.ToString();
    }

    private static string Delta(decimal? baseline, decimal head) =>
        $"{CostEstimate.Money(head)} ({CostEstimate.SignedMoney(head - (baseline ?? 0m))})";
}
