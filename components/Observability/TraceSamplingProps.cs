using System.Diagnostics.CodeAnalysis;

namespace ScalableBackend.Components.Observability;

/// <summary>
/// The plain-data settings of a <see cref="TraceSampling"/> — everything but what the stack names itself. A data
/// file's record derives from it, so both are validated by <see cref="TraceSampling.Validate"/> with one set of rules
/// and one set of documented defaults.
/// </summary>
public record TraceSamplingSettings
{
    /// <summary>The fraction of requests traced beyond the reservoir, 0 to 1. Default: 0.05.</summary>
    public double? Rate { get; init; }

    /// <summary>Requests per second traced (per service host fleet) before the rate applies, 0 to 10000. Default: 1.</summary>
    public int? Reservoir { get; init; }
}

/// <summary>Properties of a <see cref="TraceSampling"/>: its <see cref="TraceSamplingSettings"/>, its name and what it matches.</summary>
public sealed record TraceSamplingProps : TraceSamplingSettings
{
    /// <summary>Creates empty props, to be filled by an object initializer.</summary>
    public TraceSamplingProps() { }

    /// <summary>Props from <paramref name="settings"/> (for example a data file's record) and the rule's name.</summary>
    [SetsRequiredMembers]
    public TraceSamplingProps(TraceSamplingSettings settings, string ruleName) : base(settings)
    {
        RuleName = ruleName;
    }

    /// <summary>The rule's name, unique in the account and region: 1–32 letters, digits, <c>-</c> or <c>_</c>. Required.</summary>
    public required string RuleName { get; init; }

    /// <summary>The rule's priority, 1–9999, lower first. Default: 1000.</summary>
    public int? Priority { get; init; }

    /// <summary>The traced service name the rule matches (X-Ray wildcards). Default: <c>*</c>.</summary>
    public string? ServiceName { get; init; }
}
