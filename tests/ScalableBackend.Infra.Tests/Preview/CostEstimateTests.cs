using ScalableBackend.Infra.Preview;

namespace ScalableBackend.Infra.Tests.Preview;

/// <summary>Totals never count an unknown price as zero; kinds are ordered by their maximum; money is formatted one way.</summary>
public sealed class CostEstimateTests
{
    private static readonly CostEstimate Estimate = new(
    [
        new CostLine("B", "b1", "", 1m, 5m),
        new CostLine("A", "a1", "", 2m, 5m),
        new CostLine("C", "c1", "", 10m, 50m),
        new CostLine("A", "a2", "", null, 7m),
        new CostLine("D", "d1", "", 3m, null),
    ]);

    [Fact]
    public void Totals_add_the_known_amounts_and_count_the_unknown_lines()
    {
        Assert.Equal(16m, Estimate.Min);
        Assert.Equal(67m, Estimate.Max);
        Assert.Equal(2, Estimate.UnknownCount);
        Assert.Equal("$16.00 + unknown items", Estimate.MinTotal);
        Assert.Equal("$67.00 + unknown items", Estimate.MaxTotal);
    }

    [Fact]
    public void A_line_is_unknown_when_either_bound_is_missing()
    {
        Assert.False(new CostLine("A", "a", "", 0m, 0m).IsUnknown);
        Assert.True(new CostLine("A", "a", "", null, 0m).IsUnknown);
        Assert.True(new CostLine("A", "a", "", 0m, null).IsUnknown);
    }

    [Fact]
    public void Kinds_are_summed_and_ordered_by_maximum_then_name()
    {
        Assert.Equal(
            [new CostByKind("C", 1, 10m, 50m, 0), new CostByKind("A", 2, 2m, 12m, 1), new CostByKind("B", 1, 1m, 5m, 0), new CostByKind("D", 1, 3m, 0m, 1)],
            Estimate.ByKind());
        Assert.Equal([new CostByKind("A", 2, 3m, 30m, 0)], new CostEstimate([new CostLine("A", "a", "", 1m, 10m), new CostLine("A", "b", "", 2m, 20m)]).ByKind());
        Assert.Equal(["A", "B"], new CostEstimate([new CostLine("B", "b", "", 1m, 1m), new CostLine("A", "a", "", 1m, 1m)]).ByKind().Select(k => k.Kind));
    }

    [Theory]
    [InlineData(1234.5, "$1,234.50")]
    [InlineData(0, "$0.00")]
    public void Money_has_thousands_and_two_decimals(double amount, string text)
    {
        Assert.Equal(text, CostEstimate.Money((decimal)amount));
    }

    [Fact]
    public void Rates_signed_differences_and_totals()
    {
        Assert.Equal("$0.096", CostEstimate.Rate(0.096m));
        Assert.Equal("$1.00", CostEstimate.Rate(1m));
        Assert.Equal("+$12.00", CostEstimate.SignedMoney(12m));
        Assert.Equal("+$0.00", CostEstimate.SignedMoney(0m));
        Assert.Equal("-$3.50", CostEstimate.SignedMoney(-3.5m));
        Assert.Equal("$5.00", CostEstimate.Total(5m, 0));
        Assert.Equal("$5.00 + unknown items", CostEstimate.Total(5m, 1));
    }
}
