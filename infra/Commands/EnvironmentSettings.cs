using System.ComponentModel;
using ScalableBackend.Stacks.Config;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ScalableBackend.Infra.Commands;

/// <summary>Options every verb has: how much to print.</summary>
public class OutputSettings : CommandSettings
{
    /// <summary>Also list what the summary only counts (acknowledged findings, resources by type).</summary>
    [CommandOption("-v|--verbose")]
    [Description("Also list what the summary only counts: acknowledged findings with their reasons, resources by type.")]
    public bool Verbose { get; init; }

    /// <summary>Print only problems.</summary>
    [CommandOption("-q|--quiet")]
    [Description("Print only problems (unacknowledged findings, stateful changes, errors); the exit code says pass or fail.")]
    public bool Quiet { get; init; }

    /// <inheritdoc/>
    public override ValidationResult Validate() => Verbose && Quiet
        ? ValidationResult.Error("--verbose and --quiet exclude each other")
        : ValidationResult.Success();
}

/// <summary>Options shared by the verbs that work on environments; the one place an environment is selected.</summary>
public class EnvironmentSettings : OutputSettings
{
    /// <summary>dev, staging, prod or all; null means all (or, with templates, the environment their names give).</summary>
    [CommandOption("-e|--env <ENV>")]
    [Description("Environment: dev, staging, prod or all (default: all).")]
    public string? Env { get; init; }

    /// <summary>Where synthesized templates are written.</summary>
    [CommandOption("-o|--out <DIR>")]
    [Description("Directory for synthesized templates (default: cdk.out).")]
    [DefaultValue("cdk.out")]
    public string Out { get; init; } = "cdk.out";

    /// <summary>The environment names <see cref="Env"/> selects, in deployment order.</summary>
    public IReadOnlyList<string> SelectedEnvironments() =>
        Env is null or "all" ? EnvironmentLoader.Environments : [Env];

    /// <summary>The environment <see cref="Env"/> names, or null for all.</summary>
    public string? SingleEnvironment => Env is null or "all" ? null : Env;

    /// <summary>Loads and validates the selected environments; throws <see cref="ConfigException"/> on the first invalid one.</summary>
    public IReadOnlyList<EnvironmentDefinition> LoadEnvironments() =>
        SelectedEnvironments().Select(name => EnvironmentLoader.Load(name)).ToArray();

    /// <inheritdoc/>
    public override ValidationResult Validate()
    {
        if (base.Validate() is { Successful: false } failed)
            return failed;
        return Env is null or "all" || EnvironmentLoader.Environments.Contains(Env)
            ? ValidationResult.Success()
            : ValidationResult.Error($"--env = {Env} is not an environment; allowed: {string.Join(", ", EnvironmentLoader.Environments)}, all");
    }
}
