using ScalableBackend.Infra.Commands;
using ScalableBackend.Policies;

namespace ScalableBackend.Infra.Validation;

/// <summary>
/// A checker that is faster over every environment at once than one at a time (one process, one engine):
/// <c>check</c> calls <see cref="Prepare"/> with every environment before it asks for each one's findings.
/// </summary>
public interface IPreparedChecker
{
    /// <summary>Runs the check over all <paramref name="environments"/> now; <see cref="ITemplateChecker.Check"/> then answers from it.</summary>
    void Prepare(IReadOnlyList<LoadedEnvironment> environments);
}

/// <summary>
/// AWS's CloudFormation validator (<see cref="CloudFormationValidator"/>) as a <c>check</c> step: every stack of every
/// environment in one Node.js process, each template validated for its environment's region; FATAL and ERROR
/// diagnostics block like policy errors, WARN are warnings; a resource acknowledges a validator rule with a reason in
/// its metadata, as for a policy rule.
/// </summary>
public sealed class ValidatorChecker : ITemplateChecker, IPreparedChecker
{
    private readonly Dictionary<string, List<Finding>> _byFile = new(StringComparer.Ordinal);
    private readonly HashSet<string> _validated = new(StringComparer.Ordinal);

    /// <summary>One checker for a run of <c>check</c>.</summary>
    public static ValidatorChecker Create() => new();

    /// <inheritdoc/>
    public string Name => "AWS CloudFormation validator";

    /// <inheritdoc/>
    public void Prepare(IReadOnlyList<LoadedEnvironment> environments) => Validate(environments);

    /// <inheritdoc/>
    public IReadOnlyList<Finding> Check(LoadedEnvironment environment)
    {
        Validate([environment]);
        return environment.Stacks
            .SelectMany(s => (_byFile.GetValueOrDefault(s.Stack.File) ?? []).Select(f => f with { Stack = s.Stack.StackName }))
            .ToArray();
    }

    private void Validate(IReadOnlyList<LoadedEnvironment> environments)
    {
        var pending = environments
            .SelectMany(e => e.Stacks.Select(s => (s.Stack.File, e.Templates.Region)))
            .Where(t => _validated.Add(t.File))
            .ToArray();
        foreach (var finding in CloudFormationValidator.Validate(pending))
        {
            if (!_byFile.TryGetValue(finding.File, out var list))
                _byFile[finding.File] = list = [];
            list.Add(finding);
        }
    }
}
