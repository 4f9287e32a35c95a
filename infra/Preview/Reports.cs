using System.Globalization;
using System.Text;
using ScalableBackend.Policies;
using Spectre.Console;

namespace ScalableBackend.Infra.Preview;

/// <summary>Renders estimates, policy results, diagrams and diffs as Spectre tables and as Markdown.</summary>
public static class Reports
{
    /// <summary>The hidden marker that identifies the preview's pull-request comment.</summary>
    public const string CommentMarker = "<!-- scalable-backend-preview -->";

    private static string N(int n) => n.ToString(CultureInfo.InvariantCulture);

    /// <summary>The estimate per kind with totals, as a Spectre table.</summary>
    public static Table CostTable(string title, CostEstimate estimate)
    {
        var table = new Table().Title(Markup.Escape(title)).AddColumns("Kind", "Resources")
            .AddColumn(new TableColumn("Minimum / month").RightAligned()).AddColumn(new TableColumn("Maximum / month").RightAligned());
        foreach (var k in estimate.ByKind())
            table.AddRow(Markup.Escape(k.Kind), N(k.Count), Cell(k.Min, k.Unknown, k.Count), Cell(k.Max, k.Unknown, k.Count));
        table.AddRow("[bold]Total[/]", N(estimate.Lines.Count), $"[bold]{Markup.Escape(estimate.MinTotal)}[/]", $"[bold]{Markup.Escape(estimate.MaxTotal)}[/]");
        return table;

        static string Cell(decimal amount, int unknown, int count) => unknown == count ? "[yellow]unknown[/]"
            : unknown > 0 ? Markup.Escape($"{CostEstimate.Money(amount)} + {unknown} unknown") : CostEstimate.Money(amount);
    }

    /// <summary>The lines whose price is unknown, as a Spectre table (null when none).</summary>
    public static Table? UnknownTable(CostEstimate estimate)
    {
        var unknown = estimate.Lines.Where(l => l.IsUnknown).ToArray();
        if (unknown.Length == 0)
            return null;
        var table = new Table().Title("[yellow]Unknown prices[/]").AddColumns("Resource", "Kind", "Why");
        foreach (var line in unknown)
            table.AddRow(Markup.Escape(line.LogicalId), Markup.Escape(line.Kind), Markup.Escape(line.Detail));
        return table;
    }

    /// <summary>The estimate per kind with totals, as a Markdown table.</summary>
    public static string CostMarkdown(CostEstimate estimate)
    {
        var text = new StringBuilder("| Kind | Resources | Minimum / month | Maximum / month |\n| --- | ---: | ---: | ---: |\n");
        foreach (var k in estimate.ByKind())
            text.Append($"| {Escape(k.Kind)} | {k.Count} | {Cell(k.Min, k.Unknown, k.Count)} | {Cell(k.Max, k.Unknown, k.Count)} |\n");
        text.Append($"| **Total** | {estimate.Lines.Count} | **{estimate.MinTotal}** | **{estimate.MaxTotal}** |\n");
        foreach (var line in estimate.Lines.Where(l => l.IsUnknown))
            text.Append($"\n- unknown: `{line.LogicalId}` ({Escape(line.Kind)}): {Escape(line.Detail)}");
        return text.Append('\n').ToString();

        static string Cell(decimal amount, int unknown, int count) => unknown == count ? "unknown"
            : unknown > 0 ? $"{CostEstimate.Money(amount)} + {unknown} unknown" : CostEstimate.Money(amount);
    }

    /// <summary>The cost difference between base and head as a Markdown table.</summary>
    public static string CostDeltaMarkdown(CostEstimate? baseline, CostEstimate head)
    {
        var text = new StringBuilder("| Monthly estimate | Base | Head | Difference |\n| --- | ---: | ---: | ---: |\n");
        foreach (var (label, b, h) in new[] { ("Minimum scale", baseline?.Min, head.Min), ("Maximum scale", baseline?.Max, head.Max) })
        {
            var baseText = baseline is null ? "—" : CostEstimate.Total(b!.Value, baseline.UnknownCount);
            text.Append($"| {label} | {baseText} | {CostEstimate.Total(h, head.UnknownCount)} | {CostEstimate.SignedMoney(h - (b ?? 0m))} |\n");
        }
        if (head.UnknownCount > 0 || baseline?.UnknownCount > 0)
            text.Append("\nDifferences leave out items with unknown prices.\n");
        return text.ToString();
    }

    /// <summary>Policy findings as a Markdown table (or a one-line pass).</summary>
    public static string FindingsMarkdown(IReadOnlyList<Finding> findings)
    {
        var blocking = findings.Count(Findings.IsBlocking);
        var text = new StringBuilder(blocking == 0
            ? $"**Policy: pass** — {findings.Count} finding(s), {findings.Count(f => f.Acknowledged)} acknowledged, none blocking.\n"
            : $"**Policy: {blocking} error(s)** — {findings.Count} finding(s).\n");
        if (findings.Count == 0)
            return text.ToString();
        text.Append("\n| Rule | Severity | Resource | Finding |\n| --- | --- | --- | --- |\n");
        foreach (var f in findings)
        {
            var severity = f.Acknowledged ? "acknowledged" : f.Severity == Severity.Error ? "**error**" : "warning";
            var message = f.Acknowledged ? $"{f.Message} — acknowledged: {f.Reason}" : f.Message;
            text.Append($"| {f.RuleId} | {severity} | `{f.LogicalId}` | {Escape(message)} |\n");
        }
        return text.ToString();
    }

    /// <summary>Resources per component as a Markdown table.</summary>
    public static string ComponentsMarkdown(TemplateDocument template)
    {
        var text = new StringBuilder("| Component | Resources |\n| --- | ---: |\n");
        foreach (var (component, count) in Components.Count(template))
            text.Append($"| {Escape(component)} | {count} |\n");
        return text.Append($"| **Total** | {template.Resources.Count} |\n").ToString();
    }

    /// <summary>Resources per component as a Spectre table.</summary>
    public static Table ComponentsTable(string title, TemplateDocument template)
    {
        var table = new Table().Title(Markup.Escape(title)).AddColumn("Component").AddColumn(new TableColumn("Resources").RightAligned());
        foreach (var (component, count) in Components.Count(template))
            table.AddRow(Markup.Escape(component), N(count));
        table.AddRow("[bold]Total[/]", $"[bold]{N(template.Resources.Count)}[/]");
        return table;
    }

    /// <summary>Stateful changes as a Markdown alert and list.</summary>
    public static string StatefulMarkdown(IReadOnlyList<StatefulChange> changes)
    {
        if (changes.Count == 0)
            return "No stateful resource is replaced or deleted.\n";
        var blocking = changes.Where(c => !c.Acknowledged).ToArray();
        var text = new StringBuilder();
        if (blocking.Length > 0)
        {
            text.Append($"> [!CAUTION]\n> **{blocking.Length} unacknowledged change(s) would replace or delete stateful resources ({StatefulGuard.RuleId}):**\n");
            foreach (var c in blocking)
                text.Append($"> - `{c.LogicalId}` ({c.ResourceType}) {Escape(c.What)}\n");
            text.Append($">\n> Revert the change, or acknowledge it on the resource: `PolicyAcknowledgement.Apply(resource, new(\"{StatefulGuard.RuleId}\", \"reason\"))`.\n");
        }
        foreach (var c in changes.Where(c => c.Acknowledged))
            text.Append($"\n- acknowledged: `{c.LogicalId}` ({c.ResourceType}): {Escape(string.Join(", ", c.Causes))} — {Escape(c.Reason!)}");
        return text.Append('\n').ToString();
    }

    /// <summary>The shard map changes of one stack (rule <see cref="ShardMoveGuard.RuleId"/>): empty when there are none.</summary>
    public static string ShardMovesMarkdown(IReadOnlyList<ShardMoveChange> changes)
    {
        if (changes.Count == 0)
            return "";
        var text = new StringBuilder();
        var blocking = changes.Where(c => !c.Acknowledged).ToArray();
        if (blocking.Length > 0)
        {
            text.Append($"\n> [!CAUTION]\n> **{blocking.Length} shard map change(s) skip a resharding step ({ShardMoveGuard.RuleId}):**\n");
            foreach (var c in blocking)
                text.Append($"> - `{c.LogicalId}`: {Escape(c.Message)}\n");
        }
        foreach (var c in changes.Where(c => c.Acknowledged))
            text.Append($"\n- acknowledged: `{c.LogicalId}`: {Escape(c.Message)} — {Escape(c.Reason!)}");
        return text.Append('\n').ToString();
    }

    /// <summary>Escapes Markdown table cells: pipes and line breaks.</summary>
    public static string Escape(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
