using ScalableBackend.Stacks;
using ScalableBackend.Stacks.Config;
using Spectre.Console;

namespace ScalableBackend.Infra.Commands;

/// <summary>Helpers the verbs share: progress on a terminal, synthesis of stack sets, writing documents.</summary>
internal static class Work
{
    /// <summary>
    /// Runs <paramref name="work"/>, drawing its progress (a spinner with the text it reports) on standard error when
    /// that is a terminal and <paramref name="quiet"/> is false; otherwise silently.
    /// </summary>
    public static T WithProgress<T>(string title, bool quiet, Func<Action<string>, T> work)
    {
        var terminal = Terminal.Current;
        if (quiet || !terminal.ShowsProgress)
            return work(_ => { });
        T result = default!;
        terminal.Error.Status().Start(Markup.Escape(title), status => result = work(text => status.Status(Markup.Escape(text))));
        return result;
    }

    /// <summary>Validates every environment of <paramref name="settings"/> first, then synthesizes each into its output directory.</summary>
    public static IReadOnlyList<EnvironmentTemplates> Synthesize(EnvironmentSettings settings, string title = "Synthesizing") =>
        Synthesize(settings.LoadEnvironments(), settings.Out, settings.Quiet, title);

    /// <summary>
    /// Synthesizes each of <paramref name="definitions"/> into <paramref name="outDir"/>, then prints every synthesis
    /// warning (a stack at 400 resources or more) on standard error, <c>--quiet</c> or not: a warning is a problem.
    /// </summary>
    public static IReadOnlyList<EnvironmentTemplates> Synthesize(IReadOnlyList<EnvironmentDefinition> definitions, string outDir, bool quiet, string title = "Synthesizing")
    {
        var environments = WithProgress(title, quiet, progress => definitions.Select(definition =>
        {
            progress($"Synthesizing {definition.StackName} from {definition.File}");
            return Templates(BackendSynthesizer.Synthesize(definition, outDir));
        }).ToArray());
        foreach (var warning in environments.SelectMany(e => e.Warnings))
            Terminal.Current.Error.MarkupLine($"[yellow]warning:[/] {Markup.Escape(warning)}");
        return environments;
    }

    /// <summary>The templates of a synthesized environment.</summary>
    public static EnvironmentTemplates Templates(SynthesizedEnvironment environment) => new(
        environment.Definition.Name,
        StackNames.EnvironmentPrefix(environment.Definition.Name),
        environment.Stacks.Select(s => new StackTemplate(s.StackName, s.TemplatePath)).ToArray(),
        environment.Definition.Config.Region,
        Preview.FileKeys.Of(environment),
        environment.Warnings);

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
