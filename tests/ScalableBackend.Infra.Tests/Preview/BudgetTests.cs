using ScalableBackend.Infra.Preview;

namespace ScalableBackend.Infra.Tests.Preview;

/// <summary>The pull-request comment stays within its character budget: summary first, whole sections while they fit.</summary>
public sealed class BudgetTests
{
    private static readonly (string, string)[] Sections = [("Cost", new string('c', 300)), ("Policy", new string('p', 300))];

    [Fact]
    public void Without_a_limit_everything_is_concatenated_in_order()
    {
        Assert.Equal("S" + new string('c', 300) + new string('p', 300) + "F", Budget.Compose("S", Sections, "F", null));
    }

    [Fact]
    public void Sections_that_fit_are_kept_whole_with_the_footer()
    {
        var text = Budget.Compose("summary\n", Sections, "footer", 2000);

        Assert.Equal("summary\n" + new string('c', 300) + new string('p', 300) + "footer", text);
    }

    [Fact]
    public void A_section_that_does_not_fit_becomes_a_line_pointing_at_the_full_report()
    {
        // 8 + 300 + 6 + 400 = 714 fits 720; the second section does not, its placeholder (~100 characters) does not either at 720.
        var text = Budget.Compose("summary\n", Sections, "footer", 720);

        Assert.StartsWith("summary\n" + new string('c', 300), text, StringComparison.Ordinal);
        Assert.DoesNotContain("ppp", text, StringComparison.Ordinal);
        Assert.Contains($"\n- 1 more section(s) not shown; {Budget.FullReportHint}.\n", text, StringComparison.Ordinal);
        Assert.EndsWith("footer", text, StringComparison.Ordinal);
        Assert.True(text.Length <= 720);
    }

    [Fact]
    public void A_placeholder_names_the_section_and_its_size_when_it_fits()
    {
        var big = new (string, string)[] { ("Diff", new string('d', 5000)) };

        var text = Budget.Compose("summary\n", big, "footer", 1000);

        Assert.Equal($"summary\n\n- **Diff**: not shown here (5,000 characters); {Budget.FullReportHint}.\nfooter", text);
    }

    [Fact]
    public void The_summary_takes_at_most_half_the_budget_and_the_footer_is_dropped_when_it_does_not_fit()
    {
        var summary = string.Concat(Enumerable.Range(0, 100).Select(i => $"line {i:D3} of the summary\n"));

        var text = Budget.Compose(summary, [], new string('f', 900), 1000);

        Assert.True(text.Length <= 1000, $"{text.Length}");
        Assert.Contains("more line(s)", text, StringComparison.Ordinal);
        Assert.DoesNotContain("ffff", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Lines_keeps_short_text_and_cuts_long_text_at_a_line_boundary_counting_what_is_left()
    {
        Assert.Equal("a\nb\n", Budget.Lines("a\nb\n", 4));
        var text = string.Concat(Enumerable.Range(0, 50).Select(i => $"line {i:D2}\n")); // 8 characters a line

        var cut = Budget.Lines(text, 200);

        Assert.Equal(text[..text.LastIndexOf('\n', 80)] + $"\n… {text[text.LastIndexOf('\n', 80)..].Count(c => c == '\n')} more line(s); {Budget.FullReportHint}.\n", cut);
        Assert.StartsWith("line 00\nline 01\n", cut, StringComparison.Ordinal);
    }

    [Fact]
    public void Lines_without_a_line_break_before_the_cut_keeps_nothing_but_the_count()
    {
        Assert.Equal($"\n… 1 more line(s); {Budget.FullReportHint}.\n", Budget.Lines(new string('x', 300) + "\n", 100));
    }

    [Fact]
    public void Summarize_keeps_at_most_the_given_lines_per_resource_and_counts_the_rest()
    {
        var diff = "Resources\n[~] AWS::SQS::Queue Queue\n" + string.Concat(Enumerable.Range(0, 5).Select(i => $"  line {i}\n")) + "[+] AWS::SNS::Topic Topic\n  one\nOutputs\n";

        var text = Budget.Summarize(diff, linesPerResource: 3);

        Assert.Equal(
            "Resources\n[~] AWS::SQS::Queue Queue\n  line 0\n  line 1\n" +
            $"    … 3 more line(s) of this resource; {Budget.FullReportHint}\n" +
            "[+] AWS::SNS::Topic Topic\n  one\nOutputs\n", text);
    }

    [Fact]
    public void Summarize_shortens_long_lines_and_keeps_lines_outside_a_resource()
    {
        var diff = "Header\r\n" + string.Concat(Enumerable.Range(0, 30).Select(i => $" top {i}\n")) + "[~] X\n  " + new string('y', 20) + "\n";

        var text = Budget.Summarize(diff, linesPerResource: 5, lineLength: 10);

        Assert.StartsWith("Header\n top 0\n", text, StringComparison.Ordinal);
        Assert.Contains(" top 29\n", text, StringComparison.Ordinal);
        Assert.EndsWith("[~] X\n  yyyyyyyy… (12 more characters)\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_section_is_kept_when_it_fits_exactly_with_the_footer_and_the_reserve()
    {
        // 400 characters stay free for what the workflow adds around the document.
        var body = new string('b', 300);
        var footer = new string('f', 10);
        var limit = 1 + body.Length + footer.Length + 400;

        Assert.Equal("S" + body + footer, Budget.Compose("S", [("Diff", body)], footer, limit));
        var tight = Budget.Compose("S", [("Diff", body)], footer, limit - 1);
        Assert.DoesNotContain(body, tight);
        Assert.Contains("- **Diff**: not shown here (300 characters)", tight);
        Assert.EndsWith(footer, tight);
    }

    [Fact]
    public void A_placeholder_is_written_when_it_fits_exactly_and_counted_when_it_does_not()
    {
        var body = new string('b', 5000);
        var footer = new string('f', 10);
        var placeholder = $"\n- **Diff**: not shown here (5,000 characters); {Budget.FullReportHint}.\n";
        var limit = 1 + placeholder.Length + footer.Length + 400;

        Assert.Equal("S" + placeholder + footer, Budget.Compose("S", [("Diff", body)], footer, limit));
        Assert.Equal($"S\n- 1 more section(s) not shown; {Budget.FullReportHint}.\n" + footer, Budget.Compose("S", [("Diff", body)], footer, limit - 1));
    }

    [Fact]
    public void The_footer_is_kept_when_it_fills_the_budget_exactly()
    {
        var summary = new string('s', 10);
        Assert.Equal(summary + new string('f', 90), Budget.Compose(summary, [], new string('f', 90), 100));
        Assert.Equal(summary, Budget.Compose(summary, [], new string('f', 91), 100));
    }

    [Fact]
    public void Summarize_keeps_a_line_of_exactly_the_limit_whole()
    {
        Assert.Equal("[~] X\n  12345678\n", Budget.Summarize("[~] X\n  12345678\n", lineLength: 10));
        Assert.Equal("[~] X\n  12345678… (1 more characters)\n", Budget.Summarize("[~] X\n  123456789\n", lineLength: 10));
        Assert.EndsWith("… (1,240 more characters)\n", Budget.Summarize("[~] X\n  " + new string('y', 1248) + "\n", lineLength: 10));
    }

    [Fact]
    public void Summarize_counts_a_blocks_dropped_lines_where_the_block_ends_also_at_the_end_of_the_diff()
    {
        var diff = "[~] A\n  1\n  2\n  3\nOutputs\n[~] B\n  1\n  2\n  3";

        Assert.Equal(
            $"[~] A\n  1\n    … 2 more line(s) of this resource; {Budget.FullReportHint}\nOutputs\n" +
            $"[~] B\n  1\n    … 2 more line(s) of this resource; {Budget.FullReportHint}\n",
            Budget.Summarize(diff, linesPerResource: 2));
    }
}
