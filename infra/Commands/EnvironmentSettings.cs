using System.ComponentModel;
using ScalableBackend.Stacks.Config;
using Spectre.Console.Cli;

namespace ScalableBackend.Infra.Commands;

/// <summary>Options shared by the verbs that work on environments.</summary>
public class EnvironmentSettings : CommandSettings
{
    /// <summary>dev, staging, prod or all.</summary>
    [CommandOption("-e|--env <ENV>")]
    [Description("Environment: dev, staging, prod or all (default: all).")]
    [DefaultValue("all")]
    public string Env { get; init; } = "all";

    /// <summary>The environment names the option selects.</summary>
    public IReadOnlyList<string> SelectedEnvironments() =>
        Env == "all" ? EnvironmentLoader.Environments : [Env];

    /// <summary>Loads and validates the selected environments; throws <see cref="ConfigException"/> on the first invalid one.</summary>
    public IReadOnlyList<EnvironmentDefinition> LoadEnvironments() =>
        SelectedEnvironments().Select(name => EnvironmentLoader.Load(name)).ToArray();
}
