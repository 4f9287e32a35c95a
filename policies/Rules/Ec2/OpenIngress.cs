using System.Text.Json.Nodes;

namespace ScalableBackend.Policies.Rules.Ec2;

/// <summary>
/// SB-EC2-002 (any port but TCP 80/443) and SB-EC2-004 (TCP 80/443 only). Inline SecurityGroupIngress entries are reported on the group; AWS::EC2::SecurityGroupIngress
/// resources on themselves, after following GroupId (Ref / GetAtt GroupId / an import) to their group. "Anywhere" is
/// any IPv4 or IPv6 CIDR with prefix length 0 (<c>0.0.0.0/0</c>, <c>192.168.1.0/0</c>, <c>::/0</c>), also when it is
/// the default of the parameter the CIDR refers to (reported "by default"). ICMP is not judged (AWS Config's
/// vpc-sg-open-only-to-authorized-ports judges TCP and UDP). A group that only internet-facing load balancers use is
/// exempt: a load balancer accepts traffic only on its listeners, which SB-ELB-002/003 judge. A group that is also on
/// instances, launch templates, tasks or functions is judged like any other. CIDRs that are intrinsics without a
/// default pass.
/// </summary>
internal class OpenIngress : IPolicyRule
{
    private const string SecurityGroup = "AWS::EC2::SecurityGroup";
    private const string Ingress = "AWS::EC2::SecurityGroupIngress";
    private const string Egress = "AWS::EC2::SecurityGroupEgress";

    public virtual RuleDescriptor Descriptor { get; } = new(
        "SB-EC2-002", Severity.Error,
        "No ingress from the whole internet except to a public load balancer",
        "A security group rule open to 0.0.0.0/0 or ::/0 (any /0) exposes the port (SSH, RDP, a database, an admin endpoint) to internet-wide scanning; AWS Security Hub EC2.18 fails any TCP or UDP port open to /0 other than the authorized 80 and 443, and EC2.19 the high-risk ones.",
        "Allow ingress from a security group or a known CIDR (and give a CIDR parameter a non-/0 default); only the security group of an internet-facing load balancer should accept traffic from anywhere.",
        Source: "https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-18");

    /// <summary>True for the rule that judges TCP 80/443 alone (SB-EC2-004); false for every other port (SB-EC2-002).</summary>
    protected virtual bool JudgesWebPorts => false;

    public IReadOnlyList<string> ResourceTypes { get; } = [SecurityGroup, Ingress];

    public IEnumerable<string> Check(TemplateResource r, RuleContext context)
    {
        if (r.Type == Ingress)
        {
            var group = context.Graph.Resolve(r["GroupId"]) ?? context.Graph.Resolve(r["GroupName"]);
            if (OpenRule(r.Properties, group, context) is { } message)
            {
                yield return group is null ? message : $"{message} on {context.NameOf(group)}";
            }

            yield break;
        }

        var rules = Values.AsList(r["SecurityGroupIngress"]) ?? [];
        for (var i = 0; i < rules.Count; i++)
        {
            if (rules[i] is JsonObject rule && OpenRule(rule, r, context) is { } message)
            {
                yield return $"SecurityGroupIngress[{i}]: {message}";
            }
        }
    }

    private string? OpenRule(JsonObject rule, TemplateResource? group, RuleContext context)
    {
        var source = IsAnywhere(context.Resolve(rule["CidrIp"])) ? rule["CidrIp"]
            : IsAnywhere(context.Resolve(rule["CidrIpv6"])) ? rule["CidrIpv6"]
            : null;
        if (source is null)
        {
            return null;
        }

        var protocol = Values.AsString(context.Resolve(rule["IpProtocol"]))?.ToLowerInvariant() ?? "?";
        if (protocol is "icmp" or "1" or "icmpv6" or "58")
        {
            return null;
        }

        if (group is not null && IsLoadBalancerOnlyGroup(group, context))
        {
            return null;
        }

        var from = Values.AsInteger(context.Resolve(rule["FromPort"]));
        var to = Values.AsInteger(context.Resolve(rule["ToPort"]));
        var isWeb = protocol is "tcp" or "6" && from == to && from is 80 or 443;
        if (isWeb != JudgesWebPorts)
        {
            return null;
        }

        var ports = protocol is "-1" or "all" ? "all traffic" : from == to ? $"{protocol} {from}" : $"{protocol} {from}-{to}";
        return $"allows {Values.AsString(context.Resolve(source))}{context.ByDefault(source)} on {ports}";
    }

    /// <summary>True for a literal IPv4 or IPv6 CIDR whose prefix length is 0.</summary>
    internal static bool IsAnywhere(JsonNode? cidr) =>
        Values.AsString(cidr) is { } text && text.Trim().EndsWith("/0", StringComparison.Ordinal);

    /// <summary>
    /// True when internet-facing load balancers use the group and nothing else does except security group rules
    /// (other groups' ingress and egress rules may name it as their source).
    /// </summary>
    private static bool IsLoadBalancerOnlyGroup(TemplateResource group, RuleContext context)
    {
        var users = context.Graph.ReferencesTo(group)
            .Select(reference => reference.Source)
            .Where(source => source.Type is not (SecurityGroup or Ingress or Egress))
            .Distinct()
            .ToList();
        return users.Count > 0 && users.All(user =>
            user.Type is LoadBalancing.LoadBalancers.V2 or LoadBalancing.LoadBalancers.Classic
            && LoadBalancing.LoadBalancers.IsInternetFacing(user));
    }
}

/// <summary>SB-EC2-004. TCP 80 or 443 alone open to the internet on a group that is not only a public load balancer's.</summary>
internal sealed class OpenWebIngress : OpenIngress
{
    public override RuleDescriptor Descriptor { get; } = new(
        "SB-EC2-004", Severity.Warning,
        "Web ports are open to the internet only on a load balancer",
        "HTTP and HTTPS open to 0.0.0.0/0 on instances (rather than on their load balancer) let clients bypass the load balancer's TLS, web ACL and health-based routing. AWS Security Hub EC2.18 authorizes 80 and 443 by default, so this is a warning.",
        "Put the instances behind the load balancer and allow 80/443 on the instances only from the load balancer's security group.",
        Source: "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-update-security-groups.html");

    protected override bool JudgesWebPorts => true;
}
