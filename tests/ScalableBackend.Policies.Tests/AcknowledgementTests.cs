namespace ScalableBackend.Policies.Tests;

public sealed class AcknowledgementTests
{
    private const string AcknowledgedListener = """
        Resources:
          Http:
            Type: AWS::ElasticLoadBalancingV2::Listener
            Properties: { Port: 80, Protocol: HTTP, DefaultActions: [{ Type: forward }] }
            Metadata:
              ScalableBackend:
                Acknowledgements:
                  - { Rule: SB-ELB-002, Reason: "dev has no certificate; declared in stacks/dev.yaml" }
          Other:
            Type: AWS::ElasticLoadBalancingV2::Listener
            Properties: { Port: 80, Protocol: HTTP, DefaultActions: [{ Type: forward }] }
        """;

    [Fact]
    public void Acknowledged_finding_is_reported_with_its_reason()
    {
        var finding = TestTemplates.Check(AcknowledgedListener, "dev").Only("SB-ELB-002").Single(f => f.LogicalId == "Http");

        Assert.True(finding.Acknowledged);
        Assert.Equal("dev has no certificate; declared in stacks/dev.yaml", finding.Reason);
    }

    [Fact]
    public void Acknowledgement_covers_only_its_own_resource()
    {
        var finding = TestTemplates.Check(AcknowledgedListener, "dev").Only("SB-ELB-002").Single(f => f.LogicalId == "Other");

        Assert.False(finding.Acknowledged);
        Assert.Null(finding.Reason);
    }

    [Fact]
    public void Acknowledged_errors_do_not_fail_the_check()
    {
        var findings = TestTemplates.Check(AcknowledgedListener.Split("  Other:")[0], "dev");

        Assert.Contains(findings, f => f.Severity == Severity.Error && f.Acknowledged);
        Assert.Equal(0, Findings.ExitCode(findings));
    }

    [Fact]
    public void Acknowledgement_without_reason_is_an_error_and_does_not_acknowledge()
    {
        var findings = TestTemplates.Check("""
            Resources:
              Http:
                Type: AWS::ElasticLoadBalancingV2::Listener
                Properties: { Port: 80, Protocol: HTTP, DefaultActions: [{ Type: forward }] }
                Metadata: { ScalableBackend: { Acknowledgements: [{ Rule: SB-ELB-002 }] } }
            """, "dev");

        var problem = Assert.Single(findings.Only("SB-ACK-001"));
        Assert.Equal(Severity.Error, problem.Severity);
        Assert.Equal("Http", problem.LogicalId);
        Assert.False(Assert.Single(findings.Only("SB-ELB-002")).Acknowledged);
        Assert.Equal(1, Findings.ExitCode(findings));
    }

    [Fact]
    public void Acknowledgement_of_unknown_rule_is_a_warning()
    {
        var findings = TestTemplates.Check("""
            Resources:
              Logs:
                Type: AWS::Logs::LogGroup
                Properties: { RetentionInDays: 7, KmsKeyId: k }
                Metadata: { ScalableBackend: { Acknowledgements: [{ Rule: SB-NOPE-001, Reason: x }] } }
            """);

        var warning = Assert.Single(findings);
        Assert.Equal(("SB-ACK-002", Severity.Warning), (warning.RuleId, warning.Severity));
        Assert.Contains("SB-NOPE-001", warning.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("W3010")]
    [InlineData("AwsSolutions-S1")]
    public void Acknowledgement_of_another_checkers_rule_is_left_to_that_checker(string rule)
    {
        var findings = TestTemplates.Check($$"""
            Resources:
              Logs:
                Type: AWS::Logs::LogGroup
                Properties: { RetentionInDays: 7, KmsKeyId: k }
                Metadata: { ScalableBackend: { Acknowledgements: [{ Rule: {{rule}}, Reason: zones come from the file }] } }
            """);

        Assert.Empty(findings);
    }

    [Fact]
    public void Acknowledging_a_change_rule_is_known_to_the_default_engine()
    {
        var findings = TestTemplates.Check("""
            Resources:
              Logs:
                Type: AWS::Logs::LogGroup
                Properties: { RetentionInDays: 7, KmsKeyId: k }
                Metadata: { ScalableBackend: { Acknowledgements: [{ Rule: SB-DIFF-001, Reason: renamed on purpose }] } }
            """);

        Assert.Empty(findings);
    }

    [Fact]
    public void Acknowledgements_in_the_json_fixture_are_read()
    {
        var findings = PolicyEngine.Default.Check(TemplateDocument.Load(TestTemplates.Fixture("Backend-Dev.template.json")));

        var listener = Assert.Single(findings.Only("SB-ELB-002"));
        Assert.True(listener.Acknowledged);
        Assert.Equal("HttpListener", listener.LogicalId);
    }
}
