namespace ScalableBackend.Policies.Tests.Rules;

/// <summary>Every rule fires on its violating template, on exactly the offending resource, and not on the fix.</summary>
public sealed class RuleCaseTests
{
    public static TheoryData<string> RuleIds => RuleCases.Ids();

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Rule_fires_on_the_offending_resource_only(string ruleId)
    {
        var rule = RuleCases.Get(ruleId);

        var findings = TestTemplates.Check(rule.Violating).Only(ruleId);

        Assert.NotEmpty(findings);
        Assert.Equal(
            rule.Offender.Split(',').Order(StringComparer.Ordinal),
            findings.Select(f => f.LogicalId).Distinct().Order(StringComparer.Ordinal));
        Assert.All(findings, f => Assert.Equal(PolicyRules.Find(ruleId)!.Severity, f.Severity));
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Rule_does_not_fire_on_the_fixed_template(string ruleId)
    {
        var findings = TestTemplates.Check(RuleCases.Get(ruleId).Passing).Only(ruleId);

        Assert.Empty(findings);
    }

    [Fact]
    public void Every_rule_in_the_catalog_has_a_case()
    {
        // Change rules judge two templates; their violating and passing cases are the diff tests in Infra.Tests.
        var withoutCase = PolicyRules.All.Except(ChangeRules.All).Select(r => r.Id).Except(RuleCases.All.Select(c => c.RuleId));

        Assert.Empty(withoutCase);
    }

    [Fact]
    public void Every_case_names_a_rule_in_the_catalog()
    {
        Assert.All(RuleCases.All, c => Assert.NotNull(PolicyRules.Find(c.RuleId)));
    }

    [Fact]
    public void Rule_ids_are_unique_and_well_formed()
    {
        var ids = PolicyRules.All.Select(r => r.Id).ToList();

        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(ids, id => Assert.Matches(@"^SB-[A-Z0-9]+-\d{3}$", id));
        Assert.All(PolicyRules.All, r =>
        {
            Assert.False(string.IsNullOrWhiteSpace(r.Title));
            Assert.False(string.IsNullOrWhiteSpace(r.Why));
            Assert.False(string.IsNullOrWhiteSpace(r.Fix));
        });
    }
}
