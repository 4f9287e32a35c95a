using System.Globalization;
using ScalableBackend.Components.Facts;

namespace ScalableBackend.Components.Compute;

/// <summary>
/// The recurrence of an EC2 Auto Scaling scheduled action: traditional Unix cron with five fields
/// (<c>minute hour day-of-month month day-of-week</c>), each <c>*</c>, a value, a range <c>a-b</c>, a step
/// <c>*/n</c> or <c>a-b/n</c>, or a comma-separated list of these. Months may be written <c>jan</c>–<c>dec</c>, days of
/// the week <c>sun</c>–<c>sat</c> (0 and 7 are Sunday). Not accepted: Quartz/EventBridge extras such as <c>?</c>,
/// <c>L</c>, <c>W</c>, <c>#</c> or a sixth year field, which EC2 Auto Scaling rejects.
/// </summary>
public static class Recurrence
{
    private sealed record Field(string Name, int Min, int Max, string[]? Names);

    private static readonly Field[] Fields =
    [
        new("minute", 0, 59, null),
        new("hour", 0, 23, null),
        new("day-of-month", 1, 31, null),
        new("month", 1, 12, ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]),
        new("day-of-week", 0, 7, ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]),
    ];

    /// <summary>What is wrong with <paramref name="cron"/> as a scheduled action's recurrence, or null when EC2 Auto Scaling accepts it.</summary>
    public static string? Problem(string cron)
    {
        var parts = cron.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 5)
            return "must have 5 fields: minute hour day-of-month month day-of-week";
        for (var i = 0; i < 5; i++)
            if (FieldProblem(Fields[i], parts[i]) is { } problem)
                return $"is not a cron expression EC2 Auto Scaling accepts: {Fields[i].Name} {problem}";
        return null;
    }

    /// <summary>What is wrong with <paramref name="timeZone"/> for a scheduled action, or null when it is a canonical IANA name.</summary>
    public static string? TimeZoneProblem(string timeZone) =>
        AwsFacts.TimeZones.Contains(timeZone)
            ? null
            : $"is not a canonical IANA time zone name such as Europe/Berlin or Etc/UTC{AwsFacts.DidYouMean(timeZone, AwsFacts.TimeZones)}";

    private static string? FieldProblem(Field f, string text)
    {
        foreach (var item in text.Split(','))
        {
            if (item.Length == 0) return $"'{text}' has an empty list item";
            var (range, step) = item.IndexOf('/') is var slash and >= 0 ? (item[..slash], item[(slash + 1)..]) : (item, null);
            if (step is not null && (!int.TryParse(step, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1 || n > f.Max))
                return $"'{item}' has step '{step}', which must be a whole number from 1 to {f.Max}";
            if (range == "*") continue;
            var dash = range.IndexOf('-', 1);
            var (from, to) = dash > 0 ? (range[..dash], range[(dash + 1)..]) : (range, null);
            if (to is null && step is not null)
                return $"'{item}' must step over * or a range a-b";
            if (Value(f, from) is not { } a) return ValueProblem(f, from);
            if (to is null) continue;
            if (Value(f, to) is not { } b) return ValueProblem(f, to);
            if (a > b) return $"'{range}' is a range from {a} down to {b}; write the smaller value first";
        }
        return null;
    }

    private static int? Value(Field f, string text)
    {
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v))
            return v >= f.Min && v <= f.Max ? v : null;
        var index = f.Names is null ? -1 : Array.IndexOf(f.Names, text.ToLowerInvariant());
        return index < 0 ? null : index + f.Min;
    }

    private static string ValueProblem(Field f, string text) =>
        f.Names is null
            ? $"'{text}' must be * or a whole number from {f.Min} to {f.Max}"
            : $"'{text}' must be * , a whole number from {f.Min} to {f.Max} or one of {string.Join(", ", f.Names)}";
}
