using ScalableBackend.Infra.Preview;

namespace ScalableBackend.Infra.Tests;

/// <summary>README's commands set themselves up: npm packages are installed when missing or stale.</summary>
public sealed class SetupTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("sb-npm-").FullName;

    /// <summary>A repository whose only npm dependency is a local folder, so <c>npm ci</c> works offline.</summary>
    private void LocalPackage()
    {
        Directory.CreateDirectory(Path.Combine(_root, "local"));
        File.WriteAllText(Path.Combine(_root, "local", "package.json"), """{"name": "local", "version": "1.0.0"}""");
        File.WriteAllText(Path.Combine(_root, "package.json"), """{"name": "x", "version": "1.0.0", "private": true, "dependencies": {"local": "file:./local"}}""");
        var (code, _, stderr) = Processes.Run("npm", ["install", "--no-audit", "--no-fund", "--offline"], workingDirectory: _root);
        Assert.True(code == 0, stderr);
        Directory.Delete(Path.Combine(_root, "node_modules"), recursive: true);
    }

    [Fact]
    public void PackagesAreStaleWhenMissingOrOlderThanTheLockFile()
    {
        File.WriteAllText(Path.Combine(_root, "package-lock.json"), "{}");
        Assert.True(NodePackages.NeedsInstall(_root));
        var installed = Path.Combine(Directory.CreateDirectory(Path.Combine(_root, "node_modules")).FullName, ".package-lock.json");
        File.WriteAllText(installed, "{}");
        File.SetLastWriteTimeUtc(installed, DateTime.UtcNow);
        File.SetLastWriteTimeUtc(Path.Combine(_root, "package-lock.json"), DateTime.UtcNow.AddMinutes(-1));
        Assert.False(NodePackages.NeedsInstall(_root));
        File.SetLastWriteTimeUtc(Path.Combine(_root, "package-lock.json"), DateTime.UtcNow.AddMinutes(1));
        Assert.True(NodePackages.NeedsInstall(_root));
    }

    [Fact]
    public void TheTestProjectsBuildRunsNpmCiWhenNodeModulesIsMissing()
    {
        LocalPackage();
        var project = Path.Combine(CliRunner.RepositoryRoot, "tests", "ScalableBackend.Infra.Tests", "ScalableBackend.Infra.Tests.csproj");
        var (code, stdout, stderr) = Processes.Run("dotnet", ["msbuild", project, "-t:InstallNpmPackages", $"-p:NpmRoot={_root}/", "-nologo", "-v:n"]);
        Assert.True(code == 0, stdout + stderr);
        Assert.True(File.Exists(Path.Combine(_root, "node_modules", ".package-lock.json")), stdout);
        Assert.False(NodePackages.NeedsInstall(_root));
        Assert.Contains("npm ci", stdout);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        try { Directory.Delete(_root, true); } catch (IOException) { }
    }
}
