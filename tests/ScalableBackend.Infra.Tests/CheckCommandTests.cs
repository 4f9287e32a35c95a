using System.Text.Json.Nodes;

namespace ScalableBackend.Infra.Tests;

public sealed class CheckCommandTests
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

    private static string Write(CliRunner cli, string name, string text)
    {
        var path = Path.Combine(cli.OutDir, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void AnUnacknowledgedErrorExitsOneAndTheTableNamesRuleAndResource()
    {
        using var cli = new CliRunner();
        var (code, output, _) = cli.Run("check", "--template", Write(cli, "open.json", Violating));
        Assert.Equal(1, code);
        Assert.Contains("SB-EC2-002", output);
        Assert.Contains("Open", output);
    }

    [Fact]
    public void APassingTemplateExitsZero()
    {
        using var cli = new CliRunner();
        var (code, output, _) = cli.Run("check", "--template", Write(cli, "closed.json", Passing));
        Assert.Equal(0, code);
        Assert.Contains("pass", output);
    }

    [Fact]
    public void JsonFormatPrintsOnlyTheFindingsDocumentOnStandardOutput()
    {
        using var cli = new CliRunner();
        var file = Write(cli, "open.json", Violating);
        var (code, _, stdout) = cli.Run("check", "--template", file, "--format", "json");
        Assert.Equal(1, code);
        var finding = JsonNode.Parse(stdout)!["findings"]!.AsArray().Single(f => (string?)f!["rule"] == "SB-EC2-002")!;
        Assert.Equal(file, (string?)finding["file"]);
        Assert.Equal("error", (string?)finding["severity"]);
        Assert.Equal("Open", (string?)finding["resource"]);
        Assert.Equal("AWS::EC2::SecurityGroup", (string?)finding["type"]);
        Assert.False((bool)finding["acknowledged"]!);
        Assert.False(string.IsNullOrEmpty((string?)finding["message"]));
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
    public void AMalformedTemplateIsOneClearErrorNamingTheFile()
    {
        using var cli = new CliRunner();
        var file = Write(cli, "broken.json", "{ not json");
        var (code, output, _) = cli.Run("check", "--template", file);
        Assert.Equal(1, code);
        Assert.Contains("error: ", output);
        Assert.Contains("broken.json", output);
        Assert.DoesNotContain("   at ", output);
    }

    [Fact]
    public void AnUnknownFormatIsRejected()
    {
        using var cli = new CliRunner();
        var (code, output, _) = cli.Run("check", "--template", Write(cli, "closed.json", Passing), "--format", "xml");
        Assert.NotEqual(0, code);
        Assert.Contains("--format = xml must be one of table, json, sarif", output);
    }

    [Fact]
    public void ChecksSynthesizedEnvironmentsWhenNoTemplateIsGiven()
    {
        using var cli = new CliRunner().WithEnvironment("dev");
        var (code, _, stdout) = cli.Run("check", "--env", "dev", "--out", cli.OutDir, "--format", "json");
        // The tiny environment serves plain HTTP by explicit choice: acknowledged, so it does not fail the check.
        Assert.Equal(0, code);
        var findings = JsonNode.Parse(stdout)!["findings"]!.AsArray();
        Assert.Contains(findings, f => (string?)f!["rule"] == "SB-ELB-002" && (bool)f["acknowledged"]!);
        Assert.True(File.Exists(Path.Combine(cli.OutDir, "Backend-Dev.template.json")));
    }
}
