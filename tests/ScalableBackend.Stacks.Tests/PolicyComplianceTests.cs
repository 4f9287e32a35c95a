using ScalableBackend.Policies;

namespace ScalableBackend.Stacks.Tests;

/// <summary>Every environment passes the policy pack; what it knowingly relaxes is acknowledged with a reason.</summary>
[Collection(EnvironmentCollection.Name)]
public sealed class PolicyComplianceTests(EnvironmentFixture environments)
{
    private static IReadOnlyList<Finding> Check(EnvironmentTemplates env) =>
        PolicyEngine.Default.Check(env.TemplateSet, env.Definition.Name);

    public static TheoryData<string> Environments => new() { "dev", "staging", "prod" };

    private EnvironmentTemplates Get(string name) => environments.All.Single(e => e.Definition.Name == name);

    [Theory]
    [MemberData(nameof(Environments))]
    public void HasNoUnacknowledgedErrors(string name)
    {
        var blocking = Check(Get(name)).Where(Findings.IsBlocking).Select(f => $"{f.RuleId} {f.LogicalId}: {f.Message}").ToArray();
        Assert.True(blocking.Length == 0, string.Join("\n", blocking));
    }

    [Theory]
    [MemberData(nameof(Environments))]
    public void EveryAcknowledgementCarriesAReason(string name) =>
        Assert.All(Check(Get(name)).Where(f => f.Acknowledged), f => Assert.False(string.IsNullOrWhiteSpace(f.Reason)));

    [Fact]
    public void DevsPlainHttpListenerIsReportedAsAcknowledged() =>
        Assert.Contains(Check(environments.Dev), f => f.RuleId == "SB-ELB-002" && f.Acknowledged);

    [Fact]
    public void ProductionRulesRunForProd()
    {
        // Deletion protection on the load balancer is a production-only rule: prod's file turns it on, so no finding.
        Assert.DoesNotContain(Check(environments.Prod), f => f.RuleId == "SB-ELB-004");
        Assert.True(DeploymentEnvironment.IsProduction(environments.Prod.Definition.Name));
    }
}
