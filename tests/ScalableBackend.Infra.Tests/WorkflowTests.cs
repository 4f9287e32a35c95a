using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace ScalableBackend.Infra.Tests;

/// <summary>The GitHub workflow files parse, and every command they run exists with the options they pass.</summary>
public sealed partial class WorkflowTests
{
    private static readonly string Root = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Infra.sln")))
                return dir.FullName;
        throw new InvalidOperationException("Infra.sln not found above the test binaries");
    }

    public static TheoryData<string> Files => new(
        Directory.GetFiles(Path.Combine(FindRoot(), ".github"), "*.yml", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(FindRoot(), f)).Order(StringComparer.Ordinal));

    private static YamlMappingNode Load(string file)
    {
        var stream = new YamlStream();
        using var reader = new StringReader(File.ReadAllText(Path.Combine(Root, file)));
        stream.Load(reader);
        return Assert.IsType<YamlMappingNode>(Assert.Single(stream.Documents).RootNode);
    }

    private static IEnumerable<string> RunScripts(YamlNode node) => node switch
    {
        YamlMappingNode map => map.Children.SelectMany(kv =>
            kv.Key is YamlScalarNode { Value: "run" } && kv.Value is YamlScalarNode script ? [script.Value ?? ""] : RunScripts(kv.Value)),
        YamlSequenceNode list => list.Children.SelectMany(RunScripts),
        _ => [],
    };

    private static IEnumerable<string> AllRunScripts() =>
        Directory.GetFiles(Path.Combine(Root, ".github", "workflows"), "*.yml").SelectMany(f => RunScripts(Load(Path.GetRelativePath(Root, f))));

    [GeneratedRegex(@"dotnet run --project infra -- (?<verb>[a-z]+)(?<args>[^\n|>&;]*)")]
    private static partial Regex InfraCommand();

    [Theory]
    [MemberData(nameof(Files))]
    public void ParsesAsYaml(string file) => Assert.NotEmpty(Load(file).Children);

    [Fact]
    public void WorkflowsHaveTheirTriggersAndJobs()
    {
        var preview = Load(".github/workflows/preview.yml");
        Assert.True(preview.Children.ContainsKey("on"));
        Assert.Contains("pull_request", ((YamlMappingNode)preview["on"]).Children.Keys.Select(k => k.ToString()));
        var deploy = (YamlMappingNode)Load(".github/workflows/deploy.yml")["jobs"];
        Assert.Equal("staging", deploy["prod"]["needs"].ToString());
        Assert.Equal("dev", deploy["staging"]["needs"].ToString());
        Assert.Equal("production", deploy["prod"]["environment"].ToString());
        var ecosystems = ((YamlSequenceNode)Load(".github/dependabot.yml")["updates"]).Children.Select(u => u["package-ecosystem"].ToString());
        Assert.Equal(["nuget", "npm", "github-actions"], ecosystems);
    }

    [Fact]
    public void EveryInfraCommandNamesARegisteredVerbAndOptionsItAccepts()
    {
        var commands = AllRunScripts().SelectMany(s => InfraCommand().Matches(s.Replace("\\\n", " ").Replace("\n          --", " --"))).ToList();
        Assert.Contains(commands, c => c.Groups["verb"].Value == "diff");
        Assert.Contains(commands, c => c.Groups["verb"].Value == "plan");
        using var cli = new CliRunner();
        foreach (var verb in commands.Select(c => c.Groups["verb"].Value).Distinct())
        {
            var (code, help, _) = cli.Run(verb, "--help");
            Assert.True(code == 0, $"`{verb} --help` failed: {help}");
            foreach (var option in commands.Where(c => c.Groups["verb"].Value == verb)
                         .SelectMany(c => Regex.Matches(c.Groups["args"].Value, @"--[a-z-]+").Select(m => m.Value)).Distinct())
                Assert.True(help.Contains(option + " ", StringComparison.Ordinal), $"`{verb}` has no option {option}:\n{help}");
        }
    }

    [Theory]
    [InlineData("dev", "Dev")]
    [InlineData("staging", "Staging")]
    [InlineData("prod", "Prod")]
    public void EachEnvironmentIsSynthesizedOnceCheckedAndDeployedAsItsWholeStackSetInDependencyOrder(string env, string pascal)
    {
        var job = (YamlMappingNode)((YamlMappingNode)Load(".github/workflows/deploy.yml")["jobs"])[env];
        var steps = RunScripts(job).ToList();
        var synth = steps.FindIndex(s => s.Contains($"dotnet run --project infra -- synth --env {env} --out cdk.out", StringComparison.Ordinal));
        var check = steps.FindIndex(s => s.Contains($"check --env {env} --template 'cdk.out/Backend-{pascal}*.template.json'", StringComparison.Ordinal));
        var deploy = steps.FindIndex(s => s.Contains("npx cdk deploy --app cdk.out --all", StringComparison.Ordinal));
        Assert.True(synth >= 0 && synth < check && check < deploy, string.Join("\n", steps));
        // The assembly holds only this environment's stacks, so --all is exactly its stack set; the CDK orders it by dependencies.
        Assert.DoesNotContain(steps, s => s.Contains("npx cdk deploy Backend-", StringComparison.Ordinal));
        Assert.Equal($"deploy-{env}", job["concurrency"]["group"].ToString());
    }

    [Fact]
    public void NpmScriptsAndTheCdkCliExist()
    {
        var package = JsonNode.Parse(File.ReadAllText(Path.Combine(Root, "package.json")))!;
        var scripts = AllRunScripts().ToList();
        foreach (Match m in scripts.SelectMany(s => Regex.Matches(s, @"npm run (?<name>[\w:-]+)")))
            Assert.NotNull(package["scripts"]?[m.Groups["name"].Value]);
        Assert.Contains(scripts, s => s.Contains("npx cdk ", StringComparison.Ordinal));
        Assert.NotNull(package["devDependencies"]?["aws-cdk"]);
        Assert.NotNull(package["devDependencies"]?["@aws-cdk/cloudformation-diff"]);
        Assert.Contains(scripts, s => s.Contains("npm ci", StringComparison.Ordinal));
    }
}
