using ScalableBackend.Stacks.Config;

namespace ScalableBackend.Stacks.Tests;

/// <summary>
/// Deploy-time facts checked at load time (issue 13 item 3): each row breaks one fact in a valid file and expects one
/// clear message naming the file, the key, the value and what is allowed. The facts come from components/Facts.
/// </summary>
public sealed class DeployFactsValidationTests
{
    private const string File = "stacks/test.yaml";

    /// <summary>The valid files the rows start from, by name.</summary>
    private static readonly Dictionary<string, string> Bases = new()
    {
        ["core"] = ConfigValidationTests.Valid,
        ["data"] = ConfigValidationTests.ValidWithDataTier,
        ["edge"] = ConfigValidationTests.ValidWithEdge,
        ["messaging"] = MessagingConfigValidationTests.ValidWithMessaging,
        ["observability"] = ObservabilityConfigValidationTests.Valid.Replace("volumeSizeGiB: 50", "volumeSizeGiB: 50\n      dedicatedMasters: true\n      masterInstanceType: m6g.large.search", StringComparison.Ordinal),
    };

    private static string Error(string yaml) =>
        Assert.Throws<ConfigException>(() => EnvironmentLoader.Parse("staging", File, yaml)).Message;

    [Theory]
    [InlineData("core")]
    [InlineData("data")]
    [InlineData("edge")]
    [InlineData("messaging")]
    [InlineData("observability")]
    public void TheValidFilesLoad(string basis) => Assert.NotNull(EnvironmentLoader.Parse("staging", File, Bases[basis]).Config);

    public static TheoryData<string, string, string, string> Rows => new()
    {
        // region and zones (regions.json)
        { "core", "eu-west-1", "eu-wset-1", "region = eu-wset-1 is not an AWS region; did you mean eu-west-1?" },
        { "core", "[eu-west-1a, eu-west-1b]", "[eu-west-1a, eu-west-1d]", "network.availabilityZones[1] = eu-west-1d is not an availability zone of eu-west-1; its zones are eu-west-1a, eu-west-1b, eu-west-1c" },
        // EC2 instance types per region and their architecture (ec2-instance-types.json)
        { "core", "instanceType: t3.small\n    routing:\n      priority: 10", "instanceType: m5.larg\n    routing:\n      priority: 10", "services.api.instanceType = m5.larg is not an EC2 instance type in eu-west-1; did you mean m5.large?" },
        { "core", "instanceType: t3.small\n    routing:\n      priority: 10", "instanceType: c8id.large\n    routing:\n      priority: 10", "services.api.instanceType = c8id.large is not offered in eu-west-1 (other regions have it)" },
        { "core", "instanceType: t3.small\n    routing:\n      priority: 10", "instanceType: t4g.small\n    routing:\n      priority: 10", "services.api.instanceType = t4g.small is an arm64 (Graviton) type, but without machineImages the instances boot the x86_64 Amazon Linux 2023 image; pin machineImages.arm64 or choose an x86_64 type such as t3.small" },
        { "core", "instanceType: t3.small\n    routing:\n      priority: 20", "instanceType: m7g.large\n    routing:\n      priority: 20", "services.web.instanceType = m7g.large is an arm64 (Graviton) type, but without machineImages the instances boot the x86_64 Amazon Linux 2023 image; pin machineImages.arm64 or choose an x86_64 type such as m7i.large" },
        { "messaging", "instanceType: t3.small\n    queue: billing", "instanceType: c5.larg\n    queue: billing", "workers.billing.instanceType = c5.larg is not an EC2 instance type in eu-west-1; did you mean c5.large?" },
        // other services' instance types per region
        { "data", "nodeType: cache.t4g.small", "nodeType: cache.t4g.smal", "cache.nodeType = cache.t4g.smal is not an ElastiCache node type in any region; did you mean cache.t4g.small?" },
        { "data", "instanceType: db.t4g.medium", "instanceType: db.t4g.mediun", "database.instanceType = db.t4g.mediun is not an RDS for PostgreSQL instance class in eu-west-1; did you mean db.t4g.medium?" },
        { "messaging", "instanceType: mq.m5.large", "instanceType: mq.m5.larg", "brokers.rabbitmq.instanceType = mq.m5.larg is not an Amazon MQ for RabbitMQ broker instance type in any region; did you mean mq.m5.large?" },
        { "messaging", "instanceType: kafka.m5.large", "instanceType: kafka.m5.larg", "brokers.kafka.instanceType = kafka.m5.larg is not an MSK standard broker type; did you mean kafka.m5.large?" },
        { "observability", "instanceType: r6g.large.search", "instanceType: r6g.larg.search", "observability.logging.search.instanceType = r6g.larg.search is not an OpenSearch Service instance type in any region; did you mean r6g.large.search?" },
        { "observability", "masterInstanceType: m6g.large.search", "masterInstanceType: m6g.larg.search", "observability.logging.search.masterInstanceType = m6g.larg.search is not an OpenSearch Service instance type in any region; did you mean m6g.large.search?" },
        // engine versions (engine-versions.json, manual.json)
        { "data", "  replicasPerShard: 1\n", "  replicasPerShard: 1\n  engineVersion: \"7.9\"\n", "cache.engineVersion = 7.9 is not an ElastiCache for Redis version; there are 6.2, 7.0, 7.1" },
        { "data", "backupRetentionDays: 7", "backupRetentionDays: 7\n  engineVersion: \"16.99\"", "database.engineVersion = 16.99 is not an RDS for PostgreSQL version; did you mean 16.9?" },
        { "messaging", "deploymentMode: cluster_multi_az", "deploymentMode: cluster_multi_az\n    engineVersion: \"3.12\"", "brokers.rabbitmq.engineVersion = 3.12 is not a version Amazon MQ creates RabbitMQ brokers with; there are 3.13, 4.2" },
        { "messaging", "brokerNodes: 2", "brokerNodes: 2\n    kafkaVersion: 3.6.1", "brokers.kafka.kafkaVersion = 3.6.1 is not an Apache Kafka version MSK has; did you mean 3.6.0?" },
        // certificates from the environment's region
        { "core", "certificateArn: arn:aws:acm:eu-west-1:", "certificateArn: arn:aws:acm:us-east-1:", "loadBalancer.certificateArn = arn:aws:acm:us-east-1:123456789012:certificate/abcd-1234 is a certificate in us-east-1, but the load balancer is in eu-west-1: a load balancer takes only certificates from its own region" },
        { "edge", "certificateArn: \"arn:aws:acm:eu-west-1:", "certificateArn: \"arn:aws:acm:us-east-1:", "api.domain.certificateArn = arn:aws:acm:us-east-1:123456789012:certificate/abcd-1234 is a certificate in us-east-1, but the API's domain is REGIONAL in eu-west-1: it takes only certificates from its own region" },
        // cron (EC2 Auto Scaling's five-field Unix cron) and IANA time zones
        { "core", "cron: \"0 1 * * *\"", "cron: \"0 25 * * *\"", "services.api.scaling.schedules.nightly.cron = 0 25 * * * is not a cron expression EC2 Auto Scaling accepts: hour '25' must be * or a whole number from 0 to 23" },
        { "core", "cron: \"0 1 * * *\"", "cron: \"0 1 ? * MON\"", "services.api.scaling.schedules.nightly.cron = 0 1 ? * MON is not a cron expression EC2 Auto Scaling accepts: day-of-month '?' must be * or a whole number from 1 to 31" },
        { "core", "cron: \"0 1 * * *\"", "cron: \"0 1 * * fri-mon\"", "services.api.scaling.schedules.nightly.cron = 0 1 * * fri-mon is not a cron expression EC2 Auto Scaling accepts: day-of-week 'fri-mon' is a range from 5 down to 1; write the smaller value first" },
        { "core", "cron: \"0 1 * * *\"", "cron: \"*/0 1 * * *\"", "services.api.scaling.schedules.nightly.cron = */0 1 * * * is not a cron expression EC2 Auto Scaling accepts: minute '*/0' has step '0', which must be a whole number from 1 to 59" },
        { "core", "cron: \"0 1 * * *\"", "cron: \"0 1 * smarch *\"", "services.api.scaling.schedules.nightly.cron = 0 1 * smarch * is not a cron expression EC2 Auto Scaling accepts: month 'smarch' must be * , a whole number from 1 to 12 or one of jan, feb, mar, apr, may, jun, jul, aug, sep, oct, nov, dec" },
        { "core", "cron: \"0 1 * * *\"", "cron: \"5/15 1 * * *\"", "services.api.scaling.schedules.nightly.cron = 5/15 1 * * * is not a cron expression EC2 Auto Scaling accepts: minute '5/15' must step over * or a range a-b" },
        { "messaging", "start: \"0 1 * * *\"", "start: \"0 1 * * * 2027\"", "workers.billing.batchWindows.nightly.start = 0 1 * * * 2027 must have 5 fields: minute hour day-of-month month day-of-week" },
        { "messaging", "end: \"0 5 * * *\"", "end: \"0 5 L * *\"", "workers.billing.batchWindows.nightly.end = 0 5 L * * is not a cron expression EC2 Auto Scaling accepts: day-of-month 'L' must be * or a whole number from 1 to 31" },
        { "core", "min: 3 }", "min: 3, timeZone: Europe/Berln }", "services.api.scaling.schedules.nightly.timeZone = Europe/Berln is not a canonical IANA time zone name such as Europe/Berlin or Etc/UTC; did you mean Europe/Berlin?" },
        { "core", "min: 3 }", "min: 3, timeZone: UTC }", "services.api.scaling.schedules.nightly.timeZone = UTC is not a canonical IANA time zone name such as Europe/Berlin or Etc/UTC; did you mean Etc/UTC?" },
        { "messaging", "minCapacity: 3 }", "minCapacity: 3, timeZone: Berlin }", "workers.billing.batchWindows.nightly.timeZone = Berlin is not a canonical IANA time zone name such as Europe/Berlin or Etc/UTC; did you mean Europe/Berlin?" },
        // scheduled capacities within the group's bounds (the action keeps the bounds it does not set)
        { "core", "min: 3 }", "min: 5 }", "services.api.scaling.schedules.nightly.min = 5 must be at most the group's maxCapacity (4), which the action keeps; set max as well" },
        { "core", "min: 3 }", "max: 1 }", "services.api.scaling.schedules.nightly.max = 1 must be at least the group's minCapacity (2), which the action keeps; set min as well" },
        { "core", "min: 3 }", "desired: 9 }", "services.api.scaling.schedules.nightly.desired = 9 must be between the bounds the action leaves (2 to 4)" },
        // listener-rule shadowing
        { "core", "priority: 20", "priority: 5", "services.api.routing (priority 10, any host, paths [/api/*]) would get no traffic: every request it matches is taken first by services.web (priority 5); give services.api a lower priority number or conditions those rules do not cover" },
        { "core", "pathPatterns: [\"/*\"]", "pathPatterns: [\"/api/v1/*\"]", "services.web.routing (priority 20, any host, paths [/api/v1/*]) would get no traffic: every request it matches is taken first by services.api (priority 10)" },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void AWrongDeployTimeFactFailsWithOneMessageNamingFileKeyValueAndWhatIsAllowed(string basis, string from, string to, string expected)
    {
        var valid = Bases[basis];
        Assert.Contains(from, valid);
        var message = Error(valid.Replace(from, to, StringComparison.Ordinal));
        Assert.StartsWith($"{File}: ", message);
        Assert.Contains(expected, message);
        Assert.DoesNotContain("\n", message);
    }

    [Theory]
    // a rule for one host does not shadow a later rule for any host (prod: api on origin.example.com, then web on /*)
    [InlineData("core", "priority: 20\n      pathPatterns: [\"/*\"]", "priority: 5\n      pathPatterns: [\"/*\"]\n      hostHeaders: [origin.example.com]")]
    // only one of a service's patterns is covered by the higher rule: the other still gets traffic
    [InlineData("core", "pathPatterns: [\"/*\"]", "pathPatterns: [\"/api/*\", \"/web/*\"]")]
    // a schedule that sets both bounds may move them past the group's
    [InlineData("core", "min: 3 }", "min: 6, max: 8 }")]
    // day names, month names, 7 for Sunday, steps over ranges and lists
    [InlineData("core", "cron: \"0 1 * * *\"", "cron: \"*/15 6-22/2 1,15 jan-jun sun,7\"")]
    [InlineData("core", "min: 3 }", "min: 3, timeZone: Etc/UTC }")]
    public void ValuesAwsAcceptsLoad(string basis, string from, string to)
    {
        var valid = Bases[basis];
        Assert.Contains(from, valid);
        Assert.NotNull(EnvironmentLoader.Parse("staging", File, valid.Replace(from, to, StringComparison.Ordinal)).Config);
    }
}
