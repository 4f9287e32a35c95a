using System.Reflection;
using Spectre.Console.Cli;

namespace ScalableBackend.Infra.Commands;

/// <summary>
/// The strict command line, checked before the verbs run: an unknown verb or option, or an enum option with a value it
/// does not allow, is an error that suggests the nearest name. Verbs and their options are read from the command types
/// (<c>XCommand</c> is verb <c>x</c>, <c>CopyBucketsCommand</c> verb <c>copy-buckets</c>, its nested <c>Settings</c> its options), so a new verb is checked like the others.
/// </summary>
public static class CommandLine
{
    /// <summary>A verb and the options its settings declare.</summary>
    /// <param name="Name">The verb.</param>
    /// <param name="Options">Every option name with its dashes (<c>--env</c>, <c>-e</c>) and the property behind it.</param>
    public sealed record Verb(string Name, IReadOnlyDictionary<string, PropertyInfo> Options);

    private static readonly string[] Always = ["-h", "--help", "-?"];

    /// <summary>The verbs of this tool, by name.</summary>
    public static IReadOnlyDictionary<string, Verb> Verbs { get; } = typeof(CommandLine).Assembly.GetTypes()
        .Where(t => !t.IsAbstract && t.Name.EndsWith("Command", StringComparison.Ordinal) && t.Name.Length > "Command".Length
                    && typeof(ICommand).IsAssignableFrom(t))
        .Select(t => new Verb(Kebab(t.Name[..^"Command".Length]), OptionsOf(SettingsType(t))))
        .ToDictionary(v => v.Name, StringComparer.Ordinal);

    /// <summary>A verb's name from its command type's: <c>CopyBuckets</c> → <c>copy-buckets</c>.</summary>
    private static string Kebab(string pascal) =>
        string.Concat(pascal.Select((c, i) => char.IsUpper(c) && i > 0 ? $"-{char.ToLowerInvariant(c)}" : char.ToLowerInvariant(c).ToString()));

    private static Type? SettingsType(Type command)
    {
        for (var t = command; t is not null; t = t.BaseType)
            if (t.IsGenericType && t.GetGenericArguments() is [{ } settings] && typeof(CommandSettings).IsAssignableFrom(settings))
                return settings;
        return null;
    }

    private static Dictionary<string, PropertyInfo> OptionsOf(Type? settings)
    {
        var options = new Dictionary<string, PropertyInfo>(StringComparer.Ordinal);
        foreach (var property in settings?.GetProperties(BindingFlags.Public | BindingFlags.Instance) ?? [])
        {
            if (property.GetCustomAttribute<CommandOptionAttribute>() is not { } option)
                continue;
            foreach (var name in option.LongNames)
                options[$"--{name}"] = property;
            foreach (var name in option.ShortNames)
                options[$"-{name}"] = property;
        }
        return options;
    }

    /// <summary>
    /// Rewrites <c>--template a.json b.json</c> as <c>--template a.json --template b.json</c>: an option that takes several
    /// values takes every following word that is not an option (as a shell passes an expanded glob).
    /// </summary>
    public static string[] Normalize(string[] args)
    {
        if (args.Length == 0 || !Verbs.TryGetValue(args[0], out var verb))
            return args;
        var result = new List<string> { args[0] };
        PropertyInfo? many = null;
        string? manyName = null;
        foreach (var arg in args.Skip(1))
        {
            if (arg.StartsWith('-'))
            {
                var name = arg.Split('=', 2)[0];
                many = verb.Options.TryGetValue(name, out var p) && p.PropertyType.IsArray && !arg.Contains('=') ? p : null;
                manyName = many is null ? null : name;
                result.Add(arg);
                continue;
            }
            if (many is not null && result[^1] != manyName)
                result.Add(manyName!);
            result.Add(arg);
        }
        return result.ToArray();
    }

    /// <summary>The first problem with <paramref name="args"/>, or null when the verbs may run them.</summary>
    public static string? Problem(string[] args)
    {
        if (args.Length == 0 || Always.Contains(args[0]) || args[0] == "--version")
            return null;
        if (!Verbs.TryGetValue(args[0], out var verb))
        {
            var known = string.Join(", ", Verbs.Keys.Order(StringComparer.Ordinal));
            return args[0].StartsWith('-')
                ? $"{args[0]}: give a verb first ({known})"
                : $"unknown verb '{args[0]}'{Suggest(args[0], Verbs.Keys)}; verbs: {known}";
        }
        for (var i = 1; i < args.Length; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith('-') || arg == "-" || Always.Contains(arg))
                continue;
            var parts = arg.Split('=', 2);
            if (!verb.Options.TryGetValue(parts[0], out var property))
                return $"{verb.Name}: unknown option '{parts[0]}'{Suggest(parts[0], verb.Options.Keys.Where(k => k.StartsWith("--", StringComparison.Ordinal)))}; `{verb.Name} --help` lists the options";
            var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            var value = parts.Length == 2 ? parts[1] : i + 1 < args.Length ? args[i + 1] : null;
            if (type.IsEnum && value is not null && !Enum.GetNames(type).Any(n => string.Equals(n, value, StringComparison.OrdinalIgnoreCase)))
                return $"{LongName(verb, property)} = {value} must be one of {string.Join(", ", Enum.GetNames(type).Select(n => n.ToLowerInvariant()))}";
        }
        return null;
    }

    private static string LongName(Verb verb, PropertyInfo property) =>
        verb.Options.First(o => o.Value == property && o.Key.StartsWith("--", StringComparison.Ordinal)).Key;

    /// <summary>"; did you mean 'x'?" for the candidate nearest to <paramref name="given"/> (at most 2 edits away), else empty.</summary>
    public static string Suggest(string given, IEnumerable<string> candidates)
    {
        var best = candidates.Select(c => (Name: c, Distance: Components.Facts.AwsFacts.EditDistance(given, c))).OrderBy(c => c.Distance).ThenBy(c => c.Name, StringComparer.Ordinal).FirstOrDefault();
        return best.Name is not null && best.Distance <= Math.Max(2, given.Length / 3) ? $"; did you mean '{best.Name}'?" : "";
    }
}
