namespace ScalableBackend.Infra.Tests;

/// <summary>
/// Environments synthesized once per test run through the CLI's <c>synth</c>: the tiny environment as dev, and the
/// repository's own dev, staging and prod. Tests read the templates; none writes into these folders.
/// </summary>
public sealed class Synthesized : IDisposable
{
    private readonly CliRunner _tiny = new CliRunner().WithEnvironment("dev");
    private readonly CliRunner _repository = new(Path.Combine(CliRunner.RepositoryRoot, "stacks"));

    /// <summary>Synthesizes both.</summary>
    public Synthesized()
    {
        var tiny = _tiny.Run("synth", "--env", "dev", "--out", _tiny.OutDir);
        Assert.True(tiny.ExitCode == 0, tiny.StdErr);
        var all = _repository.Run("synth", "--out", _repository.OutDir);
        Assert.True(all.ExitCode == 0, all.StdErr);
        SynthOutput = tiny.Console;
    }

    /// <summary>The folder with the tiny dev environment's cloud assembly.</summary>
    public string TinyDir => _tiny.OutDir;

    /// <summary>What <c>synth --env dev</c> printed for the tiny environment.</summary>
    public string SynthOutput { get; }

    /// <summary>The folder with the repository's environments' cloud assembly.</summary>
    public string RepositoryDir => _repository.OutDir;

    /// <summary>The tiny dev environment's templates.</summary>
    public IReadOnlyList<string> TinyTemplates => Directory.GetFiles(TinyDir, "Backend-Dev*.template.json").Order(StringComparer.Ordinal).ToArray();

    /// <summary>Copies a folder's templates into a new scratch folder (for tests that edit them).</summary>
    public static string Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from, "*.template.json"))
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)), overwrite: true);
        return to;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _tiny.Dispose();
        _repository.Dispose();
    }
}

/// <summary>The tests that share <see cref="Synthesized"/>.</summary>
[CollectionDefinition(Name)]
public sealed class SynthesizedCollection : ICollectionFixture<Synthesized>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "synthesized environments";
}
