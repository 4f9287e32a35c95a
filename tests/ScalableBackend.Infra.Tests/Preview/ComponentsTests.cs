using ScalableBackend.Infra.Preview;
using ScalableBackend.Policies;
using PreviewComponents = ScalableBackend.Infra.Preview.Components;

namespace ScalableBackend.Infra.Tests.Preview;

/// <summary>Resources grouped by component: the construct path's second segment, a service's own stack as one.</summary>
public sealed class ComponentsTests
{
    private static TemplateResource Resource(string? path)
    {
        var metadata = path is null ? "" : $", \"Metadata\": {{ \"aws:cdk:path\": \"{path}\" }}";
        return TemplateDocument.Parse($"{{ \"Resources\": {{ \"R\": {{ \"Type\": \"AWS::SQS::Queue\"{metadata} }} }} }}", "t.json").Resources[0];
    }

    [Theory]
    [InlineData("Backend-Prod-Data/QueueBilling/Queue/Resource", "QueueBilling")]
    [InlineData("Backend-Prod-Service-Api/ServiceApi/Group/ASG", "Service-Api")]
    [InlineData("Backend-Prod-Worker-Billing/Grant/Resource", "Worker-Billing")]
    [InlineData("Backend-Prod-Data/QueueBilling", "QueueBilling")]
    [InlineData("Backend-Prod-Service-Api", "Service-Api")]
    [InlineData("Backend-Prod-Data", PreviewComponents.Unassigned)]
    [InlineData(null, PreviewComponents.Unassigned)]
    public void A_resource_belongs_to_its_top_level_construct_or_its_own_stack(string? path, string component)
    {
        Assert.Equal(component, PreviewComponents.Of(Resource(path)));
    }

    [Theory]
    [InlineData("Backend-Prod-Service-Api", "Service-Api")]
    [InlineData("Backend-Staging-Worker-Shipping-Eu", "Worker-Shipping-Eu")]
    [InlineData("Backend-Prod-Data", null)]
    [InlineData("Backend-Prod-Service-", null)]
    [InlineData("Other-Prod-Service-Api", null)]
    [InlineData("Backend-Prod-Service", null)]
    public void Own_stacks_are_services_and_workers(string stack, string? expected)
    {
        Assert.Equal(expected, PreviewComponents.OwnStack(stack));
    }

    [Fact]
    public void Counts_are_per_component_in_order_of_first_appearance()
    {
        var template = TemplateDocument.Parse("""
            { "Resources": {
              "A": { "Type": "AWS::SQS::Queue", "Metadata": { "aws:cdk:path": "S/Queue/A" } },
              "B": { "Type": "AWS::SNS::Topic", "Metadata": { "aws:cdk:path": "S/Topic/B" } },
              "C": { "Type": "AWS::SQS::Queue", "Metadata": { "aws:cdk:path": "S/Queue/C" } } } }
            """, "t.json");

        Assert.Equal([("Queue", 2), ("Topic", 1)], PreviewComponents.Count(template));
        Assert.Equal("| Component | Resources |\n| --- | ---: |\n| Queue | 2 |\n| Topic | 1 |\n| **Total** | 3 |\n", Reports.ComponentsMarkdown(template));
    }
}
