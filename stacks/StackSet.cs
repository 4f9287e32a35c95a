using ScalableBackend.Stacks.Config;

namespace ScalableBackend.Stacks;

/// <summary>What a stack of an environment holds; the stack's name follows from it (see <see cref="StackNames"/>).</summary>
public enum StackRole
{
    /// <summary><c>Backend-&lt;Env&gt;-Platform</c>: the network, the KMS keys, the log pipeline, the alarm topic.</summary>
    Platform,
    /// <summary><c>Backend-&lt;Env&gt;-Data</c>: the cache, the database shards, the queues, the topics, the brokers.</summary>
    Data,
    /// <summary><c>Backend-&lt;Env&gt;-Edge</c>: the load balancer and its listeners, the API, the firewall, the user pool, certificates.</summary>
    Edge,
    /// <summary><c>Backend-&lt;Env&gt;-Service-&lt;Name&gt;</c>: one service with everything it owns and every grant it needs.</summary>
    Service,
    /// <summary><c>Backend-&lt;Env&gt;-Worker-&lt;Name&gt;</c>: one worker tier with everything it owns and every grant it needs.</summary>
    Worker,
    /// <summary><c>Backend-&lt;Env&gt;-Operations</c>: the dashboard; what must see every other stack.</summary>
    Operations,
}

/// <summary>One stack of an environment, known before synthesis.</summary>
/// <param name="StackName">The CloudFormation stack name, e.g. <c>Backend-Prod-Service-Api</c>; also the CDK stack id.</param>
/// <param name="Role">What the stack holds.</param>
/// <param name="Key">The service's or worker's key in the environment file, for <see cref="StackRole.Service"/> and <see cref="StackRole.Worker"/>; else null.</param>
public sealed record StackIdentity(string StackName, StackRole Role, string? Key)
{
    /// <summary>The template's file name: <c>&lt;StackName&gt;.template.json</c>.</summary>
    public string TemplateFileName => StackNames.TemplateFileName(StackName);
}

/// <summary>One synthesized stack of an environment.</summary>
/// <param name="StackName">The CloudFormation stack name.</param>
/// <param name="TemplatePath">Where its template was written: <c>&lt;outDir&gt;/&lt;StackName&gt;.template.json</c>.</param>
/// <param name="Role">What the stack holds.</param>
/// <param name="Key">The service's or worker's key in the environment file; null for the shared stacks.</param>
/// <param name="ResourceCount">The number of resources in the template.</param>
public sealed record SynthesizedStack(string StackName, string TemplatePath, StackRole Role, string? Key, int ResourceCount);

/// <summary>One synthesized environment: its definition and its stacks, in deployment order.</summary>
/// <param name="Definition">The environment.</param>
/// <param name="Stacks">Its stacks, in deployment order (each after every stack it depends on).</param>
public sealed record SynthesizedEnvironment(EnvironmentDefinition Definition, IReadOnlyList<SynthesizedStack> Stacks)
{
    /// <summary>
    /// Warnings of the synthesis for the caller to show, such as a stack at 80% or more of CloudFormation's resource
    /// limit (<see cref="StackSizeGuard.Warning"/>). Default: none.
    /// </summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}
