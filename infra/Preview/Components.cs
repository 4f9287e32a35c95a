using ScalableBackend.Policies;

namespace ScalableBackend.Infra.Preview;

/// <summary>Groups a template's resources by component: the top-level construct of their CDK path.</summary>
public static class Components
{
    /// <summary>The name used for resources without <c>aws:cdk:path</c> metadata.</summary>
    public const string Unassigned = "(no construct path)";

    /// <summary>
    /// The component of <paramref name="resource"/>: the second segment of <c>Metadata."aws:cdk:path"</c>
    /// (<c>Backend-Prod-Data/QueueBilling/Queue/Resource</c> → <c>QueueBilling</c>), except that a service's or worker's
    /// own stack is one component, named like the stack without its environment (<c>Backend-Prod-Service-Api/…</c> →
    /// <c>Service-Api</c>), grants included; <see cref="Unassigned"/> without a path.
    /// </summary>
    public static string Of(TemplateResource resource)
    {
        var path = Values.AsString(resource.Metadata?["aws:cdk:path"]);
        var parts = path?.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts is { Length: >= 1 } && OwnStack(parts[0]) is { } stack)
            return stack;
        return parts is { Length: >= 2 } ? parts[1] : Unassigned;
    }

    /// <summary><c>Service-Api</c> for <c>Backend-Prod-Service-Api</c> (likewise <c>Worker-…</c>); null for any other stack.</summary>
    public static string? OwnStack(string stackName)
    {
        var parts = stackName.Split('-', 4);
        return parts is ["Backend", _, "Service" or "Worker", { Length: > 0 }] ? $"{parts[2]}-{parts[3]}" : null;
    }

    /// <summary>Resource counts per component, in order of first appearance.</summary>
    public static IReadOnlyList<(string Component, int Resources)> Count(TemplateDocument template) => template.Resources
        .GroupBy(Of)
        .Select(g => (g.Key, g.Count()))
        .ToList();
}
