using Spectre.Console;
using System.Diagnostics;
using ScalableBackend.Infra.Preview;

namespace ScalableBackend.Infra.Validation;

/// <summary>
/// Runs one of the tool's Node.js scripts (next to the executable, under <c>Validation/</c>) with a JSON request on
/// standard input and returns what it printed. The npm packages come from the repository's <c>node_modules</c>
/// (<c>npm ci</c>); nothing is fetched and no credentials are read.
/// </summary>
internal static class NodeScript
{
    /// <summary>The <c>node_modules</c> folder holding <paramref name="package"/>, searched upwards from the current and the tool's directory.</summary>
    public static string? FindNodeModules(string package)
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "node_modules");
                if (File.Exists(Path.Combine(candidate, package, "package.json")))
                    return candidate;
            }
        }
        return null;
    }

    /// <summary>Runs <c>Validation/<paramref name="script"/></c> with <paramref name="request"/> on standard input.</summary>
    /// <exception cref="PreviewException">Node.js or <paramref name="package"/> is missing, or the script failed.</exception>
    public static string Run(string script, string package, string what, string request)
    {
        // README's commands set themselves up: install the pinned npm packages first when they are missing or stale.
        if (FindNodeModules(package) is null || Preview.NodePackages.Root() is { } root && Preview.NodePackages.NeedsInstall(root))
            Preview.NodePackages.Ensure(text => Commands.Terminal.Current.Error.MarkupLine($"[grey]{Markup.Escape(text)}[/]"));
        var nodeModules = FindNodeModules(package)
            ?? throw new PreviewException($"{what} needs the npm package {package}: run \"npm ci\" in the repository root (package.json pins it)");
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Validation", script));
        start.Environment["NODE_PATH"] = nodeModules;
        start.Environment["FORCE_COLOR"] = "0";
        start.Environment["JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION"] = "20";
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new PreviewException("node did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new PreviewException($"cannot run node (Node.js 20 is needed for {what}): {e.Message}");
        }
        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEndAsync();
            process.StandardInput.Write(request);
            process.StandardInput.Close();
            process.WaitForExit();
            if (process.ExitCode != 0)
                throw new PreviewException($"{what} failed: {LastLines(stderr.Result, 5)}");
            return stdout.Result;
        }
    }

    private static string LastLines(string text, int count) =>
        string.Join(" | ", text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).TakeLast(count));
}
