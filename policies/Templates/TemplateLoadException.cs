namespace ScalableBackend.Policies;

/// <summary>
/// The one exception the policy pack throws for input it cannot check: a missing or unreadable file, malformed
/// JSON or YAML, or a document that is not a CloudFormation template. The message always starts with the file.
/// </summary>
public sealed class TemplateLoadException : Exception
{
    /// <summary>Creates the exception; the message reads <c>{file}: {problem}</c>.</summary>
    public TemplateLoadException(string file, string problem, Exception? inner = null)
        : base($"{file}: {problem}", inner)
    {
        File = file;
        Problem = problem;
    }

    /// <summary>The file (as given by the caller) that could not be loaded.</summary>
    public string File { get; }

    /// <summary>What is wrong with it, without the file name.</summary>
    public string Problem { get; }
}
