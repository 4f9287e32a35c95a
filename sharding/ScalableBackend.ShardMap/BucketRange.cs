using System.Globalization;

namespace ScalableBackend.Sharding;

/// <summary>An inclusive range of virtual buckets, written <c>"0-255"</c> (or <c>"7"</c> for one bucket) in the shard map.</summary>
/// <param name="From">The first bucket, 0 or more.</param>
/// <param name="To">The last bucket (inclusive), at least <paramref name="From"/>.</param>
public readonly record struct BucketRange(int From, int To)
{
    /// <summary>How many buckets the range holds.</summary>
    public int Count => To - From + 1;

    /// <summary>Whether <paramref name="bucket"/> lies in the range.</summary>
    public bool Contains(int bucket) => bucket >= From && bucket <= To;

    /// <summary>Whether the two ranges share a bucket.</summary>
    public bool Overlaps(BucketRange other) => From <= other.To && other.From <= To;

    /// <summary>The map's form: <c>"0-255"</c>, or <c>"7"</c> when <see cref="From"/> equals <see cref="To"/>.</summary>
    public override string ToString() => From == To ? From.ToString(CultureInfo.InvariantCulture) : $"{From.ToString(CultureInfo.InvariantCulture)}-{To.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Parses <c>"from-to"</c> or <c>"n"</c> (decimal digits only); null when <paramref name="text"/> is neither.</summary>
    public static BucketRange? TryParse(string text)
    {
        var dash = text.IndexOf('-', StringComparison.Ordinal);
        var (first, last) = dash < 0 ? (text, text) : (text[..dash], text[(dash + 1)..]);
        return IsNumber(first) && IsNumber(last)
               && int.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var from)
               && int.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var to)
            ? new BucketRange(from, to)
            : null;
    }

    private static bool IsNumber(string s) => s.Length is > 0 and <= 9 && s.All(char.IsAsciiDigit);
}
