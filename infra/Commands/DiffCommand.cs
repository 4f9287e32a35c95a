using System.ComponentModel;
using System.Globalization;
using System.Text;
using ScalableBackend.Infra.Preview;
using ScalableBackend.Policies;
using ScalableBackend.Stacks;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ScalableBackend.Infra.Commands;

/// <summary>
/// <c>diff</c>: the pull-request preview. Compares each environment's stacks in <c>--head</c> (default: synthesized
/// now) with those in <c>--base</c>, matched by stack name, offline, through <c>@aws-cdk/cloudformation-diff</c>. A new
/// stack is all additions; a stack that disappears deletes everything in it. Replaced or deleted stateful resources are
/// reported prominently (rule <see cref="StatefulGuard.RuleId"/>) with the cost difference; exit 1 on any
/// unacknowledged one. A base from before the stack split (one <c>Backend-&lt;Env&gt;.template.json</c>) is compared with
/// the head's stacks taken together as one template.
/// </summary>
public sealed class DiffCommand(IAnsiConsole console) : Command<DiffCommand.Settings>
{
    /// <summary>Options of <c>diff</c>.</summary>
    public sealed class Settings : EnvironmentSettings
    {
        /// <summary>The base branch's templates.</summary>
        [CommandOption("-b|--base <DIR>")]
        [Description("Directory with the base branch's Backend-<Env>-*.template.json files (required). A stack missing there is new.")]
        public string? Base { get; init; }

        /// <summary>The head's templates; synthesized into <see cref="EnvironmentSettings.Out"/> when absent.</summary>
        [CommandOption("--head <DIR>")]
        [Description("Directory with the head's templates (default: synthesize now into --out). A stack missing there is removed.")]
        public string? Head { get; init; }

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
        [Description("Keep the markdown document within N characters: long values and sections that do not fit are summarized and point to the full report (default: no limit).")]
        public int? MaxChars { get; init; }

        /// <summary>Where the complete Markdown document goes.</summary>
        [CommandOption("--full-output <FILE>")]
        [Description("Also write the complete markdown document (every change in full) to FILE, e.g. for a workflow artifact.")]
        public string? FullOutput { get; init; }

        /// <inheritdoc/>
        public override ValidationResult Validate() =>
            Base is null ? ValidationResult.Error("--base <DIR> is required: the directory with the base branch's templates") : base.Validate();
    }

    /// <summary>How a stack differs between base and head.</summary>
    public enum StackStatus
    {
        /// <summary>In both.</summary>
        Compared,
        /// <summary>Only in the head: every resource is an addition.</summary>
        New,
        /// <summary>Only in the base: every resource is deleted.</summary>
        Removed,
        /// <summary>The base is one template from before the stack split; the head's stacks are compared with it together.</summary>
        Merged,
    }

    /// <summary>The comparison of one stack.</summary>
    /// <param name="StackName">The stack (for <see cref="StackStatus.Merged"/>, the environment's prefix).</param>
    /// <param name="Status">Whether it is new, removed, compared, or merged across the split.</param>
    /// <param name="Diff">The library's diff.</param>
    /// <param name="Stateful">Replaced or deleted stateful resources.</param>
    /// <param name="BaseCost">The base's estimate; null for a new stack.</param>
    /// <param name="HeadCost">The head's estimate; null for a removed stack.</param>
    /// <param name="ShardMoves">Shard map changes that skip a step of the resharding lifecycle (rule <see cref="ShardMoveGuard.RuleId"/>); null means none.</param>
    public sealed record StackDiff(string StackName, StackStatus Status, TemplateDiffResult Diff, IReadOnlyList<StatefulChange> Stateful, CostEstimate? BaseCost, CostEstimate? HeadCost,
        IReadOnlyList<ShardMoveChange>? ShardMoves = null)
    {
        /// <summary>The shard map changes refused or acknowledged under <see cref="ShardMoveGuard.RuleId"/>.</summary>
        public IReadOnlyList<ShardMoveChange> ShardMoveChanges => ShardMoves ?? [];

        /// <summary>How many stateful changes and shard map changes are not acknowledged.</summary>
        public int Blocking => Stateful.Count(s => !s.Acknowledged) + ShardMoveChanges.Count(s => !s.Acknowledged);

        /// <summary>True when anything changed.</summary>
        public bool Changed => Diff.Changes.Count > 0 || Status != StackStatus.Compared;
    }

    /// <summary>The comparison of one environment's stacks.</summary>
    /// <param name="Environment">The environment.</param>
    /// <param name="Prefix">Its stack prefix, e.g. <c>Backend-Prod</c>.</param>
    /// <param name="Stacks">Each stack's comparison: the head's in deployment order, then removed ones.</param>
    public sealed record EnvironmentDiff(string Environment, string Prefix, IReadOnlyList<StackDiff> Stacks)
    {
        /// <summary>How many stateful and shard map changes are not acknowledged.</summary>
        public int Blocking => Stacks.Sum(s => s.Blocking);

        /// <summary>The head's monthly estimate minus the base's, at minimum and at maximum.</summary>
        public (decimal Min, decimal Max) CostDelta => (
            Stacks.Sum(s => (s.HeadCost?.Min ?? 0m) - (s.BaseCost?.Min ?? 0m)),
            Stacks.Sum(s => (s.HeadCost?.Max ?? 0m) - (s.BaseCost?.Max ?? 0m)));
    }

    /// <inheritdoc/>
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(settings.Base))
            throw new PreviewException($"--base = {settings.Base}: no such directory (synthesize the base branch into it first)");
        if (settings.Head is not null && !Directory.Exists(settings.Head))
            throw new PreviewException($"--head = {settings.Head}: no such directory");

        var heads = settings.Head is null
            ? Work.Synthesize(settings)
            : settings.SelectedEnvironments().Select(n => new EnvironmentTemplates(n, StackNames.EnvironmentPrefix(n), TemplateFiles.InDirectory(settings.Head, n))).ToArray();
        var diffs = Work.WithProgress("Comparing", settings.Quiet, progress =>
        {
            progress("Diffing templates with @aws-cdk/cloudformation-diff");
            return Compare(heads, settings.Base!);
        });

        if (settings.Format == ReportFormat.Markdown)
        {
            Work.Emit(Markdown(diffs, settings.MaxChars), settings.Output);
            if (settings.FullOutput is { } full)
                Work.Emit(Markdown(diffs, null, summarize: false), full);
        }
        else
        {
            foreach (var diff in diffs)
                Render(diff, settings);
        }
        return diffs.Any(d => d.Blocking > 0) ? 1 : 0;
    }

    /// <summary>Compares every environment of <paramref name="heads"/> with its stacks in <paramref name="baseDir"/>, in one Node.js run.</summary>
    public static IReadOnlyList<EnvironmentDiff> Compare(IReadOnlyList<EnvironmentTemplates> heads, string baseDir)
    {
        var scratch = Directory.CreateTempSubdirectory("sb-diff-");
        try
        {
            var plans = new List<(EnvironmentTemplates Head, List<(string Name, StackStatus Status, string? Base, string? Head)> Pairs)>();
            foreach (var head in heads)
            {
                var bases = TemplateFiles.InDirectory(baseDir, head.Environment!);
                var pairs = new List<(string, StackStatus, string?, string?)>();
                var preSplit = bases is [{ } single] && single.StackName == head.Prefix && head.Stacks.All(s => s.StackName != head.Prefix) && head.Stacks.Count > 0;
                if (preSplit)
                {
                    var merged = StackMerge.Merge(head.Prefix, head.Stacks.Select(s => (s.StackName, TemplateDocument.Load(s.File))).ToArray());
                    var file = Path.Combine(scratch.FullName, $"{head.Prefix}.merged.template.json");
                    File.WriteAllText(file, merged.Root.ToJsonString());
                    pairs.Add((head.Prefix, StackStatus.Merged, bases[0].File, file));
                }
                else
                {
                    foreach (var stack in head.Stacks)
                    {
                        var baseFile = bases.FirstOrDefault(b => b.StackName == stack.StackName)?.File;
                        pairs.Add((stack.StackName, baseFile is null ? StackStatus.New : StackStatus.Compared, baseFile, stack.File));
                    }
                    foreach (var removed in bases.Where(b => head.Stacks.All(s => s.StackName != b.StackName)))
                        pairs.Add((removed.StackName, StackStatus.Removed, removed.File, null));
                }
                plans.Add((head, pairs));
            }
            var results = TemplateDiffer.Compare(plans.SelectMany(p => p.Pairs.Select(x => (x.Base, x.Head))).ToList());
            var index = 0;
            var prices = PriceTable.Default;
            return plans.Select(plan =>
            {
                var headDocs = plan.Head.Stacks.Select(s => TemplateDocument.Load(s.File)).ToArray();
                var stacks = plan.Pairs.Select(pair =>
                {
                    var result = results[index++];
                    var head = pair.Head is null ? null : TemplateDocument.Load(pair.Head);
                    var baseDoc = pair.Base is null ? null : TemplateDocument.Load(pair.Base);
                    return new StackDiff(pair.Name, pair.Status, result, StatefulGuard.Find(result, head, headDocs, pair.Name),
                        baseDoc is null ? null : CostEstimator.Estimate(baseDoc, prices), head is null ? null : CostEstimator.Estimate(head, prices),
                        ShardMoveGuard.Find(baseDoc, head));
                }).ToArray();
                return new EnvironmentDiff(plan.Head.Environment!, plan.Head.Prefix, stacks);
            }).ToArray();
        }
        finally
        {
            try { scratch.Delete(recursive: true); } catch (IOException) { /* scratch space */ }
        }
    }

    private void Render(EnvironmentDiff diff, OutputSettings output)
    {
        var changed = diff.Stacks.Where(s => s.Changed).ToArray();
        var (min, max) = diff.CostDelta;
        if (!output.Quiet)
            console.MarkupLine(Markup.Escape($"{diff.Prefix}: {changed.Length} of {diff.Stacks.Count} stack(s) changed, {diff.Blocking} unacknowledged stateful or resharding change(s); monthly estimate {CostEstimate.SignedMoney(min)} at minimum, {CostEstimate.SignedMoney(max)} at maximum"));
        foreach (var stack in changed)
        {
            if (!output.Quiet)
            {
                console.MarkupLine(Markup.Escape($"{stack.StackName}{Label(stack.Status)}: {stack.Diff.Changes.Count} changed resource(s)"));
                var text = stack.Diff.Formatted.TrimEnd();
                console.WriteLine(output.Verbose ? text : Budget.Summarize(text).TrimEnd());
            }
            foreach (var change in stack.Stateful)
            {
                if (change.Acknowledged)
                {
                    if (!output.Quiet)
                        console.MarkupLine($"[yellow]acknowledged {StatefulGuard.RuleId}:[/] {Markup.Escape($"{stack.StackName} {change.Describe()} — {change.Reason}")}");
                }
                else
                {
                    console.MarkupLine($"[bold red]{StatefulGuard.RuleId} STATEFUL:[/] [red]{Markup.Escape(change.Describe())}[/] [grey]in {Markup.Escape(stack.StackName)}[/]");
                }
            }
            foreach (var change in stack.ShardMoveChanges)
            {
                if (change.Acknowledged)
                {
                    if (!output.Quiet)
                        console.MarkupLine($"[yellow]acknowledged {ShardMoveGuard.RuleId}:[/] {Markup.Escape($"{stack.StackName} {change.Describe()} — {change.Reason}")}");
                }
                else
                {
                    console.MarkupLine($"[bold red]{ShardMoveGuard.RuleId} RESHARDING:[/] [red]{Markup.Escape(change.Describe())}[/] [grey]in {Markup.Escape(stack.StackName)}[/]");
                }
            }
        }
    }

    private static string Label(StackStatus status) => status switch
    {
        StackStatus.New => " (new stack)",
        StackStatus.Removed => " (removed stack: everything in it is deleted)",
        StackStatus.Merged => " (base from before the stack split: compared with all of the head's stacks together)",
        _ => "",
    };

    /// <summary>
    /// One Markdown document: a summary row per changed stack, then a collapsible section per changed stack (stateful
    /// changes, the cost difference, the changes). With <paramref name="maxChars"/> the document stays within it: long
    /// values are summarized, a new or removed stack is counted by resource type, and sections that do not fit point to
    /// the full report. <paramref name="summarize"/> false prints every change in full.
    /// </summary>
    public static string Markdown(IReadOnlyList<EnvironmentDiff> diffs, int? maxChars = null, bool summarize = true)
    {
        var text = new StringBuilder("## Infrastructure diff\n\n");
        var blocking = diffs.Sum(d => d.Blocking);
        if (blocking > 0)
            text.Append($"> [!CAUTION]\n> **{blocking} unacknowledged change(s) would replace or delete stateful resources or skip a resharding step** — in {string.Join(", ", diffs.SelectMany(d => d.Stacks).Where(s => s.Blocking > 0).Select(s => s.StackName))}.\n\n");
        text.Append("| Stack | Changed resources | Stateful replacements / deletions | Monthly minimum | Monthly maximum |\n| --- | ---: | --- | ---: | ---: |\n");
        foreach (var d in diffs)
        {
            foreach (var s in d.Stacks.Where(s => s.Changed))
            {
                var stateful = s.Blocking > 0 ? $"❌ {s.Blocking}" : s.Stateful.Count > 0 ? $"✅ {s.Stateful.Count} acknowledged" : "✅ none";
                text.Append($"| {s.StackName}{Label(s.Status)} | {s.Diff.Changes.Count} | {stateful} | {Delta(s.BaseCost?.Min, s.HeadCost?.Min)} | {Delta(s.BaseCost?.Max, s.HeadCost?.Max)} |\n");
            }
            var unchanged = d.Stacks.Count(s => !s.Changed);
            if (unchanged > 0)
                text.Append($"| {d.Prefix}: {unchanged} stack(s) unchanged | 0 | ✅ none | | |\n");
        }
        var sections = diffs.SelectMany(d => d.Stacks.Where(s => s.Changed)).Select(s => (s.StackName, Section(s, summarize && maxChars is not null))).ToArray();
        return Budget.Compose(text.ToString(), sections, "", maxChars);
    }

    private static string Section(StackDiff s, bool summarize)
    {
        var open = s.Blocking > 0 ? " open" : "";
        var text = new StringBuilder($"\n<details{open}><summary><b>{s.StackName}</b>{Label(s.Status)} — {s.Diff.Changes.Count} changed resource(s){(s.Blocking > 0 ? $", ❌ {s.Blocking} blocking" : "")}</summary>\n\n");
        text.Append(Reports.StatefulMarkdown(s.Stateful));
        text.Append(Reports.ShardMovesMarkdown(s.ShardMoveChanges));
        text.Append("\n#### Cost difference\n\n").Append(Reports.CostDeltaMarkdown(s.BaseCost, s.HeadCost ?? new CostEstimate([])));
        text.Append("\n#### Changes\n\n");
        if (summarize && s.Status is StackStatus.New or StackStatus.Removed)
        {
            text.Append(s.Status == StackStatus.New ? "Every resource is added:\n\n" : "Every resource is deleted:\n\n");
            text.Append("| Resource type | Count |\n| --- | ---: |\n");
            foreach (var g in s.Diff.Changes.GroupBy(c => c.Type).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal))
                text.Append($"| {g.Key} | {g.Count().ToString(CultureInfo.InvariantCulture)} |\n");
        }
        else
        {
            var formatted = s.Diff.Changes.Count == 0 ? "There were no differences" : s.Diff.Formatted.TrimEnd();
            text.Append("```\n").Append(summarize ? Budget.Summarize(formatted) : formatted + "\n").Append("```\n");
        }
        return text.Append("\n</details>\n").ToString();
    }

    private static string Delta(decimal? baseline, decimal? head) =>
        $"{CostEstimate.Money(head ?? 0m)} ({CostEstimate.SignedMoney((head ?? 0m) - (baseline ?? 0m))})";
}
