using Spectre.Console.Testing;
using System.Text.Json.Nodes;

namespace ScalableBackend.Infra.Tests;

[Collection(SynthesizedCollection.Name)]
public sealed class CheckCommandTests(Synthesized synthesized)
{
    private const string Violating = """
        {"Resources": {
          "Open": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupDescription": "x",
            "SecurityGroupIngress": [{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIp": "0.0.0.0/0"}]}}
        }}
        """;

    private const string Passing = """
        {"Resources": {
          "Closed": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupDescription": "x",
            "SecurityGroupIngress": [{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIp": "10.0.0.0/16"}]}}
        }}
        """;

    /// <summary>One open security group acknowledged with a reason, and a log group without a KMS key (a warning).</summary>
    private const string AcknowledgedAndWarning = """
        {"Resources": {
          "OpenButAcknowledged": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupDescription": "x",
            "SecurityGroupIngress": [{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIp": "0.0.0.0/0"}]},
            "Metadata": {"ScalableBackend": {"Acknowledgements": [{"Rule": "SB-EC2-002", "Reason": "a bastion by design"}, {"Rule": "W2508", "Reason": "a bastion by design"}]}}},
          "LogsForeverAndEverWithAVeryLongLogicalIdThatMustNeverBeSplitAcrossLines0123456789": {"Type": "AWS::Logs::LogGroup", "Properties": {"RetentionInDays": 7}}
        }}
        """;

    private static string Write(CliRunner cli, string name, string text)
    {
        var path = Path.Combine(cli.OutDir, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void AnUnacknowledgedErrorExitsOneAndNamesRuleAndResourceOnOneLine()
    {
        using var cli = new CliRunner();
        var (code, output, _) = cli.Run("check", "--template", Write(cli, "open.json", Violating));
        Assert.Equal(1, code);
        Assert.Contains(output.Split('\n'), l => l.StartsWith("error SB-EC2-002 open Open (AWS::EC2::SecurityGroup): ", StringComparison.Ordinal));
        Assert.Contains("check failed", output);
    }

    [Fact]
    public void APassingTemplateExitsZero()
    {
        using var cli = new CliRunner();
        var (code, output, _) = cli.Run("check", "--template", Write(cli, "closed.json", Passing));
        Assert.Equal(0, code);
        Assert.Contains("check passed", output);
    }

    [Fact]
    public void SummaryFirstUnacknowledgedInFullAcknowledgedCountedVerboseListsThemQuietOnlyProblems()
    {
        using var cli = new CliRunner();
        var file = Write(cli, "Backend-Dev-Data.template.json", AcknowledgedAndWarning);

        var (code, output, _) = cli.Run("check", "--template", file);
        Assert.Equal(0, code);
        var lines = output.Split('\n');
        var summary = Array.FindIndex(lines, l => l.Contains("│ Backend-Dev-Data ", StringComparison.Ordinal));
        var warning = Array.FindIndex(lines, l => l.StartsWith("warning SB-LOG-", StringComparison.Ordinal));
        Assert.InRange(summary, 0, warning - 1);                           // the summary comes first
        // The policy pack's SB-EC2-002 and the validator's W2508 are both acknowledged; SB-LOG's warning is not.
        Assert.Matches(@"│ dev\s+│ Backend-Dev-Data\s+│\s+2 │\s+0 │\s+1 │\s+2 │", lines[summary]);
        Assert.Contains("2 acknowledged finding(s) not listed; --verbose lists them", output);
        Assert.DoesNotContain("a bastion by design", output);

        var (_, verbose, _) = cli.Run("check", "--template", file, "--verbose");
        Assert.Contains(verbose.Split('\n'), l => l.StartsWith("acknowledged SB-EC2-002 Backend-Dev-Data OpenButAcknowledged", StringComparison.Ordinal) && l.EndsWith("a bastion by design", StringComparison.Ordinal));
        Assert.Contains(verbose.Split('\n'), l => l.StartsWith("acknowledged W2508 Backend-Dev-Data OpenButAcknowledged", StringComparison.Ordinal));

        var (_, quiet, _) = cli.Run("check", "--template", file, "--quiet");
        Assert.Single(quiet.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("warning SB-LOG-", quiet);
    }

    [Fact]
    public void TemplateTakesSeveralFilesAndPatterns()
    {
        using var cli = new CliRunner();
        var open = Write(cli, "a-open.json", Violating);
        var closed = Write(cli, "b-closed.json", Passing);

        var (code, output, _) = cli.Run("check", "--template", open, closed);
        Assert.Equal(1, code);
        Assert.Contains("│ a-open ", output);
        Assert.Contains("│ b-closed ", output);

        var (patternCode, patternOutput, _) = cli.Run("check", "--template", Path.Combine(cli.OutDir, "*-closed.json"));
        Assert.Equal(0, patternCode);
        Assert.Contains("│ b-closed ", patternOutput);
        Assert.DoesNotContain("a-open", patternOutput);

        var none = cli.Run("check", "--template", Path.Combine(cli.OutDir, "*.yaml"));
        Assert.Equal(1, none.ExitCode);
        Assert.Contains("no file matches this pattern", none.StdErr);
    }

    [Fact]
    public void JsonFormatPrintsOnlyTheFindingsDocumentOnStandardOutput()
    {
        using var cli = new CliRunner();
        var file = Write(cli, "open.json", Violating);
        var (code, console, stdout) = cli.Run("check", "--template", file, "--format", "json");
        Assert.Equal(1, code);
        Assert.Equal("", console);
        var finding = JsonNode.Parse(stdout)!["findings"]!.AsArray().Single(f => (string?)f!["rule"] == "SB-EC2-002")!;
        Assert.Equal(file, (string?)finding["file"]);
        Assert.Equal("error", (string?)finding["severity"]);
        Assert.Equal("Open", (string?)finding["resource"]);
        Assert.Equal("AWS::EC2::SecurityGroup", (string?)finding["type"]);
        Assert.False((bool)finding["acknowledged"]!);
        Assert.False(string.IsNullOrEmpty((string?)finding["message"]));
    }

    [Fact]
    public void WithJsonFormatAnErrorIsJsonOnStandardOutputToo()
    {
        using var cli = new CliRunner();
        var result = cli.Run("check", "--template", Write(cli, "broken.json", "{ not json"), "--format", "json");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("broken.json", (string?)JsonNode.Parse(result.StdOut)!["error"]);
        Assert.StartsWith("error: ", result.StdErr);
    }

    [Fact]
    public void SarifFormatPrintsSarif210()
    {
        using var cli = new CliRunner();
        var (_, _, stdout) = cli.Run("check", "--template", Write(cli, "open.json", Violating), "--format", "sarif");
        var sarif = JsonNode.Parse(stdout)!;
        Assert.Equal("2.1.0", (string?)sarif["version"]);
        Assert.Contains(sarif["runs"]![0]!["results"]!.AsArray(), r => (string?)r!["ruleId"] == "SB-EC2-002");
    }

    [Fact]
    public void AMalformedTemplateIsOneClearErrorOnStandardErrorNamingTheFile()
    {
        using var cli = new CliRunner();
        var result = cli.Run("check", "--template", Write(cli, "broken.json", "{ not json"));
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error: ", result.StdErr);
        Assert.Contains("broken.json", result.StdErr);
        Assert.DoesNotContain("   at ", result.StdErr);
        Assert.Equal("", result.Console);
    }

    [Theory]
    [InlineData(new[] { "check", "--format", "xml" }, "--format = xml must be one of table, json, sarif")]
    [InlineData(new[] { "plan", "--format", "html" }, "--format = html must be one of table, markdown")]
    [InlineData(new[] { "check", "--formt", "json" }, "check: unknown option '--formt'; did you mean '--format'?")]
    [InlineData(new[] { "synth", "--evn", "prod" }, "synth: unknown option '--evn'; did you mean '--env'?")]
    [InlineData(new[] { "chek" }, "unknown verb 'chek'; did you mean 'check'?")]
    [InlineData(new[] { "synth", "prod" }, "prod")]
    [InlineData(new[] { "check", "--verbose", "--quiet" }, "--verbose and --quiet exclude each other")]
    public void TheCommandLineIsStrictAndSuggests(string[] args, string message)
    {
        using var cli = new CliRunner();
        var result = cli.Run(args);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains(message, result.StdErr);
        Assert.Equal("", result.StdOut);
    }

    [Fact]
    public void ChecksEveryStackOfTheSynthesizedEnvironment()
    {
        using var cli = new CliRunner().WithEnvironment("dev");
        var (code, output, _) = cli.Run("check", "--env", "dev", "--out", cli.OutDir);
        // The tiny environment serves plain HTTP by explicit choice: acknowledged, so it does not fail the check.
        Assert.Equal(0, code);
        var stacks = Directory.GetFiles(cli.OutDir, "Backend-Dev*.template.json").Select(f => Path.GetFileName(f).Replace(".template.json", "")).ToArray();
        Assert.NotEmpty(stacks);
        foreach (var stack in stacks)
            Assert.Contains($"│ dev         │ {stack} ", output);
        Assert.Contains("acknowledged finding(s) not listed", output);
    }

    [Fact]
    public void TheSynthesizedTemplatesCheckAsASetWithTheEnvironmentFromTheirNames()
    {
        var (code, _, stdout) = new CliRunner().Run(["check", "--format", "json", "--template", .. synthesized.TinyTemplates]);
        Assert.Equal(0, code);
        var findings = JsonNode.Parse(stdout)!["findings"]!.AsArray();
        Assert.Contains(findings, f => (string?)f!["rule"] == "SB-ELB-002" && (bool)f["acknowledged"]! && ((string?)f["stack"])!.StartsWith("Backend-Dev", StringComparison.Ordinal));
    }

    [Fact]
    public void TheBuiltExecutableWritesFullLinesWhenNotATerminal()
    {
        using var cli = new CliRunner();
        var file = Write(cli, "Backend-Dev-Data.template.json", AcknowledgedAndWarning);
        var (code, stdout, stderr) = Processes.Run("dotnet", [Path.Combine(AppContext.BaseDirectory, "ScalableBackend.Infra.dll"), "check", "--template", file]);
        Assert.True(code == 0, stderr + stdout);
        Assert.Contains(stdout.Split('\n'), l => l.StartsWith("warning SB-LOG-", StringComparison.Ordinal)
            && l.Contains(" LogsForeverAndEverWithAVeryLongLogicalIdThatMustNeverBeSplitAcrossLines0123456789 (AWS::Logs::LogGroup): ", StringComparison.Ordinal));
        Assert.DoesNotContain("\u001b[", stdout);    // no colour codes in a log
        Assert.Equal("", stderr);                    // no progress when not a terminal
    }

    [Fact]
    public void ATerminalShowsProgressOnStandardError()
    {
        using var cli = new CliRunner().WithEnvironment("dev");
        var errors = new TestConsole().Width(200).Interactive().EmitAnsiSequences();
        var result = cli.RunWith(new TestConsole().Width(200), errors, "check", "--env", "dev", "--out", cli.OutDir);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Synthesizing Backend-Dev", result.StdErr);
        Assert.DoesNotContain("Synthesizing", result.Console);
    }
}
