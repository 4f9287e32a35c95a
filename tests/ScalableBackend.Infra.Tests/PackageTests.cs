using System.IO.Compression;
using System.Xml.Linq;

namespace ScalableBackend.Infra.Tests;

/// <summary>
/// The components library as a NuGet package: packed from the solution's build (both frameworks, no rebuild) with its
/// metadata, for net8.0 and net10.0, beside the shard map package it depends on and the client, and consumed by the example's code from
/// a local feed in a folder outside the solution, targeting net8.0 (the LTS a consumer may be on).
/// </summary>
public sealed class PackageTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("sb-pack-").FullName;
    private readonly string _version = $"0.1.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}";

    /// <summary>The configuration the tests were built in (the folder above the framework's): what the packages are packed from.</summary>
    private static string Configuration => new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    private (int Code, string Output) Pack(string project, string feed)
    {
        // --no-build: the solution's build already compiled both frameworks, so packing takes seconds, not a build.
        var (code, stdout, stderr) = Processes.Run("dotnet", ["pack", Path.Combine(CliRunner.RepositoryRoot, project), "--no-build", "-c", Configuration, "-o", feed,
            $"-p:Version={_version}", "-p:RepositoryUrl=https://example.invalid/scalable-backend.git", "-nologo"]);
        return (code, stdout + stderr);
    }

    private static XElement Metadata(ZipArchive zip)
    {
        using var nuspec = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open();
        return XDocument.Load(nuspec).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
    }

    [Fact]
    public void ThePackageHasItsMetadataBothFrameworksAndBuildsANet8ConsumerFromALocalFeed()
    {
        var repo = CliRunner.RepositoryRoot;
        var feed = Path.Combine(_root, "feed");
        // The components reference the shard map's schema: its package goes into the feed beside them, same version.
        var (shardMapCode, shardMapOut) = Pack(Path.Combine("sharding", "ScalableBackend.ShardMap", "ScalableBackend.ShardMap.csproj"), feed);
        Assert.True(shardMapCode == 0, shardMapOut);
        var (packCode, packOut) = Pack(Path.Combine("components", "ScalableBackend.Components.csproj"), feed);
        Assert.True(packCode == 0, packOut);
        // The client the example's OrderStore uses.
        var (clientCode, clientOut) = Pack(Path.Combine("sharding", "ScalableBackend.Sharding", "ScalableBackend.Sharding.csproj"), feed);
        Assert.True(clientCode == 0, clientOut);

        using (var shardMap = ZipFile.OpenRead(Path.Combine(feed, $"ScalableBackend.ShardMap.{_version}.nupkg")))
        {
            var entries = shardMap.Entries.Select(e => e.FullName).ToArray();
            Assert.Contains("lib/net8.0/ScalableBackend.ShardMap.dll", entries);
            Assert.Contains("lib/net10.0/ScalableBackend.ShardMap.dll", entries);
        }
        using (var client = ZipFile.OpenRead(Path.Combine(feed, $"ScalableBackend.Sharding.{_version}.nupkg")))
        {
            var entries = client.Entries.Select(e => e.FullName).ToArray();
            Assert.Contains("lib/net8.0/ScalableBackend.Sharding.dll", entries);
            Assert.Contains("lib/net10.0/ScalableBackend.Sharding.dll", entries);
            var dependencies = Metadata(client).Descendants().Where(e => e.Name.LocalName == "dependency").Select(d => d.Attribute("id")?.Value).ToArray();
            Assert.Contains("Npgsql", dependencies);
            Assert.Contains("ScalableBackend.ShardMap", dependencies);
        }

        var package = Path.Combine(feed, $"ScalableBackend.Components.{_version}.nupkg");
        using (var zip = ZipFile.OpenRead(package))
        {
            var entries = zip.Entries.Select(e => e.FullName).ToArray();
            Assert.Contains("lib/net8.0/ScalableBackend.Components.dll", entries);
            Assert.Contains("lib/net10.0/ScalableBackend.Components.dll", entries);
            Assert.Contains("lib/net8.0/ScalableBackend.Components.xml", entries);
            Assert.Contains("README.md", entries);
            var metadata = Metadata(zip);
            string? Value(string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value;
            Assert.Equal("README.md", Value("readme"));
            Assert.Contains("aws-cdk", Value("tags"));
            Assert.Equal("https://example.invalid/scalable-backend.git", metadata.Elements().Single(e => e.Name.LocalName == "repository").Attribute("url")?.Value);
            Assert.False(string.IsNullOrWhiteSpace(Value("description")));
            var dependencies = metadata.Descendants().Where(e => e.Name.LocalName == "dependency").ToArray();
            Assert.Contains(dependencies, d => d.Attribute("id")?.Value == "ScalableBackend.ShardMap" && d.Attribute("version")?.Value == _version);
        }

        // A consumer outside the solution: the example's code (its stack and its OrderStore), referencing the packages from the local feed.
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
                <PackageReference Include="ScalableBackend.Sharding" Version="{_version}" />
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
        Assert.True(File.Exists(Path.Combine(consumer, "bin", "Debug", "net8.0", "ScalableBackend.Sharding.dll")));
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, true);
            foreach (var id in new[] { "scalablebackend.components", "scalablebackend.shardmap", "scalablebackend.sharding" })
            {
                var cached = Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), ".nuget", "packages", id, _version);
                if (Directory.Exists(cached))
                    Directory.Delete(cached, true);
            }
        }
        catch (IOException) { }
    }
}
