namespace ScalableBackend.Policies.Tests;

/// <summary>Builders for checking small inline templates.</summary>
internal static class TestTemplates
{
    public static IReadOnlyList<Finding> Check(string yaml, string? environment = "prod", string file = "test.yaml") =>
        PolicyEngine.Default.Check(TemplateDocument.Parse(yaml, file), environment);

    public static IReadOnlyList<Finding> Only(this IReadOnlyList<Finding> findings, string ruleId) =>
        findings.Where(f => f.RuleId == ruleId).ToList();

    /// <summary>The fixture folder copied to the test output.</summary>
    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    /// <summary>
    /// shared/corpus/aws-samples, found by walking up from the test binaries (the repo's own <c>shared/</c>, or
    /// <c>&lt;clone&gt;/../shared</c> in CI). Throws when it cannot be found: the corpus tests must not silently pass.
    /// </summary>
    public static string CorpusDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "corpus", "aws-samples");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException(
            $"shared/corpus/aws-samples not found in any parent of {AppContext.BaseDirectory}; check out shared/ beside the clone");
    }
}
