using ScalableBackend.Stacks.Config;

namespace ScalableBackend.Stacks.Tests;

/// <summary>Each row breaks one thing in a valid environment file and expects exactly one clear message.</summary>
public sealed class ConfigValidationTests
{
    private const string File = "stacks/test.yaml";

    /// <summary>A valid file that the rows below break one way at a time.</summary>
    public const string Valid = """
        region: eu-west-1
        network:
          availabilityZones: [eu-west-1a, eu-west-1b]
          cidr: 10.0.0.0/16
          natGateways: 1
        logs:
          retentionDays: 30
        loadBalancer:
          certificateArn: arn:aws:acm:eu-west-1:123456789012:certificate/abcd-1234
        services:
          api:
            instanceType: t3.small
            routing:
              priority: 10
              pathPatterns: ["/api/*"]
            minCapacity: 2
            maxCapacity: 4
            loadBalancingAlgorithm: least_outstanding_requests
            deregistrationDelay: 30s
            scaling:
              cpuTargetPercent: 50
              schedules:
                nightly: { cron: "0 1 * * *", min: 3 }
          web:
            instanceType: t3.small
            routing:
              priority: 20
              pathPatterns: ["/*"]
            minCapacity: 2
            maxCapacity: 4
        """;

    private static EnvironmentDefinition Parse(string yaml, string env = "staging") => EnvironmentLoader.Parse(env, File, yaml);

    private static string Error(string yaml, string env = "staging") =>
        Assert.Throws<ConfigException>(() => Parse(yaml, env)).Message;

    private static string Replace(string from, string to)
    {
        Assert.Contains(from, Valid);
        return Valid.Replace(from, to);
    }

    [Fact]
    public void TheValidFileLoads()
    {
        var env = Parse(Valid);
        Assert.Equal("Backend-Staging", env.StackName);
        Assert.Equal(2, env.Config.Services.Count);
        Assert.Equal(Components.Compute.LoadBalancingAlgorithm.LeastOutstandingRequests, env.Config.Services["api"].LoadBalancingAlgorithm);
        Assert.Equal(30, env.Config.Services["api"].DeregistrationDelay!.ToSeconds());
    }

    public static TheoryData<string, string, string> Rows => new()
    {
        // shape: the binder
        { "maxCapacity: 4\n    loadBalancingAlgorithm", "maxCapacity: 4\n    maxCapicity: 5\n    loadBalancingAlgorithm", "services.api.maxCapicity is not a known key; allowed here:" },
        { "region: eu-west-1\n", "region: eu-west-1\nregoin: x\n", "regoin is not a known key; allowed here: account, api, auth, brokers, cache, database, events, firewall, loadBalancer, logs, machineImages, network, observability, queues, region, secrets, services, tags, terminationProtection, workers" },
        { "logs:\n  retentionDays: 30\n", "", "stacks/test.yaml: logs is required" },
        { "    minCapacity: 2\n    maxCapacity: 4\n    loadBalancingAlgorithm", "    maxCapacity: 4\n    loadBalancingAlgorithm", "services.api.minCapacity is required" },
        { "minCapacity: 2\n    maxCapacity: 4\n    load", "minCapacity: two\n    maxCapacity: 4\n    load", "services.api.minCapacity = two must be a whole number" },
        { "cpuTargetPercent: 50", "cpuTargetPercent: lots", "services.api.scaling.cpuTargetPercent = lots must be a number" },
        { "least_outstanding_requests", "fastest", "services.api.loadBalancingAlgorithm = fastest must be one of round_robin, least_outstanding_requests" },
        { "deregistrationDelay: 30s", "deregistrationDelay: 30 seconds", "services.api.deregistrationDelay = 30 seconds must be a duration such as 30s, 5m, 1h or 7d" },
        { "availabilityZones: [eu-west-1a, eu-west-1b]", "availabilityZones: eu-west-1a", "network.availabilityZones = eu-west-1a must be a list" },
        { "routing:\n      priority: 10", "routing: 10\n    x:\n      priority: 10", "services.api.routing = 10 must be a map of keys" },
        { "retentionDays: 30", "retentionDays:", "logs.retentionDays must have a value" },
        { "loadBalancer:\n  certificateArn", "loadBalancer:\n  allowPlainHttp: yes\n  certificateArn", "loadBalancer.allowPlainHttp = yes must be true or false" },
        // values: the environment validator
        { "region: eu-west-1", "region: europe", "region = europe must be an AWS region such as us-east-1" },
        { "region: eu-west-1\n", "region: eu-west-1\naccount: \"12345\"\n", "account = 12345 must be a 12-digit AWS account id" },
        { "[eu-west-1a, eu-west-1b]", "[eu-west-1a, us-east-1b]", "network.availabilityZones[1] = us-east-1b must be a zone of region eu-west-1, such as eu-west-1a" },
        { "[eu-west-1a, eu-west-1b]", "[eu-west-1a]", "network.availabilityZones = [eu-west-1a] must list at least 2 zones in staging" },
        { "retentionDays: 30", "retentionDays: 31", "logs.retentionDays = 31 must be one of 1, 3, 5, 7, 14, 30," },
        { "  certificateArn: arn:aws:acm:eu-west-1:123456789012:certificate/abcd-1234\n", "  deletionProtection: true\n", "loadBalancer.certificateArn is required unless the file says allowPlainHttp: true (plain HTTP is never a default)" },
        { "certificateArn: arn:aws:acm:eu-west-1:123456789012:certificate/abcd-1234", "certificateArn: my-cert", "loadBalancer.certificateArn = my-cert must be an ACM certificate ARN" },
        { "certificate/abcd-1234\n", "certificate/abcd-1234\n  sslPolicy: ELBSecurityPolicy-2016-08\n", "loadBalancer.sslPolicy = ELBSecurityPolicy-2016-08 must be one of ELBSecurityPolicy-TLS13-1-2-2021-06" },
        { "certificate/abcd-1234\n", "certificate/abcd-1234\n  allowPlainHttp: true\n", "loadBalancer.allowPlainHttp = True must not be set when a certificate is given" },
        { "certificate/abcd-1234\n", "certificate/abcd-1234\n  accessLogExpirationDays: 0\n", "loadBalancer.accessLogExpirationDays = 0 must be at least 1" },
        { "certificate/abcd-1234\n", "certificate/abcd-1234\n  idleTimeout: 2h\n", "loadBalancer.idleTimeout = 7200s must be between 1s and 4000s" },
        { "services:\n  api:", "services:\n  Api:", "services.Api is not a valid service name" },
        { "instanceType: t3.small\n    routing:\n      priority: 10", "instanceType: huge\n    routing:\n      priority: 10", "services.api.instanceType = huge must be an EC2 instance type such as t3.small" },
        { "priority: 20", "priority: 10", "services.web.routing.priority = 10 is already used by services.api; priorities must be unique" },
        // component rules, reported at the file's keys
        { "cidr: 10.0.0.0/16", "cidr: 10.0.0.0/8", "network.cidr = 10.0.0.0/8 must have a prefix between /16 and /24" },
        { "cidr: 10.0.0.0/16", "cidr: ten", "network.cidr = ten must be an IPv4 CIDR block such as 10.0.0.0/16" },
        { "natGateways: 1", "natGateways: 3", "network.natGateways = 3 must be between 1 and the number of zones (2)" },
        { "natGateways: 1", "natGateways: 1\n  privateSubnetCidrMask: 30", "network.privateSubnetCidrMask = 30 must be between 16 and 28" },
        { "[eu-west-1a, eu-west-1b]", "[eu-west-1a, eu-west-1a]", "network.availabilityZones = [eu-west-1a, eu-west-1a] lists eu-west-1a twice" },
        { "minCapacity: 2\n    maxCapacity: 4\n    load", "minCapacity: 2\n    maxCapacity: 1\n    load", "services.api.maxCapacity = 1 must be >= minCapacity (2) and at least 1" },
        { "minCapacity: 2\n    maxCapacity: 4\n    load", "minCapacity: -1\n    maxCapacity: 4\n    load", "services.api.minCapacity = -1 must be at least 0" },
        { "maxCapacity: 4\n    load", "maxCapacity: 4\n    desiredCapacity: 9\n    load", "services.api.desiredCapacity = 9 must be between minCapacity (2) and maxCapacity (4)" },
        { "maxCapacity: 4\n    load", "maxCapacity: 4\n    port: 70000\n    load", "services.api.port = 70000 must be between 1 and 65535" },
        { "maxCapacity: 4\n    load", "maxCapacity: 4\n    rootVolumeSizeGiB: 4\n    load", "services.api.rootVolumeSizeGiB = 4 must be between 8 and 16384" },
        { "deregistrationDelay: 30s", "deregistrationDelay: 2h", "services.api.deregistrationDelay = 7200s must be between 0s and 3600s" },
        { "deregistrationDelay: 30s", "healthCheckGracePeriod: 3h", "services.api.healthCheckGracePeriod = 10800s must be at most 7200s" },
        { "priority: 10", "priority: 0", "services.api.routing.priority = 0 must be between 1 and 50000" },
        { "      pathPatterns: [\"/api/*\"]\n", "", "services.api.routing needs at least one of pathPatterns or hostHeaders" },
        { "pathPatterns: [\"/api/*\"]", "pathPatterns: [\"/a\", \"/b\", \"/c\", \"/d\", \"/e\", \"/f\"]", "services.api.routing = 6 conditions allows at most 5 path patterns and host headers in total" },
        { "pathPatterns: [\"/api/*\"]", "pathPatterns: [\"api/*\"]", "services.api.routing.pathPatterns = api/* must start with /" },
        { "maxCapacity: 4\n    load", "maxCapacity: 4\n    healthCheck: { path: health }\n    load", "services.api.healthCheck.path = health must start with /" },
        { "maxCapacity: 4\n    load", "maxCapacity: 4\n    healthCheck: { intervalSeconds: 500 }\n    load", "services.api.healthCheck.intervalSeconds = 500 must be between 5 and 300" },
        { "maxCapacity: 4\n    load", "maxCapacity: 4\n    healthCheck: { timeoutSeconds: 1 }\n    load", "services.api.healthCheck.timeoutSeconds = 1 must be between 2 and 120" },
        { "maxCapacity: 4\n    load", "maxCapacity: 4\n    healthCheck: { intervalSeconds: 10, timeoutSeconds: 10 }\n    load", "services.api.healthCheck.timeoutSeconds = 10 must be less than intervalSeconds (10)" },
        { "maxCapacity: 4\n    load", "maxCapacity: 4\n    healthCheck: { healthyThreshold: 1 }\n    load", "services.api.healthCheck.healthyThreshold = 1 must be between 2 and 10" },
        { "maxCapacity: 4\n    load", "maxCapacity: 4\n    healthCheck: { unhealthyThreshold: 11 }\n    load", "services.api.healthCheck.unhealthyThreshold = 11 must be between 2 and 10" },
        { "maxCapacity: 4\n    load", "maxCapacity: 4\n    healthCheck: { successCodes: ok }\n    load", "services.api.healthCheck.successCodes = ok must be HTTP codes such as 200, 200-299 or 200,204" },
        { "cpuTargetPercent: 50", "cpuTargetPercent: 150", "services.api.scaling.cpuTargetPercent = 150 must be greater than 0 and at most 100" },
        { "cpuTargetPercent: 50", "requestsPerTarget: 0", "services.api.scaling.requestsPerTarget = 0 must be greater than 0" },
        { "cpuTargetPercent: 50", "customMetrics:\n        Latency: { metric: { namespace: App, metricName: L }, target: 5 }", "services.api.scaling.customMetrics = Latency keys must be lower-case letters, digits and dashes" },
        { "cpuTargetPercent: 50", "customMetrics:\n        latency: { metric: { namespace: App, metricName: L }, target: 0 }", "services.api.scaling.customMetrics.latency.target = 0 must be greater than 0" },
        { "cpuTargetPercent: 50", "customMetrics:\n        latency: { metric: { namespace: \"\", metricName: L }, target: 5 }", "services.api.scaling.customMetrics.latency.metric.namespace must not be empty" },
        { "cpuTargetPercent: 50", "customMetrics:\n        latency: { metric: { namespace: App, metricName: \"\" }, target: 5 }", "services.api.scaling.customMetrics.latency.metric.metricName must not be empty" },
        { "cpuTargetPercent: 50", "customMetrics:\n        latency: { metric: { namespace: AWS/SQS, metricName: L }, target: 5 }", "services.api.scaling.customMetrics.latency.metric.dimensions are required for the AWS metric AWS/SQS/L" },
        { "cpuTargetPercent: 50", "customMetrics:\n        latency: { metric: { namespace: App, metricName: L, statistic: Median }, target: 5 }", "services.api.scaling.customMetrics.latency.metric.statistic = Median must be one of Average, Sum, Minimum, Maximum, SampleCount or a percentile such as p99" },
        { "cpuTargetPercent: 50", "customMetrics:\n        latency: { metric: { namespace: App, metricName: L, periodSeconds: 90 }, target: 5 }", "services.api.scaling.customMetrics.latency.metric.periodSeconds = 90 must be 60 or a multiple of 60" },
        { "cpuTargetPercent: 50", "stepScaling:\n        depth: { metric: { namespace: App, metricName: D }, steps: [{ lower: 10, change: 1 }] }", "services.api.scaling.stepScaling.depth.steps = 1 step(s) must have at least 2 steps" },
        { "cpuTargetPercent: 50", "stepScaling:\n        depth: { metric: { namespace: App, metricName: D }, steps: [{ upper: 5, change: -1 }, { lower: 10, upper: 10, change: 1 }] }", "services.api.scaling.stepScaling.depth.steps[1].lower = 10 must be below upper (10)" },
        { "cpuTargetPercent: 50", "stepScaling:\n        depth: { metric: { namespace: App, metricName: D }, evaluationPeriods: 0, steps: [{ upper: 5, change: -1 }, { lower: 10, change: 1 }] }", "services.api.scaling.stepScaling.depth.evaluationPeriods = 0 must be at least 1" },
        { "cron: \"0 1 * * *\"", "cron: \"0 1 * *\"", "services.api.scaling.schedules.nightly.cron = 0 1 * * must have 5 fields" },
        { "min: 3 }", "timeZone: UTC }", "services.api.scaling.schedules.nightly must set at least one of min, max, desired" },
        { "min: 3 }", "min: 3, max: 2 }", "services.api.scaling.schedules.nightly.max = 2 must be >= min (3)" },
        { "min: 3 }", "min: 3, max: 5, desired: 6 }", "services.api.scaling.schedules.nightly.desired = 6 must be between min (3) and max (5)" },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void AnInvalidFileFailsWithOneMessageNamingFileKeyValueAndRule(string from, string to, string expected)
    {
        var message = Error(Replace(from, to));
        Assert.StartsWith($"{File}: ", message);
        Assert.Contains(expected, message);
        Assert.DoesNotContain("\n", message);
    }

    /// <summary><see cref="Valid"/> with a cache and a database, which the rows below break one way at a time.</summary>
    public const string ValidWithDataTier = Valid + """

        cache:
          nodeType: cache.t4g.small
          shards: 2
          replicasPerShard: 1
          users: [api]
        database:
          instanceType: db.t4g.medium
          allocatedStorageGiB: 20
          maxAllocatedStorageGiB: 100
          backupRetentionDays: 7
          shards:
            shard1:
              buckets: [{ from: 0, to: 511 }]
              readReplicas: 1
            shard2:
              buckets: [{ from: 512, to: 1023 }]
          users: [api, web]
        """;

    private static string ReplaceInDataTier(string from, string to)
    {
        Assert.Contains(from, ValidWithDataTier);
        return ValidWithDataTier.Replace(from, to);
    }

    [Fact]
    public void TheValidFileWithADataTierLoads()
    {
        var env = Parse(ValidWithDataTier);
        Assert.Equal(2, env.Config.Cache!.Shards);
        Assert.Equal(511, env.Config.Database!.Shards["shard1"].Buckets[0].To);
        Assert.Equal(["api", "web"], env.Config.Database.Users!);
    }

    public static TheoryData<string, string, string> DataRows => new()
    {
        // shape: the binder
        { "  replicasPerShard: 1\n", "  replicasPerShard: 1\n  maxMemoryPolicy: lru\n", "cache.maxMemoryPolicy = lru must be one of volatile_lru, allkeys_lru, volatile_lfu, allkeys_lfu, volatile_random, allkeys_random, volatile_ttl, noeviction" },
        { "  nodeType: cache.t4g.small\n", "", "cache.nodeType is required" },
        { "      readReplicas: 1\n", "      readReplicas: 1\n      proxy: true\n", "database.shards.shard1.proxy is not a known key; allowed here: buckets, enableProxy, readReplicas" },
        { "[{ from: 0, to: 511 }]", "[{ from: 0 }]", "database.shards.shard1.buckets[0].to is required" },
        // values: the environment validator
        { "users: [api]", "users: [api, billing]", "cache.users[1] = billing is not a service; declared: api, web" },
        { "users: [api]", "users: [api, api]", "cache.users[1] = api is listed twice" },
        { "users: [api, web]", "users: [billing]", "database.users[0] = billing is not a service; declared: api, web" },
        { "replicasPerShard: 1", "replicasPerShard: 0", "cache.replicasPerShard = 0 must be at least 1 in staging (automatic failover to another zone)" },
        { "instanceType: db.t4g.medium", "instanceType: t4g.medium", "database.instanceType = t4g.medium must be an RDS instance class such as db.r6g.large" },
        { "backupRetentionDays: 7", "backupRetentionDays: 3", "database.backupRetentionDays = 3 must be at least 7 in staging" },
        { "backupRetentionDays: 7", "backupRetentionDays: 7\n  multiAz: false", "database.multiAz = false is not allowed in staging: every shard needs a standby in another zone" },
        // component rules, reported at the file's keys
        { "nodeType: cache.t4g.small", "nodeType: t4g.small", "cache.nodeType = t4g.small must be a cache node type such as cache.r7g.large" },
        { "shards: 2\n", "shards: 0\n", "cache.shards = 0 must be between 1 and 500" },
        { "replicasPerShard: 1", "replicasPerShard: 6", "cache.replicasPerShard = 6 must be between 0 and 5" },
        { "  replicasPerShard: 1\n", "  replicasPerShard: 1\n  engineVersion: \"5.0\"\n", "cache.engineVersion = 5.0 must be 6.2 or a Redis 7 version such as 7.1" },
        { "  replicasPerShard: 1\n", "  replicasPerShard: 1\n  engineVersion: \"6.2\"\n", "cache.engineVersion = 6.2 must be 7.0 or later: the cache's users authenticate with IAM, which ElastiCache supports from Redis OSS 7" },
        { "  replicasPerShard: 1\n", "  replicasPerShard: 1\n  snapshotRetentionDays: 36\n", "cache.snapshotRetentionDays = 36 must be between 0 and 35" },
        { "  replicasPerShard: 1\n", "  replicasPerShard: 1\n  snapshotWindow: 3am\n", "cache.snapshotWindow = 3am must be a UTC window hh:mm-hh:mm such as 03:00-04:00" },
        { "  replicasPerShard: 1\n", "  replicasPerShard: 1\n  maintenanceWindow: sunday\n", "cache.maintenanceWindow = sunday must be a UTC window ddd:hh:mm-ddd:hh:mm such as sun:05:00-sun:06:00" },
        { "  shards:\n    shard1:\n      buckets: [{ from: 0, to: 511 }]\n      readReplicas: 1\n    shard2:\n      buckets: [{ from: 512, to: 1023 }]\n", "  shards: {}\n", "database.shards must declare at least one shard" },
        { "maxAllocatedStorageGiB: 100", "maxAllocatedStorageGiB: 10", "database.maxAllocatedStorageGiB = 10 must be between allocatedStorageGiB (20) and 65536" },
        { "allocatedStorageGiB: 20\n", "allocatedStorageGiB: 10\n", "database.allocatedStorageGiB = 10 must be between 20 and 65536" },
        { "backupRetentionDays: 7", "backupRetentionDays: 40", "database.backupRetentionDays = 40 must be between 1 and 35" },
        { "backupRetentionDays: 7", "backupRetentionDays: 7\n  engineVersion: \"12.9\"", "database.engineVersion = 12.9 must be a PostgreSQL version major.minor with major 13 or newer, such as 17.7" },
        { "backupRetentionDays: 7", "backupRetentionDays: 7\n  bucketCount: 0", "database.bucketCount = 0 must be between 1 and 65536" },
        { "backupRetentionDays: 7", "backupRetentionDays: 7\n  backupWindow: night", "database.backupWindow = night must be a UTC window hh:mm-hh:mm such as 03:00-04:00" },
        { "backupRetentionDays: 7", "backupRetentionDays: 7\n  maintenanceWindow: sun", "database.maintenanceWindow = sun must be a UTC window ddd:hh:mm-ddd:hh:mm such as sun:05:00-sun:06:00" },
        { "    shard2:", "    Shard2:", "database.shards = Shard2 keys must be lower-case letters, digits and dashes, starting with a letter (at most 40)" },
        { "    shard2:", "    shard-1:", "database.shards = shard1 has the same construct id (Shard1) as shard-1" },
        { "readReplicas: 1", "readReplicas: 6", "database.shards.shard1.readReplicas = 6 must be between 0 and 5" },
        { "[{ from: 512, to: 1023 }]", "[]", "database.shards = buckets 512-1023 have no owner; every bucket from 0 to 1023 needs exactly one shard" },
        { "backupRetentionDays: 7", "backupRetentionDays: 7\n  moves: [{ buckets: { from: 512, to: 600 }, fromShard: shard2, toShard: shard9, state: copying }]", "database.moves[0].toShard = shard9 is not a shard; a shard stays declared while it sends or receives buckets (finish the move, then remove the entry and the shard)" },
        { "backupRetentionDays: 7", "backupRetentionDays: 7\n  moves: [{ buckets: { from: 512, to: 600 }, fromShard: shard2, toShard: shard1, state: switched }]", "database.moves[0].buckets = 512-600 is switched, so shard1 serves it: list it in shards.shard1.buckets and remove it from shards.shard2.buckets (bucket 512 is listed under shard2)" },
        { "[{ from: 0, to: 511 }]", "[{ from: -1, to: 511 }]", "database.shards.shard1.buckets[0].from = -1 must be between 0 and 1023 (bucketCount 1024)" },
        { "[{ from: 512, to: 1023 }]", "[{ from: 512, to: 2000 }]", "database.shards.shard2.buckets[0].to = 2000 must be between from (512) and 1023 (bucketCount 1024)" },
        { "[{ from: 512, to: 1023 }]", "[{ from: 500, to: 1023 }]", "database.shards.shard2.buckets[0] = 500-1023 overlaps buckets of shard shard1 (bucket 500); every bucket has exactly one owner" },
        { "[{ from: 512, to: 1023 }]", "[{ from: 512, to: 999 }]", "database.shards = buckets 1000-1023 have no owner; every bucket from 0 to 1023 needs exactly one shard" },
    };

    [Theory]
    [MemberData(nameof(DataRows))]
    public void AnInvalidDataTierFailsWithOneMessageNamingFileKeyValueAndRule(string from, string to, string expected)
    {
        var message = Error(ReplaceInDataTier(from, to));
        Assert.StartsWith($"{File}: ", message);
        Assert.Contains(expected, message);
        Assert.DoesNotContain("\n", message);
    }

    [Fact]
    public void DevMayRunWithoutCacheReplicasShortBackupsAndSingleAz()
    {
        var yaml = ReplaceInDataTier("replicasPerShard: 1", "replicasPerShard: 0")
            .Replace("backupRetentionDays: 7", "backupRetentionDays: 1\n  multiAz: false", StringComparison.Ordinal);
        var env = Parse(yaml, "dev");
        Assert.Equal(0, env.Config.Cache!.ReplicasPerShard);
        Assert.False(env.Config.Database!.MultiAz);
    }

    [Fact]
    public void DevMayUseOneZone()
    {
        var env = Parse(Replace("[eu-west-1a, eu-west-1b]", "[eu-west-1a]"), "dev");
        Assert.Single(env.Config.Network.AvailabilityZones);
    }

    [Fact]
    public void MalformedYamlNamesTheFileAndLine() =>
        Assert.Matches(@"^stacks/test\.yaml: is not valid YAML \(line 2, column \d+\)", Error("region: eu-west-1\nnetwork: a: b"));

    [Fact]
    public void UnterminatedYamlNamesTheFile() =>
        Assert.StartsWith("stacks/test.yaml: is not valid YAML", Error("region: [unclosed\nnetwork: {"));

    [Fact]
    public void AnOptionalKeyLeftEmptyTakesItsDefault() =>
        Assert.Null(Parse(Replace("natGateways: 1", "natGateways:")).Config.Network.NatGateways);

    [Fact]
    public void AnEmptyFileIsReported() => Assert.Equal("stacks/test.yaml: is empty", Error(""));

    [Fact]
    public void AnUnknownEnvironmentIsReported() =>
        Assert.Equal("--env: qa is not an environment; allowed: dev, staging, prod, all",
            Assert.Throws<ConfigException>(() => EnvironmentLoader.Load("qa", Synth.StacksDirectory)).Message);

    [Fact]
    public void AMissingFileIsReported()
    {
        var dir = Directory.CreateTempSubdirectory("sb-empty-").FullName;
        Assert.EndsWith("prod.yaml: does not exist", Assert.Throws<ConfigException>(() => EnvironmentLoader.Load("prod", dir)).Message);
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("staging")]
    [InlineData("prod")]
    public void TheRepositorysEnvironmentFilesAreValid(string name)
    {
        // Load throws, naming the key, when the file is invalid; the asserts show it read the repository's file.
        var path = Path.Combine(Synth.StacksDirectory, $"{name}.yaml");
        var region = System.Text.RegularExpressions.Regex.Match(System.IO.File.ReadAllText(path), @"^region: (\S+)", System.Text.RegularExpressions.RegexOptions.Multiline).Groups[1].Value;
        var env = EnvironmentLoader.Load(name, Synth.StacksDirectory);
        Assert.EndsWith($"stacks/{name}.yaml", env.File.Replace('\\', '/'));
        Assert.Equal(region, env.Config.Region);
        Assert.NotEmpty(env.Config.Services);
    }

    /// <summary><see cref="Valid"/> with a user directory, an API and a firewall, which the rows below break one way at a time.</summary>
    public const string ValidWithEdge = Valid + """

        auth:
          mfa: required
          passwordMinLength: 12
          clients:
            web: { public: true, flows: [authorization_code], callbackUrls: ["https://app.example.com/cb"] }
          domainPrefix: example-backend
        api:
          throttle: { rate: 100, burst: 200 }
          backendHost: origin.example.com
          domain: { name: api.example.com, certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/abcd-1234", names: [api.example.com, origin.example.com] }
          tiers:
            free: { rate: 5, burst: 10, quota: { limit: 1000, period: day } }
          routes:
            orders: { path: /api/orders, method: POST, service: api, scopes: [openid], tierThrottles: { free: { rate: 1, burst: 2 } } }
            stock: { path: "/api/stock/{proxy+}", method: GET, service: api, iam: true, callers: [web] }
            site: { path: "/{proxy+}", method: GET, service: web, public: true }
        firewall:
          rateLimitPerIp: 1000
          managedRules: [AWSManagedRulesCommonRuleSet, AWSManagedRulesSQLiRuleSet]
        """;

    [Fact]
    public void TheValidFileWithAnEdgeLoads()
    {
        var env = Parse(ValidWithEdge);
        Assert.Equal(Components.Security.MfaMode.Required, env.Config.Auth!.Mfa);
        Assert.Equal([Components.Security.OAuthFlow.AuthorizationCode], env.Config.Auth.Clients!["web"].Flows!);
        Assert.Equal("month", Parse(ValidWithEdge.Replace("period: day", "period: month")).Config.Api!.Tiers!["free"].Quota!.Period);
        Assert.Equal(["web"], env.Config.Api!.Routes["stock"].Callers!);
        Assert.Equal(1000, env.Config.Firewall!.RateLimitPerIp);
        Assert.Equal("origin.example.com", env.Config.Api.BackendHost);
    }

    [Fact]
    public void AServiceMayTakeTlsToItsInstances() =>
        Assert.Equal(Components.Compute.TargetProtocol.Https,
            Parse(Replace("maxCapacity: 4\n    load", "maxCapacity: 4\n    targetProtocol: https\n    load")).Config.Services["api"].TargetProtocol);

    [Fact]
    public void AServiceRoutedByTheBackendHostIsReachableThroughTheApi() =>
        Assert.NotNull(Parse(ValidWithEdge.Replace("      pathPatterns: [\"/api/*\"]\n", "      pathPatterns: [\"/api/*\"]\n      hostHeaders: [origin.example.com]\n")).Config.Api);

    public static TheoryData<string, string, string> EdgeRows => new()
    {
        { "  backendHost: origin.example.com\n", "", "api.backendHost is required when loadBalancer.certificateArn is set: API Gateway verifies the load balancer's certificate against this name" },
        { "backendHost: origin.example.com", "backendHost: https://origin", "api.backendHost = https://origin must be a DNS name such as origin.example.com" },
        { "      pathPatterns: [\"/api/*\"]\n", "      pathPatterns: [\"/api/*\"]\n      hostHeaders: [api.example.com]\n", "api.routes.orders.service = api routes only hostHeaders [api.example.com], which the API's requests (Host: origin.example.com) never match; add api.backendHost to them" },
        // shape: the binder
        { "mfa: required", "mfa: sometimes", "auth.mfa = sometimes must be one of optional, required" },
        { "flows: [authorization_code]", "flows: [implicit]", "auth.clients.web.flows[0] = implicit must be one of authorization_code, client_credentials" },
        { "scopes: [openid]", "scopes: [backend/orders.read]", "api.routes.orders.scopes[0] = backend/orders.read is not a scope of the user pool; declared: backend/internal, email, openid, profile" },
        { ", names: [api.example.com, origin.example.com]", "", "api.domain.names are required when api.domain uses the load balancer's certificate: list the names it covers, so that api.example.com and origin.example.com are both checked" },
        { "names: [api.example.com, origin.example.com]", "names: [api.example.com]", "api.domain.names = [api.example.com] do not cover api.backendHost (origin.example.com), which the load balancer serves with the same certificate" },
        { "names: [api.example.com, origin.example.com]", "names: [origin.example.com]", "api.domain.name = api.example.com is not covered by the certificate's names (origin.example.com)" },
        { "certificate/abcd-1234\n", "certificate/abcd-1234\n  certificateNames: [api.example.com]\n", "api.backendHost = origin.example.com is not covered by loadBalancer.certificateNames (api.example.com): clients verifying TLS would reject it" },
        { "  domainPrefix: example-backend\n", "", "auth.clients.web.flows = [authorization_code] need a domain (domainPrefix or customDomain): without one the pool has no token endpoint" },
        // values: the environment validator (cross references)
        { "method: POST, service: api", "method: POST, service: billing", "api.routes.orders.service = billing is not a service; declared: api, web" },
        { "path: /api/orders", "path: /orders", "api.routes.orders.path = /orders is not routed to services.api by its pathPatterns (/api/*)" },
        { "service: web, public: true }", "service: web, public: true, callers: [api] }", "api.routes.site.callers are only allowed on iam routes: other routes are not authorized by IAM" },
        { "callers: [web]", "callers: [billing]", "api.routes.stock.callers[0] = billing is not a service; declared: api, web" },
        { "callers: [web]", "callers: [web, web]", "api.routes.stock.callers[1] = web is listed twice" },
        { "firewall:\n  rateLimitPerIp: 1000\n  managedRules: [AWSManagedRulesCommonRuleSet, AWSManagedRulesSQLiRuleSet]", "", "firewall is required when api is declared: the public stage needs a web ACL (policy SB-API-002)" },
        { "certificate/abcd-1234\n", "certificate/abcd-1234\n  internetFacing: false\n", "api needs an internet-facing load balancer: the API's HTTP integration cannot reach an internal one (loadBalancer.internetFacing is false)" },
        // component rules, reported at the file's keys
        { "throttle: { rate: 100, burst: 200 }", "throttle: { rate: 100, burst: 50 }", "api.throttle.burst = 50 must be at least rate (100): a burst below the rate caps it" },
        { "tierThrottles: { free:", "tierThrottles: { gold:", "api.routes.orders.tierThrottles = gold is not a tier; declared: free" },
        { "period: day", "period: year", "api.tiers.free.quota.period = year must be one of day, week, month" },
        { "quota: { limit: 1000", "quota: { limit: 0", "api.tiers.free.quota.limit = 0 must be at least 1" },
        { "method: GET, service: web, public: true", "method: GET, service: web, public: true, schema: '{\"type\":\"object\"}'", "api.routes.site.schema validates a request body, which a GET request does not have" },
        { "passwordMinLength: 12", "passwordMinLength: 8", "auth.passwordMinLength = 8 must be between 12 and 99" },
        { "auth:\n  mfa: required\n  passwordMinLength: 12\n  clients:\n    web: { public: true, flows: [authorization_code], callbackUrls: [\"https://app.example.com/cb\"] }\n  domainPrefix: example-backend\n", "", "api.routes.orders is authorized by Cognito by default but there is no user pool: configure one, or set public or iam" },
        { "public: true, flows: [authorization_code]", "public: true, flows: [client_credentials]", "auth.clients.web.public = True must be false with client_credentials: a machine client authenticates with its secret" },
        { "certificateArn: \"arn:aws:acm:eu-west-1:123456789012:certificate/abcd-1234\", names: [api.example.com, origin.example.com]", "hostedZone: { id: Z123, name: example.org }", "api.domain.hostedZone.name = example.org must be the zone of name (api.example.com): api.example.com must equal or end with .example.org" },
        { "managedRules: [AWSManagedRulesCommonRuleSet, AWSManagedRulesSQLiRuleSet]", "managedRules: [SQLi]", "firewall.managedRules[0] = SQLi must be an AWS managed rule group such as AWSManagedRulesCommonRuleSet" },
        { "rateLimitPerIp: 1000", "rateLimitPerIp: 5", "firewall.rateLimitPerIp = 5 must be between 10 and 2000000000 requests per 5 minutes" },
    };

    [Theory]
    [MemberData(nameof(EdgeRows))]
    public void AnInvalidEdgeFailsWithOneMessageNamingFileKeyValueAndRule(string from, string to, string expected)
    {
        Assert.Contains(from, ValidWithEdge);
        var message = Error(ValidWithEdge.Replace(from, to));
        Assert.StartsWith($"{File}: ", message);
        Assert.Contains(expected, message);
        Assert.DoesNotContain("\n", message);
    }

    [Fact]
    public void TheFirewallCannotProtectAnInternalLoadBalancer() =>
        Assert.EndsWith("firewall.protectLoadBalancer = true needs an internet-facing load balancer (loadBalancer.internetFacing is false)",
            Error(Valid.Replace("certificate/abcd-1234\n", "certificate/abcd-1234\n  internetFacing: false\n") + "\nfirewall:\n  rateLimitPerIp: 1000\n  protectLoadBalancer: true\n"));

    [Fact]
    public void KeysThatBecomeTheSameNameAreAConfigErrorNotACrash()
    {
        var twins = """
              api2:
                instanceType: t3.small
                routing: { priority: 30, pathPatterns: ["/a/*"] }
                minCapacity: 1
                maxCapacity: 2
              api-2:
                instanceType: t3.small
                routing: { priority: 40, pathPatterns: ["/b/*"] }
                minCapacity: 1
                maxCapacity: 2

            """;
        var yaml = Valid.Replace("services:\n", "services:\n" + twins, StringComparison.Ordinal);
        var e = Assert.Throws<ConfigException>(() => EnvironmentLoader.Parse("dev", File, yaml));
        Assert.Equal($"{File}: services.api2 becomes the name Api2, as services.api-2 does; keys must differ in more than dashes", e.Message);
    }
}
