using ScalableBackend.Infra.Commands;
using ScalableBackend.Stacks.Config;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ScalableBackend.Infra;

/// <summary>The command line: CDK-app mode when the CDK CLI runs us, otherwise the verbs.</summary>
public static class Cli
{
    /// <summary>Runs the tool with <paramref name="args"/>; returns the process exit code.</summary>
    public static int Run(string[] args, IAnsiConsole? console = null)
    {
        if (args.Length == 0 && Environment.GetEnvironmentVariable("CDK_OUTDIR") is { Length: > 0 })
            return CdkApp.Run(console ?? AnsiConsole.Console);

        var app = new CommandApp();
        app.Configure(config =>
        {
            config.SetApplicationName("dotnet run --project infra --");
            if (console is not null) config.ConfigureConsole(console);
            config.AddCommand<SynthCommand>("synth")
                .WithDescription("Synthesize environments into CloudFormation templates, offline.")
                .WithExample("synth", "--env", "prod", "--out", "cdk.out");
            config.AddCommand<CheckCommand>("check")
                .WithDescription("Check templates against the policy pack; exit 1 on any unacknowledged error.")
                .WithExample("check", "--env", "prod", "--format", "sarif")
                .WithExample("check", "--template", "cdk.out/Backend-Prod.template.json");
            config.AddCommand<CostCommand>("cost")
                .WithDescription("Estimate the monthly cost per resource kind at minimum and maximum scale, from infra/Pricing/prices.json.")
                .WithExample("cost", "--env", "prod");
            config.AddCommand<PlanCommand>("plan")
                .WithDescription("Synthesize, check and price each environment and draw its topology; exit 1 on policy errors.")
                .WithExample("plan", "--env", "prod")
                .WithExample("plan", "--format", "markdown", "--output", "plan.md");
            config.AddCommand<DiffCommand>("diff")
                .WithDescription("Preview a change: diff the templates against a base branch's, guard stateful resources, compare cost.")
                .WithExample("diff", "--base", "base", "--head", "head", "--format", "markdown");
            config.SetExceptionHandler((exception, _) => ReportError(console ?? AnsiConsole.Console, exception));
        });
        return app.Run(args);
    }

    /// <summary>Prints one clear line for <paramref name="exception"/> (no stack trace) and returns exit code 1.</summary>
    public static int ReportError(IAnsiConsole console, Exception exception)
    {
        var message = exception switch
        {
            ConfigException c => c.Message,
            Policies.TemplateLoadException t => t.Message,
            Preview.PreviewException p => p.Message,
            InvalidDataException d => d.Message,
            CommandParseException or CommandRuntimeException => exception.Message,
            _ => $"{exception.GetType().Name}: {FirstLine(exception.Message)}",
        };
        console.MarkupLine($"[red]error:[/] {Markup.Escape(message)}");
        return 1;
    }

    private static string FirstLine(string text) => text.Split('\n')[0].Trim();
}
