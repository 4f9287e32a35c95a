using System.Text;
using ScalableBackend.Policies;

namespace ScalableBackend.Infra.Preview;

/// <summary>
/// A Mermaid flowchart of a template's topology, derived from resource types and references only: each component
/// (top-level construct) gets a role from the resources it holds, two components are joined only when a resource of
/// one refers to a resource of the other (for an environment's stacks, through their imports: see
/// <see cref="StackMerge"/>), labels are the environment file's keys, and every edge points along the request path (internet → firewall → API → load balancer → services → caches,
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

    /// <summary>
    /// How a component's role is decided, in priority order: the first entry any of its resources matches. A component
    /// with instances is a service (or a worker) even when it also holds log groups and alarms; one whose only
    /// notable resources are alarms, a dashboard and their topic is observability, not drawn; the network is not drawn.
    /// </summary>
    private static readonly (string TypePrefix, Role Role, string Kind)[] Classification =
    [
        ("AWS::WAFv2::WebACL", Role.Firewall, "firewall"),
        ("AWS::ApiGateway::RestApi", Role.Api, "API"),
        ("AWS::ApiGatewayV2::Api", Role.Api, "API"),
        ("AWS::ElasticLoadBalancingV2::LoadBalancer", Role.LoadBalancer, "load balancer"),
        ("AWS::AutoScaling::AutoScalingGroup", Role.Service, "service"),
        ("AWS::ElastiCache::ReplicationGroup", Role.Cache, "cache"),
        ("AWS::ElastiCache::CacheCluster", Role.Cache, "cache"),
        ("AWS::ElastiCache::ServerlessCache", Role.Cache, "cache"),
        ("AWS::RDS::DBInstance", Role.Database, "database"),
        ("AWS::RDS::DBCluster", Role.Database, "database"),
        ("AWS::DynamoDB::Table", Role.Database, "table"),
        ("AWS::MSK::Cluster", Role.Queue, "Kafka"),
        ("AWS::AmazonMQ::Broker", Role.Queue, "broker"),
        ("AWS::SQS::Queue", Role.Queue, "queue"),
        ("AWS::Kinesis::Stream", Role.Queue, "stream"),
        ("AWS::OpenSearchService::Domain", Role.Search, "search"),
        ("AWS::KinesisFirehose::DeliveryStream", Role.Logs, "log delivery"),
        ("AWS::CloudWatch::Dashboard", Role.None, "observability"),
        ("AWS::CloudWatch::Alarm", Role.None, "observability"),
        ("AWS::SNS::Topic", Role.Queue, "topics"),
        ("AWS::EC2::VPC", Role.None, "network"),
    ];

    /// <summary>A component drawn in the diagram.</summary>
    /// <param name="Name">The component (top-level construct, or a service's or worker's own stack).</param>
    /// <param name="Role">Its role.</param>
    /// <param name="Label">What it is called in the environment file (<c>services.api</c>), else its name, and its kind.</param>
    public sealed record Node(string Name, Role Role, string Label);

    /// <summary>
    /// The components that play a role, with their roles. <paramref name="keys"/> maps a component to its key in the
    /// environment file (<c>QueueBilling</c> → <c>queues.billing</c>); a component without one is labelled with its name.
    /// </summary>
    public static IReadOnlyList<Node> Nodes(TemplateDocument template, IReadOnlyDictionary<string, string>? keys = null)
    {
        var nodes = new List<Node>();
        foreach (var group in template.Resources.GroupBy(Components.Of))
        {
            var match = Classification.FirstOrDefault(c => group.Any(r => r.Type.StartsWith(c.TypePrefix, StringComparison.Ordinal)));
            if (match.TypePrefix is null || match.Role == Role.None)
                continue;
            var role = match.Role;
            var kind = match.Kind;
            if (role == Role.Service && !group.Any(r => r.Type == "AWS::AutoScaling::AutoScalingGroup" && r["TargetGroupARNs"] is not null))
                (role, kind) = (Role.Worker, "worker");
            if (role == Role.Database && group.Count(r => r.Type == "AWS::RDS::DBInstance") is var instances and > 1)
                kind = $"database, {instances} instances";
            var name = keys is not null && keys.TryGetValue(group.Key, out var key) ? key : group.Key;
            nodes.Add(new Node(group.Key, role, $"{name}<br/>{kind}"));
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

    /// <summary>The Mermaid <c>flowchart LR</c> source (without the code fence); <paramref name="keys"/> as for <see cref="Nodes"/>.</summary>
    public static string Render(TemplateDocument template, IReadOnlyDictionary<string, string>? keys = null)
    {
        var nodes = Nodes(template, keys);
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
        var label = $"\"{node.Label}\"";
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
