using System.IO.Compression;
using System.Xml.Linq;

namespace ScalableBackend.Infra.Tests;

/// <summary>
/// The components library as a NuGet package: packed from a copy of the sources (the repository's build output is
/// left alone), with its metadata, for net8.0 and net10.0, and consumed by the example's code from a local feed in a
/// folder outside the solution, targeting net8.0 (the LTS a consumer may be on).
/// </summary>
public sealed class PackageTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("sb-pack-").FullName;
    private readonly string _version = $"0.1.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}";

    private static void CopyTree(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (relative.Split(Path.DirectorySeparatorChar) is ["bin" or "obj", ..])
                continue;
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(to, relative))!);
            File.Copy(file, Path.Combine(to, relative));
        }
    }

    [Fact]
    public void ThePackageHasItsMetadataBothFrameworksAndBuildsANet8ConsumerFromALocalFeed()
    {
        var repo = CliRunner.RepositoryRoot;
        var source = Path.Combine(_root, "source");
        CopyTree(Path.Combine(repo, "components"), Path.Combine(source, "components"));
        foreach (var file in new[] { "Directory.Build.props", "Directory.Packages.props", "README.md" })
            File.Copy(Path.Combine(repo, file), Path.Combine(source, file));
        var feed = Path.Combine(_root, "feed");
        var (packCode, packOut, packErr) = Processes.Run("dotnet", ["pack", Path.Combine(source, "components", "ScalableBackend.Components.csproj"), "-o", feed,
            $"-p:Version={_version}", "-p:RepositoryUrl=https://example.invalid/scalable-backend.git", "-nologo"]);
        Assert.True(packCode == 0, packOut + packErr);

        var package = Path.Combine(feed, $"ScalableBackend.Components.{_version}.nupkg");
        using (var zip = ZipFile.OpenRead(package))
        {
            var entries = zip.Entries.Select(e => e.FullName).ToArray();
            Assert.Contains("lib/net8.0/ScalableBackend.Components.dll", entries);
            Assert.Contains("lib/net10.0/ScalableBackend.Components.dll", entries);
            Assert.Contains("lib/net8.0/ScalableBackend.Components.xml", entries);
            Assert.Contains("README.md", entries);
            using var nuspec = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open();
            var metadata = XDocument.Load(nuspec).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
            string? Value(string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value;
            Assert.Equal("README.md", Value("readme"));
            Assert.Contains("aws-cdk", Value("tags"));
            Assert.Equal("https://example.invalid/scalable-backend.git", metadata.Elements().Single(e => e.Name.LocalName == "repository").Attribute("url")?.Value);
            Assert.False(string.IsNullOrWhiteSpace(Value("description")));
        }

        // A consumer outside the solution: the example's code, referencing the package from the local feed.
        var consumer = Path.Combine(_root, "consumer");
        Directory.CreateDirectory(consumer);
        foreach (var file in Directory.GetFiles(Path.Combine(repo, "examples", "OrdersBackend"), "*.cs"))
            File.Copy(file, Path.Combine(consumer, Path.GetFileName(file)));
        File.WriteAllText(Path.Combine(consumer, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net8.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <NoWarn>$(NoWarn);NU1603</NoWarn>
                <UseAppHost>false</UseAppHost>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="ScalableBackend.Components" Version="{_version}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(consumer, "nuget.config"), $"""
            <configuration>
              <packageSources>
                <add key="local" value="{feed}" />
              </packageSources>
            </configuration>
            """);
        var (buildCode, buildOut, buildErr) = Processes.Run("dotnet", ["build", Path.Combine(consumer, "Consumer.csproj"), "-nologo"], workingDirectory: consumer);
        Assert.True(buildCode == 0, buildOut + buildErr);
        Assert.True(File.Exists(Path.Combine(consumer, "bin", "Debug", "net8.0", "ScalableBackend.Components.dll")));
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, true);
            var cached = Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), ".nuget", "packages", "scalablebackend.components", _version);
            if (Directory.Exists(cached))
                Directory.Delete(cached, true);
        }
        catch (IOException) { }
    }
}
