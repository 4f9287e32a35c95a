using System.Text.Json.Nodes;
using ScalableBackend.Policies.Rules.Acknowledgements;
using ScalableBackend.Policies.Rules.Messaging;

namespace ScalableBackend.Policies.Tests;

/// <summary>
/// What the engine decides around the rules (the environment of each stack, the order of findings, which
/// acknowledgements it accepts) and what the SARIF and JSON outputs carry for a code-scanning tool and a reader.
/// </summary>
public sealed class EngineOutputTests
{
    private const string SingleAzDb = """
        Resources:
          Db:
            Type: AWS::RDS::DBInstance
            DeletionPolicy: Snapshot
            UpdateReplacePolicy: Snapshot
            Properties:
              Engine: postgres
              StorageEncrypted: true
              PubliclyAccessible: false
              MultiAZ: false
              DeletionProtection: true
              BackupRetentionPeriod: 7
        """;

    private static Finding InStack => new("cdk.out/Backend-Prod-Data.template.json", "SB-RDS-001", Severity.Warning, "Db", "AWS::RDS::DBInstance", "m",
        Stack: "Backend-Prod-Data");

    private static JsonNode SarifResult(Finding finding) => JsonNode.Parse(Sarif.Serialize([finding], PolicyRules.All))!["runs"]![0]!["results"]![0]!;

    [Fact]
    public void Sarif_rules_link_their_aws_source_and_say_whether_they_apply_only_in_production()
    {
        var rules = JsonNode.Parse(Sarif.Serialize([], PolicyRules.All))!["runs"]![0]!["tool"]!["driver"]!["rules"]!.AsArray();
        foreach (var descriptor in PolicyRules.All)
        {
            var rule = rules.Single(r => (string?)r!["id"] == descriptor.Id)!;
            Assert.Equal(descriptor.Source, (string?)rule["helpUri"]);
            Assert.Equal(descriptor.ProductionOnly, (bool)rule["properties"]!["productionOnly"]!);
        }
        Assert.Contains(PolicyRules.All, d => d.ProductionOnly);
        Assert.Contains(PolicyRules.All, d => !d.ProductionOnly);
    }

    [Fact]
    public void A_sarif_rule_without_a_source_has_no_help_link()
    {
        var descriptor = new RuleDescriptor("SB-TEST-001", Severity.Warning, "t", "w", "f");
        var rule = JsonNode.Parse(Sarif.Serialize([], [descriptor]))!["runs"]![0]!["tool"]!["driver"]!["rules"]![0]!;
        Assert.Null(rule["helpUri"]);
        Assert.Equal("warning", (string?)rule["defaultConfiguration"]!["level"]);
        Assert.False((bool)rule["properties"]!["productionOnly"]!);
    }

    [Fact]
    public void A_sarif_result_names_the_resource_within_its_stack_and_carries_its_type()
    {
        var inStack = SarifResult(InStack);
        var logical = inStack["locations"]![0]!["logicalLocations"]![0]!;
        Assert.Equal("Backend-Prod-Data/Resources/Db", (string?)logical["fullyQualifiedName"]);
        Assert.Equal("resource", (string?)logical["kind"]);
        Assert.Equal("AWS::RDS::DBInstance", (string?)inStack["properties"]!["resourceType"]);
        Assert.Equal("Backend-Prod-Data", (string?)inStack["properties"]!["stack"]);
        Assert.Equal("warning", (string?)inStack["level"]);

        var alone = SarifResult(InStack with { Stack = null });
        Assert.Equal("Resources/Db", (string?)alone["locations"]![0]!["logicalLocations"]![0]!["fullyQualifiedName"]);
        Assert.Null(alone["properties"]!["stack"]);
    }

    [Fact]
    public void A_sarif_suppression_without_a_reason_has_an_empty_justification_and_windows_paths_use_slashes()
    {
        var result = SarifResult(InStack with { Acknowledged = true, File = @"cdk.out\Backend-Prod-Data.template.json" });
        Assert.Equal("", (string?)result["suppressions"]![0]!["justification"]);
        Assert.Equal("cdk.out/Backend-Prod-Data.template.json", (string?)result["locations"]![0]!["physicalLocation"]!["artifactLocation"]!["uri"]);
    }

    [Fact]
    public void The_findings_json_names_the_stack_gives_a_reason_only_for_acknowledged_findings_and_is_indented()
    {
        var text = FindingsJson.Serialize([InStack with { Reason = "stale" }, InStack with { Stack = null, Acknowledged = true, Reason = "known" }]);
        var findings = JsonNode.Parse(text)!["findings"]!.AsArray();
        Assert.Equal("Backend-Prod-Data", (string?)findings[0]!["stack"]);
        Assert.Null(findings[0]!["reason"]);
        Assert.Null(findings[1]!["stack"]);
        Assert.Equal("known", (string?)findings[1]!["reason"]);
        Assert.StartsWith("{\n  \"findings\": [", text.ReplaceLineEndings("\n"));
    }

    [Theory]
    [InlineData(Severity.Error, "error")]
    [InlineData(Severity.Warning, "warning")]
    public void Severities_have_their_sarif_names(Severity severity, string name) => Assert.Equal(name, severity.ToName());

    [Theory]
    [InlineData("Backend-Stage.template.json", "staging")]
    [InlineData("backend_staging.yaml", "staging")]
    [InlineData("Backend-Production.template.json", "prod")]
    [InlineData("Backend-Development.template.json", "dev")]
    [InlineData("Backend-Dev.template.json", "dev")]
    [InlineData("template.json", null)]
    public void The_environment_is_read_from_the_file_name(string file, string? environment) =>
        Assert.Equal(environment, DeploymentEnvironment.FromFileName(file));

    [Fact]
    public void Each_stack_of_a_set_takes_its_environment_from_its_name_then_its_file()
    {
        var set = new TemplateSet()
            .Add("Backend-Prod-Data", TemplateDocument.Parse(SingleAzDb, "one.yaml"))
            .Add("Data", TemplateDocument.Parse(SingleAzDb, "Backend-Prod-Other.yaml"))
            .Add("Backend-Dev-Data", TemplateDocument.Parse(SingleAzDb, "Backend-Prod-Third.yaml"))
            .Add("Plain", TemplateDocument.Parse(SingleAzDb, "plain.yaml"));

        var multiAz = PolicyEngine.Default.Check(set).Only("SB-RDS-004");

        // Multi-AZ is a production rule: prod by stack name, prod by file name; dev by stack name wins over the file; unknown is not prod.
        Assert.Equal(["Backend-Prod-Data", "Data"], multiAz.Select(f => f.Stack));
        Assert.Equal(4, PolicyEngine.Default.Check(set, "prod").Only("SB-RDS-004").Count); // a given environment applies to every stack
    }

    [Fact]
    public void A_template_checked_without_an_environment_takes_it_from_its_file_name()
    {
        Assert.Single(PolicyEngine.Default.Check(TemplateDocument.Parse(SingleAzDb, "Backend-Prod.yaml")).Only("SB-RDS-004"));
        Assert.Empty(PolicyEngine.Default.Check(TemplateDocument.Parse(SingleAzDb, "Backend-Dev.yaml")).Only("SB-RDS-004"));
        Assert.Empty(PolicyEngine.Default.Check(TemplateDocument.Parse(SingleAzDb, "Backend-Prod.yaml"), "dev").Only("SB-RDS-004"));
    }

    [Fact]
    public void Findings_come_in_template_order_then_by_rule_then_by_message()
    {
        var findings = TestTemplates.Check("""
            Resources:
              Zeta:
                Type: AWS::SQS::Queue
              Alpha:
                Type: AWS::SQS::Queue
            """);
        Assert.True(findings.Count >= 4);
        var zeta = findings.TakeWhile(f => f.LogicalId == "Zeta").ToArray();
        Assert.NotEmpty(zeta);
        Assert.All(findings.Skip(zeta.Length), f => Assert.Equal("Alpha", f.LogicalId));
        Assert.Equal(zeta.Select(f => f.RuleId).Order(StringComparer.Ordinal), zeta.Select(f => f.RuleId));
    }

    [Fact]
    public void An_engine_with_some_rules_still_knows_the_whole_catalog_when_reading_acknowledgements()
    {
        var engine = new PolicyEngine([new QueueEncrypted()]);
        var findings = engine.Check(TemplateDocument.Parse("""
            Resources:
              Jobs:
                Type: AWS::SQS::Queue
                Metadata:
                  ScalableBackend:
                    Acknowledgements:
                      - { Rule: SB-SQS-003, Reason: "a rule this engine does not run" }
                      - { Rule: SB-SQS-099, Reason: "no such rule" }
            """, "dev.yaml"), "dev");
        var unknown = Assert.Single(findings, f => f.RuleId == AcknowledgementRules.UnknownRule.Id);
        Assert.Contains("SB-SQS-099", unknown.Message);
    }

    [Fact]
    public void Checking_nothing_is_an_argument_error()
    {
        Assert.Throws<ArgumentNullException>(() => PolicyEngine.Default.Check((TemplateDocument)null!));
        Assert.Throws<ArgumentNullException>(() => PolicyEngine.Default.Check((TemplateSet)null!));
    }

    [Fact]
    public void An_acknowledgement_section_without_its_list_is_malformed_and_so_is_an_entry_without_a_rule()
    {
        var findings = TestTemplates.Check("""
            Resources:
              Jobs:
                Type: AWS::SQS::Queue
                Metadata:
                  ScalableBackend:
                    Acknowledge: [{ Rule: SB-SQS-001, Reason: "misspelt key" }]
              Other:
                Type: AWS::SQS::Queue
                Metadata:
                  ScalableBackend:
                    Acknowledgements:
                      - { Reason: "no rule" }
                      - { Rule: "  ", Reason: "blank rule" }
                      - just text
            """, "dev").Only(AcknowledgementRules.Malformed.Id);
        Assert.Equal(
        [
            ("Jobs", "Metadata.ScalableBackend has no \"Acknowledgements\" list"),
            ("Other", "Metadata.ScalableBackend.Acknowledgements[0] is not an object with a \"Rule\" string"),
            ("Other", "Metadata.ScalableBackend.Acknowledgements[1] is not an object with a \"Rule\" string"),
            ("Other", "Metadata.ScalableBackend.Acknowledgements[2] is not an object with a \"Rule\" string"),
        ], findings.Select(f => (f.LogicalId, f.Message)));
    }

    [Fact]
    public void The_catalog_finds_a_rule_by_id_and_nothing_for_an_unknown_one()
    {
        Assert.Equal("SB-RDS-004", PolicyRules.Find("SB-RDS-004")!.Id);
        Assert.Null(PolicyRules.Find("SB-NOPE-001"));
        Assert.Equal(PolicyRules.All.Select(d => d.Id).Order(StringComparer.Ordinal), PolicyRules.All.Select(d => d.Id));
        Assert.Equal(PolicyRules.Checks.Select(d => d.Descriptor.Id).Order(StringComparer.Ordinal), PolicyRules.Checks.Select(d => d.Descriptor.Id));
    }

    [Fact]
    public void A_secret_parameters_default_is_never_read_as_the_value_and_a_plain_ones_is_named()
    {
        var findings = TestTemplates.Check("""
            Parameters:
              Size: { Type: Number, Default: 2 }
              Hidden: { Type: Number, Default: 2, NoEcho: true }
            Resources:
              Plain:
                Type: AWS::AutoScaling::AutoScalingGroup
                Properties: { MinSize: 2, MaxSize: { Ref: Size } }
              Secret:
                Type: AWS::AutoScaling::AutoScalingGroup
                Properties: { MinSize: 2, MaxSize: { Ref: Hidden } }
            """).Only("SB-ASG-001");
        var finding = Assert.Single(findings, f => f.Message.StartsWith("MaxSize", StringComparison.Ordinal));
        Assert.Equal("Plain", finding.LogicalId);
        Assert.StartsWith("MaxSize 2 (parameter Size by default) is not greater than MinSize 2:", finding.Message);
    }

}
