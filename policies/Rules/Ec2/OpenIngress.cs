using System.Text.Json.Nodes;

namespace ScalableBackend.Policies.Rules.Ec2;

/// <summary>
/// SB-EC2-002. Inline SecurityGroupIngress entries are reported on the group; AWS::EC2::SecurityGroupIngress
/// resources on themselves, after following GroupId (Ref / GetAtt GroupId) to their group. The only exception is
/// TCP 80 or 443 alone on a group that an internet-facing load balancer in the template uses. Intrinsic CIDRs pass.
/// </summary>
internal sealed class OpenIngress : IPolicyRule
{
    private const string SecurityGroup = "AWS::EC2::SecurityGroup";
    private const string Ingress = "AWS::EC2::SecurityGroupIngress";

    public RuleDescriptor Descriptor { get; } = new(
        "SB-EC2-002", Severity.Error,
        "No ingress from the whole internet",
        "A security group open to 0.0.0.0/0 or ::/0 exposes the port (SSH, a database, an admin endpoint) to constant internet-wide scanning; only a public load balancer should accept traffic from anywhere.",
        "Allow ingress from a security group or a known CIDR; open only TCP 80/443, and only on the security group of an internet-facing load balancer.");

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

    private static string? OpenRule(JsonObject rule, TemplateResource? group, RuleContext context)
    {
        var cidr = Values.AsString(rule["CidrIp"]) is "0.0.0.0/0" ? "0.0.0.0/0"
            : Values.AsString(rule["CidrIpv6"]) is "::/0" ? "::/0"
            : null;
        if (cidr is null)
        {
            return null;
        }

        var protocol = Values.AsString(rule["IpProtocol"])?.ToLowerInvariant() ?? "?";
        var from = Values.AsInteger(rule["FromPort"]);
        var to = Values.AsInteger(rule["ToPort"]);
        var isWeb = protocol is "tcp" or "6" && from == to && from is 80 or 443;
        if (isWeb && group is not null && IsPublicLoadBalancerGroup(group, context))
        {
            return null;
        }

        var ports = protocol is "-1" or "all" ? "all traffic" : from == to ? $"{protocol} {from}" : $"{protocol} {from}-{to}";
        return $"allows {cidr} on {ports}";
    }

    private static bool IsPublicLoadBalancerGroup(TemplateResource group, RuleContext context) =>
        context.Graph.Referrers(group, LoadBalancing.LoadBalancers.V2, "SecurityGroups")
            .Concat(context.Graph.Referrers(group, LoadBalancing.LoadBalancers.Classic, "SecurityGroups"))
            .Any(LoadBalancing.LoadBalancers.IsInternetFacing);
}
