using ScalableBackend.Infra.Preview;
using ScalableBackend.Policies;
using Spectre.Console.Rendering;
using Spectre.Console.Testing;

namespace ScalableBackend.Infra.Tests.Preview;

/// <summary>The console tables of the estimate and the components, as a terminal without colours shows them.</summary>
public sealed class ReportTablesTests
{
    private static readonly CostEstimate Estimate = new(
    [
        new CostLine("EC2 instances", "Group", "2–4 × m6i.large", 100m, 200m),
        new CostLine("EC2 instances", "Other", "no [price]", null, null),
        new CostLine("NAT gateways", "Nat", "1 × NAT", 30m, 30m),
        new CostLine("Kafka [MSK]", "Kafka", "class missing", null, null),
    ]);

    private static string[] Rows(IRenderable table)
    {
        var console = new TestConsole().Width(160);
        console.Write(table);
        return console.Output.Split('\n').Select(l => string.Join(' ', l.Split(['│', '┃', '|', ' '], StringSplitOptions.RemoveEmptyEntries))).Where(l => l.Length > 0).ToArray();
    }

    [Fact]
    public void The_cost_table_has_a_row_per_kind_with_its_unknown_count_and_the_totals()
    {
        var rows = Rows(Reports.CostTable("Backend-Prod [all stacks]", Estimate));
        Assert.Contains("Backend-Prod [all stacks]", rows);
        Assert.Contains("Kind Resources Minimum / month Maximum / month", rows);
        Assert.Contains("EC2 instances 2 $100.00 + 1 unknown $200.00 + 1 unknown", rows);
        Assert.Contains("NAT gateways 1 $30.00 $30.00", rows);
        Assert.Contains("Kafka [MSK] 1 unknown unknown", rows);
        Assert.Contains("Total 4 $130.00 + unknown items $230.00 + unknown items", rows);
    }

    [Fact]
    public void The_unknown_table_lists_each_unpriced_line_and_is_absent_when_every_price_is_known()
    {
        var rows = Rows(Reports.UnknownTable(Estimate)!);
        Assert.Contains("Unknown prices", rows);
        Assert.Contains("Resource Kind Why", rows);
        Assert.Contains("Other EC2 instances no [price]", rows);
        Assert.Contains("Kafka Kafka [MSK] class missing", rows);
        Assert.DoesNotContain(rows, r => r.StartsWith("Group", StringComparison.Ordinal));
        Assert.Null(Reports.UnknownTable(new CostEstimate([new CostLine("NAT gateways", "Nat", "1 × NAT", 30m, 30m)])));
    }

    [Fact]
    public void The_components_table_counts_resources_per_component_in_order_with_a_total()
    {
        var template = TemplateDocument.Parse(Fixtures.Base, "t.json");
        var rows = Rows(Reports.ComponentsTable("Backend-Prod [data]", template));
        Assert.Equal(
            ["Backend-Prod [data]", "Component Resources", "LoadBalancer 2", "ServiceApi 6", "Orders 1", "Database 3", "Cache 1", "Total 13"],
            rows.Where(r => !r.All(c => "─━┌┐└┘├┤┬┴┼╭╮╰╯═╞╡╪".Contains(c))).ToArray());
    }
}
