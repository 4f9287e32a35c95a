using ScalableBackend.Stacks.Config;

namespace ScalableBackend.Stacks.Tests;

/// <summary>Each row breaks one thing in the <c>observability</c> section of a valid file and expects exactly one clear message.</summary>
public sealed class ObservabilityConfigValidationTests
{
    private const string File = "stacks/test.yaml";

    /// <summary>The valid file of <see cref="ConfigValidationTests"/> with an observability section.</summary>
    public const string Valid = ConfigValidationTests.Valid + """

        observability:
          alarmEmails: [oncall@example.com]
          alarmHttpsEndpoints: ["https://events.example.com/hook"]
          thresholds:
            cacheCpuPercent: 70
            queueOldestMessageAgeSeconds: 600
            deadLetterMessages: 1
          sampling: { rate: 0.1, reservoir: 2 }
          logging:
            search:
              instanceType: r6g.large.search
              instanceCount: 2
              zoneAwareness: true
              volumeSizeGiB: 50
            archiveExpirationDays: 365
        """;

    private static EnvironmentDefinition Parse(string yaml, string env = "staging") => EnvironmentLoader.Parse(env, File, yaml);

    private static string Replace(string from, string to)
    {
        Assert.Contains(from, Valid);
        return Valid.Replace(from, to, StringComparison.Ordinal);
    }

    [Fact]
    public void TheValidFileLoads()
    {
        var o = Parse(Valid).Config.Observability!;
        Assert.Equal(["oncall@example.com"], o.AlarmEmails!);
        Assert.Equal(70, o.Thresholds!.CacheCpuPercent);
        Assert.Equal(0.1, o.Sampling!.Rate);
        Assert.Equal(2, o.Logging!.Search!.InstanceCount);
    }

    [Fact]
    public void DevMayArchiveOnlyAndSkipZoneAwareness()
    {
        Assert.True(Parse(Replace("    search:\n      instanceType: r6g.large.search\n      instanceCount: 2\n      zoneAwareness: true\n      volumeSizeGiB: 50\n", "    archiveOnly: true\n"), "dev").Config.Observability!.Logging!.ArchiveOnly);
        Assert.False(Parse(Replace("zoneAwareness: true", "zoneAwareness: false"), "dev").Config.Observability!.Logging!.Search!.ZoneAwareness);
    }

    public static TheoryData<string, string, string> Rows => new()
    {
        // shape: the binder
        { "    cacheCpuPercent: 70\n", "    cpu: 70\n", "observability.thresholds.cpu is not a known key; allowed here: " },
        { "rate: 0.1", "rate: often", "observability.sampling.rate = often must be a number" },
        // monitoring
        { "[oncall@example.com]", "[oncall]", "observability.alarmEmails[0] = oncall must be an email address such as oncall@example.com" },
        { "[oncall@example.com]", "[oncall@example.com, ONCALL@example.com]", "observability.alarmEmails[1] = ONCALL@example.com is listed twice" },
        { "\"https://events.example.com/hook\"", "\"http://events.example.com/hook\"", "observability.alarmHttpsEndpoints[0] = http://events.example.com/hook must be an https:// URL" },
        { "[\"https://events.example.com/hook\"]", "[\"https://events.example.com/hook\", \"https://events.example.com/hook\"]", "observability.alarmHttpsEndpoints[1] = https://events.example.com/hook is listed twice" },
        { "cacheCpuPercent: 70", "cacheCpuPercent: 170", "observability.thresholds.cacheCpuPercent = 170 must be greater than 0 and at most 100" },
        { "queueOldestMessageAgeSeconds: 600", "queueOldestMessageAgeSeconds: 0", "observability.thresholds.queueOldestMessageAgeSeconds = 0 must be greater than 0" },
        { "deadLetterMessages: 1", "deadLetterMessages: 0.5", "observability.thresholds.deadLetterMessages = 0.5 must be a whole number, at least 1" },
        // sampling
        { "rate: 0.1", "rate: 2", "observability.sampling.rate = 2 must be between 0 and 1" },
        { "reservoir: 2", "reservoir: -1", "observability.sampling.reservoir = -1 must be between 0 and 10000" },
        // logging
        { "    search:\n      instanceType: r6g.large.search\n      instanceCount: 2\n      zoneAwareness: true\n      volumeSizeGiB: 50\n", "", "observability.logging.search is required unless archiveOnly is true" },
        { "archiveExpirationDays: 365", "archiveExpirationDays: 365\n    archiveOnly: true", "observability.logging.archiveOnly must not be true together with search" },
        { "archiveExpirationDays: 365", "archiveExpirationDays: 0", "observability.logging.archiveExpirationDays = 0 must be at least 1" },
        { "archiveExpirationDays: 365", "archiveExpirationDays: 365\n    archiveTransitionDays: 400", "observability.logging.archiveTransitionDays = 400 must be at least 30 and below archiveExpirationDays (365)" },
        { "instanceType: r6g.large.search", "instanceType: r6g.large", "observability.logging.search.instanceType = r6g.large must be an OpenSearch instance type such as r6g.large.search" },
        { "volumeSizeGiB: 50", "volumeSizeGiB: 50\n      dedicatedMasters: true\n      masterInstanceType: m6g", "observability.logging.search.masterInstanceType = m6g must be an OpenSearch instance type such as m6g.large.search" },
        { "volumeSizeGiB: 50", "volumeSizeGiB: 50\n      masterInstanceType: m6g.large.search", "observability.logging.search.masterInstanceType = m6g.large.search needs dedicatedMasters: true" },
        { "instanceCount: 2", "instanceCount: 0", "observability.logging.search.instanceCount = 0 must be between 1 and 80" },
        { "instanceCount: 2", "instanceCount: 5", "observability.logging.search.instanceCount = 5 must be a multiple of 2 or 3 with zoneAwareness" },
        { "instanceCount: 2", "instanceCount: 3", "observability.logging.search.instanceCount = 3 must be a multiple of 2 (or of 3 with 3 zones) to spread over the 2 zones" },
        { "volumeSizeGiB: 50", "volumeSizeGiB: 5", "observability.logging.search.volumeSizeGiB = 5 must be between 10 and 16384" },
        { "zoneAwareness: true", "zoneAwareness: false", "observability.logging.search.zoneAwareness must be true in staging: the search domain must survive a zone failure" },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void AnInvalidSectionFailsWithOneMessageNamingFileKeyValueAndRule(string from, string to, string expected)
    {
        var message = Assert.Throws<ConfigException>(() => Parse(Replace(from, to))).Message;
        Assert.StartsWith($"{File}: ", message);
        Assert.Contains(expected, message);
        Assert.DoesNotContain("\n", message);
    }
}
