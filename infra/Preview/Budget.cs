using System.Text;

namespace ScalableBackend.Infra.Preview;

/// <summary>
/// Keeps a Markdown document within a character budget (a pull-request comment is limited to 65,536): the summary
/// always, then whole sections in order while they fit; a section that does not fit is replaced by one line saying
/// where the full report is.
/// </summary>
public static class Budget
{
    /// <summary>Where the full reports are, as the shortened document says.</summary>
    public const string FullReportHint = "the full report is attached to the workflow run as an artifact";

    private const int Reserve = 400;

    /// <summary>Composes <paramref name="summary"/>, <paramref name="sections"/> and <paramref name="footer"/> within <paramref name="maxChars"/> (no limit when null).</summary>
    public static string Compose(string summary, IReadOnlyList<(string Name, string Text)> sections, string footer, int? maxChars)
    {
        if (maxChars is null)
            return summary + string.Concat(sections.Select(s => s.Text)) + footer;
        var limit = maxChars.Value;
        var text = new StringBuilder(Lines(summary, Math.Max(0, limit / 2)));
        var omitted = new List<string>();
        foreach (var (name, body) in sections)
        {
            var placeholder = $"\n- **{name}**: not shown here ({body.Length.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} characters); {FullReportHint}.\n";
            if (text.Length + body.Length + footer.Length + Reserve <= limit)
                text.Append(body);
            else if (text.Length + placeholder.Length + footer.Length + Reserve <= limit)
                text.Append(placeholder);
            else
                omitted.Add(name);
        }
        if (omitted.Count > 0)
            text.Append($"\n- {omitted.Count} more section(s) not shown; {FullReportHint}.\n");
        if (text.Length + footer.Length <= limit)
            text.Append(footer);
        return text.ToString();
    }

    /// <summary>
    /// <paramref name="text"/> cut at a line boundary so it is at most <paramref name="maxChars"/> long, with a last line
    /// counting what was left out.
    /// </summary>
    public static string Lines(string text, int maxChars)
    {
        if (text.Length <= maxChars)
            return text;
        var cut = text.LastIndexOf('\n', Math.Max(0, maxChars - 120));
        if (cut < 0)
            cut = 0;
        var left = text[cut..].Count(c => c == '\n');
        return text[..cut] + $"\n… {left} more line(s); {FullReportHint}.\n";
    }

    /// <summary>
    /// A readable diff shortened for a comment: each resource's block (a line starting with <c>[</c>) keeps at most
    /// <paramref name="linesPerResource"/> lines, and every line at most <paramref name="lineLength"/> characters — so a
    /// changed dashboard body or policy document is summarized, not printed whole.
    /// </summary>
    public static string Summarize(string formatted, int linesPerResource = 20, int lineLength = 240)
    {
        var text = new StringBuilder();
        var inBlock = 0;
        var dropped = 0;
        void Flush()
        {
            if (dropped > 0)
                text.Append($"    … {dropped} more line(s) of this resource; {FullReportHint}\n");
            dropped = 0;
        }
        foreach (var raw in formatted.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.StartsWith('['))
            {
                Flush();
                inBlock = 0;
            }
            else if (line.Length == 0 || !char.IsWhiteSpace(line[0]))
            {
                Flush();
                inBlock = -1;
            }
            if (inBlock >= 0 && ++inBlock > linesPerResource)
            {
                dropped++;
                continue;
            }
            text.Append(line.Length > lineLength ? line[..lineLength] + $"… ({(line.Length - lineLength).ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} more characters)" : line).Append('\n');
        }
        Flush();
        return text.ToString().TrimEnd('\n') + "\n";
    }
}
