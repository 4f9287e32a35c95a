using Spectre.Console;

namespace ScalableBackend.Infra.Commands;

/// <summary>
/// The two consoles of one run: results go to <see cref="Out"/> (standard output), errors, warnings and progress to
/// <see cref="Error"/> (standard error). Set by <see cref="Cli.Run"/> for the run.
/// </summary>
/// <param name="Out">Where results are written.</param>
/// <param name="Error">Where errors and progress are written.</param>
public sealed record Terminal(IAnsiConsole Out, IAnsiConsole Error)
{
    /// <summary>The consoles of the current run; the process's standard output and error outside <see cref="Cli.Run"/>.</summary>
    public static Terminal Current { get; internal set; } = ForProcess();

    /// <summary>Width of a console whose output is not a terminal: wide enough that nothing wraps and ids stay whole.</summary>
    public const int UnwrappedWidth = 4096;

    /// <summary>True when progress can be drawn (an interactive terminal on standard error).</summary>
    public bool ShowsProgress => Error.Profile.Capabilities.Interactive;

    /// <summary>The process's consoles: a redirected stream (a pipe, a file, a CI log) gets no colours, no animation and no wrapping.</summary>
    public static Terminal ForProcess() => new(
        Create(Console.Out, Console.IsOutputRedirected),
        Create(Console.Error, Console.IsErrorRedirected));

    private static IAnsiConsole Create(TextWriter writer, bool redirected)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Interactive = redirected ? InteractionSupport.No : InteractionSupport.Detect,
            Ansi = redirected ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = redirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
        });
        if (redirected)
            console.Profile.Width = UnwrappedWidth;
        return console;
    }
}
