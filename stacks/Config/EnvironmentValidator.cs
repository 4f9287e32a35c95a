using System.Text.RegularExpressions;
using ScalableBackend.Components;
using ScalableBackend.Components.Caching;
using ScalableBackend.Components.Compute;
using ScalableBackend.Components.Data;
using ScalableBackend.Components.Networking;
using ScalableBackend.Components.Observability;

namespace ScalableBackend.Stacks.Config;

/// <summary>
/// Checks a bound <see cref="EnvironmentConfig"/> beyond its shape: the components' own range checks (mapped onto
/// file keys), cross-references, uniqueness and the rules every staging and production environment must meet.
/// </summary>
public static partial class EnvironmentValidator
{
    /// <summary>Environments that must be highly available (at least two zones).</summary>
    public static readonly IReadOnlySet<string> HighlyAvailable = new HashSet<string> { "staging", "prod" };

    /// <summary>TLS policies accepted for the HTTPS listener: TLS 1.2 or newer only.</summary>
    public static readonly IReadOnlyList<string> AllowedSslPolicies =
    [
        "ELBSecurityPolicy-TLS13-1-2-2021-06", "ELBSecurityPolicy-TLS13-1-2-Res-2021-06", "ELBSecurityPolicy-TLS13-1-3-2021-06",
        "ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06", "ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06",
        "ELBSecurityPolicy-FS-1-2-Res-2020-10", "ELBSecurityPolicy-FS-1-2-Res-2019-08", "ELBSecurityPolicy-TLS-1-2-2017-01",
        "ELBSecurityPolicy-TLS-1-2-Ext-2018-06",
    ];

    /// <summary>Validates <paramref name="config"/> of environment <paramref name="name"/> read from <paramref name="file"/>.</summary>
    /// <exception cref="ConfigException">The first problem found.</exception>
    public static void Validate(string name, string file, EnvironmentConfig config)
    {
        ConfigException Error(string path, string problem) => new(file, path, problem);

        if (!RegionPattern().IsMatch(config.Region))
            throw Error("region", $"= {config.Region} must be an AWS region such as us-east-1");
        if (config.Account is { } account && !AccountPattern().IsMatch(account))
            throw Error("account", $"= {account} must be a 12-digit AWS account id");

        Mapped(file, "network", () => Network.Validate(config.Network));
        var zones = config.Network.AvailabilityZones;
        for (var i = 0; i < zones.Count; i++)
            if (!Regex.IsMatch(zones[i], $"^{Regex.Escape(config.Region)}[a-z]$"))
                throw Error($"network.availabilityZones[{i}]", $"= {zones[i]} must be a zone of region {config.Region}, such as {config.Region}a");
        if (HighlyAvailable.Contains(name) && zones.Count < 2)
            throw Error("network.availabilityZones", $"= [{string.Join(", ", zones)}] must list at least 2 zones in {name}");

        if (!LogRetention.IsAllowed(config.Logs.RetentionDays))
            throw Error("logs.retentionDays", $"= {config.Logs.RetentionDays} must be one of {string.Join(", ", LogRetention.AllowedDays)}");

        var lb = config.LoadBalancer;
        if (lb.CertificateArn is null && lb.AllowPlainHttp != true)
            throw Error("loadBalancer.certificateArn", "is required unless the file says allowPlainHttp: true (plain HTTP is never a default)");
        if (lb.CertificateArn is { } arn && !CertificatePattern().IsMatch(arn))
            throw Error("loadBalancer.certificateArn", $"= {arn} must be an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>)");
        if (lb.SslPolicy is { } policy && !AllowedSslPolicies.Contains(policy))
            throw Error("loadBalancer.sslPolicy", $"= {policy} must be one of {string.Join(", ", AllowedSslPolicies)}");
        Mapped(file, "loadBalancer", () => ServiceLoadBalancer.Validate(lb, lb.HasCertificate));

        if (config.Services.Count == 0)
            throw Error("services", "must declare at least one service");
        var priorities = new Dictionary<int, string>();
        foreach (var (service, settings) in config.Services.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var at = $"services.{service}";
            if (!WebService.IsValidKey(service))
                throw Error(at, "is not a valid service name: lower-case letters, digits and dashes, starting with a letter (at most 40)");
            if (!InstanceTypePattern().IsMatch(settings.InstanceType))
                throw Error($"{at}.instanceType", $"= {settings.InstanceType} must be an EC2 instance type such as t3.small");
            Mapped(file, at, () => WebService.Validate(settings));
            if (priorities.TryGetValue(settings.Routing.Priority, out var other))
                throw Error($"{at}.routing.priority", $"= {settings.Routing.Priority} is already used by services.{other}; priorities must be unique");
            priorities[settings.Routing.Priority] = service;
        }

        if (config.Cache is { } cache)
        {
            Mapped(file, "cache", () => RedisCluster.Validate(cache));
            if (HighlyAvailable.Contains(name) && cache.ReplicasPerShard is < 1)
                throw Error("cache.replicasPerShard", $"= {cache.ReplicasPerShard} must be at least 1 in {name} (automatic failover to another zone)");
            CheckUsers("cache", cache.Users);
            // Each user becomes an ElastiCache user: its name must make a valid user id (and not be "default").
            Mapped(file, "cache", () => RedisCluster.ValidateUsers(DataStack.CacheUserIdPrefix(name), cache.Users));
        }

        if (config.Database is { } database)
        {
            if (!DatabaseInstanceTypePattern().IsMatch(database.InstanceType))
                throw Error("database.instanceType", $"= {database.InstanceType} must be an RDS instance class such as db.r6g.large");
            Mapped(file, "database", () => ShardedDatabase.Validate(database));
            if (HighlyAvailable.Contains(name) && (database.BackupRetentionDays ?? 7) < MinimumBackupRetentionDays)
                throw Error("database.backupRetentionDays", $"= {database.BackupRetentionDays} must be at least {MinimumBackupRetentionDays} in {name}");
            if (HighlyAvailable.Contains(name) && database.MultiAz == false)
                throw Error("database.multiAz", $"= false is not allowed in {name}: every shard needs a standby in another zone");
            CheckUsers("database", database.Users);
        }

        ValidateMessaging(file, config);
        ValidateEdge(file, config);
        ValidateObservability(name, file, config);
        ValidateNames(file, config);
        ValidateRuntime(file, config);
        ValidateDeployFacts(file, config);

        void CheckUsers(string section, IReadOnlyList<string>? users)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < (users?.Count ?? 0); i++)
            {
                var user = users![i];
                if (!config.Services.ContainsKey(user))
                    throw Error($"{section}.users[{i}]", $"= {user} is not a service; declared: {string.Join(", ", config.Services.Keys.Order(StringComparer.Ordinal))}");
                if (!seen.Add(user))
                    throw Error($"{section}.users[{i}]", $"= {user} is listed twice");
            }
        }
    }

    /// <summary>Days of database backups staging and production keep at least.</summary>
    public const int MinimumBackupRetentionDays = 7;

    /// <summary>Runs a component validator and reports its failure at the matching key of the file.</summary>
    private static void Mapped(string file, string prefix, Action validate)
    {
        try
        {
            validate();
        }
        catch (PropsValidationException e)
        {
            var key = string.Join('.', e.Path.Split('.').Select(ConfigBinder.KeyOf));
            var detail = e.Value is null ? e.Rule : $"= {PropsValidationException.Format(e.Value)} {e.Rule}";
            throw new ConfigException(file, $"{prefix}.{key}", detail);
        }
    }

    [GeneratedRegex(@"^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$")]
    private static partial Regex RegionPattern();

    [GeneratedRegex(@"^\d{12}$")]
    private static partial Regex AccountPattern();

    [GeneratedRegex(@"^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate/[0-9a-f-]+$")]
    private static partial Regex CertificatePattern();

    [GeneratedRegex(@"^[a-z][a-z0-9-]*\.[a-z0-9]+$")]
    private static partial Regex InstanceTypePattern();

    [GeneratedRegex(@"^db\.[a-z][a-z0-9-]*\.[a-z0-9]+$")]
    private static partial Regex DatabaseInstanceTypePattern();
}
