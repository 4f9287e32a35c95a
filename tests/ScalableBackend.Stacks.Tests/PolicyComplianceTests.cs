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

    /// <summary>
    /// Every policy-pack acknowledgement a template carries is for a finding the pack reports on that resource: none is
    /// stale (left behind after the resource changed) and none is misspelled, so each reason still explains something.
    /// </summary>
    [Theory]
    [MemberData(nameof(Environments))]
    public void EveryAcknowledgementInTheTemplatesAnswersAFindingOnItsResource(string name)
    {
        var env = Get(name);
        var acknowledged = Check(env).Where(f => f.Acknowledged).Select(f => (f.Stack, f.LogicalId, f.RuleId)).ToHashSet();
        var written = env.Stacks.SelectMany(stack => stack.Resources.SelectMany(r =>
                (r.Resource["Metadata"]?["ScalableBackend"]?["Acknowledgements"]?.AsArray() ?? [])
                .Select(a => (Stack: (string?)stack.Name, r.Id, Rule: (string)a!["Rule"]!, Reason: (string?)a["Reason"]))))
            .Where(a => a.Rule.StartsWith("SB-", StringComparison.Ordinal))
            .ToArray();

        Assert.NotEmpty(written);
        Assert.All(written, a => Assert.False(string.IsNullOrWhiteSpace(a.Reason)));
        var stale = written.Where(a => !acknowledged.Contains((a.Stack, a.Id, a.Rule))).Select(a => $"{a.Stack}/{a.Id} {a.Rule}").ToArray();
        Assert.True(stale.Length == 0, "acknowledged, but the policy pack reports nothing there:\n" + string.Join("\n", stale));
    }

    [Fact]
    public void DevsPlainHttpListenerIsReportedAsAcknowledged() =>
        Assert.Contains(Check(environments.Dev), f => f.RuleId == "SB-ELB-002" && f.Acknowledged);

    /// <summary>
    /// SB-ELB-004 (load balancer deletion protection) is production-only: on prod's own templates it is quiet because
    /// prod's file turns protection on; with protection off the same templates fail it as prod and pass it as dev.
    /// </summary>
    [Fact]
    public void ProductionRulesRunForProdAndOnlyForProd()
    {
        Assert.DoesNotContain(Check(environments.Prod), f => f.RuleId == "SB-ELB-004");

        var unprotected = new TemplateSet(environments.Prod.Stacks.Select(stack =>
        {
            var json = stack.Json.DeepClone().AsObject();
            foreach (var (_, resource) in json["Resources"]!.AsObject())
                foreach (var attribute in resource!["Properties"]?["LoadBalancerAttributes"]?.AsArray() ?? [])
                    if ((string?)attribute!["Key"] == "deletion_protection.enabled")
                        attribute["Value"] = "false";
            return new KeyValuePair<string, TemplateDocument>(stack.Name, TemplateDocument.FromJson(json, stack.Identity.TemplateFileName));
        }));

        Assert.Contains(PolicyEngine.Default.Check(unprotected, "prod"), f => f.RuleId == "SB-ELB-004" && !f.Acknowledged);
        Assert.DoesNotContain(PolicyEngine.Default.Check(unprotected, "dev"), f => f.RuleId == "SB-ELB-004");
        Assert.True(DeploymentEnvironment.IsProduction(environments.Prod.Definition.Name));
    }
}
