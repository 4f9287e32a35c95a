using Amazon.CDK.AWS.Logs;

namespace ScalableBackend.Components.Observability;

/// <summary>Maps a number of days to the CloudWatch Logs retention that accepts exactly that number.</summary>
public static class LogRetention
{
    private static readonly IReadOnlyDictionary<int, RetentionDays> ByDays = new Dictionary<int, RetentionDays>
    {
        [1] = RetentionDays.ONE_DAY, [3] = RetentionDays.THREE_DAYS, [5] = RetentionDays.FIVE_DAYS,
        [7] = RetentionDays.ONE_WEEK, [14] = RetentionDays.TWO_WEEKS, [30] = RetentionDays.ONE_MONTH,
        [60] = RetentionDays.TWO_MONTHS, [90] = RetentionDays.THREE_MONTHS, [120] = RetentionDays.FOUR_MONTHS,
        [150] = RetentionDays.FIVE_MONTHS, [180] = RetentionDays.SIX_MONTHS, [365] = RetentionDays.ONE_YEAR,
        [400] = RetentionDays.THIRTEEN_MONTHS, [545] = RetentionDays.EIGHTEEN_MONTHS, [731] = RetentionDays.TWO_YEARS,
        [1096] = RetentionDays.THREE_YEARS, [1827] = RetentionDays.FIVE_YEARS, [2192] = RetentionDays.SIX_YEARS,
        [2557] = RetentionDays.SEVEN_YEARS, [2922] = RetentionDays.EIGHT_YEARS, [3288] = RetentionDays.NINE_YEARS,
        [3653] = RetentionDays.TEN_YEARS,
    };

    /// <summary>The day counts CloudWatch Logs accepts, ascending.</summary>
    public static IReadOnlyList<int> AllowedDays { get; } = ByDays.Keys.Order().ToArray();

    /// <summary>Whether CloudWatch Logs accepts <paramref name="days"/> as a retention.</summary>
    public static bool IsAllowed(int days) => ByDays.ContainsKey(days);

    /// <summary>The retention for <paramref name="days"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">CloudWatch Logs does not accept that number of days.</exception>
    public static RetentionDays FromDays(int days) => ByDays.TryGetValue(days, out var r)
        ? r
        : throw new ArgumentOutOfRangeException(nameof(days), days, $"log retention must be one of {string.Join(", ", AllowedDays)} days");

    /// <summary>The number of days <paramref name="retention"/> keeps events (the value CloudWatch Logs' API takes).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="retention"/> is not a finite retention (e.g. <c>INFINITE</c>).</exception>
    public static int ToDays(RetentionDays retention) =>
        ByDays.FirstOrDefault(kv => kv.Value == retention) is { Value: var found, Key: var days } && found == retention && days > 0
            ? days
            : throw new ArgumentOutOfRangeException(nameof(retention), retention, "must be a finite retention");
}
