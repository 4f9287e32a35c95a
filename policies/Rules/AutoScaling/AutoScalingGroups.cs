using System.Text.Json.Nodes;

namespace ScalableBackend.Policies.Rules.AutoScaling;

/// <summary>Shared lookups for Auto Scaling group rules.</summary>
internal static class AutoScalingGroups
{
    public const string Group = "AWS::AutoScaling::AutoScalingGroup";

    /// <summary>The launch template or launch configuration the group starts instances from, when in the template.</summary>
    public static TemplateResource? LaunchSource(TemplateResource group, ResourceGraph graph)
    {
        JsonNode? spec = group["LaunchTemplate"] ?? Values.At(group.Properties, "MixedInstancesPolicy.LaunchTemplate.LaunchTemplateSpecification");
        return graph.Resolve(Values.At(spec, "LaunchTemplateId"))
            ?? graph.Resolve(Values.At(spec, "LaunchTemplateName"))
            ?? graph.Resolve(group["LaunchConfigurationName"]);
    }
}

/// <summary>
/// SB-ASG-001. A group whose MaxSize does not exceed MinSize (literals or parameter defaults) is a fixed-size,
/// self-healing fleet: reported once, as such. Otherwise an AWS::AutoScaling::ScalingPolicy or ScheduledAction
/// (in any template of the set) must name the group in AutoScalingGroupName.
/// </summary>
internal sealed class CanScale : IPolicyRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "SB-ASG-001", Severity.Warning,
        "Auto Scaling groups can scale",
        "A group with MaxSize = MinSize or no scaling policy never adds capacity: load beyond the fixed size turns into latency and errors. A fixed-size fleet still replaces unhealthy instances, so this is a capacity warning, not a deploy blocker.",
        "Set MaxSize above MinSize and attach a target-tracking AWS::AutoScaling::ScalingPolicy (or scheduled actions) to the group; keep MinSize = MaxSize only for fleets that are meant to be fixed.",
        Source: "https://docs.aws.amazon.com/autoscaling/ec2/userguide/as-scaling-target-tracking.html");

    public IReadOnlyList<string> ResourceTypes { get; } = [AutoScalingGroups.Group];

    public IEnumerable<string> Check(TemplateResource r, RuleContext context)
    {
        if (Values.AsInteger(context.Resolve(r["MinSize"])) is { } min && Values.AsInteger(context.Resolve(r["MaxSize"])) is { } max && max <= min)
        {
            yield return $"MaxSize {max}{context.ByDefault(r["MaxSize"])} is not greater than MinSize {min}{context.ByDefault(r["MinSize"])}: a fixed-size fleet that never adds capacity";
            yield break;
        }

        var scalers = context.Graph.Referrers(r, "AWS::AutoScaling::ScalingPolicy", "AutoScalingGroupName")
            .Concat(context.Graph.Referrers(r, "AWS::AutoScaling::ScheduledAction", "AutoScalingGroupName"));
        if (!scalers.Any())
        {
            yield return "no scaling policy or scheduled action refers to the group";
        }
    }
}

/// <summary>
/// SB-ASG-002. Counts VPCZoneIdentifier subnets, else AvailabilityZones. A list that is itself an intrinsic
/// (a list parameter, Fn::GetAZs, Fn::Split) passes; items that are intrinsics count as one each.
/// </summary>
internal sealed class SpansZones : IPolicyRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "SB-ASG-002", Severity.Error,
        "Auto Scaling groups span at least two availability zones",
        "A group in one zone goes down with that zone, and the group cannot rebalance capacity to a healthy one.",
        "Give VPCZoneIdentifier subnets in at least two availability zones.",
        Source: "https://docs.aws.amazon.com/securityhub/latest/userguide/autoscaling-controls.html#autoscaling-2");

    public IReadOnlyList<string> ResourceTypes { get; } = [AutoScalingGroups.Group];

    public IEnumerable<string> Check(TemplateResource r, RuleContext context)
    {
        var (property, value) = r["VPCZoneIdentifier"] is { } subnets ? ("VPCZoneIdentifier", subnets) : ("AvailabilityZones", r["AvailabilityZones"]);
        if (value is null || Values.AsList(value) is not { } items)
        {
            yield break;
        }

        if (items.Count < 2)
        {
            yield return $"{property} has {items.Count} entr{(items.Count == 1 ? "y" : "ies")}";
        }
    }
}

/// <summary>SB-ASG-003. Applies when TargetGroupARNs or LoadBalancerNames is non-empty; intrinsic types pass.</summary>
internal sealed class ElbHealthCheck : IPolicyRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "SB-ASG-003", Severity.Warning,
        "Auto Scaling groups behind a load balancer use its health check",
        "With the default EC2 health check, an instance whose application is broken but whose VM is running stays in the group and is never replaced (the load balancer stops routing to it, so capacity shrinks). AWS Security Hub AutoScaling.1 rates this low.",
        "Set HealthCheckType: ELB and a HealthCheckGracePeriod that covers start-up.",
        Source: "https://docs.aws.amazon.com/securityhub/latest/userguide/autoscaling-controls.html#autoscaling-1");

    public IReadOnlyList<string> ResourceTypes { get; } = [AutoScalingGroups.Group];

    public IEnumerable<string> Check(TemplateResource r, RuleContext context)
    {
        var behindLoadBalancer = r["TargetGroupARNs"] is { } tgs && (Values.AsList(tgs)?.Count ?? 1) > 0
            || r["LoadBalancerNames"] is { } lbs && (Values.AsList(lbs)?.Count ?? 1) > 0;
        var type = r["HealthCheckType"];
        if (behindLoadBalancer && !Values.IsIntrinsic(type) && !Values.IsString(type, "ELB"))
        {
            yield return $"HealthCheckType {(type is null ? "is missing (EC2)" : RuleText.Describe(type))} although the group is behind a load balancer";
        }
    }
}

/// <summary>
/// SB-ASG-004. Follows the group to its launch template (AssociatePublicIpAddress on a network interface) or
/// launch configuration (AssociatePublicIpAddress), and to its subnets: a subnet in the template with
/// MapPublicIpOnLaunch: true gives public addresses unless the launch template says otherwise.
/// </summary>
internal sealed class NoPublicIp : IPolicyRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "SB-ASG-004", Severity.Error,
        "Auto Scaling instances get no public IP",
        "An instance with a public address is reachable from the internet whenever a security group allows it, and bypasses the load balancer and NAT egress controls.",
        "Launch into private subnets and set AssociatePublicIpAddress: false (or leave it unset on private subnets).",
        Source: "https://docs.aws.amazon.com/securityhub/latest/userguide/autoscaling-controls.html#autoscaling-5");

    public IReadOnlyList<string> ResourceTypes { get; } = [AutoScalingGroups.Group];

    public IEnumerable<string> Check(TemplateResource r, RuleContext context)
    {
        var source = AutoScalingGroups.LaunchSource(r, context.Graph);
        var associate = source is null ? null
            : source.Type == Ec2.EbsEncrypted.LaunchTemplate
                ? (Values.AsList(Values.At(source.Properties, "LaunchTemplateData.NetworkInterfaces")) ?? [])
                    .Select(n => n?["AssociatePublicIpAddress"]).FirstOrDefault(v => v is not null)
                : source["AssociatePublicIpAddress"];
        if (Values.IsTrue(associate))
        {
            yield return $"{context.NameOf(source!)} sets AssociatePublicIpAddress: true";
            yield break;
        }

        if (associate is not null)
        {
            yield break;
        }

        var publicSubnets = context.Graph.ResolveAll(r["VPCZoneIdentifier"])
            .Where(s => s.Type == "AWS::EC2::Subnet" && Values.IsTrue(s["MapPublicIpOnLaunch"]))
            .Select(context.NameOf)
            .ToList();
        if (publicSubnets.Count > 0)
        {
            yield return $"launches into subnets with MapPublicIpOnLaunch: true ({string.Join(", ", publicSubnets)})";
        }
    }
}

/// <summary>
/// SB-ASG-005. A group that names a LaunchConfigurationName (a resource of the set or any literal), or an
/// AWS::AutoScaling::LaunchConfiguration resource itself: reported on the group, or on a configuration no group uses.
/// </summary>
internal sealed class LaunchTemplateOnly : IPolicyRule
{
    public const string LaunchConfiguration = "AWS::AutoScaling::LaunchConfiguration";

    public RuleDescriptor Descriptor { get; } = new(
        "SB-ASG-005", Severity.Error,
        "Auto Scaling groups launch from launch templates, not launch configurations",
        "Accounts created after 2024-10-01 cannot create launch configurations at all, so the stack fails to deploy there; elsewhere they get no instance types released after 2022-12-31 and none of the newer EC2 features (IMDS options per template version, mixed instances, versioning). AWS Security Hub AutoScaling.9 rates this medium.",
        "Replace the AWS::AutoScaling::LaunchConfiguration with an AWS::EC2::LaunchTemplate and give the group LaunchTemplate: {LaunchTemplateId, Version} (AWS's migration guide copies a configuration into a template).",
        Source: "https://docs.aws.amazon.com/autoscaling/ec2/userguide/launch-configurations.html");

    public IReadOnlyList<string> ResourceTypes { get; } = [AutoScalingGroups.Group, LaunchConfiguration];

    public IEnumerable<string> Check(TemplateResource r, RuleContext context)
    {
        if (r.Type == AutoScalingGroups.Group)
        {
            if (r["LaunchConfigurationName"] is { } name)
            {
                yield return context.Graph.Resolve(name) is { } configuration
                    ? $"launches from the launch configuration {context.NameOf(configuration)}"
                    : $"launches from the launch configuration {Values.AsString(name) ?? RuleText.Describe(name)}";
            }

            yield break;
        }

        var groups = context.Graph.Referrers(r, AutoScalingGroups.Group, "LaunchConfigurationName");
        if (!groups.Any())
        {
            yield return "is a launch configuration (no group of the template uses it, but creating it fails in accounts without launch configurations)";
        }
    }
}
