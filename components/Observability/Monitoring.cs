using System.Text.RegularExpressions;
using Amazon.CDK;
using Amazon.CDK.AWS.AutoScaling;
using Amazon.CDK.AWS.CloudWatch;
using Amazon.CDK.AWS.CloudWatch.Actions;
using Amazon.CDK.AWS.ElastiCache;
using Amazon.CDK.AWS.ElasticLoadBalancingV2;
using Amazon.CDK.AWS.Events;
using Amazon.CDK.AWS.Events.Targets;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.KMS;
using Amazon.CDK.AWS.OpenSearchService;
using Amazon.CDK.AWS.RDS;
using Amazon.CDK.AWS.SNS;
using Amazon.CDK.AWS.SNS.Subscriptions;
using Amazon.CDK.AWS.SQS;
using Constructs;
using ScalableBackend.Components.Security;
using ScalableBackend.Components.Compute;

namespace ScalableBackend.Components.Observability;

/// <summary>
/// Alarms and a dashboard for the components of one environment. An SNS alarm topic (KMS-encrypted, publishing
/// without TLS denied) with the given email and HTTPS subscriptions receives every alarm's ALARM and OK
/// transitions. Each <c>Monitor…</c> method takes the CDK objects a component already exposes, adds that
/// component's alarms (thresholds from <see cref="AlarmThresholds"/>) and one dashboard row. Alarm construct ids
/// are <c>{Kind}{Key}{Signal}</c>, from the keys the caller passes, so they stay stable.
/// <para>
/// Missing data: traffic-driven signals (5xx rate, latency, evictions, lag, dead letters) are not breaching when
/// absent — no traffic, no problem; gauges a healthy resource always reports (CPU, memory, storage, connections,
/// cluster status, queue age) keep their state when absent, so a metric gap neither pages nor clears an alarm.
/// </para>
/// </summary>
public sealed partial class Monitoring : Construct
{
    private const double GiB = 1024d * 1024 * 1024;

    /// <summary>The alarm topic (given or created).</summary>
    public ITopic AlarmTopic { get; }

    /// <summary>The key encrypting the alarm topic (given or created); null when an existing topic was given without its key.</summary>
    public IKey? TopicEncryptionKey { get; }

    /// <summary>The dashboard: one row per monitored component; null with <see cref="MonitoringProps.EnableDashboard"/> false.</summary>
    public Dashboard? Dashboard { get; }

    /// <summary>The alarms created so far, keyed by construct id.</summary>
    public IReadOnlyDictionary<string, Alarm> Alarms => _alarms;

    private readonly Dictionary<string, Alarm> _alarms = new(StringComparer.Ordinal);
    private readonly AlarmThresholds _t;
    private readonly SnsAction _action;

    /// <summary>Creates the topic, its subscriptions and the dashboard; validates <paramref name="props"/> before creating anything.</summary>
    /// <exception cref="PropsValidationException">A property is out of its allowed range.</exception>
    public Monitoring(Construct scope, string id, MonitoringProps props) : base(scope, id)
    {
        Validate(props);
        _t = props.Thresholds ?? new AlarmThresholds();

        if (props.AlarmTopic is { } existing)
        {
            if (props.AlarmEmails is { Count: > 0 } || props.AlarmHttpsEndpoints is { Count: > 0 } || props.AlarmHttpsEndpointSecrets is { Count: > 0 })
                throw new PropsValidationException(nameof(props.AlarmTopic), existing.Node.Path, "is given, so its subscribers belong to its owner: alarmEmails, alarmHttpsEndpoints and alarmHttpsEndpointSecrets must be empty");
            AlarmTopic = existing;
            TopicEncryptionKey = props.TopicEncryptionKey;
            _action = new SnsAction(existing);
        }
        else
        {
            var stack = Stack.Of(this);
            // Alarms of this account and region only (confused-deputy protection on the topic and its key).
            var alarmArns = $"arn:{stack.Partition}:cloudwatch:{stack.Region}:{stack.Account}:alarm:*";
            var fromThisAccountsAlarms = new Dictionary<string, object>
            {
                ["StringEquals"] = new Dictionary<string, object> { ["aws:SourceAccount"] = stack.Account },
                ["ArnLike"] = new Dictionary<string, object> { ["aws:SourceArn"] = alarmArns },
            };
            var key = props.TopicEncryptionKey ?? new Key(this, "TopicKey", new KeyProps
            {
                Description = $"Encrypts the alarm topic of {Node.Path}",
                EnableKeyRotation = true,
                RemovalPolicy = RemovalPolicy.RETAIN,
            });
            // CloudWatch publishes to an encrypted topic only if it may use the topic's key (a given key too, when its
            // policy is managed here; an imported key's policy must say the same).
            key.AddToResourcePolicy(new PolicyStatement(new PolicyStatementProps
            {
                Sid = "AllowCloudWatchAlarms",
                Principals = [new ServicePrincipal("cloudwatch.amazonaws.com")],
                Actions = ["kms:Decrypt", "kms:GenerateDataKey*"],
                Resources = ["*"], // a key policy's resource is always the key itself
                Conditions = fromThisAccountsAlarms,
            }));
            // EventBridge rules (the groups' failed launches and terminations, MonitorService/MonitorWorker) publish too.
            var fromThisAccountsRules = new Dictionary<string, object>
            {
                ["StringEquals"] = new Dictionary<string, object> { ["aws:SourceAccount"] = stack.Account },
                ["ArnLike"] = new Dictionary<string, object> { ["aws:SourceArn"] = $"arn:{stack.Partition}:events:{stack.Region}:{stack.Account}:rule/*" },
            };
            key.AddToResourcePolicy(new PolicyStatement(new PolicyStatementProps
            {
                Sid = "AllowEventBridgeRules",
                Principals = [new ServicePrincipal("events.amazonaws.com")],
                Actions = ["kms:Decrypt", "kms:GenerateDataKey*"],
                Resources = ["*"], // a key policy's resource is always the key itself
                Conditions = fromThisAccountsRules,
            }));
            TopicEncryptionKey = key;

            var topic = new Topic(this, "AlarmTopic", new TopicProps
            {
                DisplayName = "Backend alarms",
                MasterKey = key,
            });
            TopicTransport.DenyPublishWithoutTls(topic);
            // A topic policy replaces SNS's default policy: without this statement CloudWatch may not publish and no
            // alarm notification arrives.
            topic.AddToResourcePolicy(new PolicyStatement(new PolicyStatementProps
            {
                Sid = "AllowCloudWatchAlarmsToPublish",
                Principals = [new ServicePrincipal("cloudwatch.amazonaws.com")],
                Actions = ["sns:Publish"],
                Resources = [topic.TopicArn],
                Conditions = fromThisAccountsAlarms,
            }));
            topic.AddToResourcePolicy(new PolicyStatement(new PolicyStatementProps
            {
                Sid = "AllowEventBridgeRulesToPublish",
                Principals = [new ServicePrincipal("events.amazonaws.com")],
                Actions = ["sns:Publish"],
                Resources = [topic.TopicArn],
                Conditions = fromThisAccountsRules,
            }));
            foreach (var email in props.AlarmEmails ?? [])
                topic.AddSubscription(new EmailSubscription(email));
            foreach (var url in props.AlarmHttpsEndpoints ?? [])
                topic.AddSubscription(new UrlSubscription(url, new UrlSubscriptionProps { Protocol = SubscriptionProtocol.HTTPS }));
            // An endpoint with a key in it stays in Secrets Manager: CloudFormation resolves the dynamic reference in
            // any resource property ("Get a secret or secret value from Secrets Manager", CloudFormation user guide).
            foreach (var secretName in props.AlarmHttpsEndpointSecrets ?? [])
                _ = new Subscription(topic, $"SecretEndpoint{SecretIdPart(secretName)}", new Amazon.CDK.AWS.SNS.SubscriptionProps
                {
                    Topic = topic,
                    Protocol = SubscriptionProtocol.HTTPS,
                    Endpoint = SecretValue.SecretsManager(secretName).UnsafeUnwrap(), // {{resolve:secretsmanager:…}}, never the value
                });
            AlarmTopic = topic;
            _action = new SnsAction(topic);
        }

        if (props.EnableDashboard ?? true)
            Dashboard = new Dashboard(this, "Dashboard", new DashboardProps
            {
                DashboardName = props.DashboardName,
                DefaultInterval = Duration.Hours(3),
            });
    }

    /// <summary>
    /// The load balancer: its 5xx rate (load balancer and target 5xx responses over requests, metric math; only
    /// with at least 20 requests in 5 minutes).
    /// </summary>
    public void MonitorLoadBalancer(string key, IApplicationLoadBalancer loadBalancer)
    {
        var id = $"LoadBalancer{WebService.ToPascal(key)}";
        var period = Duration.Minutes(5);
        var rate = new MathExpression(new MathExpressionProps
        {
            Expression = "IF(requests >= 20, 100 * (FILL(elb5xx, 0) + FILL(target5xx, 0)) / requests, 0)",
            UsingMetrics = new Dictionary<string, IMetric>
            {
                ["requests"] = loadBalancer.Metrics.RequestCount(new MetricOptions { Statistic = "Sum", Period = period }),
                ["elb5xx"] = loadBalancer.Metrics.HttpCodeElb(HttpCodeElb.ELB_5XX_COUNT, new MetricOptions { Statistic = "Sum", Period = period }),
                ["target5xx"] = loadBalancer.Metrics.HttpCodeTarget(HttpCodeTarget.TARGET_5XX_COUNT, new MetricOptions { Statistic = "Sum", Period = period }),
            },
            Label = "5xx % of requests",
            Period = period,
        });
        var alarms = new[]
        {
            AddAlarm($"{id}ServerErrorRate", rate, _t.LoadBalancer5xxPercent ?? 5, ComparisonOperator.GREATER_THAN_THRESHOLD,
                TreatMissingData.NOT_BREACHING, $"Load balancer {key}: 5xx responses above {{0}}% of requests", 3, 2),
        };
        AddRow($"Load balancer {key}", alarms,
            loadBalancer.Metrics.RequestCount(new MetricOptions { Statistic = "Sum", Period = Duration.Minutes(1) }),
            loadBalancer.Metrics.TargetResponseTime(new MetricOptions { Statistic = "p99", Period = Duration.Minutes(1) }));
    }

    /// <summary>
    /// A service: its target group's p99 response time and unhealthy hosts, and its Auto Scaling group's average CPU.
    /// The target group must be attached to a load balancer.
    /// </summary>
    public void MonitorService(string key, IApplicationTargetGroup targetGroup, IAutoScalingGroup autoScalingGroup)
    {
        var id = $"Service{WebService.ToPascal(key)}";
        var alarms = new[]
        {
            AddAlarm($"{id}P99ResponseTime", targetGroup.Metrics.TargetResponseTime(new MetricOptions { Statistic = "p99", Period = Duration.Minutes(5) }),
                _t.TargetResponseTimeP99Seconds ?? 2, ComparisonOperator.GREATER_THAN_THRESHOLD, TreatMissingData.NOT_BREACHING,
                $"Service {key}: p99 response time above {{0}} s", 3, 2),
            AddAlarm($"{id}UnhealthyHosts", targetGroup.Metrics.UnhealthyHostCount(new MetricOptions { Statistic = "Maximum", Period = Duration.Minutes(1) }),
                _t.UnhealthyHosts ?? 1, ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD, TreatMissingData.NOT_BREACHING,
                $"Service {key}: {{0}} or more unhealthy targets", 5, 3),
            AddAlarm($"{id}Cpu", new Metric(new MetricProps
                {
                    Namespace = "AWS/EC2", MetricName = "CPUUtilization", Statistic = "Average", Period = Duration.Minutes(5),
                    DimensionsMap = new Dictionary<string, string> { ["AutoScalingGroupName"] = autoScalingGroup.AutoScalingGroupName },
                }),
                _t.ServiceCpuPercent ?? 80, ComparisonOperator.GREATER_THAN_THRESHOLD, TreatMissingData.MISSING,
                $"Service {key}: average CPU above {{0}}%", 3, 3),
        };
        NotifyScalingFailures(id, autoScalingGroup);
        AddRow($"Service {key}", alarms,
            targetGroup.Metrics.RequestCount(new MetricOptions { Statistic = "Sum", Period = Duration.Minutes(1) }),
            targetGroup.Metrics.HealthyHostCount(new MetricOptions { Statistic = "Minimum", Period = Duration.Minutes(1) }));
    }

    /// <summary>
    /// Sends the group's failed launches and terminations (Auto Scaling's EventBridge events "EC2 Instance Launch
    /// Unsuccessful" and "EC2 Instance Terminate Unsuccessful") to the alarm topic through a rule <c>{id}ScalingFailures</c>.
    /// Successful launches and terminations are routine scaling: they stay in the group's activity history rather than
    /// paging, which is why the group does not use Auto Scaling's own notifications for all four events (cdk-nag AS3,
    /// acknowledged on the group with that reason).
    /// </summary>
    private void NotifyScalingFailures(string id, IAutoScalingGroup autoScalingGroup)
    {
        _ = new Rule(this, $"{id}ScalingFailures", new RuleProps
        {
            Description = $"Failed launches and terminations of {autoScalingGroup.Node.Path} to the alarm topic",
            EventPattern = new EventPattern
            {
                Source = ["aws.autoscaling"],
                DetailType = ["EC2 Instance Launch Unsuccessful", "EC2 Instance Terminate Unsuccessful"],
                Detail = new Dictionary<string, object> { ["AutoScalingGroupName"] = new[] { autoScalingGroup.AutoScalingGroupName } },
            },
            Targets = [new SnsTopic(AlarmTopic)],
        });
        if (autoScalingGroup is AutoScalingGroup owned)
            PolicyAcknowledgement.Apply(owned, new PolicyAcknowledgement("AwsSolutions-AS3",
                "Failed launches and terminations reach the alarm topic through an EventBridge rule (Monitoring " +
                $"{id}ScalingFailures); successful ones are routine scaling, kept in the group's activity history instead of paging."));
    }

    /// <summary>A worker tier (no load balancer): its Auto Scaling group's average CPU.</summary>
    public void MonitorWorker(string key, IAutoScalingGroup autoScalingGroup)
    {
        var id = $"Worker{WebService.ToPascal(key)}";
        var cpu = new Metric(new MetricProps
        {
            Namespace = "AWS/EC2", MetricName = "CPUUtilization", Statistic = "Average", Period = Duration.Minutes(5),
            DimensionsMap = new Dictionary<string, string> { ["AutoScalingGroupName"] = autoScalingGroup.AutoScalingGroupName },
        });
        NotifyScalingFailures(id, autoScalingGroup);
        AddRow($"Worker {key}", [AddAlarm($"{id}Cpu", cpu, _t.ServiceCpuPercent ?? 80, ComparisonOperator.GREATER_THAN_THRESHOLD,
            TreatMissingData.MISSING, $"Worker {key}: average CPU above {{0}}%", 3, 3)]);
    }

    /// <summary>
    /// A Redis replication group: per shard, the busiest node's engine CPU, memory use (of maxmemory) and evictions,
    /// and (with replicas) the replicas' replication lag. Node ids follow ElastiCache's naming
    /// (<c>{group}-0001-001</c> in cluster mode, <c>{group}-001</c> otherwise) from the group's shard and replica counts.
    /// </summary>
    public void MonitorCache(string key, CfnReplicationGroup replicationGroup)
    {
        var id = $"Cache{WebService.ToPascal(key)}";
        var clusterMode = replicationGroup.ClusterMode == "enabled" || replicationGroup.NumNodeGroups is not null;
        var shards = clusterMode ? (int)(replicationGroup.NumNodeGroups ?? 1) : 1;
        var nodes = clusterMode ? (int)(replicationGroup.ReplicasPerNodeGroup ?? 0) + 1 : (int)(replicationGroup.NumCacheClusters ?? 1);
        var alarms = new List<Alarm>();
        var cpuByShard = new List<IMetric>();
        for (var shard = 1; shard <= shards; shard++)
        {
            var nodeIds = Enumerable.Range(1, nodes)
                .Select(n => clusterMode ? $"{replicationGroup.Ref}-{shard:D4}-{n:D3}" : $"{replicationGroup.Ref}-{n:D3}")
                .ToArray();
            var shardId = clusterMode ? $"{id}Shard{shard:D4}" : id;
            var where = clusterMode ? $"Cache {key} shard {shard:D4}" : $"Cache {key}";
            IMetric Busiest(string metric, string statistic) => MaxOver(nodeIds.Select(node => new Metric(new MetricProps
            {
                Namespace = "AWS/ElastiCache", MetricName = metric, Statistic = statistic, Period = Duration.Minutes(5),
                DimensionsMap = new Dictionary<string, string> { ["CacheClusterId"] = node },
            })).ToArray(), $"{metric} (busiest node)");

            var cpu = Busiest("EngineCPUUtilization", "Average");
            cpuByShard.Add(cpu);
            alarms.Add(AddAlarm($"{shardId}Cpu", cpu, _t.CacheCpuPercent ?? 80, ComparisonOperator.GREATER_THAN_THRESHOLD,
                TreatMissingData.MISSING, $"{where}: engine CPU above {{0}}%", 3, 3));
            alarms.Add(AddAlarm($"{shardId}Memory", Busiest("DatabaseMemoryUsagePercentage", "Maximum"), _t.CacheMemoryPercent ?? 80,
                ComparisonOperator.GREATER_THAN_THRESHOLD, TreatMissingData.MISSING, $"{where}: memory above {{0}}% of maxmemory", 3, 3));
            alarms.Add(AddAlarm($"{shardId}Evictions", Busiest("Evictions", "Sum"), _t.CacheEvictions ?? 1000,
                ComparisonOperator.GREATER_THAN_THRESHOLD, TreatMissingData.NOT_BREACHING, $"{where}: more than {{0}} evictions in 5 minutes", 3, 2));
            if (nodes > 1)
                alarms.Add(AddAlarm($"{shardId}ReplicationLag", Busiest("ReplicationLag", "Maximum"), _t.CacheReplicationLagSeconds ?? 30,
                    ComparisonOperator.GREATER_THAN_THRESHOLD, TreatMissingData.NOT_BREACHING, $"{where}: replication lag above {{0}} s", 3, 2));
        }
        AddRow($"Cache {key}", alarms.ToArray());
    }

    /// <summary>
    /// One database shard: the writer's CPU, free storage and connections, and each read replica's lag.
    /// </summary>
    public void MonitorDatabaseShard(string key, IDatabaseInstance writer, IReadOnlyList<IDatabaseInstance>? replicas = null)
    {
        var id = $"Database{WebService.ToPascal(key)}";
        var alarms = new List<Alarm>
        {
            AddAlarm($"{id}Cpu", writer.MetricCPUUtilization(new MetricOptions { Statistic = "Average", Period = Duration.Minutes(5) }),
                _t.DatabaseCpuPercent ?? 80, ComparisonOperator.GREATER_THAN_THRESHOLD, TreatMissingData.MISSING,
                $"Database shard {key}: CPU above {{0}}%", 3, 3),
            AddAlarm($"{id}FreeStorage", writer.MetricFreeStorageSpace(new MetricOptions { Statistic = "Minimum", Period = Duration.Minutes(5) }),
                (_t.DatabaseFreeStorageGiB ?? 5) * GiB, ComparisonOperator.LESS_THAN_THRESHOLD, TreatMissingData.MISSING,
                $"Database shard {key}: free storage below {_t.DatabaseFreeStorageGiB ?? 5} GiB", 1, 1),
            AddAlarm($"{id}Connections", writer.MetricDatabaseConnections(new MetricOptions { Statistic = "Maximum", Period = Duration.Minutes(5) }),
                _t.DatabaseConnections ?? 400, ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD, TreatMissingData.MISSING,
                $"Database shard {key}: {{0}} or more connections", 3, 2),
        };
        var n = 0;
        foreach (var replica in replicas ?? [])
        {
            n++;
            alarms.Add(AddAlarm($"{id}Replica{n}Lag", replica.Metric("ReplicaLag", new MetricOptions { Statistic = "Maximum", Period = Duration.Minutes(5) }),
                _t.DatabaseReplicaLagSeconds ?? 60, ComparisonOperator.GREATER_THAN_THRESHOLD, TreatMissingData.NOT_BREACHING,
                $"Database shard {key} replica {n}: lag above {{0}} s", 3, 2));
        }
        AddRow($"Database shard {key}", alarms.ToArray());
    }

    /// <summary>A queue: the age of its oldest message, and the depth of its dead-letter queue when given.</summary>
    public void MonitorQueue(string key, IQueue queue, IQueue? deadLetterQueue = null)
    {
        var id = $"Queue{WebService.ToPascal(key)}";
        var alarms = new List<Alarm>
        {
            AddAlarm($"{id}OldestMessageAge", queue.MetricApproximateAgeOfOldestMessage(new MetricOptions { Statistic = "Maximum", Period = Duration.Minutes(1) }),
                _t.QueueOldestMessageAgeSeconds ?? 300, ComparisonOperator.GREATER_THAN_THRESHOLD, TreatMissingData.MISSING,
                $"Queue {key}: oldest message older than {{0}} s", 5, 3),
        };
        if (deadLetterQueue is not null)
            alarms.Add(AddAlarm($"{id}DeadLetters", deadLetterQueue.MetricApproximateNumberOfMessagesVisible(new MetricOptions { Statistic = "Maximum", Period = Duration.Minutes(1) }),
                _t.DeadLetterMessages ?? 1, ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD, TreatMissingData.NOT_BREACHING,
                $"Queue {key}: {{0}} or more messages in the dead-letter queue", 1, 1));
        AddRow($"Queue {key}", alarms.ToArray());
    }

    /// <summary>A search domain: cluster status red and the fullest node's free storage.</summary>
    public void MonitorSearchDomain(string key, IDomain domain)
    {
        var id = $"Search{WebService.ToPascal(key)}";
        var alarms = new[]
        {
            AddAlarm($"{id}ClusterRed", domain.MetricClusterStatusRed(new MetricOptions { Statistic = "Maximum", Period = Duration.Minutes(1) }),
                1, ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD, TreatMissingData.MISSING,
                $"Search domain {key}: cluster status red (a primary shard is unassigned)", 1, 1),
            // FreeStorageSpace is reported in megabytes.
            AddAlarm($"{id}FreeStorage", domain.MetricFreeStorageSpace(new MetricOptions { Statistic = "Minimum", Period = Duration.Minutes(5) }),
                (_t.SearchFreeStorageGiB ?? 5) * 1024, ComparisonOperator.LESS_THAN_THRESHOLD, TreatMissingData.MISSING,
                $"Search domain {key}: free storage below {_t.SearchFreeStorageGiB ?? 5} GiB on a node", 1, 1),
        };
        AddRow($"Search domain {key}", alarms);
    }

    private static IMetric MaxOver(Metric[] metrics, string label)
    {
        if (metrics.Length == 1) return metrics[0];
        var names = Enumerable.Range(1, metrics.Length).Select(i => $"m{i}").ToArray();
        return new MathExpression(new MathExpressionProps
        {
            Expression = $"MAX([{string.Join(", ", names)}])",
            UsingMetrics = names.Zip(metrics).ToDictionary(p => p.First, p => (IMetric)p.Second),
            Label = label,
            Period = metrics[0].Period,
        });
    }

    private Alarm AddAlarm(string id, IMetric metric, double threshold, ComparisonOperator comparison, TreatMissingData missing,
        string description, int evaluationPeriods, int datapointsToAlarm)
    {
        if (_alarms.ContainsKey(id))
            throw new ArgumentException($"{id} is monitored already; keys must be unique per component kind", nameof(id));
        var alarm = new Alarm(this, id, new AlarmProps
        {
            Metric = metric,
            Threshold = threshold,
            ComparisonOperator = comparison,
            EvaluationPeriods = evaluationPeriods,
            DatapointsToAlarm = datapointsToAlarm,
            TreatMissingData = missing,
            AlarmDescription = string.Format(System.Globalization.CultureInfo.InvariantCulture, description, threshold),
        });
        alarm.AddAlarmAction(_action);
        alarm.AddOkAction(_action);
        _alarms[id] = alarm;
        return alarm;
    }

    private void AddRow(string title, Alarm[] alarms, params IMetric[] context)
    {
        var widgets = new List<IWidget>
        {
            new TextWidget(new TextWidgetProps { Markdown = $"### {title}", Width = 24, Height = 1 }),
        };
        widgets.AddRange(context.Select(m => (IWidget)new GraphWidget(new GraphWidgetProps { Title = $"{title}: {Label(m)}", Left = [m], Width = 6, Height = 6 })));
        widgets.AddRange(alarms.Select(a => (IWidget)new AlarmWidget(new AlarmWidgetProps { Title = a.Node.Id, Alarm = a, Width = 6, Height = 6 })));
        Dashboard?.AddWidgets(widgets.ToArray());
    }

    private static string Label(IMetric metric) => metric is Metric m ? m.MetricName : "metric";

    /// <summary>A construct id part from a secret name or ARN: its letters and digits after the last ':' (ARNs name the secret last).</summary>
    private static string SecretIdPart(string secret)
    {
        var name = secret.StartsWith("arn:", StringComparison.Ordinal) ? secret[(secret.LastIndexOf(':') + 1)..] : secret;
        return new string(name.Where(char.IsAsciiLetterOrDigit).ToArray());
    }

    /// <summary>The URL with its path segments and query replaced, so an error never repeats a key.</summary>
    private static string Redacted(Uri uri) => $"{uri.Scheme}://{uri.Host}/…";

    [GeneratedRegex("^[A-Za-z0-9]{20,}$")]
    private static partial Regex KeyLikeSegment();

    [GeneratedRegex(@"^(arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+|[A-Za-z0-9/_+=.@-]{1,512})$")]
    private static partial Regex SecretNamePattern();

    /// <summary>Checks the settings of monitoring; throws naming the property path, the value and what is allowed.</summary>
    /// <exception cref="PropsValidationException">A setting is out of its allowed range.</exception>
    public static void Validate(MonitoringSettings s)
    {
        var emails = s.AlarmEmails ?? [];
        for (var i = 0; i < emails.Count; i++)
        {
            if (!EmailPattern().IsMatch(emails[i]))
                throw new PropsValidationException($"{nameof(s.AlarmEmails)}[{i}]", emails[i], "must be an email address such as oncall@example.com");
            if (emails.Take(i).Contains(emails[i], StringComparer.OrdinalIgnoreCase))
                throw new PropsValidationException($"{nameof(s.AlarmEmails)}[{i}]", emails[i], "is listed twice");
        }
        var urls = s.AlarmHttpsEndpoints ?? [];
        for (var i = 0; i < urls.Count; i++)
        {
            if (!Uri.TryCreate(urls[i], UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
                throw new PropsValidationException($"{nameof(s.AlarmHttpsEndpoints)}[{i}]", urls[i], "must be an https:// URL");
            if (urls.Take(i).Contains(urls[i], StringComparer.Ordinal))
                throw new PropsValidationException($"{nameof(s.AlarmHttpsEndpoints)}[{i}]", urls[i], "is listed twice");
            if (uri.UserInfo.Length > 0 || uri.Query.Length > 0 || uri.Segments.Any(segment => KeyLikeSegment().IsMatch(segment.Trim('/'))))
                throw new PropsValidationException($"{nameof(s.AlarmHttpsEndpoints)}[{i}]", Redacted(uri),
                    "looks like it carries a key (user info, a query or a token-like path segment); store the URL in Secrets Manager and list the secret's name under alarmHttpsEndpointSecrets");
        }
        var secrets = s.AlarmHttpsEndpointSecrets ?? [];
        for (var i = 0; i < secrets.Count; i++)
        {
            if (!SecretNamePattern().IsMatch(secrets[i]))
                throw new PropsValidationException($"{nameof(s.AlarmHttpsEndpointSecrets)}[{i}]", secrets[i], "must be a Secrets Manager secret name (1-512 letters, digits and /_+=.@-) or ARN");
            if (secrets.Take(i).Any(other => SecretIdPart(other) == SecretIdPart(secrets[i])))
                throw new PropsValidationException($"{nameof(s.AlarmHttpsEndpointSecrets)}[{i}]", secrets[i], "is listed twice");
        }
        if (s.Thresholds is not { } t) return;
        const string p = nameof(s.Thresholds);
        Percent(nameof(t.LoadBalancer5xxPercent), t.LoadBalancer5xxPercent);
        Percent(nameof(t.ServiceCpuPercent), t.ServiceCpuPercent);
        Percent(nameof(t.CacheCpuPercent), t.CacheCpuPercent);
        Percent(nameof(t.CacheMemoryPercent), t.CacheMemoryPercent);
        Percent(nameof(t.DatabaseCpuPercent), t.DatabaseCpuPercent);
        Positive(nameof(t.TargetResponseTimeP99Seconds), t.TargetResponseTimeP99Seconds);
        Positive(nameof(t.CacheEvictions), t.CacheEvictions);
        Positive(nameof(t.CacheReplicationLagSeconds), t.CacheReplicationLagSeconds);
        Positive(nameof(t.DatabaseFreeStorageGiB), t.DatabaseFreeStorageGiB);
        Positive(nameof(t.DatabaseReplicaLagSeconds), t.DatabaseReplicaLagSeconds);
        Positive(nameof(t.QueueOldestMessageAgeSeconds), t.QueueOldestMessageAgeSeconds);
        Positive(nameof(t.SearchFreeStorageGiB), t.SearchFreeStorageGiB);
        AtLeastOne(nameof(t.UnhealthyHosts), t.UnhealthyHosts);
        AtLeastOne(nameof(t.DatabaseConnections), t.DatabaseConnections);
        AtLeastOne(nameof(t.DeadLetterMessages), t.DeadLetterMessages);

        static void Percent(string name, double? value)
        {
            if (value is { } v && (v <= 0 || v > 100))
                throw new PropsValidationException($"{p}.{name}", v, "must be greater than 0 and at most 100");
        }
        static void Positive(string name, double? value)
        {
            if (value is { } v && v <= 0)
                throw new PropsValidationException($"{p}.{name}", v, "must be greater than 0");
        }
        static void AtLeastOne(string name, double? value)
        {
            if (value is { } v && (v < 1 || v != Math.Floor(v)))
                throw new PropsValidationException($"{p}.{name}", v, "must be a whole number, at least 1");
        }
    }

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex EmailPattern();
}
