using Amazon.CDK;
using Constructs;

namespace ScalableBackend.Components.Security;

/// <summary>
/// A policy-pack rule that a resource knowingly does not satisfy, with the reason written next to the code
/// that decided it. The reason is mandatory: the policy pack reports an acknowledgement without one as an error.
/// </summary>
/// <param name="Rule">The policy rule id, for example <c>SB-ELB-001</c>.</param>
/// <param name="Reason">Why the finding is accepted for this resource; never empty.</param>
public sealed record PolicyAcknowledgement(string Rule, string Reason)
{
    /// <summary>The template metadata key the policy pack reads acknowledgements from.</summary>
    public const string MetadataKey = "ScalableBackend";

    /// <summary>
    /// Writes the acknowledgements into the CloudFormation metadata of <paramref name="scope"/> (a
    /// <see cref="CfnResource"/>, or a construct whose default child is one) as
    /// <c>Metadata.ScalableBackend.Acknowledgements = [{Rule, Reason}]</c>. Call once per resource with all of
    /// its acknowledgements; a second call replaces the first.
    /// </summary>
    /// <exception cref="ArgumentException">No acknowledgement given, a rule or reason is empty, or the scope has no CloudFormation resource.</exception>
    public static void Apply(IConstruct scope, params PolicyAcknowledgement[] acknowledgements)
    {
        if (acknowledgements.Length == 0)
            throw new ArgumentException("at least one acknowledgement is required", nameof(acknowledgements));
        foreach (var ack in acknowledgements)
        {
            if (string.IsNullOrWhiteSpace(ack.Rule))
                throw new ArgumentException("an acknowledgement needs a rule id", nameof(acknowledgements));
            if (string.IsNullOrWhiteSpace(ack.Reason))
                throw new ArgumentException($"the acknowledgement of {ack.Rule} needs a reason", nameof(acknowledgements));
        }
        var resource = scope as CfnResource ?? scope.Node.DefaultChild as CfnResource
            ?? throw new ArgumentException($"{scope.Node.Path} has no CloudFormation resource to acknowledge on", nameof(scope));
        resource.AddMetadata(MetadataKey, new Dictionary<string, object>
        {
            ["Acknowledgements"] = acknowledgements
                .Select(a => (object)new Dictionary<string, object> { ["Rule"] = a.Rule, ["Reason"] = a.Reason })
                .ToArray(),
        });
    }
}
