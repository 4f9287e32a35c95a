using ScalableBackend.Infra.Preview;
using ScalableBackend.Policies;

namespace ScalableBackend.Infra.Tests.Preview;

/// <summary>The Markdown the preview comment is made of: cost, policy findings, stateful and shard-map changes.</summary>
public sealed class ReportsTests
{
    private static readonly CostEstimate Estimate = new(
    [
        new CostLine("EC2 instances", "Group", "2–4 × m6i.large", 100m, 200m),
        new CostLine("EC2 instances", "Other", "no price", null, null),
        new CostLine("NAT gateways", "Nat", "1 × NAT", 30m, 30m),
        new CostLine("Kafka", "Kafka", "class missing | from table\nsecond line", null, null),
    ]);

    [Fact]
    public void Cost_markdown_has_a_row_per_kind_totals_and_the_unknown_lines()
    {
        Assert.Equal(
            "| Kind | Resources | Minimum / month | Maximum / month |\n| --- | ---: | ---: | ---: |\n" +
            "| EC2 instances | 2 | $100.00 + 1 unknown | $200.00 + 1 unknown |\n" +
            "| NAT gateways | 1 | $30.00 | $30.00 |\n" +
            "| Kafka | 1 | unknown | unknown |\n" +
            "| **Total** | 4 | **$130.00 + unknown items** | **$230.00 + unknown items** |\n" +
            "\n- unknown: `Other` (EC2 instances): no price" +
            "\n- unknown: `Kafka` (Kafka): class missing \\| from table second line\n",
            Reports.CostMarkdown(Estimate));
    }

    [Fact]
    public void Cost_delta_shows_base_head_and_signed_difference()
    {
        var baseline = new CostEstimate([new CostLine("NAT gateways", "Nat", "1 × NAT", 30m, 60m)]);
        var head = new CostEstimate([new CostLine("NAT gateways", "Nat", "1 × NAT", 20m, 90m)]);

        Assert.Equal(
            "| Monthly estimate | Base | Head | Difference |\n| --- | ---: | ---: | ---: |\n" +
            "| Minimum scale | $30.00 | $20.00 | -$10.00 |\n" +
            "| Maximum scale | $60.00 | $90.00 | +$30.00 |\n",
            Reports.CostDeltaMarkdown(baseline, head));
    }

    [Fact]
    public void Cost_delta_without_a_base_counts_from_zero_and_notes_unknown_prices()
    {
        var text = Reports.CostDeltaMarkdown(null, Estimate);

        Assert.Contains("| Minimum scale | — | $130.00 + unknown items | +$130.00 |\n", text, StringComparison.Ordinal);
        Assert.EndsWith("\nDifferences leave out items with unknown prices.\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Cost_delta_notes_unknown_prices_of_the_base_too()
    {
        var known = new CostEstimate([new CostLine("NAT gateways", "Nat", "1 × NAT", 30m, 30m)]);

        Assert.Contains("Differences leave out", Reports.CostDeltaMarkdown(Estimate, known), StringComparison.Ordinal);
        Assert.DoesNotContain("Differences leave out", Reports.CostDeltaMarkdown(known, known), StringComparison.Ordinal);
    }

    private static Finding Finding(Severity severity, bool acknowledged = false, string message = "bad") =>
        new("t.json", "SB-X-001", severity, "Res", "AWS::SQS::Queue", message, acknowledged, acknowledged ? "because" : null);

    [Fact]
    public void Findings_markdown_passes_without_blocking_findings_and_lists_them()
    {
        Assert.Equal("**Policy: pass** — 0 finding(s), 0 acknowledged, none blocking.\n", Reports.FindingsMarkdown([]));
        Assert.Equal(
            "**Policy: pass** — 2 finding(s), 1 acknowledged, none blocking.\n" +
            "\n| Rule | Severity | Resource | Finding |\n| --- | --- | --- | --- |\n" +
            "| SB-X-001 | warning | `Res` | a \\| b |\n" +
            "| SB-X-001 | acknowledged | `Res` | bad — acknowledged: because |\n",
            Reports.FindingsMarkdown([Finding(Severity.Warning, message: "a | b"), Finding(Severity.Error, acknowledged: true)]));
    }

    [Fact]
    public void Findings_markdown_counts_the_blocking_errors()
    {
        var text = Reports.FindingsMarkdown([Finding(Severity.Error), Finding(Severity.Error), Finding(Severity.Warning)]);

        Assert.StartsWith("**Policy: 2 error(s)** — 3 finding(s).\n", text, StringComparison.Ordinal);
        Assert.Contains("| SB-X-001 | **error** | `Res` | bad |\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Stateful_markdown_cautions_for_unacknowledged_changes_and_lists_acknowledged_ones()
    {
        Assert.Equal("No stateful resource is replaced or deleted.\n", Reports.StatefulMarkdown([]));
        var text = Reports.StatefulMarkdown(
        [
            new StatefulChange("Db", "AWS::RDS::DBInstance", "WILL_REPLACE", ["Engine"], null),
            new StatefulChange("Logs", "AWS::Logs::LogGroup", "WILL_DESTROY", ["removed from the template", "x"], "retention is enough"),
        ]);

        Assert.Equal(
            "> [!CAUTION]\n> **1 unacknowledged change(s) would replace or delete stateful resources (SB-DIFF-001):**\n" +
            "> - `Db` (AWS::RDS::DBInstance) will be replaced: Engine\n" +
            ">\n> Revert the change, or acknowledge it on the resource: `PolicyAcknowledgement.Apply(resource, new(\"SB-DIFF-001\", \"reason\"))`.\n" +
            "\n- acknowledged: `Logs` (AWS::Logs::LogGroup): removed from the template, x — retention is enough\n",
            text);
    }

    [Fact]
    public void Stateful_markdown_with_only_acknowledged_changes_has_no_caution()
    {
        var text = Reports.StatefulMarkdown([new StatefulChange("Db", "AWS::RDS::DBInstance", "MAY_REPLACE", ["A"], "ok")]);

        Assert.Equal("\n- acknowledged: `Db` (AWS::RDS::DBInstance): A — ok\n", text);
    }

    [Fact]
    public void Shard_moves_markdown_is_empty_without_changes_and_cautions_otherwise()
    {
        Assert.Equal("", Reports.ShardMovesMarkdown([]));
        Assert.Equal(
            "\n> [!CAUTION]\n> **1 shard map change(s) skip a resharding step (SB-DIFF-002):**\n> - `Map`: skips copying\n" +
            "\n- acknowledged: `Map2`: moved by hand — restored from backup\n",
            Reports.ShardMovesMarkdown([new ShardMoveChange("Map", "skips copying", null), new ShardMoveChange("Map2", "moved by hand", "restored from backup")]));
        Assert.Equal("\n- acknowledged: `Map2`: m — r\n", Reports.ShardMovesMarkdown([new ShardMoveChange("Map2", "m", "r")]));
    }

    [Fact]
    public void Escape_protects_table_cells()
    {
        Assert.Equal("a \\| b c", Reports.Escape("a | b\nc"));
    }

    [Fact]
    public void Cost_and_component_tables_have_a_row_per_kind_and_a_total()
    {
        var cost = Reports.CostTable("Prod", Estimate);
        var template = TemplateDocument.Parse("""{ "Resources": { "A": { "Type": "AWS::SQS::Queue", "Metadata": { "aws:cdk:path": "S/Queue/A" } } } }""", "t.json");
        var components = Reports.ComponentsTable("Prod", template);

        Assert.Equal(4, cost.Rows.Count);
        Assert.Equal(4, cost.Columns.Count);
        Assert.Equal(2, components.Rows.Count);
        Assert.Null(Reports.UnknownTable(new CostEstimate([new CostLine("NAT gateways", "Nat", "1", 1m, 1m)])));
        Assert.Equal(2, Reports.UnknownTable(Estimate)!.Rows.Count);
    }
}
