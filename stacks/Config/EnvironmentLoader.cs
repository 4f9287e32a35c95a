namespace ScalableBackend.Stacks.Config;

/// <summary>
/// Finds, reads and validates the environment files <c>stacks/&lt;env&gt;.yaml</c>. The directory is
/// <c>SCALABLE_BACKEND_STACKS_DIR</c> when set, else the nearest <c>stacks/</c> folder above the working
/// directory that holds environment files, else the copy next to the program.
/// </summary>
public static class EnvironmentLoader
{
    /// <summary>The environments this project deploys, in deployment order.</summary>
    public static readonly IReadOnlyList<string> Environments = ["dev", "staging", "prod"];

    /// <summary>The variable that overrides where environment files are read from.</summary>
    public const string DirectoryVariable = "SCALABLE_BACKEND_STACKS_DIR";

    /// <summary>Loads and validates environment <paramref name="name"/>.</summary>
    /// <exception cref="ConfigException">The environment is unknown, its file is missing, or the file is invalid.</exception>
    public static EnvironmentDefinition Load(string name, string? directory = null)
    {
        if (!Environments.Contains(name))
            throw new ConfigException("--env", "", $"{name} is not an environment; allowed: {string.Join(", ", Environments)}, all");
        var dir = directory ?? LocateDirectory();
        var path = Path.Combine(dir, $"{name}.yaml");
        var shown = Display(path);
        if (!File.Exists(path))
            throw new ConfigException(shown, "", "does not exist");
        return Parse(name, shown, File.ReadAllText(path));
    }

    /// <summary>Binds and validates the YAML text of environment <paramref name="name"/>; <paramref name="file"/> names it in messages.</summary>
    /// <exception cref="ConfigException">The text is invalid.</exception>
    public static EnvironmentDefinition Parse(string name, string file, string yaml)
    {
        var config = new ConfigBinder(file).Bind<EnvironmentConfig>(yaml);
        EnvironmentValidator.Validate(name, file, config);
        return new EnvironmentDefinition(name, file, config);
    }

    /// <summary>The folder the environment files are read from.</summary>
    public static string LocateDirectory()
    {
        if (System.Environment.GetEnvironmentVariable(DirectoryVariable) is { Length: > 0 } configured)
            return configured;
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "stacks");
            if (File.Exists(Path.Combine(candidate, "prod.yaml")) || File.Exists(Path.Combine(candidate, "dev.yaml")))
                return candidate;
        }
        return Path.Combine(AppContext.BaseDirectory, "environments");
    }

    private static string Display(string path)
    {
        var full = Path.GetFullPath(path);
        var cwd = Directory.GetCurrentDirectory();
        var relative = Path.GetRelativePath(cwd, full);
        return relative.StartsWith("..", StringComparison.Ordinal) ? full : relative.Replace('\\', '/');
    }
}
