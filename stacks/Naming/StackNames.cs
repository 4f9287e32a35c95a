using ScalableBackend.Stacks.Config;

namespace ScalableBackend.Stacks;

/// <summary>
/// The names of an environment's stacks and their templates, known without synthesizing:
/// <c>Backend-&lt;Env&gt;-Platform</c>, <c>-Data</c>, <c>-Edge</c>, <c>-Service-&lt;Pascal&gt;</c>,
/// <c>-Worker-&lt;Pascal&gt;</c>, <c>-Operations</c>, where <c>&lt;Env&gt;</c> is <c>Dev</c>, <c>Staging</c> or <c>Prod</c>.
/// </summary>
public static class StackNames
{
    /// <summary>The prefix every stack of environment <paramref name="environment"/> starts with: <c>Backend-Prod</c>.</summary>
    public static string EnvironmentPrefix(string environment) =>
        "Backend-" + char.ToUpperInvariant(environment[0]) + environment[1..];

    /// <summary>The template file name of stack <paramref name="stackName"/>.</summary>
    public static string TemplateFileName(string stackName) => $"{stackName}.template.json";

    /// <summary>The stacks <paramref name="definition"/> synthesizes into, in deployment order.</summary>
    public static IReadOnlyList<StackIdentity> Of(EnvironmentDefinition definition) =>
        // One stack per environment until the stack split lands; then the full set.
        [new StackIdentity(EnvironmentPrefix(definition.Name), StackRole.Platform, null)];
}
