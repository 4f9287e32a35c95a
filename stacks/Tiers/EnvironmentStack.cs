using Amazon.CDK;
using Constructs;
using ScalableBackend.Stacks.Config;

namespace ScalableBackend.Stacks;

/// <summary>
/// The base of every stack of an environment: its name from <see cref="StackNames"/>, the environment's region and
/// (optional) account, the zones seeded so synthesis stays offline, the environment's tags, and the helpers that
/// publish and read exports. Construct ids are fixed names or file keys, never list positions.
/// </summary>
public abstract class EnvironmentStack : Stack
{
    /// <summary>The environment this stack belongs to.</summary>
    public EnvironmentDefinition Definition { get; }

    /// <summary>Who this stack is: its name, role and (for services and workers) file key.</summary>
    public StackIdentity Identity { get; }

    /// <summary>Creates the stack named by <paramref name="role"/> (and <paramref name="key"/>) in <paramref name="scope"/>.</summary>
    protected EnvironmentStack(Construct scope, EnvironmentDefinition definition, StackRole role, string? key, string description, bool terminationProtection = false)
        : this(scope, definition, new StackIdentity(StackNames.Of(definition.Name, role, key), role, key), description, terminationProtection)
    {
    }

    private EnvironmentStack(Construct scope, EnvironmentDefinition definition, StackIdentity identity, string description, bool terminationProtection)
        : base(scope, identity.StackName, new StackProps
        {
            StackName = identity.StackName,
            Description = $"ScalableBackend {definition.Name} environment, {description} (from {definition.File})",
            Env = new Amazon.CDK.Environment { Region = definition.Config.Region, Account = definition.Config.Account },
            TerminationProtection = terminationProtection,
        })
    {
        Definition = definition;
        Identity = identity;
        StackSizeGuard.Apply(this);
        var config = definition.Config;
        // The zones come from the file. With a concrete account the CDK would otherwise ask the CDK CLI to look
        // them up (which needs credentials); seeding the context it would cache keeps synthesis offline.
        if (config.Account is { } account)
            Node.SetContext($"availability-zones:account={account}:region={config.Region}", config.Network.AvailabilityZones.ToArray());
        Tags.SetTag("Environment", definition.Name);
        Tags.SetTag("ManagedBy", "ScalableBackend");
        foreach (var (tag, value) in config.Tags ?? new Dictionary<string, string>())
            Tags.SetTag(tag, value);
    }

    /// <summary>The environment name, e.g. <c>prod</c>.</summary>
    protected string Env => Definition.Name;

    /// <summary>
    /// Publishes <paramref name="value"/> as the export <c>&lt;StackName&gt;:&lt;name&gt;</c> (an output with id
    /// <paramref name="name"/>). Producers export what consumers may need, whether or not any exists.
    /// </summary>
    protected void Export(string name, string value, string description) =>
        _ = new CfnOutput(this, name, new CfnOutputProps
        {
            Value = value,
            Description = description,
            ExportName = StackNames.Export(StackName, name),
        });

    /// <summary>Reads the export <paramref name="name"/> of the environment's stack of role <paramref name="role"/>.</summary>
    internal string ImportValue(StackRole role, string name, string? key = null) =>
        Fn.ImportValue(StackNames.Export(StackNames.Of(Env, role, key), name));
}
