using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ScalableBackend.Infra.Simulation;

/// <summary>
/// Errors in a traffic profile: an <see cref="InvalidDataException"/> (printed as one line by the CLI) whose message names
/// the file and the key, as environment-file errors do.
/// </summary>
public static class ProfileError
{
    /// <summary>The error for <paramref name="key"/> (e.g. <c>services.api[1].at</c>; empty for the whole file) of <paramref name="file"/>.</summary>
    public static InvalidDataException At(string file, string key, string problem) =>
        new(key.Length == 0 ? $"{file}: {problem}" : $"{file}: {key} {problem}");
}

/// <summary>One piece of piecewise-constant load: from minute <paramref name="At"/> on, <paramref name="Rate"/> per second.</summary>
/// <param name="At">The first minute of this load.</param>
/// <param name="Rate">Requests (services) or messages (workers) per second.</param>
public sealed record LoadStep(int At, double Rate);

/// <summary>
/// A traffic profile (YAML): how long to simulate, from when, what a new instance needs before it serves, and the
/// load per service and per worker as piecewise-constant steps.
/// <code>
/// minutes: 180                  # required, 1–20160
/// start: 2026-01-05T12:00:00Z   # optional; default Monday 2026-01-05 12:00 UTC
/// launchMinutes: 1              # optional; EC2 launch until the instance is InService (default 1)
/// bootMinutes: 2                # optional; InService until the application answers (default 2)
/// services:
///   api: [{ at: 0, requestsPerSecond: 100 }, { at: 30, requestsPerSecond: 500 }]
/// workers:
///   billing: [{ at: 0, messagesPerSecond: 1 }]
/// </code>
/// </summary>
public sealed record TrafficProfile
{
    /// <summary>The default start: Monday 5 January 2026, 12:00 UTC.</summary>
    public static readonly DateTime DefaultStart = new(2026, 1, 5, 12, 0, 0, DateTimeKind.Utc);

    /// <summary>The file the profile came from, as shown in messages.</summary>
    public required string File { get; init; }

    /// <summary>How many minutes are simulated.</summary>
    public required int Minutes { get; init; }

    /// <summary>Minute 0 in UTC. Default: <see cref="DefaultStart"/>.</summary>
    public DateTime Start { get; init; } = DefaultStart;

    /// <summary>Minutes from launch until an instance is InService (its warmup starts then). Default: 1.</summary>
    public int LaunchMinutes { get; init; } = 1;

    /// <summary>Minutes from InService until the application answers its health check. Default: 2.</summary>
    public int BootMinutes { get; init; } = 2;

    /// <summary>Load per service key, requests per second.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<LoadStep>> Services { get; init; } = new Dictionary<string, IReadOnlyList<LoadStep>>();

    /// <summary>Load per worker key, messages per second.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<LoadStep>> Workers { get; init; } = new Dictionary<string, IReadOnlyList<LoadStep>>();

    /// <summary>The load of <paramref name="steps"/> at every minute (0 before the first step).</summary>
    public double[] Series(IReadOnlyList<LoadStep>? steps)
    {
        var series = new double[Minutes];
        if (steps is null) return series;
        for (var i = 0; i < steps.Count; i++)
        {
            var end = i + 1 < steps.Count ? steps[i + 1].At : Minutes;
            for (var m = steps[i].At; m < end; m++) series[m] = steps[i].Rate;
        }
        return series;
    }

    /// <summary>Reads and validates a profile file.</summary>
    /// <exception cref="InvalidDataException">The file is missing or a key is wrong; the message names the file and the key.</exception>
    public static TrafficProfile Load(string path)
    {
        if (!System.IO.File.Exists(path)) throw ProfileError.At(path, "", "does not exist");
        return Parse(System.IO.File.ReadAllText(path), path);
    }

    /// <summary>Parses and validates profile YAML; <paramref name="file"/> names it in messages.</summary>
    /// <exception cref="InvalidDataException">A key is missing, unknown or out of range.</exception>
    public static TrafficProfile Parse(string yaml, string file)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw ProfileError.At(file, "", $"is not valid YAML at line {e.Start.Line}: {e.Message}");
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
            throw ProfileError.At(file, "", "must be a mapping with minutes and services and/or workers");

        int? minutes = null;
        var start = DefaultStart;
        int launch = 1, boot = 2;
        YamlMappingNode? services = null, workers = null;
        foreach (var (keyNode, value) in root.Children)
        {
            var key = ((YamlScalarNode)keyNode).Value ?? "";
            switch (key)
            {
                case "minutes": minutes = Integer(file, key, value, 1, 20160); break;
                case "start": start = Time(file, key, value); break;
                case "launchMinutes": launch = Integer(file, key, value, 0, 60); break;
                case "bootMinutes": boot = Integer(file, key, value, 0, 60); break;
                case "services": services = Mapping(file, key, value); break;
                case "workers": workers = Mapping(file, key, value); break;
                default: throw ProfileError.At(file, key, "is not a profile key; allowed: minutes, start, launchMinutes, bootMinutes, services, workers");
            }
        }
        if (minutes is null) throw ProfileError.At(file, "minutes", "is required (how many minutes to simulate)");
        if (services is null && workers is null) throw ProfileError.At(file, "", "must give load under services and/or workers");
        return new TrafficProfile
        {
            File = file,
            Minutes = minutes.Value,
            Start = start,
            LaunchMinutes = launch,
            BootMinutes = boot,
            Services = Loads(file, "services", services, "requestsPerSecond", minutes.Value),
            Workers = Loads(file, "workers", workers, "messagesPerSecond", minutes.Value),
        };
    }

    /// <summary>Checks the profile's keys against the environment's; throws naming the first unknown one.</summary>
    /// <exception cref="InvalidDataException">The profile names a service or worker the environment does not have.</exception>
    public void CheckAgainst(string environment, IReadOnlyCollection<string> services, IReadOnlyCollection<string> workers)
    {
        foreach (var key in Services.Keys.Where(k => !services.Contains(k)))
            throw ProfileError.At(File, $"services.{key}", $"is not a service of {environment}; declared: {Join(services)}");
        foreach (var key in Workers.Keys.Where(k => !workers.Contains(k)))
            throw ProfileError.At(File, $"workers.{key}", $"is not a worker of {environment}; declared: {Join(workers)}");
    }

    private static string Join(IReadOnlyCollection<string> keys) => keys.Count == 0 ? "none" : string.Join(", ", keys.Order(StringComparer.Ordinal));

    private static Dictionary<string, IReadOnlyList<LoadStep>> Loads(string file, string section, YamlMappingNode? node, string rateKey, int minutes)
    {
        var result = new Dictionary<string, IReadOnlyList<LoadStep>>(StringComparer.Ordinal);
        if (node is null) return result;
        foreach (var (keyNode, value) in node.Children)
        {
            var name = ((YamlScalarNode)keyNode).Value ?? "";
            var at = $"{section}.{name}";
            if (value is not YamlSequenceNode sequence || sequence.Children.Count == 0)
                throw ProfileError.At(file, at, $"must be a list of steps such as [{{ at: 0, {rateKey}: 10 }}]");
            var steps = new List<LoadStep>();
            for (var i = 0; i < sequence.Children.Count; i++)
            {
                var path = $"{at}[{i}]";
                var step = Mapping(file, path, sequence.Children[i]);
                int? minute = null;
                double? rate = null;
                foreach (var (k, v) in step.Children)
                {
                    var stepKey = ((YamlScalarNode)k).Value ?? "";
                    if (stepKey == "at") minute = Integer(file, $"{path}.at", v, 0, int.MaxValue);
                    else if (stepKey == rateKey) rate = Number(file, $"{path}.{rateKey}", v);
                    else throw ProfileError.At(file, $"{path}.{stepKey}", $"is not a step key; allowed: at, {rateKey}");
                }
                if (minute is null) throw ProfileError.At(file, $"{path}.at", "is required (the minute this load starts)");
                if (rate is null) throw ProfileError.At(file, $"{path}.{rateKey}", "is required");
                if (rate < 0) throw ProfileError.At(file, $"{path}.{rateKey}", $"= {Format(rate.Value)} must not be negative");
                if (minute >= minutes) throw ProfileError.At(file, $"{path}.at", $"= {minute} must be below minutes ({minutes})");
                if (steps.Count > 0 && minute <= steps[^1].At)
                    throw ProfileError.At(file, $"{path}.at", $"= {minute} must be greater than the previous step's at ({steps[^1].At})");
                steps.Add(new LoadStep(minute.Value, rate.Value));
            }
            result[name] = steps;
        }
        return result;
    }

    private static YamlMappingNode Mapping(string file, string key, YamlNode node) =>
        node as YamlMappingNode ?? throw ProfileError.At(file, key, "must be a mapping");

    private static string Scalar(string file, string key, YamlNode node) =>
        (node as YamlScalarNode)?.Value ?? throw ProfileError.At(file, key, "must be a single value");

    private static int Integer(string file, string key, YamlNode node, int min, int max)
    {
        var text = Scalar(file, key, node);
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            throw ProfileError.At(file, key, $"= {text} must be a whole number");
        if (value < min || value > max)
            throw ProfileError.At(file, key, max == int.MaxValue ? $"= {value} must be at least {min}" : $"= {value} must be between {min} and {max}");
        return value;
    }

    private static double Number(string file, string key, YamlNode node)
    {
        var text = Scalar(file, key, node);
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
            throw ProfileError.At(file, key, $"= {text} must be a number");
        return value;
    }

    private static DateTime Time(string file, string key, YamlNode node)
    {
        var text = Scalar(file, key, node);
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
            throw ProfileError.At(file, key, $"= {text} must be an ISO 8601 time such as 2026-01-05T12:00:00Z");
        return DateTime.SpecifyKind(time.UtcDateTime, DateTimeKind.Utc);
    }

    private static string Format(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
