using System.Text.RegularExpressions;

namespace ScalableBackend.Policies;

/// <summary>Decides which environment a template belongs to, which selects the production-only rules.</summary>
public static partial class DeploymentEnvironment
{
    /// <summary>
    /// The environment named in a template's file name: <c>Backend-Prod.template.json</c> → <c>prod</c>,
    /// <c>Backend-Dev…</c> → <c>dev</c>, <c>Backend-Staging…</c> → <c>staging</c> (also <c>production</c>,
    /// <c>development</c>, <c>stage</c>, separated by <c>-</c>, <c>_</c> or <c>.</c>, any case). Null when none.
    /// </summary>
    public static string? FromFileName(string path)
    {
        var match = EnvironmentWord().Match(Path.GetFileName(path));
        if (!match.Success)
        {
            return null;
        }

        return match.Groups["env"].Value.ToLowerInvariant() switch
        {
            "prod" or "production" => "prod",
            "staging" or "stage" => "staging",
            _ => "dev",
        };
    }

    /// <summary>True for <c>prod</c> or <c>production</c> (any case); unknown (null) is not production.</summary>
    public static bool IsProduction(string? environment) =>
        string.Equals(environment, "prod", StringComparison.OrdinalIgnoreCase)
        || string.Equals(environment, "production", StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex(@"(?:^|[-_.])(?<env>prod|production|staging|stage|dev|development)(?=[-_.]|$)", RegexOptions.IgnoreCase)]
    private static partial Regex EnvironmentWord();
}
