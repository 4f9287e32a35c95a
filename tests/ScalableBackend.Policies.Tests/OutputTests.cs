using System.Text.Json.Nodes;

namespace ScalableBackend.Policies.Tests;

public sealed class OutputTests
{
    private static readonly Finding Open = new("cdk.out/Backend-Prod.template.json", "SB-RDS-001", Severity.Error, "Db", "AWS::RDS::DBInstance", "StorageEncrypted is false");

    private static readonly Finding Acked = new("cdk.out/Backend-Dev.template.json", "SB-ELB-002", Severity.Error, "Http", "AWS::ElasticLoadBalancingV2::Listener", "HTTP listener on port 80 does not only redirect to HTTPS", true, "dev has no certificate");

    [Fact]
    public void Json_has_exactly_the_documented_keys()
    {
        var root = JsonNode.Parse(FindingsJson.Serialize([Open, Acked]))!.AsObject();

        Assert.Equal(["findings"], root.Select(p => p.Key));
        var findings = root["findings"]!.AsArray();
        Assert.Equal(
            ["file", "rule", "severity", "resource", "type", "message", "acknowledged"],
            findings[0]!.AsObject().Select(p => p.Key));
        Assert.Equal("cdk.out/Backend-Prod.template.json", (string?)findings[0]!["file"]);
        Assert.Equal("SB-RDS-001", (string?)findings[0]!["rule"]);
        Assert.Equal("error", (string?)findings[0]!["severity"]);
        Assert.Equal("Db", (string?)findings[0]!["resource"]);
        Assert.Equal("AWS::RDS::DBInstance", (string?)findings[0]!["type"]);
        Assert.False((bool)findings[0]!["acknowledged"]!);
        Assert.True((bool)findings[1]!["acknowledged"]!);
        Assert.Equal("dev has no certificate", (string?)findings[1]!["reason"]);
    }

    [Fact]
    public void Json_of_no_findings_is_an_empty_list()
    {
        Assert.Equal("""{"findings":[]}""", JsonNode.Parse(FindingsJson.Serialize([]))!.ToJsonString());
    }

    [Fact]
    public void Sarif_has_one_run_with_the_rule_catalog()
    {
        var sarif = JsonNode.Parse(Sarif.Serialize([Open, Acked], PolicyRules.All))!;

        Assert.Equal("2.1.0", (string?)sarif["version"]);
        Assert.Equal(Sarif.SchemaUri, (string?)sarif["$schema"]);
        var run = Assert.Single(sarif["runs"]!.AsArray())!;
        Assert.Equal("ScalableBackend.Policies", (string?)run["tool"]!["driver"]!["name"]);
        var rules = run["tool"]!["driver"]!["rules"]!.AsArray();
        Assert.Equal(PolicyRules.All.Count, rules.Count);
        var rds = rules.Single(r => (string?)r!["id"] == "SB-RDS-001")!;
        var descriptor = PolicyRules.Find("SB-RDS-001")!;
        Assert.Equal(descriptor.Title, (string?)rds["shortDescription"]!["text"]);
        Assert.Equal(descriptor.Why, (string?)rds["fullDescription"]!["text"]);
        Assert.Equal(descriptor.Fix, (string?)rds["help"]!["text"]);
        Assert.Equal("error", (string?)rds["defaultConfiguration"]!["level"]);
    }

    [Fact]
    public void Sarif_result_locates_the_file_and_the_resource()
    {
        var result = JsonNode.Parse(Sarif.Serialize([Open], PolicyRules.All))!["runs"]![0]!["results"]![0]!;

        Assert.Equal("SB-RDS-001", (string?)result["ruleId"]);
        Assert.Equal("error", (string?)result["level"]);
        Assert.Equal("StorageEncrypted is false", (string?)result["message"]!["text"]);
        var location = result["locations"]![0]!;
        Assert.Equal("cdk.out/Backend-Prod.template.json", (string?)location["physicalLocation"]!["artifactLocation"]!["uri"]);
        Assert.Equal("Db", (string?)location["logicalLocations"]![0]!["name"]);
        Assert.Equal("SB-RDS-001", (string?)JsonNode.Parse(Sarif.Serialize([Open], PolicyRules.All))!["runs"]![0]!["tool"]!["driver"]!["rules"]![(int)result["ruleIndex"]!]!["id"]);
        Assert.Null(result["suppressions"]);
    }

    [Fact]
    public void Sarif_suppresses_acknowledged_findings_in_source()
    {
        var result = JsonNode.Parse(Sarif.Serialize([Acked], PolicyRules.All))!["runs"]![0]!["results"]![0]!;

        var suppression = Assert.Single(result["suppressions"]!.AsArray())!;
        Assert.Equal("inSource", (string?)suppression["kind"]);
        Assert.Equal("dev has no certificate", (string?)suppression["justification"]);
    }

    [Fact]
    public void Exit_code_is_one_only_for_unacknowledged_errors()
    {
        var warning = Open with { RuleId = "SB-LOG-001", Severity = Severity.Warning };

        Assert.Equal(1, Findings.ExitCode([Open, Acked]));
        Assert.Equal(0, Findings.ExitCode([Acked, warning]));
        Assert.Equal(0, Findings.ExitCode([]));
    }
}
