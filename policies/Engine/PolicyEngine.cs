namespace ScalableBackend.Policies;

/// <summary>Runs rules over a template (or the templates of an environment's stacks, <see cref="TemplateSet"/>) and applies the acknowledgements written in its resources' metadata.</summary>
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
        return CheckTemplate(context);
    }

    /// <summary>
    /// Checks the templates of one environment's stacks as one graph: a rule that looks for a related resource
    /// (the TLS-only policy of a queue, topic or bucket, the web ACL association of a stage, the scaling policy of a
    /// group, the load balancer using a security group) also finds it in another template of the set when the two
    /// are linked by <c>Fn::ImportValue</c> of an export, or by an SSM parameter (see <see cref="ResourceGraph"/>).
    /// Each finding names its <see cref="Finding.Stack"/>, <see cref="Finding.File"/> and
    /// <see cref="Finding.LogicalId"/>; acknowledgements apply per resource, in the resource's own template.
    /// <paramref name="environment"/> selects the production-only rules for every template; when null each template's
    /// environment comes from its stack name (<c>Backend-Prod-Data</c> → <c>prod</c>), else from its file name.
    /// Findings are ordered by stack (in the set's order), then resource, then rule id. A set of one template gives the
    /// same findings as <see cref="Check(TemplateDocument, string?)"/>, with the stack named.
    /// </summary>
    public IReadOnlyList<Finding> Check(TemplateSet set, string? environment = null)
    {
        ArgumentNullException.ThrowIfNull(set);
        var graph = new ResourceGraph(set);
        var findings = new List<Finding>();
        foreach (var (stack, template) in set.Stacks)
        {
            var context = new RuleContext(
                template,
                graph,
                environment ?? DeploymentEnvironment.FromFileName(stack) ?? DeploymentEnvironment.FromFileName(template.File),
                stack);
            findings.AddRange(CheckTemplate(context));
        }

        return findings;
    }

    private List<Finding> CheckTemplate(RuleContext context)
    {
        var template = context.Template;
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
                    findings.Add((resource.Index, NewFinding(context, rule.Descriptor, resource, message)));
                }
            }
        }

        ApplyAcknowledgements(context, findings);
        return findings
            .OrderBy(f => f.Index)
            .ThenBy(f => f.Finding.RuleId, StringComparer.Ordinal)
            .ThenBy(f => f.Finding.Message, StringComparer.Ordinal)
            .Select(f => f.Finding)
            .ToList();
    }

    private void ApplyAcknowledgements(RuleContext context, List<(int Index, Finding Finding)> findings)
    {
        var template = context.Template;
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
                findings.Add((resource.Index, NewFinding(context, rule, resource, message)));
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

    private static Finding NewFinding(RuleContext context, RuleDescriptor rule, TemplateResource resource, string message) =>
        new(context.Template.File, rule.Id, rule.Severity, resource.LogicalId, resource.Type, message, Stack: context.Stack);
}
