using Amazon.CDK;
using Constructs;

namespace ScalableBackend.Stacks;

/// <summary>
/// Keeps every stack under CloudFormation's limit of <see cref="Limit"/> resources, checked at synthesis (as a
/// validation of the stack, so both <see cref="BackendSynthesizer.Synthesize"/> and <c>npx cdk synth</c> run it): a
/// warning from <see cref="WarningThreshold"/>, and at the limit an error naming the stack, its count and the
/// constructs that contribute most, instead of the CDK's bare count by type.
/// </summary>
public static class StackSizeGuard
{
    /// <summary>CloudFormation's maximum number of resources in one stack.</summary>
    public const int Limit = 500;

    /// <summary>From this many resources (80% of the limit) a stack gets a warning.</summary>
    public const int WarningThreshold = Limit * 4 / 5;

    /// <summary>
    /// The error for a stack of <paramref name="count"/> resources, or null below the limit. <paramref name="contributors"/>
    /// are the stack's top-level constructs with their resource counts; the five biggest are named.
    /// </summary>
    public static string? Error(string stackName, int count, IEnumerable<(string Construct, int Resources)> contributors) =>
        count <= Limit ? null
            : $"{stackName} holds {count} resources, more than CloudFormation's {Limit}; the biggest contributors: {Biggest(contributors)}. " +
              "Move a component into a stack of its own (services and workers each have one) or split the environment file.";

    /// <summary>The warning for a stack of <paramref name="count"/> resources, or null below <see cref="WarningThreshold"/>.</summary>
    public static string? Warning(string stackName, int count, IEnumerable<(string Construct, int Resources)> contributors) =>
        count < WarningThreshold || count > Limit ? null
            : $"{stackName} holds {count} resources, {count * 100 / Limit}% of CloudFormation's {Limit}; the biggest contributors: {Biggest(contributors)}";

    private static string Biggest(IEnumerable<(string Construct, int Resources)> contributors) =>
        string.Join(", ", contributors.OrderByDescending(c => c.Resources).ThenBy(c => c.Construct, StringComparer.Ordinal).Take(5)
            .Select(c => $"{c.Construct} ({c.Resources})"));

    /// <summary>
    /// Guards <paramref name="stack"/>: turns off the CDK's own limit check (whose message names only types) and adds
    /// a validation that reports <see cref="Error"/> and annotates <see cref="Warning"/>. Call before adding children.
    /// </summary>
    public static void Apply(Stack stack)
    {
        // 0 turns the CDK's check off; this guard takes its place, with the same limit.
        stack.Node.SetContext("@aws-cdk/core:stackResourceLimit", 0);
        stack.Node.AddValidation(new Validation(stack));
    }

    private sealed class Validation(Stack stack) : Amazon.JSII.Runtime.Deputy.DeputyBase, IValidation
    {
        public string[] Validate()
        {
            var resources = stack.Node.FindAll().OfType<CfnResource>().ToArray();
            if (resources.Length < WarningThreshold)
                return [];
            // The construct directly under the stack that each resource belongs to.
            var contributors = resources
                .GroupBy(r => r.Node.Scopes.SkipWhile(s => !ReferenceEquals(s, stack)).Skip(1).FirstOrDefault()?.Node.Id ?? r.Node.Id)
                .Select(g => (g.Key, g.Count())).ToArray();
            if (Error(stack.StackName, resources.Length, contributors) is { } error)
                return [error];
            Annotations.Of(stack).AddWarningV2("ScalableBackend:StackSize", Warning(stack.StackName, resources.Length, contributors)!);
            return [];
        }
    }
}
