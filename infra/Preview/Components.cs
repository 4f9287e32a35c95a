using ScalableBackend.Policies;

namespace ScalableBackend.Infra.Preview;

/// <summary>Groups a template's resources by component: the top-level construct of their CDK path.</summary>
public static class Components
{
    /// <summary>The name used for resources without <c>aws:cdk:path</c> metadata.</summary>
    public const string Unassigned = "(no construct path)";

    /// <summary>
    /// The component of <paramref name="resource"/>: the second segment of <c>Metadata."aws:cdk:path"</c>
    /// (<c>Backend-Prod/ServiceApi/Group/ASG</c> → <c>ServiceApi</c>); <see cref="Unassigned"/> without a path.
    /// </summary>
    public static string Of(TemplateResource resource)
    {
        var path = Values.AsString(resource.Metadata?["aws:cdk:path"]);
        var parts = path?.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return parts is { Length: >= 2 } ? parts[1] : Unassigned;
    }

    /// <summary>Resource counts per component, in order of first appearance.</summary>
    public static IReadOnlyList<(string Component, int Resources)> Count(TemplateDocument template) => template.Resources
        .GroupBy(Of)
        .Select(g => (g.Key, g.Count()))
        .ToList();
}
