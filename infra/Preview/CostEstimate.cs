using System.Globalization;

namespace ScalableBackend.Infra.Preview;

/// <summary>
/// The monthly cost of one resource (or one part of it, e.g. an Auto Scaling group's volumes) at minimum and at
/// maximum scale. Both are null when the price is unknown.
/// </summary>
/// <param name="Kind">What is paid for, e.g. "EC2 instances"; the estimate is summed per kind.</param>
/// <param name="LogicalId">The resource the cost comes from.</param>
/// <param name="Detail">How it is counted, e.g. "3–12 × m6i.large"; for an unknown price, why it is unknown.</param>
/// <param name="Min">Monthly cost at minimum scale; null when unknown.</param>
/// <param name="Max">Monthly cost at maximum scale; null when unknown.</param>
public sealed record CostLine(string Kind, string LogicalId, string Detail, decimal? Min, decimal? Max)
{
    /// <summary>True when the table has no price for this line.</summary>
    public bool IsUnknown => Min is null || Max is null;
}

/// <summary>One row of the estimate per kind.</summary>
/// <param name="Kind">What is paid for.</param>
/// <param name="Count">How many lines (resources) of this kind.</param>
/// <param name="Min">Sum of the known minimums.</param>
/// <param name="Max">Sum of the known maximums.</param>
/// <param name="Unknown">How many lines of this kind have no price.</param>
public sealed record CostByKind(string Kind, int Count, decimal Min, decimal Max, int Unknown);

/// <summary>A template's monthly estimate: its lines, and totals in which unknown prices are never zero but counted apart.</summary>
/// <param name="Lines">Every priced (or unknown) line, in template order.</param>
public sealed record CostEstimate(IReadOnlyList<CostLine> Lines)
{
    /// <summary>Sum of the known minimums.</summary>
    public decimal Min => Lines.Sum(l => l.Min ?? 0m);

    /// <summary>Sum of the known maximums.</summary>
    public decimal Max => Lines.Sum(l => l.Max ?? 0m);

    /// <summary>How many lines have no price.</summary>
    public int UnknownCount => Lines.Count(l => l.IsUnknown);

    /// <summary>The lines summed per kind, most expensive (at maximum) first; unknown-only kinds last.</summary>
    public IReadOnlyList<CostByKind> ByKind() => Lines
        .GroupBy(l => l.Kind)
        .Select(g => new CostByKind(g.Key, g.Count(), g.Sum(l => l.Min ?? 0m), g.Sum(l => l.Max ?? 0m), g.Count(l => l.IsUnknown)))
        .OrderByDescending(k => k.Max).ThenBy(k => k.Kind, StringComparer.Ordinal)
        .ToList();

    /// <summary>Formats an amount as <c>$1,234.56</c>.</summary>
    public static string Money(decimal amount) => amount.ToString("$#,##0.00", CultureInfo.InvariantCulture);

    /// <summary>Formats a unit price with up to four decimals: <c>$0.096</c>.</summary>
    public static string Rate(decimal amount) => amount.ToString("$0.00##", CultureInfo.InvariantCulture);

    /// <summary>Formats a signed difference as <c>+$12.00</c> or <c>-$3.50</c>.</summary>
    public static string SignedMoney(decimal amount) => (amount < 0 ? "-" : "+") + Money(Math.Abs(amount));

    /// <summary>A total with its unknown items: <c>$1,234.56 + unknown items</c> when any price is missing.</summary>
    public static string Total(decimal amount, int unknown) => unknown == 0 ? Money(amount) : $"{Money(amount)} + unknown items";

    /// <summary>The minimum total, with unknown items.</summary>
    public string MinTotal => Total(Min, UnknownCount);

    /// <summary>The maximum total, with unknown items.</summary>
    public string MaxTotal => Total(Max, UnknownCount);
}
