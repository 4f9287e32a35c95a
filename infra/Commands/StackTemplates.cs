using System.Text.RegularExpressions;
using ScalableBackend.Policies;
using ScalableBackend.Stacks;

namespace ScalableBackend.Infra.Commands;

/// <summary>One stack's synthesized template.</summary>
/// <param name="StackName">The CloudFormation stack name, e.g. <c>Backend-Prod-Data</c>.</param>
/// <param name="File">Its template file.</param>
public sealed record StackTemplate(string StackName, string File)
{
    /// <summary>The stack's short name inside its environment: <c>Data</c>, <c>Service-Api</c>; the whole name when it has no environment prefix.</summary>
    public string ShortName(string prefix) =>
        StackName.StartsWith(prefix + "-", StringComparison.Ordinal) ? StackName[(prefix.Length + 1)..] : StackName;
}

/// <summary>The templates of one environment's stacks, in deployment order.</summary>
/// <param name="Environment">The environment (<c>prod</c>); null when the templates name none.</param>
/// <param name="Prefix">What every stack name starts with: <c>Backend-Prod</c>; for loose templates, a label.</param>
/// <param name="Stacks">The stacks, in deployment order.</param>
/// <param name="Region">The region the environment file deploys to; null when only templates are known.</param>
/// <param name="Keys">Component → the environment file's key it comes from (see <see cref="Preview.FileKeys"/>); null when only templates are known.</param>
/// <param name="SynthesisWarnings">What the synthesis warned about (a stack at 400 resources or more, see <c>SynthesizedEnvironment.Warnings</c>); null when only templates are known.</param>
public sealed record EnvironmentTemplates(string? Environment, string Prefix, IReadOnlyList<StackTemplate> Stacks, string? Region = null,
    IReadOnlyDictionary<string, string>? Keys = null, IReadOnlyList<string>? SynthesisWarnings = null)
{
    /// <summary>The synthesis warnings; empty when there were none or the templates were given.</summary>
    public IReadOnlyList<string> Warnings => SynthesisWarnings ?? [];

    /// <summary>Loads every template as one <see cref="TemplateSet"/> for the policy pack.</summary>
    public IReadOnlyList<(StackTemplate Stack, TemplateDocument Template)> Load() =>
        Stacks.Select(s => (s, TemplateDocument.Load(s.File))).ToArray();
}

/// <summary>
/// Finds the stacks of environments among template files: <c>Backend-&lt;Env&gt;-&lt;Stack&gt;.template.json</c> (the stack
/// set) or <c>Backend-&lt;Env&gt;.template.json</c> (one stack per environment, from before the split).
/// </summary>
public static partial class TemplateFiles
{
    [GeneratedRegex(@"^(?<prefix>Backend-(?<env>[A-Za-z][A-Za-z0-9]*))(?<rest>-[A-Za-z0-9-]+)?\.template\.json$")]
    private static partial Regex StackFile();

    /// <summary>The environment prefix and stack name a file is named for, or null for any other name.</summary>
    public static (string Prefix, string Environment, string StackName)? Parse(string file)
    {
        var match = StackFile().Match(Path.GetFileName(file));
        if (!match.Success)
            return null;
        var prefix = match.Groups["prefix"].Value;
        return (prefix, match.Groups["env"].Value.ToLowerInvariant(), prefix + match.Groups["rest"].Value);
    }

    /// <summary>
    /// The stacks of environment <paramref name="environment"/> in <paramref name="directory"/>: every
    /// <c>Backend-&lt;Env&gt;-*.template.json</c>; when there are none, the single <c>Backend-&lt;Env&gt;.template.json</c> of a
    /// directory written before the stack split. Empty when the directory holds neither.
    /// </summary>
    public static IReadOnlyList<StackTemplate> InDirectory(string directory, string environment)
    {
        var prefix = StackNames.EnvironmentPrefix(environment);
        if (!Directory.Exists(directory))
            return [];
        var files = Directory.GetFiles(directory, $"{prefix}*.template.json")
            .Select(f => (File: f, Name: Parse(f)))
            .Where(f => f.Name is { } n && n.Prefix == prefix)
            .Select(f => new StackTemplate(f.Name!.Value.StackName, f.File))
            .ToList();
        var split = files.Where(f => f.StackName != prefix).ToList();
        return Order(split.Count > 0 ? split : files, prefix);
    }

    /// <summary>
    /// Groups template files by environment, from their names; a file named for no environment forms its own group,
    /// whose environment is <paramref name="environment"/> (or what the policy pack reads from its name).
    /// </summary>
    public static IReadOnlyList<EnvironmentTemplates> Group(IEnumerable<string> files, string? environment)
    {
        var groups = new List<EnvironmentTemplates>();
        foreach (var byPrefix in files.Distinct().GroupBy(f => Parse(f)?.Prefix))
        {
            if (byPrefix.Key is null)
            {
                groups.AddRange(byPrefix.Select(f => new EnvironmentTemplates(
                    environment ?? DeploymentEnvironment.FromFileName(f), Path.GetFileName(f), [new StackTemplate(Path.GetFileNameWithoutExtension(f), f)])));
                continue;
            }
            var stacks = byPrefix.Select(f => new StackTemplate(Parse(f)!.Value.StackName, f)).DistinctBy(s => s.StackName).ToList();
            groups.Add(new EnvironmentTemplates(environment ?? Parse(byPrefix.First())!.Value.Environment, byPrefix.Key, Order(stacks, byPrefix.Key)));
        }
        return groups;
    }

    /// <summary>
    /// Expands <paramref name="patterns"/>: a path is taken as it is; one with <c>*</c> or <c>?</c> in its file name is
    /// matched in its directory (for shells that do not expand it, and for quoted patterns).
    /// </summary>
    /// <exception cref="TemplateLoadException">A pattern matches no file.</exception>
    public static IReadOnlyList<string> Expand(IEnumerable<string> patterns)
    {
        var files = new List<string>();
        foreach (var pattern in patterns)
        {
            var name = Path.GetFileName(pattern);
            if (name.IndexOfAny(['*', '?']) < 0)
            {
                files.Add(pattern);
                continue;
            }
            var directoryPart = Path.GetDirectoryName(pattern);
            var directory = string.IsNullOrEmpty(directoryPart) ? "." : directoryPart;
            var matches = Directory.Exists(directory)
                ? Directory.GetFiles(directory, name).Order(StringComparer.Ordinal).ToArray()
                : [];
            if (matches.Length == 0)
                throw new TemplateLoadException(pattern, "no file matches this pattern");
            files.AddRange(string.IsNullOrEmpty(directoryPart) ? matches.Select(m => Path.GetFileName(m)) : matches);
        }
        return files.Distinct().ToArray();
    }

    /// <summary>Deployment order: Platform, Data, Edge, services, workers, Operations; anything else by name between.</summary>
    private static IReadOnlyList<StackTemplate> Order(IEnumerable<StackTemplate> stacks, string prefix) => stacks
        .OrderBy(s => Rank(s.ShortName(prefix)))
        .ThenBy(s => s.StackName, StringComparer.Ordinal)
        .ToArray();

    private static int Rank(string shortName) => shortName switch
    {
        "Platform" => 0,
        "Data" => 1,
        "Edge" => 2,
        _ when shortName.StartsWith("Service-", StringComparison.Ordinal) => 3,
        _ when shortName.StartsWith("Worker-", StringComparison.Ordinal) => 4,
        "Operations" => 6,
        _ => 5,
    };
}
