namespace ScalableBackend.Policies;

/// <summary>
/// The templates of one environment's stacks, checked together as one graph by
/// <see cref="PolicyEngine.Check(TemplateSet, string?)"/>: stack name → template, in deployment order.
/// <para>
/// Stacks that reference each other do it through CloudFormation exports (an output's <c>Export.Name</c>, read with
/// <c>Fn::ImportValue</c>) or SSM parameters (an <c>AWS::SSM::Parameter</c> with a <c>Name</c>, read with
/// <c>{{resolve:ssm:/name}}</c> or a parameter of type <c>AWS::SSM::Parameter::Value&lt;String&gt;</c> whose
/// <c>Default</c> is the name). The set's <see cref="ResourceGraph"/> follows both to the resource in the other
/// template, so cross-resource rules (TLS-only resource policies, web ACL associations, scaling policies, security
/// group relationships) judge the real relationship instead of reporting a missing one.
/// </para>
/// <example>
/// <code>
/// var set = new TemplateSet()
///     .Add("Backend-Prod-Platform", TemplateDocument.Load("cdk.out/Backend-Prod-Platform.template.json"))
///     .Add("Backend-Prod-Data", TemplateDocument.Load("cdk.out/Backend-Prod-Data.template.json"));
/// var findings = PolicyEngine.Default.Check(set, "prod");   // each finding names its Stack, File and LogicalId
/// </code>
/// </example>
/// </summary>
public sealed class TemplateSet
{
    private readonly List<(string StackName, TemplateDocument Template)> _stacks = [];
    private readonly Dictionary<TemplateDocument, string> _names = new(ReferenceEqualityComparer.Instance);

    /// <summary>An empty set; add stacks with <see cref="Add"/>.</summary>
    public TemplateSet()
    {
    }

    /// <summary>A set of the given stacks (stack name → template), in the given order.</summary>
    public TemplateSet(IEnumerable<KeyValuePair<string, TemplateDocument>> stacks)
    {
        ArgumentNullException.ThrowIfNull(stacks);
        foreach (var (name, template) in stacks)
        {
            Add(name, template);
        }
    }

    /// <summary>The stacks in the order they were added.</summary>
    public IReadOnlyList<(string StackName, TemplateDocument Template)> Stacks => _stacks;

    /// <summary>
    /// Adds a stack. <paramref name="stackName"/> is its CloudFormation stack name (it is what
    /// <c>${AWS::StackName}</c> means in its export names, and it selects the environment's rules when none is given).
    /// </summary>
    /// <exception cref="ArgumentException">The name is empty or already in the set, or the template is already in it.</exception>
    public TemplateSet Add(string stackName, TemplateDocument template)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(stackName);
        ArgumentNullException.ThrowIfNull(template);
        if (_stacks.Any(s => s.StackName == stackName))
        {
            throw new ArgumentException($"stack {stackName} is already in the set", nameof(stackName));
        }

        if (!_names.TryAdd(template, stackName))
        {
            throw new ArgumentException($"template {template.File} is already in the set as {_names[template]}", nameof(template));
        }

        _stacks.Add((stackName, template));
        return this;
    }

    /// <summary>The stack name under which <paramref name="template"/> was added, or null when it is not in the set.</summary>
    public string? StackNameOf(TemplateDocument template) => _names.GetValueOrDefault(template);
}
