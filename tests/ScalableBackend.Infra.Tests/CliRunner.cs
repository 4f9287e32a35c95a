using Spectre.Console.Testing;

namespace ScalableBackend.Infra.Tests;

/// <summary>Runs the CLI in-process against a folder of environment files, capturing what it prints.</summary>
public sealed class CliRunner : IDisposable
{
    /// <summary>A small, valid environment: two zones, one service, explicit plain HTTP.</summary>
    public const string TinyEnvironment = """
        region: eu-west-1
        network:
          availabilityZones: [eu-west-1a, eu-west-1b]
          natGateways: 1
        logs:
          retentionDays: 7
        loadBalancer:
          allowPlainHttp: true
          deletionProtection: false
        services:
          api:
            instanceType: t3.micro
            routing: { priority: 1, pathPatterns: ["/*"] }
            minCapacity: 1
            maxCapacity: 2
            scaling: { cpuTargetPercent: 70 }
        """;

    static CliRunner()
    {
        System.Environment.SetEnvironmentVariable("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20");
        System.Environment.SetEnvironmentVariable("JSII_DEPRECATED", "quiet");
    }

    /// <summary>The folder holding the environment files.</summary>
    public string StacksDir { get; } = Directory.CreateTempSubdirectory("sb-cli-stacks-").FullName;

    /// <summary>A scratch output folder.</summary>
    public string OutDir { get; } = Directory.CreateTempSubdirectory("sb-cli-out-").FullName;

    /// <summary>Writes <c>name.yaml</c> into <see cref="StacksDir"/>.</summary>
    public CliRunner WithEnvironment(string name, string yaml = TinyEnvironment)
    {
        File.WriteAllText(Path.Combine(StacksDir, $"{name}.yaml"), yaml);
        return this;
    }

    /// <summary>Runs the CLI; returns the exit code, what went to the console and what went to standard output.</summary>
    public (int ExitCode, string Console, string StdOut) Run(params string[] args)
    {
        var console = new TestConsole().Width(200);
        var stdout = new StringWriter();
        var previousOut = System.Console.Out;
        var previousDir = System.Environment.GetEnvironmentVariable(Stacks.Config.EnvironmentLoader.DirectoryVariable);
        System.Environment.SetEnvironmentVariable(Stacks.Config.EnvironmentLoader.DirectoryVariable, StacksDir);
        System.Console.SetOut(stdout);
        try
        {
            var code = Cli.Run(args, console);
            return (code, console.Output, stdout.ToString());
        }
        finally
        {
            System.Console.SetOut(previousOut);
            System.Environment.SetEnvironmentVariable(Stacks.Config.EnvironmentLoader.DirectoryVariable, previousDir);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        try { Directory.Delete(StacksDir, true); Directory.Delete(OutDir, true); } catch (IOException) { }
    }
}
