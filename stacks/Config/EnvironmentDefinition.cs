namespace ScalableBackend.Stacks.Config;

/// <summary>A loaded, validated environment: its name, the file it came from and its configuration.</summary>
/// <param name="Name">The environment name, from the file name: <c>dev</c>, <c>staging</c> or <c>prod</c>.</param>
/// <param name="File">The file as shown in messages, e.g. <c>stacks/prod.yaml</c>.</param>
/// <param name="Config">The validated configuration.</param>
public sealed record EnvironmentDefinition(string Name, string File, EnvironmentConfig Config)
{
    /// <summary>The CloudFormation stack name: <c>Backend-Dev</c>, <c>Backend-Staging</c>, <c>Backend-Prod</c>.</summary>
    public string StackName => StackNameOf(Name);

    /// <summary>The stack name of environment <paramref name="name"/>.</summary>
    public static string StackNameOf(string name) => StackNames.EnvironmentPrefix(name);

    /// <summary>The stacks this environment synthesizes into, in deployment order, known without synthesizing.</summary>
    public IReadOnlyList<StackIdentity> Stacks => StackNames.Of(this);
}
