using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Nodes;
using ScalableBackend.Policies;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ScalableBackend.Infra.Commands;

/// <summary>
/// <c>check</c>: run every <see cref="Checkers">checker</see> over templates — the environments' stack sets
/// (synthesized now) or given files as they are. Exit 1 when any finding is an unacknowledged error.
/// </summary>
public sealed class CheckCommand(IAnsiConsole console) : Command<CheckCommand.Settings>
{
    /// <summary>Options of <c>check</c>.</summary>
    public sealed class Settings : EnvironmentSettings
    {
        /// <summary>Template files (or patterns) to check as they are, instead of synthesizing.</summary>
        [CommandOption("-t|--template <FILE>")]
        [Description("CloudFormation templates (JSON or YAML) to check as they are: several files, a pattern such as 'cdk.out/Backend-Prod-*.template.json', or the option repeated. With --env: which environment's rules apply (default: from the file names).")]
        public string[] Templates { get; init; } = [];

        /// <summary>Output format.</summary>
        [CommandOption("-f|--format <FORMAT>")]
        [Description("table (for people), json or sarif (default: table).")]
        [DefaultValue(CheckFormat.Table)]
        [TypeConverter(typeof(EnumOption<CheckFormat>))]
        public CheckFormat Format { get; init; } = CheckFormat.Table;
    }

    /// <summary>
    /// The checks run over each environment's templates, in order. Adding one (such as AWS's template validator) is
    /// adding an <see cref="ITemplateChecker"/> here.
    /// </summary>
    public static IReadOnlyList<ITemplateChecker> Checkers() => [PolicyPackChecker.Default, Validation.ValidatorChecker.Create()];

    /// <inheritdoc/>
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var machine = settings.Format != CheckFormat.Table;
        var environments = settings.Templates.Length > 0
            ? TemplateFiles.Group(TemplateFiles.Expand(settings.Templates), settings.SingleEnvironment)
            : Work.Synthesize(settings.LoadEnvironments(), settings.Out, settings.Quiet || machine);
        var checkers = Checkers();
        var checks = Work.WithProgress("Checking", settings.Quiet || machine, progress =>
        {
            var loaded = environments.Select(LoadedEnvironment.Load).ToArray();
            progress("Running AWS's CloudFormation validator");
            foreach (var prepared in checkers.OfType<Validation.IPreparedChecker>())
                prepared.Prepare(loaded);
            return loaded.Select(e =>
            {
                progress($"Checking {e.Templates.Prefix}");
                return EnvironmentCheck.Run(e, checkers);
            }).ToArray();
        });
        var findings = checks.SelectMany(c => c.Findings).ToArray();

        switch (settings.Format)
        {
            case CheckFormat.Json:
                Console.Out.WriteLine(WithWarnings(FindingsJson.Serialize(findings), environments));
                break;
            case CheckFormat.Sarif:
                Console.Out.WriteLine(Sarif.Serialize(findings, PolicyRules.All));
                break;
            default:
                CheckReport.Render(console, checks, settings);
                break;
        }
        return Findings.ExitCode(findings);
    }

    /// <summary>
    /// <c>{"findings": […], "warnings": […]}</c>: the synthesis warnings (a stack at 400 resources or more), each with its
    /// environment, beside the findings; an empty list when there are none or the templates were given.
    /// </summary>
    public static string WithWarnings(string findingsJson, IReadOnlyList<EnvironmentTemplates> environments)
    {
        var document = JsonNode.Parse(findingsJson)!.AsObject();
        document["warnings"] = new JsonArray(environments
            .SelectMany(e => e.Warnings.Select(w => (JsonNode)new JsonObject { ["environment"] = e.Environment, ["message"] = w }))
            .ToArray());
        return document.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }
}
