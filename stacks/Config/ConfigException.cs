namespace ScalableBackend.Stacks.Config;

/// <summary>
/// An environment file is invalid. The message names the file, the key path, the bad value and what is
/// allowed, e.g. <c>stacks/prod.yaml: services.api.maxCapacity = 1 must be >= minCapacity (2)</c>.
/// </summary>
public sealed class ConfigException : Exception
{
    /// <summary>The file, as shown to the user (e.g. <c>stacks/prod.yaml</c>).</summary>
    public string File { get; }

    /// <summary>The dotted key path, empty for the whole file.</summary>
    public string KeyPath { get; }

    /// <summary>Creates the exception.</summary>
    public ConfigException(string file, string keyPath, string problem)
        : base(keyPath.Length == 0 ? $"{file}: {problem}" : $"{file}: {keyPath} {problem}")
    {
        File = file;
        KeyPath = keyPath;
    }
}
