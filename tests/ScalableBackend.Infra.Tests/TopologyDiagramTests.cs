using ScalableBackend.Infra.Preview;
using ScalableBackend.Policies;

namespace ScalableBackend.Infra.Tests;

public sealed class TopologyDiagramTests
{
    private static readonly string Diagram = TopologyDiagram.Render(TemplateDocument.Parse(Fixtures.Base, "t.json"));

    [Theory]
    [InlineData("internet --> c_LoadBalancer")]
    [InlineData("c_LoadBalancer --> c_ServiceApi")]
    [InlineData("c_ServiceApi --> c_Database")]
    [InlineData("c_ServiceApi --> c_Orders")]
    public void EdgesFollowReferencesAlongTheRequestPath(string edge) => Assert.Contains(edge, Diagram);

    [Fact]
    public void OnlyThePartsPresentAreDrawn()
    {
        Assert.StartsWith("flowchart LR", Diagram);
        Assert.Contains("c_Cache", Diagram);
        Assert.DoesNotContain("WAF", Diagram);
        Assert.DoesNotContain("search", Diagram);
    }

    [Fact]
    public void AGroupWithoutATargetGroupIsAWorkerFedByItsQueue()
    {
        var template = Fixtures.Edit(r =>
        {
            r.Props("Group").Remove("TargetGroupARNs");
            r.Remove("Rule");
        });
        var diagram = TopologyDiagram.Render(TemplateDocument.Parse(template, "t.json"));
        Assert.Contains("c_Orders --> c_ServiceApi", diagram);
        Assert.DoesNotContain("c_LoadBalancer --> c_ServiceApi", diagram);
    }
}
