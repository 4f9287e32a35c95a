namespace ScalableBackend.Policies.Tests;

public sealed class EnvironmentTests
{
    [Theory]
    [InlineData("cdk.out/Backend-Prod.template.json", "prod")]
    [InlineData("Backend-Dev.template.json", "dev")]
    [InlineData("/tmp/cdk.out/Backend-Staging.template.json", "staging")]
    [InlineData("backend_production.yaml", "prod")]
    [InlineData("Backend-Product.template.json", null)]
    [InlineData("Backend.template.json", null)]
    [InlineData("Backend-Prod/template.json", null)]
    public void Environment_comes_from_the_file_name(string path, string? expected)
    {
        Assert.Equal(expected, DeploymentEnvironment.FromFileName(path));
    }

    [Theory]
    [InlineData("prod", true)]
    [InlineData("Production", true)]
    [InlineData("staging", false)]
    [InlineData(null, false)]
    public void Only_prod_is_production(string? environment, bool expected)
    {
        Assert.Equal(expected, DeploymentEnvironment.IsProduction(environment));
    }

    [Fact]
    public void Production_only_rules_fire_for_a_prod_file()
    {
        var findings = PolicyEngine.Default.Check(TemplateDocument.Load(TestTemplates.Fixture("Backend-Prod.template.json")));

        Assert.Equal("Database", Assert.Single(findings.Only("SB-RDS-004")).LogicalId);
    }

    [Fact]
    public void Production_only_rules_do_not_fire_for_a_dev_file()
    {
        var findings = PolicyEngine.Default.Check(TemplateDocument.Load(TestTemplates.Fixture("Backend-Dev.template.json")));

        Assert.DoesNotContain(findings, f => PolicyRules.Find(f.RuleId)!.ProductionOnly);
        Assert.Contains(findings, f => f.RuleId == "SB-ELB-002");
    }

    [Fact]
    public void Explicit_environment_overrides_the_file_name()
    {
        var template = TemplateDocument.Load(TestTemplates.Fixture("Backend-Dev.template.json"));

        Assert.NotEmpty(PolicyEngine.Default.Check(template, "prod").Only("SB-RDS-004"));
        Assert.Empty(PolicyEngine.Default.Check(template, "dev").Only("SB-RDS-004"));
    }

    [Fact]
    public void Unknown_environment_is_not_production()
    {
        var findings = TestTemplates.Check("""
            Resources:
              Db: { Type: AWS::RDS::DBInstance, Properties: { StorageEncrypted: false } }
            """, environment: null, file: "template.yaml");

        Assert.DoesNotContain(findings, f => PolicyRules.Find(f.RuleId)!.ProductionOnly);
        Assert.NotEmpty(findings.Only("SB-RDS-001"));
    }
}
