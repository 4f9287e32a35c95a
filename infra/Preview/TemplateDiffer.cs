using System.Diagnostics;
using Spectre.Console;
using System.Text.Json;

namespace ScalableBackend.Infra.Preview;

/// <summary>How one property change affects its resource, as <c>@aws-cdk/cloudformation-diff</c> classifies it.</summary>
/// <param name="Name">The property.</param>
/// <param name="Impact">WILL_UPDATE, WILL_REPLACE, MAY_REPLACE, …</param>
public sealed record PropertyChange(string Name, string Impact);

/// <summary>One changed resource between two templates.</summary>
/// <param name="LogicalId">Its logical ID.</param>
/// <param name="OldType">Its type in the base template; null when added.</param>
/// <param name="NewType">Its type in the head template; null when removed.</param>
/// <param name="Impact">The resource's overall impact (WILL_UPDATE, WILL_CREATE, WILL_REPLACE, MAY_REPLACE, WILL_DESTROY, WILL_ORPHAN, …).</param>
/// <param name="IsAddition">True when only the head has it.</param>
/// <param name="IsRemoval">True when only the base has it.</param>
/// <param name="TypeChanged">True when its type changed (a replacement).</param>
/// <param name="Properties">Its property changes with their impacts.</param>
public sealed record ResourceChange(
    string LogicalId, string? OldType, string? NewType, string Impact, bool IsAddition, bool IsRemoval, bool TypeChanged,
    IReadOnlyList<PropertyChange> Properties)
{
    /// <summary>The type in the head, or in the base when removed.</summary>
    public string Type => NewType ?? OldType ?? "?";
}

/// <summary>The differences between one base and one head template.</summary>
/// <param name="Base">The base template file; <c>-</c> for none (a new stack).</param>
/// <param name="Head">The head template file.</param>
/// <param name="DifferenceCount">How many differences the library counted.</param>
/// <param name="Formatted">The readable diff, as <c>cdk diff</c> prints it (no colours).</param>
/// <param name="Changes">Every changed resource.</param>
public sealed record TemplateDiffResult(string Base, string Head, int DifferenceCount, string Formatted, IReadOnlyList<ResourceChange> Changes);

/// <summary>
/// Runs <c>Preview/template-diff.js</c>: <c>@aws-cdk/cloudformation-diff</c> (the library behind <c>cdk diff</c>,
/// which classifies replacements from the CloudFormation resource specification) over pairs of template files, in
/// one Node.js process. Offline; needs the repository's <c>node_modules</c> (<c>npm ci</c>).
/// </summary>
public static class TemplateDiffer
{
    /// <summary>The npm package the diff comes from.</summary>
    public const string Package = "@aws-cdk/cloudformation-diff";

    private static readonly JsonSerializerOptions Options = new() { PropertyNameCaseInsensitive = true };

    /// <summary>
    /// The <c>node_modules</c> folder holding <see cref="Package"/>: searched upwards from the current directory, then
    /// from the tool's own directory. Null when it is not installed.
    /// </summary>
    public static string? FindNodeModules() => FindNodeModules(install: false);

    /// <summary>As <see cref="FindNodeModules()"/>; with <paramref name="install"/>, first installs the repository's npm packages when they are missing or stale (<see cref="NodePackages.Ensure"/>).</summary>
    public static string? FindNodeModules(bool install)
    {
        if (install)
            NodePackages.Ensure(text => Commands.Terminal.Current.Error.MarkupLine($"[grey]{Markup.Escape(text)}[/]"));
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "node_modules");
                if (File.Exists(Path.Combine(candidate, "@aws-cdk", "cloudformation-diff", "package.json")))
                    return candidate;
            }
        }
        return null;
    }

    /// <summary>Compares each (base, head) pair; a null base means a new stack (empty base), a null head a removed one.</summary>
    /// <exception cref="PreviewException">Node.js or the npm package is missing, or the script failed.</exception>
    public static IReadOnlyList<TemplateDiffResult> Compare(IReadOnlyList<(string? Base, string? Head)> pairs)
    {
        if (pairs.Count == 0)
            return [];
        var nodeModules = FindNodeModules(install: true)
            ?? throw new PreviewException($"{Package} is not installed: run \"npm ci\" in the repository root (package.json pins it)");
        var script = Path.Combine(AppContext.BaseDirectory, "Preview", "template-diff.js");
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(script);
        foreach (var (baseFile, head) in pairs)
        {
            start.ArgumentList.Add(baseFile ?? "-");
            start.ArgumentList.Add(head ?? "-");
        }
        start.Environment["NODE_PATH"] = nodeModules;
        start.Environment["FORCE_COLOR"] = "0";
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new PreviewException("node did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new PreviewException($"cannot run node (Node.js 20 is needed for the diff): {e.Message}");
        }
        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
                throw new PreviewException($"template diff failed: {stderr.Result.Trim()}");
            var results = JsonSerializer.Deserialize<List<TemplateDiffResult>>(stdout, Options)
                ?? throw new PreviewException("template diff printed nothing");
            return results;
        }
    }
}
