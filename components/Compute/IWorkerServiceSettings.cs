using Amazon.CDK;

namespace ScalableBackend.Components.Compute;

/// <summary>
/// The plain-data settings of a <see cref="WorkerService"/> — everything but the CDK objects it is wired to — so a
/// data file can be validated with the same rules as the component's props (<see cref="WorkerService.Validate"/>).
/// </summary>
public interface IWorkerServiceSettings
{
    /// <summary>Minimum number of instances.</summary>
    int MinCapacity { get; }
    /// <summary>Maximum number of instances.</summary>
    int MaxCapacity { get; }
    /// <summary>The longest a message may wait before a worker starts on it.</summary>
    Duration AcceptableLatency { get; }
    /// <summary>The average time one instance takes to process one message.</summary>
    Duration AverageProcessingTime { get; }
    /// <summary>Root volume size in GiB.</summary>
    int? RootVolumeSizeGiB { get; }
    /// <summary>Time after launch before failing EC2 health checks replace an instance.</summary>
    Duration? HealthCheckGracePeriod { get; }
    /// <summary>Batch windows, keyed by a stable name.</summary>
    IReadOnlyDictionary<string, BatchWindow>? BatchWindows { get; }
}
