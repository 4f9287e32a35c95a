using ScalableBackend.Stacks;
using ScalableBackend.Stacks.Config;
using Spectre.Console;

namespace ScalableBackend.Infra.Commands;

/// <summary>Helpers the preview verbs share: progress that never mixes into a document, synthesis, writing documents.</summary>
internal static class Work
{
    /// <summary>
    /// The console for progress: <paramref name="console"/>, except when a document goes to standard output through
    /// the process console; then standard error, so the document stays clean.
    /// </summary>
    public static IAnsiConsole ProgressConsole(IAnsiConsole console, bool documentOnStdout) =>
        documentOnStdout && ReferenceEquals(console, AnsiConsole.Console)
            ? AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) })
            : console;

    /// <summary>Runs <paramref name="work"/> under a status spinner whose text it updates.</summary>
    public static T WithStatus<T>(IAnsiConsole console, string title, Func<Action<string>, T> work)
    {
        T result = default!;
        console.Status().Start(title, status => result = work(text => status.Status(Markup.Escape(text))));
        return result;
    }

    /// <summary>Validates all <paramref name="names"/> first, then synthesizes each into <paramref name="outDir"/>.</summary>
    public static IReadOnlyList<(EnvironmentDefinition Definition, string Template)> Synthesize(
        IReadOnlyList<string> names, string outDir, Action<string> progress)
    {
        var definitions = names.Select(n => EnvironmentLoader.Load(n)).ToArray();
        var result = new List<(EnvironmentDefinition, string)>();
        foreach (var definition in definitions)
        {
            progress($"Synthesizing {definition.StackName} from {definition.File}");
            // One template per environment until the preview verbs report per stack.
            result.Add((definition, BackendSynthesizer.Synthesize(definition, outDir).Stacks[0].TemplatePath));
        }
        return result;
    }

    /// <summary>The environment names <paramref name="env"/> selects; throws for an unknown one.</summary>
    public static IReadOnlyList<string> Select(string env)
    {
        if (env == "all")
            return EnvironmentLoader.Environments;
        if (!EnvironmentLoader.Environments.Contains(env))
            throw new ConfigException("--env", "", $"= {env} is not an environment; allowed: {string.Join(", ", EnvironmentLoader.Environments)}, all");
        return [env];
    }

    /// <summary>Writes a document to <paramref name="file"/>, or to standard output when null.</summary>
    public static void Emit(string document, string? file)
    {
        if (file is null)
        {
            Console.Out.Write(document);
            Console.Out.Flush();
            return;
        }
        var dir = Path.GetDirectoryName(Path.GetFullPath(file));
        if (dir is not null)
            Directory.CreateDirectory(dir);
        File.WriteAllText(file, document);
    }
}
