using System.ComponentModel;
using ScalableBackend.Infra.Commands;
using ScalableBackend.Infra.Preview;
using ScalableBackend.Stacks;
using ScalableBackend.Stacks.Config;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ScalableBackend.Infra.Simulation;

/// <summary>What <c>simulate</c> prints on standard output (the files in <c>--out</c> are written in every case).</summary>
public enum SimulationFormat
{
    /// <summary>The summary table, for people.</summary>
    Table,
    /// <summary>The whole run as JSON, timelines included, and nothing else.</summary>
    Json,
    /// <summary>The Markdown report for a pull-request comment.</summary>
    Markdown,
}

/// <summary>
/// <c>simulate</c>: rehearses every Auto Scaling group of an environment against a traffic profile, minute by
/// minute, from the synthesized templates; writes a JSON timeline, a Markdown report and a chart per group.
/// </summary>
public sealed class SimulateCommand(IAnsiConsole console) : Command<SimulateCommand.Settings>
{
    /// <summary>Options of <c>simulate</c>.</summary>
    public sealed class Settings : CommandSettings
    {
        /// <summary>The environment.</summary>
        [CommandOption("-e|--env <ENV>")]
        [Description("Environment: dev, staging or prod (default: prod).")]
        [DefaultValue("prod")]
        public string Env { get; init; } = "prod";

        /// <summary>The traffic profile.</summary>
        [CommandOption("-p|--profile <FILE>")]
        [Description("Traffic profile (YAML); examples in infra/Simulation/profiles.")]
        public string? Profile { get; init; }

        /// <summary>What goes to standard output.</summary>
        [CommandOption("-f|--format <FORMAT>")]
        [Description("table (default), json (the whole run, timelines included) or markdown (for a pull-request comment).")]
        [DefaultValue(SimulationFormat.Table)]
        [TypeConverter(typeof(EnumOption<SimulationFormat>))]
        public SimulationFormat Format { get; init; } = SimulationFormat.Table;

        /// <summary>Where the reports and charts are written.</summary>
        [CommandOption("-o|--out <DIR>")]
        [Description("Directory for simulation.json, simulation.md and one PNG chart per group (default: cdk.out/simulation).")]
        [DefaultValue("cdk.out/simulation")]
        public string Out { get; init; } = "cdk.out/simulation";

        /// <summary>Read already synthesized templates instead of synthesizing.</summary>
        [CommandOption("-t|--templates <DIR>")]
        [Description("Read the environment's synthesized templates from DIR (e.g. cdk.out after synth) instead of synthesizing into cdk.out.")]
        public string? Templates { get; init; }

        /// <summary>Skip the charts.</summary>
        [CommandOption("--no-charts")]
        [Description("Write no PNG charts.")]
        public bool NoCharts { get; init; }

        /// <inheritdoc/>
        public override ValidationResult Validate()
        {
            if (string.IsNullOrWhiteSpace(Profile)) return ValidationResult.Error("--profile FILE is required (see infra/Simulation/profiles)");
            return EnvironmentLoader.Environments.Contains(Env) ? ValidationResult.Success()
                : ValidationResult.Error($"--env = {Env} is not an environment; allowed: {string.Join(", ", EnvironmentLoader.Environments)}");
        }
    }

    /// <inheritdoc/>
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var profile = TrafficProfile.Load(settings.Profile!);
        var definition = EnvironmentLoader.Load(settings.Env);
        var config = definition.Config;
        var services = config.Services.Keys.ToArray();
        var workers = (config.Workers ?? new Dictionary<string, WorkerConfig>()).Keys.ToArray();
        profile.CheckAgainst(settings.Env, services, workers);

        var directory = settings.Templates;
        if (directory is null)
        {
            directory = "cdk.out";
            var terminal = Terminal.Current;
            if (terminal.ShowsProgress)
                terminal.Error.Status().Start($"Synthesizing {definition.StackName} from {definition.File}", _ => BackendSynthesizer.Synthesize(definition, directory));
            else
                BackendSynthesizer.Synthesize(definition, directory);
        }
        var templates = TemplateReader.Read(TemplateReader.Locate(directory, definition.StackName), services, workers);
        var run = SimulationRun.Simulate(settings.Env, templates, profile, CapacitiesOf(config), PriceTable.Default);

        Directory.CreateDirectory(settings.Out);
        var json = SimulationReports.Json(run);
        File.WriteAllText(Path.Combine(settings.Out, "simulation.json"), json);
        var markdown = SimulationReports.Markdown(run, settings.NoCharts ? null : ".");
        File.WriteAllText(Path.Combine(settings.Out, "simulation.md"), markdown);
        if (!settings.NoCharts)
            foreach (var (simulation, _) in run.Groups)
                ScalingChart.Save(simulation, Path.Combine(settings.Out, SimulationReports.ChartFileName(simulation.Group)));

        switch (settings.Format)
        {
            case SimulationFormat.Json:
                Console.Out.Write(json);
                Console.Out.Flush();
                break;
            case SimulationFormat.Markdown:
                Console.Out.Write(markdown);
                Console.Out.Flush();
                break;
            default:
                console.Write(SimulationReports.Table(run));
                foreach (var reason in run.NotSimulated) console.MarkupLine($"[yellow]not simulated:[/] {Markup.Escape(reason)}");
                console.MarkupLine($"[grey]Timelines, report and charts: {Markup.Escape(settings.Out)} (simulation.json, simulation.md, *.png).[/]");
                break;
        }
        return 0;
    }

    /// <summary>What one instance sustains, from the environment file: a service's <c>capacity</c>, a worker's 1 ÷ <c>averageProcessingTime</c>.</summary>
    public static Func<GroupKind, string, GroupCapacity> CapacitiesOf(EnvironmentConfig config)
    {
        var services = config.Services.ToDictionary(kv => kv.Key, kv => kv.Value.Capacity ?? Components.Compute.WebServiceSettings.DefaultCapacity);
        var workers = (config.Workers ?? new Dictionary<string, WorkerConfig>())
            .ToDictionary(kv => kv.Key, kv => 1.0 / kv.Value.AverageProcessingTime.ToSeconds());
        return (kind, key) => new GroupCapacity(kind == GroupKind.Service
            ? services.GetValueOrDefault(key, Components.Compute.WebServiceSettings.DefaultCapacity)
            : workers.GetValueOrDefault(key, 1.0));
    }
}
