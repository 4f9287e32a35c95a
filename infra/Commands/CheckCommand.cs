using System.ComponentModel;
using ScalableBackend.Policies;
using ScalableBackend.Stacks;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ScalableBackend.Infra.Commands;

/// <summary>
/// <c>check</c>: run the policy pack over templates — the environments' (synthesized now) or given files as
/// they are. Exit 1 when any finding is an unacknowledged error.
/// </summary>
public sealed class CheckCommand(IAnsiConsole console) : Command<CheckCommand.Settings>
{
    /// <summary>Options of <c>check</c>.</summary>
    public sealed class Settings : CommandSettings
    {
        /// <summary>Environments to synthesize and check, or the environment whose rules apply to <see cref="Templates"/>.</summary>
        [CommandOption("-e|--env <ENV>")]
        [Description("dev, staging, prod or all (default: all). With --template: which environment's rules apply (default: from the file name).")]
        public string? Env { get; init; }

        /// <summary>Template files to check as they are, instead of synthesizing.</summary>
        [CommandOption("-t|--template <FILE>")]
        [Description("A CloudFormation template (JSON or YAML) to check as it is; repeatable.")]
        public string[] Templates { get; init; } = [];

        /// <summary>Output format.</summary>
        [CommandOption("-f|--format <FORMAT>")]
        [Description("table (for people), json or sarif (default: table).")]
        [DefaultValue("table")]
        public string Format { get; init; } = "table";

        /// <summary>Where synthesized templates are written.</summary>
        [CommandOption("-o|--out <DIR>")]
        [Description("Directory for synthesized templates (default: cdk.out).")]
        [DefaultValue("cdk.out")]
        public string Out { get; init; } = "cdk.out";

        /// <inheritdoc/>
        public override ValidationResult Validate() => Format is "table" or "json" or "sarif"
            ? ValidationResult.Success()
            : ValidationResult.Error($"--format = {Format} must be one of table, json, sarif");
    }

    /// <inheritdoc/>
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var machine = settings.Format != "table";
        IReadOnlyList<(string Path, string? Environment)> targets = settings.Templates.Length > 0
            ? settings.Templates.Select(t => (t, settings.Env)).ToArray()
            : Synthesize(settings, quiet: machine);

        var findings = new List<Finding>();
        foreach (var (path, environment) in targets)
            findings.AddRange(PolicyEngine.Default.Check(TemplateDocument.Load(path), environment));

        switch (settings.Format)
        {
            case "json":
                Console.Out.WriteLine(FindingsJson.Serialize(findings));
                break;
            case "sarif":
                Console.Out.WriteLine(Sarif.Serialize(findings, PolicyRules.All));
                break;
            default:
                Render(console, targets.Select(t => t.Path), findings);
                break;
        }
        return Findings.ExitCode(findings);
    }

    private IReadOnlyList<(string, string?)> Synthesize(Settings settings, bool quiet)
    {
        var definitions = new EnvironmentSettings { Env = settings.Env ?? "all" }.LoadEnvironments();
        var result = new List<(string, string?)>();
        void Run(Action<string> progress)
        {
            foreach (var definition in definitions)
            {
                progress($"Synthesizing {definition.StackName}");
                result.AddRange(BackendSynthesizer.Synthesize(definition, settings.Out).Stacks.Select(s => (s.TemplatePath, (string?)definition.Name)));
            }
        }
        if (quiet) Run(_ => { });
        else console.Status().Start("Synthesizing", status => Run(text => status.Status(text)));
        return result;
    }

    /// <summary>Prints a table of findings per template and a summary line.</summary>
    public static void Render(IAnsiConsole console, IEnumerable<string> files, IReadOnlyList<Finding> findings)
    {
        foreach (var file in files)
        {
            var mine = findings.Where(f => f.File == file).ToArray();
            var blocking = mine.Count(Findings.IsBlocking);
            var acknowledged = mine.Count(f => f.Acknowledged);
            var verdict = blocking == 0 ? "[green]pass[/]" : $"[red]{blocking} error(s)[/]";
            console.MarkupLine($"{Markup.Escape(file)}: {verdict}, {mine.Length} finding(s), {acknowledged} acknowledged");
            if (mine.Length == 0) continue;
            var table = new Table().AddColumns("Rule", "Severity", "Resource", "Type", "Finding");
            foreach (var f in mine)
            {
                var severity = f.Acknowledged ? "[grey]acknowledged[/]" : f.Severity == Severity.Error ? "[red]error[/]" : "[yellow]warning[/]";
                var message = f.Acknowledged ? $"{f.Message} — acknowledged: {f.Reason}" : f.Message;
                table.AddRow(Markup.Escape(f.RuleId), severity, Markup.Escape(f.LogicalId), Markup.Escape(f.ResourceType), Markup.Escape(message));
            }
            console.Write(table);
        }
    }
}
