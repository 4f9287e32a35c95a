using System.Diagnostics;

namespace ScalableBackend.Infra.Tests;

/// <summary>Runs a program to the end with its output captured (the built CLI, the CDK CLI).</summary>
public static class Processes
{
    /// <summary>Runs <paramref name="program"/> with <paramref name="args"/>; returns its exit code, standard output and standard error.</summary>
    public static (int ExitCode, string StdOut, string StdErr) Run(string program, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Directory.GetCurrentDirectory(),
        };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout, stderr.GetAwaiter().GetResult());
    }
}
