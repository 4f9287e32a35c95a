using System.Text.Json.Nodes;

namespace ScalableBackend.Policies;

/// <summary>A check over the resources of some types. Implementations are stateless and thread-safe.</summary>
public interface IPolicyRule
{
    /// <summary>Id, severity, title and guidance.</summary>
    RuleDescriptor Descriptor { get; }

    /// <summary>
    /// The resource types the rule looks at; <see cref="Check"/> is called once per such resource. Empty means
    /// every resource.
    /// </summary>
    IReadOnlyList<string> ResourceTypes { get; }

    /// <summary>One message per violation on <paramref name="resource"/>; empty when it complies.</summary>
    IEnumerable<string> Check(TemplateResource resource, RuleContext context);
}

/// <summary>Everything a rule may look at besides the resource itself.</summary>
/// <param name="Template">The template being checked (the one declaring the resource).</param>
/// <param name="Graph">References between its resources, and, in a <see cref="TemplateSet"/>, to and from the other
/// templates of the set.</param>
/// <param name="Environment">The environment name (<c>prod</c>, <c>dev</c>, …), or null when unknown.</param>
/// <param name="Stack">The template's stack name in a <see cref="TemplateSet"/>; null for a single-template check.</param>
public sealed record RuleContext(TemplateDocument Template, ResourceGraph Graph, string? Environment, string? Stack = null)
{
    /// <summary>
    /// How a message names another resource: its logical ID, prefixed by its stack (<c>Backend-Prod-Data/Queue</c>)
    /// when it lives in another template of the set.
    /// </summary>
    public string NameOf(TemplateResource resource) =>
        ReferenceEquals(resource.Template, Template) || Graph.StackOf(resource) is not { } stack
            ? resource.LogicalId
            : $"{stack}/{resource.LogicalId}";

    /// <summary>
    /// The value a property has when the stack is deployed with its parameters' defaults: a <c>Ref</c> to a parameter
    /// of <see cref="Template"/> that declares a <c>Default</c> becomes that default; anything else is returned as
    /// it is (so a parameter without a default stays an intrinsic, i.e. unknown). SSM-typed and NoEcho parameters
    /// are not resolved.
    /// </summary>
    public JsonNode? Resolve(JsonNode? value) =>
        DefaultedParameter(value) is { } name ? Template.Parameters![name]!["Default"] : value;

    /// <summary><c>" (parameter P by default)"</c> when <paramref name="value"/> resolves through a parameter default, else empty.</summary>
    public string ByDefault(JsonNode? value) =>
        DefaultedParameter(value) is { } name ? $" (parameter {name} by default)" : string.Empty;

    /// <summary>"is missing" / "is X" of the resolved value, marked "by default" when it came from a parameter.</summary>
    public string Describe(JsonNode? value) => Rules.RuleText.Describe(Resolve(value)) + ByDefault(value);

    private string? DefaultedParameter(JsonNode? value)
    {
        if (value is not JsonObject { Count: 1 } obj || obj["Ref"] is not JsonValue r || !r.TryGetValue<string>(out var name)
            || Template.Parameters?[name] is not JsonObject parameter || parameter["Default"] is null
            || StaticText.IsSsmParameterType(parameter) || Values.IsTrue(parameter["NoEcho"]))
        {
            return null;
        }

        return name;
    }

    /// <summary>True when <see cref="Environment"/> is production.</summary>
    public bool IsProduction => DeploymentEnvironment.IsProduction(Environment);
}
