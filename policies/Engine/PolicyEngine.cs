namespace ScalableBackend.Policies;

/// <summary>Runs rules over a template and applies the acknowledgements written in its resources' metadata.</summary>
public sealed class PolicyEngine
{
    private readonly HashSet<string> _knownRuleIds;

    /// <summary>An engine over the given rules; acknowledgements may name any of them or any rule in the catalog.</summary>
    public PolicyEngine(IEnumerable<IPolicyRule> rules)
    {
        Rules = rules.ToList();
        _knownRuleIds = new HashSet<string>(
            Rules.Select(r => r.Descriptor.Id).Concat(PolicyRules.All.Select(d => d.Id)),
            StringComparer.Ordinal);
    }

    /// <summary>The engine with every rule of the catalog (<see cref="PolicyRules.Checks"/>).</summary>
    public static PolicyEngine Default { get; } = new(PolicyRules.Checks);

    /// <summary>The rules this engine runs.</summary>
    public IReadOnlyList<IPolicyRule> Rules { get; }

    /// <summary>
    /// Checks one template. <paramref name="environment"/> (<c>prod</c>, <c>dev</c>, …) selects the production-only
    /// rules; when null it comes from the file name (<see cref="DeploymentEnvironment.FromFileName"/>), and an
    /// unknown environment is treated as non-production. Findings are ordered by resource, then rule id.
    /// </summary>
    public IReadOnlyList<Finding> Check(TemplateDocument template, string? environment = null)
    {
        ArgumentNullException.ThrowIfNull(template);
        var context = new RuleContext(
            template,
            new ResourceGraph(template),
            environment ?? DeploymentEnvironment.FromFileName(template.File));

        var findings = new List<(int Index, Finding Finding)>();
        foreach (var rule in Rules)
        {
            if (rule.Descriptor.ProductionOnly && !context.IsProduction)
            {
                continue;
            }

            var resources = rule.ResourceTypes.Count == 0
                ? template.Resources
                : rule.ResourceTypes.SelectMany(template.OfType);
            foreach (var resource in resources)
            {
                foreach (var message in rule.Check(resource, context))
                {
                    findings.Add((resource.Index, NewFinding(template, rule.Descriptor, resource, message)));
                }
            }
        }

        ApplyAcknowledgements(template, findings);
        return findings
            .OrderBy(f => f.Index)
            .ThenBy(f => f.Finding.RuleId, StringComparer.Ordinal)
            .ThenBy(f => f.Finding.Message, StringComparer.Ordinal)
            .Select(f => f.Finding)
            .ToList();
    }

    private void ApplyAcknowledgements(TemplateDocument template, List<(int Index, Finding Finding)> findings)
    {
        var acknowledged = new Dictionary<(string LogicalId, string RuleId), string>();
        foreach (var resource in template.Resources)
        {
            if (resource.Metadata is null)
            {
                continue;
            }

            var (valid, problems) = Acknowledgement.Read(resource, _knownRuleIds);
            foreach (var ack in valid)
            {
                acknowledged.TryAdd((resource.LogicalId, ack.RuleId), ack.Reason);
            }

            foreach (var (rule, message) in problems)
            {
                findings.Add((resource.Index, NewFinding(template, rule, resource, message)));
            }
        }

        if (acknowledged.Count == 0)
        {
            return;
        }

        for (var i = 0; i < findings.Count; i++)
        {
            var finding = findings[i].Finding;
            if (!finding.RuleId.StartsWith("SB-ACK-", StringComparison.Ordinal)
                && acknowledged.TryGetValue((finding.LogicalId, finding.RuleId), out var reason))
            {
                findings[i] = (findings[i].Index, finding with { Acknowledged = true, Reason = reason });
            }
        }
    }

    private static Finding NewFinding(TemplateDocument template, RuleDescriptor rule, TemplateResource resource, string message) =>
        new(template.File, rule.Id, rule.Severity, resource.LogicalId, resource.Type, message);
}
