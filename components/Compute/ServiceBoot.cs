using Amazon.CDK;
using Amazon.CDK.AWS.AutoScaling;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Logs;
using Constructs;
using ScalableBackend.Components.Security;

namespace ScalableBackend.Components.Compute;

/// <summary>What a tier runs and where it writes: the inputs <see cref="ServiceBoot"/> takes from a tier's props.</summary>
/// <param name="Container">The container, or null.</param>
/// <param name="CustomBootScript">A team's own boot script, or null.</param>
/// <param name="ExtraEnvironment">Environment variables the stack adds (relationships: queue URLs, secret ARNs, …), values may be tokens.</param>
/// <param name="LogGroup">Where the container's output goes, or null.</param>
internal sealed record BootInputs(ContainerSettings? Container, string? CustomBootScript, IReadOnlyDictionary<string, string>? ExtraEnvironment, ILogGroup? LogGroup)
{
    public bool Runs => Container is not null || CustomBootScript is not null;
}

/// <summary>
/// Wires a tier's boot: the rendered <see cref="BootScript"/> into the launch template's user data (run last, after
/// anything the stack adds, through the user data's exit trap), the grants it needs in a policy of its own (signal
/// its stack; pull from exactly its ECR repository; read exactly its declared secrets; describe target health), and
/// the group's creation and rolling-update policies that wait for the signals.
/// </summary>
internal static class ServiceBoot
{
    /// <summary>What install, boot and image pull may take beyond the group's grace period and warmup.</summary>
    public static readonly int BootAllowanceSeconds = 600;

    /// <summary>The group's signal timeout and rolling-update pause: grace + warmup + <see cref="BootAllowanceSeconds"/>.</summary>
    public static Duration SignalTimeout(Duration grace, Duration warmup) =>
        Duration.Seconds(grace.ToSeconds() + warmup.ToSeconds() + BootAllowanceSeconds);

    /// <summary>The processes a rolling update suspends so they cannot fight it (AWS: UpdatePolicy attribute, AutoScalingRollingUpdate).</summary>
    public static readonly ScalingProcess[] SuspendedDuringUpdate =
        [ScalingProcess.HEALTH_CHECK, ScalingProcess.REPLACE_UNHEALTHY, ScalingProcess.AZ_REBALANCE, ScalingProcess.ALARM_NOTIFICATION, ScalingProcess.SCHEDULED_ACTIONS];

    /// <summary>The group's rolling update: one instance at a time, every new one must signal success.</summary>
    public static UpdatePolicy RollingUpdate(int minCapacity, int maxCapacity, Duration? timeout) => UpdatePolicy.RollingUpdate(new RollingUpdateOptions
    {
        MaxBatchSize = 1,
        MinInstancesInService = Math.Max(0, Math.Min(minCapacity, maxCapacity - 1)),
        WaitOnResourceSignals = timeout is not null,
        PauseTime = timeout,
        MinSuccessPercentage = timeout is not null ? 100 : null,
        SuspendProcesses = timeout is not null ? SuspendedDuringUpdate : null,
    });

    /// <summary>The creation signals: as many as the group starts with; none when it starts empty.</summary>
    public static Signals? CreationSignals(int minCapacity, int? desiredCapacity, Duration timeout) =>
        (desiredCapacity ?? minCapacity) is var count and > 0
            ? Signals.WaitForCount(count, new SignalsOptions { Timeout = timeout, MinSuccessPercentage = 100 })
            : null;

    /// <summary>Adds the boot script, its grants and its acknowledgements; returns the image reference (or null).</summary>
    public static void Apply(Construct scope, BootMode mode, BootInputs inputs, AutoScalingGroup group, LaunchTemplate launchTemplate,
        IRole role, string? targetGroupArn, Duration grace)
    {
        if (!inputs.Runs)
            return;
        var stack = Stack.Of(scope);
        var statements = new List<PolicyStatement>
        {
            new(new PolicyStatementProps
            {
                Sid = "SignalItsStack",
                Actions = ["cloudformation:SignalResource"],
                Resources = [$"arn:{stack.Partition}:cloudformation:{stack.Region}:{stack.Account}:stack/{stack.StackName}/*"],
            }),
        };
        var wildcardReasons = new List<string>();
        if (mode == BootMode.Service)
        {
            statements.Add(new PolicyStatement(new PolicyStatementProps
            {
                Sid = "ReadTargetHealth",
                Actions = ["elasticloadbalancing:DescribeTargetHealth"],
                Resources = ["*"],
            }));
            wildcardReasons.Add("elasticloadbalancing:DescribeTargetHealth has no resource-level permissions (Service Authorization Reference, Elastic Load Balancing V2); the boot script reads only its own target's health");
        }

        string? image = null;
        string? registry = null;
        var container = inputs.Container;
        if (container is not null)
        {
            ContainerSettings.Validate(container);
            var reference = ContainerImageReference.Parse(container.Image, "Container.Image");
            if (reference.IsEcr)
            {
                var (account, region) = reference.EcrAccountAndRegion ?? (stack.Account, stack.Region);
                registry = reference.Registry ?? $"{account}.dkr.ecr.{region}.{stack.UrlSuffix}";
                statements.Add(new PolicyStatement(new PolicyStatementProps
                {
                    Sid = "PullItsImage",
                    Actions = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"],
                    Resources = [$"arn:{stack.Partition}:ecr:{region}:{account}:repository/{reference.Repository}"],
                }));
                statements.Add(new PolicyStatement(new PolicyStatementProps
                {
                    Sid = "SignInToEcr",
                    Actions = ["ecr:GetAuthorizationToken"],
                    Resources = ["*"],
                }));
                wildcardReasons.Add("ecr:GetAuthorizationToken has no resource-level permissions (Amazon ECR private registry authentication); pulls are limited to the one repository above");
            }
            image = $"{registry ?? reference.Registry}/{reference.Pinned}";
            foreach (var (_, secret) in (container.Secrets ?? new Dictionary<string, ContainerSecret>()).OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                if (secret.SecretsManager is { } id)
                    statements.Add(Statement("secretsmanager:GetSecretValue", SecretArn(stack, id)));
                else
                    statements.Add(Statement("ssm:GetParameter", ParameterArn(stack, secret.SsmParameter!)));
            }
        }
        if (inputs.LogGroup is { } logGroup)
        {
            logGroup.GrantWrite(role);
            PolicyAcknowledgement.ApplyToGrants(role, new PolicyAcknowledgement(
                @"AwsSolutions-IAM5[/^Resource::arn:<AWS::Partition>:logs:.*:log-group:.*:\*$/]",
                "The container's log driver writes the streams of exactly the service's log group (a stream's ARN is " +
                "log-group:<name>:log-stream:<stream>, and each instance names its own stream)."));
        }

        var policy = new Policy(scope, "BootPolicy", new PolicyProps { Statements = statements.ToArray(), Roles = [role] });
        PolicyAcknowledgement.Apply(policy, new PolicyAcknowledgement(
            @"AwsSolutions-IAM5[/^Resource::arn:<AWS::Partition>:cloudformation:.*:stack\/.*\/\*$/]",
            "cloudformation:SignalResource on this stack only: a stack's ARN ends in an id CloudFormation assigns at " +
            "creation, so the ARN names the stack and leaves the id open."));
        if (wildcardReasons.Count > 0)
        {
            var reason = string.Join("; ", wildcardReasons);
            PolicyAcknowledgement.Apply(policy, PolicyAcknowledgement.ForRules(reason, "SB-IAM-002", "AwsSolutions-IAM5[Resource::*]"));
        }

        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in container?.Environment ?? new Dictionary<string, string>()) environment[k] = v;
        foreach (var (k, v) in inputs.ExtraEnvironment ?? new Dictionary<string, string>()) environment[k] = v;
        var script = BootScript.Render(new BootScriptSpec
        {
            Mode = mode,
            Region = stack.Region,
            StackName = stack.StackName,
            ResourceLogicalId = stack.GetLogicalId((CfnElement)group.Node.DefaultChild!),
            Image = image,
            EcrRegistry = registry,
            Command = container?.Command ?? [],
            Environment = environment,
            Secrets = container?.Secrets ?? new Dictionary<string, ContainerSecret>(),
            LogGroupName = inputs.LogGroup?.LogGroupName,
            TargetGroupArn = targetGroupArn,
            HealthTimeoutSeconds = (int)grace.ToSeconds(),
            StartupCheckSeconds = (int)(container?.StartupCheck?.ToSeconds() ?? 30),
            CustomScript = container is null ? inputs.CustomBootScript : null,
        });
        var userData = launchTemplate.UserData ?? throw new InvalidOperationException("the launch template has no user data");
        userData.AddCommands(
            "mkdir -p /opt/scalable-backend",
            $"cat > {BootScript.InstallPath} <<'SB_BOOT_SCRIPT'\n{script.TrimEnd('\n')}\nSB_BOOT_SCRIPT",
            $"chmod 700 {BootScript.InstallPath}");
        // Last: after whatever the stack adds (the CloudWatch agent), so the signal says the whole boot worked.
        userData.AddOnExitCommands($"bash {BootScript.InstallPath}");
        // The instances must not launch before the grants their boot reads exist.
        ((CfnResource)launchTemplate.Node.DefaultChild!).AddDependency((CfnResource)policy.Node.DefaultChild!);
    }

    private static PolicyStatement Statement(string action, string resource) =>
        new(new PolicyStatementProps { Actions = [action], Resources = [resource] });

    /// <summary>The ARN a secret name or ARN grants: a name matches its ARN with Secrets Manager's six-character suffix.</summary>
    public static string SecretArn(Stack stack, string nameOrArn) =>
        nameOrArn.StartsWith("arn:", StringComparison.Ordinal)
            ? nameOrArn
            : $"arn:{stack.Partition}:secretsmanager:{stack.Region}:{stack.Account}:secret:{nameOrArn}-??????";

    /// <summary>The ARN of an SSM parameter by name.</summary>
    public static string ParameterArn(Stack stack, string name) =>
        name.StartsWith("arn:", StringComparison.Ordinal)
            ? name
            : $"arn:{stack.Partition}:ssm:{stack.Region}:{stack.Account}:parameter/{name.TrimStart('/')}";
}
