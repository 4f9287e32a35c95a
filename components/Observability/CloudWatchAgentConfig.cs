using Amazon.CDK;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Logs;
using Amazon.CDK.AWS.SSM;
using Constructs;
using ScalableBackend.Components.Security;

namespace ScalableBackend.Components.Observability;

/// <summary>
/// The CloudWatch agent setup of one service's instances: the service's log group (retention and KMS), the agent's
/// JSON configuration in an SSM parameter — application log files into that log group, memory and root-disk
/// metrics per Auto Scaling group, and the agent's X-Ray receiver — the boot commands that install the agent and
/// apply the parameter, and <see cref="Grant"/>, the least privileges the agent needs. The caller adds
/// <see cref="BootCommands"/> to its user data (<see cref="AddToUserData"/>) and grants its instance role, or lets
/// <see cref="Install"/> do both and order the launch template after the grant.
/// </summary>
public sealed class CloudWatchAgentConfig : Construct
{
    /// <summary>The address the agent's X-Ray receiver listens on (UDP and TCP), the SDKs' default.</summary>
    public const string XRayAddress = "127.0.0.1:2000";

    /// <summary>The service's log group: application logs from the files, one stream per instance.</summary>
    public LogGroup LogGroup { get; }

    /// <summary>The SSM parameter holding the agent configuration (JSON).</summary>
    public StringParameter Parameter { get; }

    /// <summary>Shell commands to run at boot: install the agent, fetch the configuration from <see cref="Parameter"/>, start it.</summary>
    public IReadOnlyList<string> BootCommands { get; }

    /// <summary>The address the agent's StatsD listener takes metrics on (UDP), unless StatsD is off.</summary>
    public const string StatsdAddress = "127.0.0.1:8125";

    /// <summary>The metrics namespace the agent publishes to (its own metrics and StatsD's).</summary>
    public string MetricsNamespace { get; }

    /// <summary>Every namespace the instances may publish into: <see cref="MetricsNamespace"/> and the application's namespaces, in order.</summary>
    public IReadOnlyList<string> PublishedNamespaces { get; }

    /// <summary>The policy with the agent's permissions; null until <see cref="Grant"/> is first called with a role.</summary>
    public Policy? Policy { get; private set; }

    private readonly PolicyStatement[] _statements;
    private readonly bool _tracing;

    /// <summary>Creates the log group and the parameter; validates <paramref name="props"/> before creating anything.</summary>
    /// <exception cref="PropsValidationException">A property is out of its allowed range.</exception>
    public CloudWatchAgentConfig(Construct scope, string id, CloudWatchAgentConfigProps props) : base(scope, id)
    {
        Validate(props);
        if (props.ParameterName is { } p && !Token.IsUnresolved(p) && !p.StartsWith('/'))
            throw new PropsValidationException(nameof(props.ParameterName), p, "must start with /");
        MetricsNamespace = props.MetricsNamespace ?? "CWAgent";
        foreach (var ns in props.ApplicationMetricNamespaces ?? [])
            if (string.IsNullOrWhiteSpace(ns) || ns.StartsWith("AWS/", StringComparison.Ordinal) || ns.Length > 255)
                throw new PropsValidationException(nameof(props.ApplicationMetricNamespaces), ns, "must be 1 to 255 characters and not start with AWS/");
        PublishedNamespaces = new[] { MetricsNamespace }.Concat(props.ApplicationMetricNamespaces ?? []).Distinct(StringComparer.Ordinal).ToArray();
        var tracing = _tracing = props.EnableTracing ?? true;

        LogGroup = EncryptedLogGroup.Create(this, "LogGroup", new EncryptedLogGroupProps
        {
            EncryptionKey = props.LogEncryptionKey,
            Retention = props.LogRetention,
            LogGroupName = props.LogGroupName,
        });

        var configuration = new Dictionary<string, object>
        {
            ["agent"] = new Dictionary<string, object>
            {
                ["metrics_collection_interval"] = props.MetricsIntervalSeconds ?? 60,
                ["logfile"] = "/opt/aws/amazon-cloudwatch-agent/logs/amazon-cloudwatch-agent.log",
            },
            ["logs"] = new Dictionary<string, object>
            {
                ["logs_collected"] = new Dictionary<string, object>
                {
                    ["files"] = new Dictionary<string, object>
                    {
                        ["collect_list"] = (props.LogFiles ?? ["/var/log/app/*.log"]).Select(file => (object)new Dictionary<string, object>
                        {
                            ["file_path"] = file,
                            ["log_group_name"] = LogGroup.LogGroupName,
                            ["log_stream_name"] = "{instance_id}",
                        }).ToArray(),
                    },
                },
            },
            ["metrics"] = new Dictionary<string, object>
            {
                ["namespace"] = MetricsNamespace,
                ["append_dimensions"] = new Dictionary<string, object>
                {
                    ["AutoScalingGroupName"] = "${aws:AutoScalingGroupName}",
                    ["InstanceId"] = "${aws:InstanceId}",
                },
                ["aggregation_dimensions"] = new object[] { new object[] { "AutoScalingGroupName" } },
                ["metrics_collected"] = MetricsCollected(props.EnableStatsd ?? true),
            },
        };
        if (tracing)
        {
            configuration["traces"] = new Dictionary<string, object>
            {
                ["traces_collected"] = new Dictionary<string, object>
                {
                    ["xray"] = new Dictionary<string, object>
                    {
                        ["bind_address"] = XRayAddress,
                        ["tcp_proxy"] = new Dictionary<string, object> { ["bind_address"] = XRayAddress },
                    },
                },
            };
        }

        Parameter = new StringParameter(this, "Parameter", new StringParameterProps
        {
            ParameterName = props.ParameterName,
            Description = $"CloudWatch agent configuration of the {props.ServiceName} instances",
            StringValue = Stack.Of(this).ToJsonString(configuration),
            Tier = ParameterTier.STANDARD,
        });

        // User data runs once: a transient failure (the package mirror, or the instance role's agent policy not yet
        // attached when the first instances boot) would leave the instance without its agent for good, so both steps
        // retry for up to five minutes.
        BootCommands =
        [
            Retrying("dnf install -y amazon-cloudwatch-agent || yum install -y amazon-cloudwatch-agent", "install"),
            Retrying($"/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -c ssm:{Parameter.ParameterName} -s", "fetch-config"),
        ];

        var statements = new List<PolicyStatement>
        {
            new(new PolicyStatementProps
            {
                Sid = "ReadAgentConfiguration",
                Actions = ["ssm:GetParameter"],
                Resources = [Parameter.ParameterArn],
            }),
            new(new PolicyStatementProps
            {
                Sid = "ShipApplicationLogs",
                Actions = ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                Resources = [LogGroup.LogGroupArn],
            }),
            // cloudwatch:PutMetricData and ec2:DescribeTags support no resource-level permissions: Resource "*" is the
            // only form AWS accepts; the metric namespaces are pinned by condition instead.
            new(new PolicyStatementProps
            {
                Sid = "PublishAgentMetrics",
                Actions = ["cloudwatch:PutMetricData"],
                Resources = ["*"],
                Conditions = new Dictionary<string, object>
                {
                    ["StringEquals"] = new Dictionary<string, object>
                    {
                        ["cloudwatch:namespace"] = PublishedNamespaces.Count == 1 ? PublishedNamespaces[0] : PublishedNamespaces.ToArray(),
                    },
                },
            }),
            new(new PolicyStatementProps
            {
                Sid = "ReadInstanceTagsForDimensions",
                Actions = ["ec2:DescribeTags"],
                Resources = ["*"],
            }),
        };
        if (tracing)
        {
            // X-Ray has no resource-level permissions for these actions (AWSXRayDaemonWriteAccess uses "*" too).
            statements.Add(new PolicyStatement(new PolicyStatementProps
            {
                Sid = "SendTraces",
                Actions = ["xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets", "xray:GetSamplingStatisticSummaries"],
                Resources = ["*"],
            }));
        }
        _statements = statements.ToArray();
    }

    /// <summary>Appends <see cref="BootCommands"/> to <paramref name="userData"/>.</summary>
    public void AddToUserData(UserData userData) => userData.AddCommands(BootCommands.ToArray());

    /// <summary>
    /// Sets the agent up on the instances of <paramref name="launchTemplate"/>: appends <see cref="BootCommands"/> to
    /// its user data (which references <see cref="Parameter"/>), grants its role (<see cref="Grant"/>) and makes the
    /// launch template depend on <see cref="Policy"/>, so no instance boots before it may read its configuration.
    /// </summary>
    /// <exception cref="ArgumentException">The launch template has no role or no user data.</exception>
    public void Install(LaunchTemplate launchTemplate)
    {
        var role = launchTemplate.Role ?? throw new ArgumentException("needs a launch template with a role", nameof(launchTemplate));
        var userData = launchTemplate.UserData ?? throw new ArgumentException("needs a launch template with user data", nameof(launchTemplate));
        AddToUserData(userData);
        Grant(role);
        // The user data names the parameter (a Ref), which already orders it first; an explicit DependsOn would repeat
        // it (validator W3005). The policy is referenced by nothing in the launch template, so it needs one.
        if (Policy is not null) launchTemplate.Node.AddDependency(Policy);
    }

    /// <summary>A shell command retried every 10 seconds, at most 30 times, until it succeeds.</summary>
    private static string Retrying(string command, string step) =>
        $"for attempt in $(seq 1 30); do {command} && break; echo \"cloudwatch agent {step}: attempt $attempt failed\" >&2; sleep 10; done";

    /// <summary>
    /// Grants the agent's permissions to <paramref name="grantee"/>: <c>ssm:GetParameter</c> on exactly
    /// <see cref="Parameter"/>, log stream writes on exactly <see cref="LogGroup"/>, <c>cloudwatch:PutMetricData</c>
    /// limited to <see cref="MetricsNamespace"/>, <c>ec2:DescribeTags</c>, and (with tracing) the X-Ray daemon's write
    /// and sampling actions. A role gets them through this construct's own <see cref="Policy"/>.
    /// </summary>
    public void Grant(IGrantable grantee)
    {
        if (grantee.GrantPrincipal is IRole role)
        {
            if (Policy is null)
            {
                Policy = new Policy(this, "Policy", new PolicyProps { Statements = _statements });
                PolicyAcknowledgement.Apply(Policy, PolicyAcknowledgement.ForRules(
                    "cloudwatch:PutMetricData (pinned to the declared namespaces by condition), ec2:DescribeTags"
                    + (_tracing ? " and the X-Ray write and sampling actions" : "")
                    + " support no resource-level permissions; every other statement names its resource.",
                    "SB-IAM-002", "AwsSolutions-IAM5[Resource::*]"));
            }
            Policy.AttachToRole(role);
            return;
        }
        foreach (var statement in _statements)
            grantee.GrantPrincipal.AddToPrincipalPolicy(statement);
    }

    private static Dictionary<string, object> MetricsCollected(bool statsd)
    {
        var collected = new Dictionary<string, object>
        {
            ["mem"] = new Dictionary<string, object> { ["measurement"] = new object[] { "mem_used_percent" } },
            ["disk"] = new Dictionary<string, object>
            {
                ["measurement"] = new object[] { "used_percent" },
                ["resources"] = new object[] { "/" },
            },
        };
        if (statsd)
            collected["statsd"] = new Dictionary<string, object> { ["service_address"] = StatsdAddress, ["metrics_aggregation_interval"] = 60 };
        return collected;
    }

    /// <summary>The namespaces other than <c>AWS/…</c> that <paramref name="scaling"/>'s custom-metric and step triggers read, in order.</summary>
    public static IReadOnlyList<string> NamespacesReadBy(Compute.ServiceScaling? scaling) =>
        (scaling?.CustomMetrics?.Values.Select(t => t.Metric) ?? [])
            .Concat(scaling?.StepScaling?.Values.Select(t => t.Metric) ?? [])
            .Select(m => m.Namespace)
            .Where(ns => !ns.StartsWith("AWS/", StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();

    /// <summary>
    /// Checks that every metric <paramref name="scaling"/>'s triggers read can be published: an <c>AWS/…</c> metric
    /// (AWS publishes it) or one in <paramref name="publishedNamespaces"/> (the instances may publish it, see
    /// <see cref="PublishedNamespaces"/>). A trigger on a namespace nothing publishes would hold its alarm at
    /// INSUFFICIENT_DATA forever and never scale.
    /// </summary>
    /// <exception cref="PropsValidationException">A trigger reads a namespace nothing can publish; the path names the trigger.</exception>
    public static void ValidateScalingMetrics(Compute.ServiceScaling? scaling, IReadOnlyCollection<string> publishedNamespaces, string path = "Scaling")
    {
        var triggers = (scaling?.CustomMetrics ?? new Dictionary<string, Compute.CustomMetricTarget>()).OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => ($"{path}.{nameof(scaling.CustomMetrics)}.{kv.Key}", kv.Value.Metric))
            .Concat((scaling?.StepScaling ?? new Dictionary<string, Compute.StepScalingTrigger>()).OrderBy(kv => kv.Key, StringComparer.Ordinal)
                .Select(kv => ($"{path}.{nameof(scaling.StepScaling)}.{kv.Key}", kv.Value.Metric)));
        foreach (var (at, metric) in triggers)
            if (!metric.Namespace.StartsWith("AWS/", StringComparison.Ordinal) && !publishedNamespaces.Contains(metric.Namespace))
                throw new PropsValidationException($"{at}.Metric.{nameof(metric.Namespace)}", metric.Namespace,
                    $"is published by nothing: the instances may publish only {string.Join(", ", publishedNamespaces)}; declare it among the agent's application metric namespaces");
    }

    /// <summary>Checks the settings of an agent configuration; throws naming the property, the value and what is allowed.</summary>
    /// <exception cref="PropsValidationException">A setting is out of its allowed range.</exception>
    public static void Validate(CloudWatchAgentSettings s)
    {
        if (s.LogFiles is { } files)
        {
            if (files.Count == 0)
                throw new PropsValidationException(nameof(s.LogFiles), null, "must list at least one file when given");
            foreach (var file in files)
                if (!file.StartsWith('/'))
                    throw new PropsValidationException(nameof(s.LogFiles), file, "must be absolute paths such as /var/log/app/*.log");
        }
        if (s.MetricsNamespace is { } ns && (string.IsNullOrWhiteSpace(ns) || ns.StartsWith("AWS/", StringComparison.Ordinal) || ns.Length > 255))
            throw new PropsValidationException(nameof(s.MetricsNamespace), ns, "must be 1 to 255 characters and not start with AWS/");
        if (s.MetricsIntervalSeconds is { } interval && interval is not (10 or 30) && (interval < 60 || interval % 60 != 0))
            throw new PropsValidationException(nameof(s.MetricsIntervalSeconds), interval, "must be 10, 30 or a multiple of 60");
    }
}
