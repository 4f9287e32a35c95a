using System.Globalization;
using System.Text;
using ScalableBackend.Infra.Preview;
using ScalableBackend.Policies;
using Spectre.Console;

namespace ScalableBackend.Infra.Commands;

/// <summary>The findings of one stack, counted.</summary>
/// <param name="StackName">The stack.</param>
/// <param name="Resources">How many resources its template has.</param>
/// <param name="Findings">Its findings, acknowledged or not.</param>
public sealed record StackCheck(string StackName, int Resources, IReadOnlyList<Finding> Findings)
{
    /// <summary>Unacknowledged errors: these fail the check.</summary>
    public int Errors => Findings.Count(Policies.Findings.IsBlocking);

    /// <summary>Unacknowledged warnings.</summary>
    public int Warnings => Findings.Count(f => !f.Acknowledged && f.Severity == Severity.Warning);

    /// <summary>Findings acknowledged in code with a reason.</summary>
    public int Acknowledged => Findings.Count(f => f.Acknowledged);

    /// <summary>The name without the environment's prefix: <c>Data</c> for <c>Backend-Prod-Data</c>.</summary>
    public string ShortName(string prefix) => new StackTemplate(StackName, "").ShortName(prefix);
}

/// <summary>The result of checking one environment's stacks.</summary>
/// <param name="Environment">The environment's templates, loaded.</param>
/// <param name="Findings">Every checker's findings over them.</param>
public sealed record EnvironmentCheck(LoadedEnvironment Environment, IReadOnlyList<Finding> Findings)
{
    /// <summary>The environment's name, or its label for loose templates.</summary>
    public string Name => Environment.Templates.Environment ?? Environment.Templates.Prefix;

    /// <summary>The findings per stack, in deployment order.</summary>
    public IReadOnlyList<StackCheck> Stacks => Environment.Stacks
        .Select(s => new StackCheck(s.Stack.StackName, s.Template.Resources.Count, Findings.Where(f => f.File == s.Template.File).ToArray()))
        .ToArray();

    /// <summary>Runs <paramref name="checkers"/> over <paramref name="environment"/>.</summary>
    public static EnvironmentCheck Run(LoadedEnvironment environment, IEnumerable<ITemplateChecker> checkers) =>
        new(environment, checkers.SelectMany(c => c.Check(environment)).ToArray());
}

/// <summary>
/// Prints check results summary first: a row per environment and stack (resources, errors, warnings, acknowledged),
/// then every unacknowledged finding in full, one per line, and the acknowledged ones counted (listed with
/// <c>--verbose</c>); <c>--quiet</c> prints only the unacknowledged findings.
/// </summary>
public static class CheckReport
{
    private static string N(int n) => n.ToString(CultureInfo.InvariantCulture);

    /// <summary>Writes the report of <paramref name="checks"/> to <paramref name="console"/>.</summary>
    public static void Render(IAnsiConsole console, IReadOnlyList<EnvironmentCheck> checks, OutputSettings output)
    {
        var stacks = checks.SelectMany(c => c.Stacks.Select(s => (Check: c, Stack: s))).ToArray();
        var findings = checks.SelectMany(c => c.Findings).ToArray();
        var errors = stacks.Sum(s => s.Stack.Errors);
        if (!output.Quiet)
            console.Write(SummaryTable(checks));
        foreach (var check in checks)
            foreach (var finding in check.Findings.Where(f => !f.Acknowledged))
                console.MarkupLine(Line(check, finding));
        var acknowledged = findings.Count(f => f.Acknowledged);
        if (output.Verbose)
        {
            foreach (var check in checks)
                foreach (var finding in check.Findings.Where(f => f.Acknowledged))
                    console.MarkupLine(Line(check, finding));
        }
        else if (acknowledged > 0 && !output.Quiet)
        {
            console.MarkupLine($"[grey]{N(acknowledged)} acknowledged finding(s) not listed; --verbose lists them with their reasons.[/]");
        }
        if (!output.Quiet || errors > 0)
            console.MarkupLine(Verdict(stacks.Length, stacks.Sum(s => s.Stack.Resources), errors, stacks.Sum(s => s.Stack.Warnings), acknowledged));
    }

    /// <summary>One summary row per environment and stack, and a total.</summary>
    public static Table SummaryTable(IReadOnlyList<EnvironmentCheck> checks)
    {
        var table = new Table().AddColumns("Environment", "Stack")
            .AddColumn(new TableColumn("Resources").RightAligned()).AddColumn(new TableColumn("Errors").RightAligned())
            .AddColumn(new TableColumn("Warnings").RightAligned()).AddColumn(new TableColumn("Acknowledged").RightAligned());
        foreach (var check in checks)
            foreach (var stack in check.Stacks)
                table.AddRow(Markup.Escape(check.Name), Markup.Escape(stack.StackName), N(stack.Resources),
                    stack.Errors > 0 ? $"[red]{N(stack.Errors)}[/]" : "0", stack.Warnings > 0 ? $"[yellow]{N(stack.Warnings)}[/]" : "0", N(stack.Acknowledged));
        var all = checks.SelectMany(c => c.Stacks).ToArray();
        if (all.Length > 1)
            table.AddRow("[bold]Total[/]", $"[bold]{N(all.Length)} stacks[/]", $"[bold]{N(all.Sum(s => s.Resources))}[/]",
                $"[bold]{N(all.Sum(s => s.Errors))}[/]", $"[bold]{N(all.Sum(s => s.Warnings))}[/]", $"[bold]{N(all.Sum(s => s.Acknowledged))}[/]");
        return table;
    }

    /// <summary>One finding, whole, on one line: severity, rule, stack, resource, type, message (and reason).</summary>
    public static string Line(EnvironmentCheck check, Finding f)
    {
        var severity = f.Acknowledged ? "[grey]acknowledged[/]" : f.Severity == Severity.Error ? "[red]error[/]" : "[yellow]warning[/]";
        var reason = f.Acknowledged ? $" — acknowledged: {f.Reason}" : "";
        return $"{severity} {Markup.Escape(f.RuleId)} {Markup.Escape(check.Environment.StackOf(f))} {Markup.Escape(f.LogicalId)} ({Markup.Escape(f.ResourceType)}): {Markup.Escape(f.Message + reason)}";
    }

    /// <summary>The last line: pass or fail, with the totals.</summary>
    public static string Verdict(int stacks, int resources, int errors, int warnings, int acknowledged)
    {
        var counts = $"{N(stacks)} stack(s), {N(resources)} resources: {N(errors)} error(s), {N(warnings)} warning(s), {N(acknowledged)} acknowledged";
        return errors > 0 ? $"[red]check failed[/] — {counts}" : $"[green]check passed[/] — {counts}";
    }

    /// <summary>Policy results as Markdown: a row per stack, unacknowledged findings in full, acknowledged ones counted (listed when <paramref name="verbose"/>).</summary>
    public static string Markdown(EnvironmentCheck check, bool verbose)
    {
        var stacks = check.Stacks;
        var errors = stacks.Sum(s => s.Errors);
        var text = new StringBuilder(errors == 0
            ? $"**Policy: pass** — {stacks.Sum(s => s.Warnings)} warning(s), {stacks.Sum(s => s.Acknowledged)} acknowledged.\n"
            : $"**Policy: {errors} error(s)** — {stacks.Sum(s => s.Warnings)} warning(s), {stacks.Sum(s => s.Acknowledged)} acknowledged.\n");
        var listed = check.Findings.Where(f => verbose || !f.Acknowledged).ToArray();
        if (listed.Length == 0)
            return text.ToString();
        text.Append("\n| Rule | Severity | Stack | Resource | Finding |\n| --- | --- | --- | --- | --- |\n");
        foreach (var f in listed)
        {
            var severity = f.Acknowledged ? "acknowledged" : f.Severity == Severity.Error ? "**error**" : "warning";
            var message = f.Acknowledged ? $"{f.Message} — acknowledged: {f.Reason}" : f.Message;
            text.Append($"| {f.RuleId} | {severity} | {check.Environment.StackOf(f)} | `{f.LogicalId}` | {Reports.Escape(message)} |\n");
        }
        return text.ToString();
    }
}
