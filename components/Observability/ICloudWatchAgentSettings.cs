namespace ScalableBackend.Components.Observability;

/// <summary>The plain-data settings of a <see cref="CloudWatchAgentConfig"/>, validated by <see cref="CloudWatchAgentConfig.Validate"/>.</summary>
public interface ICloudWatchAgentSettings
{
    /// <summary>Absolute paths (globs allowed) of the application log files to ship.</summary>
    IReadOnlyList<string>? LogFiles { get; }
    /// <summary>The CloudWatch namespace of the agent's memory and disk metrics.</summary>
    string? MetricsNamespace { get; }
    /// <summary>Seconds between metric samples.</summary>
    int? MetricsIntervalSeconds { get; }
    /// <summary>Whether the agent runs its X-Ray receiver.</summary>
    bool? EnableTracing { get; }
}
