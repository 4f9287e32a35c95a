namespace ScalableBackend.Components.Observability;

/// <summary>The plain-data settings of a <see cref="TraceSampling"/>, validated by <see cref="TraceSampling.Validate"/>.</summary>
public interface ITraceSamplingSettings
{
    /// <summary>The fraction of requests traced beyond the reservoir, 0 to 1.</summary>
    double? Rate { get; }
    /// <summary>Requests per second traced before the rate applies.</summary>
    int? Reservoir { get; }
}
