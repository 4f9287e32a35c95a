using ScalableBackend.Policies;

namespace ScalableBackend.Infra.Commands;

/// <summary>One environment's templates, loaded: what every checker reads.</summary>
/// <param name="Templates">The environment and its stacks' files.</param>
/// <param name="Stacks">Each stack with its parsed template, in deployment order.</param>
public sealed record LoadedEnvironment(EnvironmentTemplates Templates, IReadOnlyList<(StackTemplate Stack, TemplateDocument Template)> Stacks)
{
    /// <summary>Reads every template of <paramref name="templates"/>.</summary>
    public static LoadedEnvironment Load(EnvironmentTemplates templates) => new(templates, templates.Load());

    /// <summary>The stack a finding's file belongs to; the file name when it is none of them.</summary>
    public string StackOf(Finding finding) =>
        finding.Stack ?? Stacks.FirstOrDefault(s => s.Template.File == finding.File).Stack?.StackName ?? Path.GetFileName(finding.File);
}

/// <summary>
/// A check <c>check</c> runs over each environment's templates (the policy pack; AWS's template validator can be
/// another). Findings name their template file, rule, severity and resource, like the policy pack's.
/// </summary>
public interface ITemplateChecker
{
    /// <summary>What the checker is, for messages (<c>policy pack</c>).</summary>
    string Name { get; }

    /// <summary>The findings over one environment's stacks.</summary>
    IReadOnlyList<Finding> Check(LoadedEnvironment environment);
}

/// <summary>
/// The policy pack over an environment's stacks as one <see cref="TemplateSet"/>: cross-stack rules follow
/// <c>Fn::ImportValue</c> between them, and each finding names its stack. Production-only rules apply to a production
/// environment's stacks (from the environment, else from the stack or file name, <c>Backend-Prod-*.template.json</c>).
/// </summary>
public sealed class PolicyPackChecker(PolicyEngine engine) : ITemplateChecker
{
    /// <summary>The checker with every rule of the catalog.</summary>
    public static PolicyPackChecker Default { get; } = new(PolicyEngine.Default);

    /// <inheritdoc/>
    public string Name => "policy pack";

    /// <inheritdoc/>
    public IReadOnlyList<Finding> Check(LoadedEnvironment environment)
    {
        var set = new TemplateSet();
        foreach (var (stack, template) in environment.Stacks)
            set.Add(stack.StackName, template);
        return engine.Check(set, environment.Templates.Environment);
    }
}
