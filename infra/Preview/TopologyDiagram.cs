using System.Text;
using ScalableBackend.Policies;

namespace ScalableBackend.Infra.Preview;

/// <summary>
/// A Mermaid flowchart of a template's topology, derived from resource types and references only: each component
/// (top-level construct) gets a role from the resources it holds, components that refer to one another are joined,
/// and every edge points along the request path (internet → firewall → API → load balancer → services → caches,
/// databases and queues → workers; logs → search). Only the parts present are drawn.
/// </summary>
public static class TopologyDiagram
{
    /// <summary>The roles a component can play, in request-path order (see <see cref="Rank"/>).</summary>
    public enum Role
    {
        /// <summary>Plumbing that is not drawn (the network).</summary>
        None = 0,
        /// <summary>Web application firewall.</summary>
        Firewall,
        /// <summary>API Gateway.</summary>
        Api,
        /// <summary>Load balancer.</summary>
        LoadBalancer,
        /// <summary>Instances behind a load balancer.</summary>
        Service,
        /// <summary>Cache clusters.</summary>
        Cache,
        /// <summary>Databases and their shards.</summary>
        Database,
        /// <summary>Queues, topics, brokers and streams.</summary>
        Queue,
        /// <summary>Instances not behind a load balancer (consumers).</summary>
        Worker,
        /// <summary>Log groups and delivery streams.</summary>
        Logs,
        /// <summary>Search domains.</summary>
        Search,
    }

    /// <summary>A role's place on the request path; caches, databases and queues share one (they are peers).</summary>
    public static int Rank(Role role) => role switch
    {
        Role.Cache or Role.Database or Role.Queue => (int)Role.Cache,
        Role.Worker or Role.Logs or Role.Search => (int)role - 2,
        _ => (int)role,
    };

    private static readonly (string TypePrefix, Role Role, string Label)[] Classification =
    [
        ("AWS::EC2::VPC", Role.None, "network"),
        ("AWS::WAFv2::WebACL", Role.Firewall, "WAF"),
        ("AWS::ApiGateway::RestApi", Role.Api, "API Gateway"),
        ("AWS::ApiGatewayV2::Api", Role.Api, "API Gateway"),
        ("AWS::ElasticLoadBalancingV2::LoadBalancer", Role.LoadBalancer, "load balancer"),
        ("AWS::ElastiCache::ReplicationGroup", Role.Cache, "cache"),
        ("AWS::ElastiCache::CacheCluster", Role.Cache, "cache"),
        ("AWS::ElastiCache::ServerlessCache", Role.Cache, "cache"),
        ("AWS::RDS::DBInstance", Role.Database, "database"),
        ("AWS::RDS::DBCluster", Role.Database, "database"),
        ("AWS::DynamoDB::Table", Role.Database, "table"),
        ("AWS::SQS::Queue", Role.Queue, "queue"),
        ("AWS::SNS::Topic", Role.Queue, "topic"),
        ("AWS::AmazonMQ::Broker", Role.Queue, "broker"),
        ("AWS::MSK::Cluster", Role.Queue, "Kafka"),
        ("AWS::Kinesis::Stream", Role.Queue, "stream"),
        ("AWS::OpenSearchService::Domain", Role.Search, "search"),
        ("AWS::AutoScaling::AutoScalingGroup", Role.Service, "instances"),
        ("AWS::KinesisFirehose::DeliveryStream", Role.Logs, "log delivery"),
        ("AWS::Logs::LogGroup", Role.Logs, "logs"),
    ];

    /// <summary>A component drawn in the diagram.</summary>
    /// <param name="Name">The component (top-level construct) name.</param>
    /// <param name="Role">Its role.</param>
    /// <param name="Label">What it is, with counts, e.g. "instances ×2".</param>
    public sealed record Node(string Name, Role Role, string Label);

    /// <summary>The components that play a role, with their roles.</summary>
    public static IReadOnlyList<Node> Nodes(TemplateDocument template)
    {
        var nodes = new List<Node>();
        foreach (var group in template.Resources.GroupBy(Components.Of))
        {
            var match = Classification.FirstOrDefault(c => group.Any(r => r.Type.StartsWith(c.TypePrefix, StringComparison.Ordinal)));
            if (match.TypePrefix is null || match.Role == Role.None)
                continue;
            var role = match.Role;
            var count = group.Count(r => r.Type.StartsWith(match.TypePrefix, StringComparison.Ordinal));
            if (role == Role.Service && !group.Any(r => r.Type == "AWS::AutoScaling::AutoScalingGroup" && r["TargetGroupARNs"] is not null))
                role = Role.Worker;
            nodes.Add(new Node(group.Key, role, count > 1 ? $"{match.Label} ×{count}" : match.Label));
        }
        return nodes;
    }

    /// <summary>The edges between components that refer to one another, directed along the request path.</summary>
    public static IReadOnlyList<(string From, string To)> Edges(TemplateDocument template, IReadOnlyList<Node> nodes)
    {
        var byName = nodes.ToDictionary(n => n.Name);
        var graph = new ResourceGraph(template);
        var edges = new SortedSet<(string, string)>();
        foreach (var target in template.Resources)
        {
            var to = Components.Of(target);
            foreach (var reference in graph.ReferencesTo(target))
            {
                var from = Components.Of(reference.Source);
                if (from == to || !byName.TryGetValue(from, out var a) || !byName.TryGetValue(to, out var b) || Rank(a.Role) == Rank(b.Role))
                    continue; // same place on the path (e.g. a cache and a database): peers, no edge
                edges.Add(Rank(a.Role) < Rank(b.Role) ? (a.Name, b.Name) : (b.Name, a.Name));
            }
        }
        return edges.ToList();
    }

    /// <summary>The Mermaid <c>flowchart LR</c> source (without the code fence).</summary>
    public static string Render(TemplateDocument template)
    {
        var nodes = Nodes(template);
        var edges = Edges(template, nodes);
        var text = new StringBuilder("flowchart LR\n");
        var publicEntry = nodes.Where(n => n.Role is Role.Firewall or Role.Api or Role.LoadBalancer).OrderBy(n => Rank(n.Role)).FirstOrDefault();
        if (publicEntry is not null)
            text.Append("  internet((internet))\n");
        foreach (var node in nodes.OrderBy(n => Rank(n.Role)).ThenBy(n => n.Name, StringComparer.Ordinal))
            text.Append($"  {Id(node.Name)}{Shape(node)}\n");
        if (publicEntry is not null)
            text.Append($"  internet --> {Id(publicEntry.Name)}\n");
        foreach (var (from, to) in edges)
            text.Append($"  {Id(from)} --> {Id(to)}\n");
        if (nodes.Count == 0)
            text.Append("  empty[no components with a role in the request path]\n");
        return text.ToString();
    }

    private static string Shape(Node node)
    {
        var label = $"\"{node.Name}<br/>{node.Label}\"";
        return node.Role switch
        {
            Role.Database or Role.Cache or Role.Search => $"[({label})]",
            Role.Queue => $"[/{label}/]",
            Role.Firewall => $"{{{{{label}}}}}",
            _ => $"[{label}]",
        };
    }

    private static string Id(string name) => "c_" + new string(name.Select(c => char.IsLetterOrDigit(c) ? c : '_').ToArray());
}
