using ScalableBackend.Infra.Simulation;
using ScalableBackend.Stacks.Config;

namespace ScalableBackend.Simulation.Tests;

/// <summary>Bad profiles and settings stop with one message naming the file and the key.</summary>
public sealed class BadInputTests
{
    private const string Valid = """
        minutes: 60
        services:
          api:
            - { at: 0, requestsPerSecond: 10 }
            - { at: 30, requestsPerSecond: 50 }
        """;

    private static string Error(string yaml) =>
        Assert.Throws<InvalidDataException>(() => TrafficProfile.Parse(yaml, "profiles/bad.yaml")).Message;

    [Fact]
    public void A_valid_profile_reads_its_steps()
    {
        var profile = TrafficProfile.Parse(Valid, "profiles/good.yaml");
        Assert.Equal([new LoadStep(0, 10), new LoadStep(30, 50)], profile.Services["api"]);
        Assert.Equal(TrafficProfile.DefaultStart, profile.Start);
        Assert.Equal(DayOfWeek.Monday, profile.Start.DayOfWeek);
        var series = profile.Series(profile.Services["api"]);
        Assert.Equal((10, 10, 50), (series[0], series[29], series[30]));
    }

    [Fact]
    public void A_profile_naming_an_unknown_service_names_it_and_the_declared_ones()
    {
        var profile = TrafficProfile.Parse(Valid.Replace("api:", "payments:", StringComparison.Ordinal), "profiles/bad.yaml");
        var e = Assert.Throws<InvalidDataException>(() => profile.CheckAgainst("prod", ["api", "web"], ["billing"]));
        Assert.Equal("profiles/bad.yaml: services.payments is not a service of prod; declared: api, web", e.Message);
    }

    [Fact]
    public void A_profile_naming_an_unknown_worker_names_it()
    {
        var profile = TrafficProfile.Parse("minutes: 10\nworkers:\n  mailer: [{ at: 0, messagesPerSecond: 1 }]", "profiles/bad.yaml");
        var e = Assert.Throws<InvalidDataException>(() => profile.CheckAgainst("dev", ["api"], []));
        Assert.Equal("profiles/bad.yaml: workers.mailer is not a worker of dev; declared: none", e.Message);
    }

    [Fact]
    public void Negative_load_is_an_error_at_its_key() =>
        Assert.Equal("profiles/bad.yaml: services.api[1].requestsPerSecond = -5 must not be negative",
            Error(Valid.Replace("requestsPerSecond: 50", "requestsPerSecond: -5", StringComparison.Ordinal)));

    [Fact]
    public void A_step_that_does_not_come_after_the_previous_one_is_an_error_at_its_key() =>
        Assert.Equal("profiles/bad.yaml: services.api[1].at = 0 must be greater than the previous step's at (0)",
            Error(Valid.Replace("at: 30", "at: 0", StringComparison.Ordinal)));

    [Fact]
    public void A_step_beyond_the_profile_is_an_error() =>
        Assert.Equal("profiles/bad.yaml: services.api[1].at = 90 must be below minutes (60)",
            Error(Valid.Replace("at: 30", "at: 90", StringComparison.Ordinal)));

    [Fact]
    public void An_unknown_key_is_an_error() =>
        Assert.Equal("profiles/bad.yaml: duration is not a profile key; allowed: minutes, start, launchMinutes, bootMinutes, services, workers",
            Error(Valid.Replace("minutes: 60", "duration: 60", StringComparison.Ordinal)));

    [Fact]
    public void Minutes_are_required() =>
        Assert.Equal("profiles/bad.yaml: minutes is required (how many minutes to simulate)",
            Error(Valid.Replace("minutes: 60\n", "", StringComparison.Ordinal)));

    [Fact]
    public void A_missing_profile_file_is_named() =>
        Assert.Equal("profiles/none.yaml: does not exist",
            Assert.Throws<InvalidDataException>(() => TrafficProfile.Load("profiles/none.yaml")).Message);

    [Fact]
    public void A_service_capacity_that_is_not_positive_is_an_error_at_its_file_key()
    {
        var yaml = File.ReadAllText(Path.Combine(EnvironmentLoader.LocateDirectory(), "prod.yaml"))
            .Replace("capacity: 120", "capacity: 0", StringComparison.Ordinal);
        var e = Assert.Throws<ConfigException>(() => EnvironmentLoader.Parse("prod", "stacks/prod.yaml", yaml));
        Assert.Equal("stacks/prod.yaml: services.api.capacity = 0 must be greater than 0 (requests per second per instance at 100% CPU)", e.Message);
    }

    [Fact]
    public void A_bad_cron_in_a_template_is_listed_as_not_simulated()
    {
        var group = GroupTemplate.Service(1, 3).Schedule("Broken", "0 25 * * *", null, min: 2).Group();
        Assert.Empty(group.Schedules);
        Assert.Contains(group.NotSimulated, r => r.Contains("Broken", StringComparison.Ordinal) && r.Contains("hour", StringComparison.Ordinal));
    }
}
