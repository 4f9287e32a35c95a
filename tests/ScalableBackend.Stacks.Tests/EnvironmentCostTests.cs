using ScalableBackend.Infra.Preview;
using ScalableBackend.Policies;

namespace ScalableBackend.Stacks.Tests;

/// <summary>The repository's price table covers every resource the environments create, so no estimate is partial.</summary>
[Collection(EnvironmentCollection.Name)]
public sealed class EnvironmentCostTests(EnvironmentFixture environments)
{
    private static readonly PriceTable Prices = PriceTable.Load(Path.Combine(Path.GetDirectoryName(Synth.StacksDirectory)!, "infra", "Pricing", "prices.json"));

    public static TheoryData<string> Environments => new() { "dev", "staging", "prod" };

    [Theory]
    [MemberData(nameof(Environments))]
    public void EveryResourceHasAPriceOrIsListedAsFree(string name)
    {
        var env = environments.All.Single(e => e.Definition.Name == name);
        var unknown = env.Stacks.SelectMany(s => CostEstimator.Estimate(s.Document, Prices).Lines.Where(l => l.IsUnknown).Select(l => $"{s.Name}/{l.LogicalId}: {l.Detail}")).ToArray();
        Assert.True(unknown.Length == 0, "add these to infra/Pricing/prices.json:\n" + string.Join("\n", unknown));
    }

    [Fact]
    public void ProdCostsMoreAtMaximumScaleThanAtMinimum()
    {
        // Services and workers scale; their stacks carry the groups.
        var estimate = CostEstimator.Estimate(environments.Prod.Service("api").Document, Prices);
        Assert.True(estimate.Max > estimate.Min, $"max {estimate.MaxTotal} is not above min {estimate.MinTotal}");
    }

    [Fact]
    public void ProdsUserPoolIsPricedOnThePlusPlanItsThreatProtectionNeedsAndStagingsOnEssentials()
    {
        static string UserPoolBasis(EnvironmentTemplates env) =>
            CostEstimator.Estimate(env.Edge.Document, Prices).Lines.Single(l => l.LogicalId.StartsWith("UsersUserPool", StringComparison.Ordinal)).Detail;
        Assert.StartsWith("Plus plan", UserPoolBasis(environments.Prod));
        Assert.StartsWith("Assumes at most 10,000", UserPoolBasis(environments.Staging));
    }
}
