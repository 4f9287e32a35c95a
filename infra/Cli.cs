using System.Text.Json;
using ScalableBackend.Infra.Commands;
using ScalableBackend.Stacks.Config;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ScalableBackend.Infra;

/// <summary>The command line: CDK-app mode when the CDK CLI runs us, otherwise the verbs.</summary>
public static class Cli
{
    /// <summary>
    /// Runs the tool with <paramref name="args"/>; returns the process exit code. Results go to <paramref name="console"/>
    /// (default: standard output), errors and progress to <paramref name="errors"/> (default: standard error; when only
    /// <paramref name="console"/> is given, to it).
    /// </summary>
    public static int Run(string[] args, IAnsiConsole? console = null, IAnsiConsole? errors = null)
    {
        var terminal = console is null ? Terminal.ForProcess() : new Terminal(console, errors ?? console);
        var previous = Terminal.Current;
        Terminal.Current = terminal;
        try
        {
            if (args.Length == 0 && Environment.GetEnvironmentVariable("CDK_OUTDIR") is { Length: > 0 })
                return CdkApp.Run(terminal.Error);
            var json = WantsJson(args);
            args = CommandLine.Normalize(args);
            if (CommandLine.Problem(args) is { } problem)
                return ReportError(terminal.Error, new CommandLineException(problem), json);

            var app = new CommandApp();
            app.Configure(config =>
            {
                config.SetApplicationName("dotnet run --project infra --");
                config.ConfigureConsole(terminal.Out);
                config.UseStrictParsing();
                config.AddCommand<SynthCommand>("synth")
                    .WithDescription("Synthesize every stack of the environments into one cloud assembly (templates and manifest), offline.")
                    .WithExample("synth", "--env", "prod", "--out", "cdk.out");
                config.AddCommand<CheckCommand>("check")
                    .WithDescription("Check every stack's template against the policy pack; exit 1 on any unacknowledged error.")
                    .WithExample("check", "--env", "prod", "--format", "sarif")
                    .WithExample("check", "--template", "cdk.out/Backend-Prod-*.template.json");
                config.AddCommand<CostCommand>("cost")
                    .WithDescription("Estimate the monthly cost per environment, stack and resource kind at minimum and maximum scale, from infra/Pricing/prices.json.")
                    .WithExample("cost", "--env", "prod");
                config.AddCommand<PlanCommand>("plan")
                    .WithDescription("Synthesize, check and price each environment's stacks and draw its topology; exit 1 on policy errors.")
                    .WithExample("plan", "--env", "prod")
                    .WithExample("plan", "--format", "markdown", "--output", "plan.md");
                config.AddCommand<DiffCommand>("diff")
                    .WithDescription("Preview a change: diff every stack against a base branch's, guard stateful resources, compare cost.")
                    .WithExample("diff", "--base", "base", "--head", "head", "--format", "markdown");
                config.AddCommand<CopyBucketsCommand>("copy-buckets")
                    .WithDescription("Copy, verify or clean the rows of a database.moves entry between two shards (connection strings from SCALABLE_BACKEND_CONNECTION_<SHARD> or --connection, without passwords).")
                    .WithExample("copy-buckets", "--env", "prod", "--move", "896-1023", "--table", "orders:customer_id", "--table", "order_lines:customer_id")
                    .WithExample("copy-buckets", "--env", "prod", "--table", "orders:customer_id", "--step", "clean");
                config.AddCommand<Simulation.SimulateCommand>("simulate").WithDescription("Rehearse every Auto Scaling group against a traffic profile, minute by minute, from the synthesized templates.").WithExample("simulate", "--env", "prod", "--profile", "infra/Simulation/profiles/spike.yaml");
                config.SetExceptionHandler((exception, _) => ReportError(terminal.Error, exception, json));
            });
            return app.Run(args);
        }
        finally
        {
            Terminal.Current = previous;
        }
    }

    /// <summary>True when the command line asks for JSON output, so errors are printed as JSON too.</summary>
    private static bool WantsJson(string[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] is "--format=json" or "-f=json")
                return true;
            if (args[i] is "--format" or "-f" && i + 1 < args.Length && string.Equals(args[i + 1], "json", StringComparison.OrdinalIgnoreCase))
                return true;
        }
        return false;
    }

    /// <summary>
    /// Prints one clear line for <paramref name="exception"/> (no stack trace) on <paramref name="errors"/> and returns exit
    /// code 1; with <paramref name="json"/>, standard output also gets <c>{"error": "…"}</c>, so it holds JSON only.
    /// </summary>
    public static int ReportError(IAnsiConsole errors, Exception exception, bool json = false)
    {
        var message = Message(exception);
        errors.MarkupLine($"[red]error:[/] {Markup.Escape(message)}");
        if (json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(new Dictionary<string, string> { ["error"] = message }));
            Console.Out.Flush();
        }
        return 1;
    }

    private static string Message(Exception exception) => exception switch
    {
        ConfigException c => c.Message,
        Policies.TemplateLoadException t => t.Message,
        Preview.PreviewException p => p.Message,
        InvalidDataException d => d.Message,
        CommandLineException l => l.Message,
        OptionValueException o => o.Message,
        CommandParseException or CommandRuntimeException when exception.InnerException is OptionValueException inner => inner.Message,
        CommandParseException or CommandRuntimeException => exception.Message,
        _ when exception.InnerException is ConfigException or Policies.TemplateLoadException => exception.InnerException.Message,
        _ => $"{exception.GetType().Name}: {FirstLine(exception.Message)}",
    };

    private static string FirstLine(string text) => text.Split('\n')[0].Trim();
}

/// <summary>The command line is wrong (an unknown verb or option, a value not allowed); the message suggests the fix.</summary>
public sealed class CommandLineException(string message) : Exception(message);
