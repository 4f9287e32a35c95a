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

    private readonly bool _ownsStacks = true;

    /// <summary>A runner over a new, empty folder of environment files (add them with <see cref="WithEnvironment"/>).</summary>
    public CliRunner()
    {
        StacksDir = Directory.CreateTempSubdirectory("sb-cli-stacks-").FullName;
    }

    /// <summary>A runner over an existing folder of environment files, which it leaves alone (e.g. the repository's <c>stacks/</c>).</summary>
    public CliRunner(string stacksDir)
    {
        StacksDir = stacksDir;
        _ownsStacks = false;
    }

    /// <summary>The repository root (the folder holding <c>Infra.sln</c>).</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Infra.sln")))
                return dir.FullName;
        throw new InvalidOperationException("Infra.sln not found above the test binaries");
    }

    /// <summary>The folder holding the environment files.</summary>
    public string StacksDir { get; }

    /// <summary>A scratch output folder.</summary>
    public string OutDir { get; } = Directory.CreateTempSubdirectory("sb-cli-out-").FullName;

    /// <summary>Writes <c>name.yaml</c> into <see cref="StacksDir"/>.</summary>
    public CliRunner WithEnvironment(string name, string yaml = TinyEnvironment)
    {
        File.WriteAllText(Path.Combine(StacksDir, $"{name}.yaml"), yaml);
        return this;
    }

    /// <summary>Runs the CLI; returns the exit code, what went to the console, to standard output and to the error console.</summary>
    public CliResult Run(params string[] args) => RunWith(new TestConsole().Width(200), new TestConsole().Width(200), args);

    /// <summary>Runs the CLI with the given consoles (e.g. an interactive error console, to see progress).</summary>
    public CliResult RunWith(TestConsole console, TestConsole errors, params string[] args)
    {
        var stdout = new StringWriter();
        var previousOut = System.Console.Out;
        var previousDir = System.Environment.GetEnvironmentVariable(Stacks.Config.EnvironmentLoader.DirectoryVariable);
        System.Environment.SetEnvironmentVariable(Stacks.Config.EnvironmentLoader.DirectoryVariable, StacksDir);
        System.Console.SetOut(stdout);
        try
        {
            var code = Cli.Run(args, console, errors);
            return new CliResult(code, console.Output, stdout.ToString(), errors.Output);
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
        try
        {
            if (_ownsStacks)
                Directory.Delete(StacksDir, true);
            Directory.Delete(OutDir, true);
        }
        catch (IOException) { }
    }
}

/// <summary>What one run of the CLI did.</summary>
/// <param name="ExitCode">The exit code.</param>
/// <param name="Console">What went to the result console (standard output's console).</param>
/// <param name="StdOut">What went to standard output directly (JSON, SARIF, Markdown documents).</param>
/// <param name="StdErr">What went to the error console (standard error): errors and progress.</param>
public sealed record CliResult(int ExitCode, string Console, string StdOut, string StdErr)
{
    /// <summary>The exit code, the console's text and standard output.</summary>
    public void Deconstruct(out int exitCode, out string console, out string stdOut) =>
        (exitCode, console, stdOut) = (ExitCode, Console, StdOut);
}
