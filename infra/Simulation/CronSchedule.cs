using System.Globalization;

namespace ScalableBackend.Infra.Simulation;

/// <summary>
/// A five-field Unix cron expression (minute hour day-of-month month day-of-week) as EC2 Auto Scaling's
/// <c>Recurrence</c> takes it: numbers, <c>*</c>, lists, ranges and steps, month and weekday names, 0 or 7 for
/// Sunday. As in Unix cron, when both day fields are restricted a day matching either runs the action.
/// </summary>
public sealed class CronSchedule
{
    private readonly ulong _minutes;
    private readonly uint _hours;
    private readonly uint _days;
    private readonly ushort _months;
    private readonly byte _weekdays;
    private readonly bool _anyDay;
    private readonly bool _anyWeekday;

    private CronSchedule(string text, ulong minutes, uint hours, uint days, ushort months, byte weekdays, bool anyDay, bool anyWeekday)
    {
        Text = text;
        _minutes = minutes;
        _hours = hours;
        _days = days;
        _months = months;
        _weekdays = weekdays;
        _anyDay = anyDay;
        _anyWeekday = anyWeekday;
    }

    /// <summary>The expression as written.</summary>
    public string Text { get; }

    private static readonly string[] MonthNames = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
    private static readonly string[] DayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

    /// <summary>Parses <paramref name="text"/>; throws <see cref="FormatException"/> saying which field is wrong.</summary>
    public static CronSchedule Parse(string text)
    {
        var fields = text.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (fields.Length != 5)
            throw new FormatException($"cron \"{text}\" must have 5 fields: minute hour day-of-month month day-of-week");
        var minutes = Field(fields[0], 0, 59, null, "minute");
        var hours = Field(fields[1], 0, 23, null, "hour");
        var days = Field(fields[2], 1, 31, null, "day-of-month");
        var months = Field(fields[3], 1, 12, MonthNames, "month");
        var weekdays = Field(fields[4], 0, 7, DayNames, "day-of-week");
        if ((weekdays & (1UL << 7)) != 0) weekdays = (weekdays | 1UL) & 0x7F;
        return new CronSchedule(text, minutes, (uint)hours, (uint)days, (ushort)months, (byte)weekdays,
            IsAny(fields[2]), IsAny(fields[4]));
    }

    private static bool IsAny(string field) => field is "*" or "?";

    private static ulong Field(string field, int min, int max, string[]? names, string what)
    {
        ulong bits = 0;
        foreach (var part in field.Split(','))
        {
            var step = 1;
            var range = part;
            var slash = part.IndexOf('/');
            if (slash >= 0)
            {
                if (!int.TryParse(part[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out step) || step < 1)
                    throw new FormatException($"cron {what} field \"{field}\": bad step");
                range = part[..slash];
            }
            int lo, hi;
            if (range is "*" or "?")
            {
                (lo, hi) = (min, max);
            }
            else
            {
                var dash = range.IndexOf('-');
                lo = Value(dash < 0 ? range : range[..dash], min, max, names, what, field);
                hi = dash < 0 ? (slash >= 0 ? max : lo) : Value(range[(dash + 1)..], min, max, names, what, field);
                if (hi < lo)
                    throw new FormatException($"cron {what} field \"{field}\": range {lo}-{hi} runs backwards");
            }
            for (var v = lo; v <= hi; v += step) bits |= 1UL << v;
        }
        return bits;
    }

    private static int Value(string text, int min, int max, string[]? names, string what, string field)
    {
        if (names is not null)
        {
            var index = Array.FindIndex(names, n => string.Equals(n, text, StringComparison.OrdinalIgnoreCase));
            if (index >= 0) return names == MonthNames ? index + 1 : index;
        }
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
            throw new FormatException($"cron {what} field \"{field}\": \"{text}\" is not between {min} and {max}");
        return value;
    }

    /// <summary>Whether the schedule runs at this local wall-clock minute.</summary>
    public bool Matches(int minute, int hour, int day, int month, int weekday)
    {
        if ((_minutes & (1UL << minute)) == 0 || (_hours & (1U << hour)) == 0 || (_months & (1 << month)) == 0)
            return false;
        var dayOk = (_days & (1U << day)) != 0;
        var weekdayOk = (_weekdays & (1 << weekday)) != 0;
        return _anyDay || _anyWeekday ? dayOk && weekdayOk : dayOk || weekdayOk;
    }

    /// <summary>Whether the schedule runs at <paramref name="local"/> (seconds ignored).</summary>
    public bool Matches(DateTime local) => Matches(local.Minute, local.Hour, local.Day, local.Month, (int)local.DayOfWeek);

    /// <inheritdoc/>
    public override string ToString() => Text;
}

/// <summary>
/// The simulated minutes as wall-clock time: minute 0 is <see cref="Start"/>; each time zone's local fields are
/// computed once per minute and shared by every group and action that reads them.
/// </summary>
public sealed class SimulationClock
{
    private readonly Dictionary<string, int[]> _local = new(StringComparer.Ordinal);
    private string? _lastZone;
    private int[]? _lastFields;

    /// <summary>A clock of <paramref name="minutes"/> minutes from <paramref name="startUtc"/>, looking <paramref name="lookbackMinutes"/> back.</summary>
    public SimulationClock(DateTime startUtc, int minutes, int lookbackMinutes = 7 * 1440)
    {
        Start = DateTime.SpecifyKind(startUtc, DateTimeKind.Utc);
        Minutes = minutes;
        Lookback = lookbackMinutes;
    }

    /// <summary>Minute 0, in UTC.</summary>
    public DateTime Start { get; }

    /// <summary>How many minutes are simulated.</summary>
    public int Minutes { get; }

    /// <summary>How many minutes before the start are searched for the scheduled state in force at the start (a week).</summary>
    public int Lookback { get; }

    /// <summary>The UTC time of minute <paramref name="minute"/> (negative: before the start).</summary>
    public DateTime At(int minute) => Start.AddMinutes(minute);

    /// <summary>Whether <paramref name="cron"/> in <paramref name="timeZone"/> fires at minute <paramref name="minute"/> (from −Lookback to Minutes − 1).</summary>
    public bool Fires(CronSchedule cron, string timeZone, int minute)
    {
        if (!ReferenceEquals(timeZone, _lastZone)) (_lastZone, _lastFields) = (timeZone, Local(timeZone));
        var packed = _lastFields![minute + Lookback];
        return cron.Matches(packed & 63, (packed >> 6) & 31, (packed >> 11) & 31, (packed >> 16) & 15, (packed >> 20) & 7);
    }

    private int[] Local(string timeZone)
    {
        if (_local.TryGetValue(timeZone, out var fields)) return fields;
        var zone = timeZone is "UTC" or "Etc/UTC" ? TimeZoneInfo.Utc : TimeZoneInfo.FindSystemTimeZoneById(timeZone);
        fields = new int[Lookback + Minutes];
        for (var i = 0; i < fields.Length; i++)
        {
            var local = TimeZoneInfo.ConvertTimeFromUtc(Start.AddMinutes(i - Lookback), zone);
            fields[i] = local.Minute | local.Hour << 6 | local.Day << 11 | local.Month << 16 | (int)local.DayOfWeek << 20;
        }
        _local[timeZone] = fields;
        return fields;
    }
}
