namespace ScalableBackend.Components.Observability;

/// <summary>Properties of a <see cref="TraceSampling"/>.</summary>
public sealed record TraceSamplingProps : ITraceSamplingSettings
{
    /// <summary>The rule's name, unique in the account and region: 1–32 letters, digits, <c>-</c> or <c>_</c>. Required.</summary>
    public required string RuleName { get; init; }

    /// <summary>The fraction of requests traced beyond the reservoir, 0 to 1. Default: 0.05.</summary>
    public double? Rate { get; init; }

    /// <summary>Requests per second traced (per service host fleet) before the rate applies, 0 to 10000. Default: 1.</summary>
    public int? Reservoir { get; init; }

    /// <summary>The rule's priority, 1–9999, lower first. Default: 1000.</summary>
    public int? Priority { get; init; }

    /// <summary>The traced service name the rule matches (X-Ray wildcards). Default: <c>*</c>.</summary>
    public string? ServiceName { get; init; }
}
