using ScalableBackend.Infra.Preview;
using ScalableBackend.Policies;
using Role = ScalableBackend.Infra.Preview.TopologyDiagram.Role;

namespace ScalableBackend.Infra.Tests.Preview;

/// <summary>
/// What the diagram draws for each kind of component (its role, its label and its shape), where the internet enters,
/// and which way each edge points; one small template per case.
/// </summary>
public sealed class TopologyTests
{
    /// <summary>A resource <paramref name="id"/> of <paramref name="type"/> in component <paramref name="component"/>.</summary>
    private static string R(string component, string id, string type, string properties = "{}") =>
        $"\"{id}\": {{\"Type\": \"{type}\", \"Properties\": {properties}, \"Metadata\": {{\"aws:cdk:path\": \"Backend-Prod/{component}/{id}/Resource\"}}}}";

    private static TemplateDocument Template(params string[] resources) =>
        TemplateDocument.Parse("{\"Resources\": {" + string.Join(",", resources) + "}}", "t.json");

    private static string[] Lines(string diagram) => diagram.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()).ToArray();

    private static string[] EdgesOf(string diagram) => Lines(diagram).Where(l => l.Contains("-->")).ToArray();

    [Fact]
    public void The_request_path_runs_from_the_firewall_to_search_and_caches_databases_and_queues_are_peers()
    {
        Assert.Equal(0, TopologyDiagram.Rank(Role.None));
        Assert.Equal(
            [1, 2, 3, 4, 5, 5, 5, 6, 7, 8],
            new[] { Role.Firewall, Role.Api, Role.LoadBalancer, Role.Service, Role.Cache, Role.Database, Role.Queue, Role.Worker, Role.Logs, Role.Search }
                .Select(TopologyDiagram.Rank));
    }

    [Theory]
    [InlineData("AWS::WAFv2::WebACL", Role.Firewall, "firewall")]
    [InlineData("AWS::ApiGateway::RestApi", Role.Api, "API")]
    [InlineData("AWS::ApiGatewayV2::Api", Role.Api, "API")]
    [InlineData("AWS::ElasticLoadBalancingV2::LoadBalancer", Role.LoadBalancer, "load balancer")]
    [InlineData("AWS::AutoScaling::AutoScalingGroup", Role.Worker, "worker")]
    [InlineData("AWS::ElastiCache::ReplicationGroup", Role.Cache, "cache")]
    [InlineData("AWS::ElastiCache::CacheCluster", Role.Cache, "cache")]
    [InlineData("AWS::ElastiCache::ServerlessCache", Role.Cache, "cache")]
    [InlineData("AWS::RDS::DBInstance", Role.Database, "database")]
    [InlineData("AWS::RDS::DBCluster", Role.Database, "database")]
    [InlineData("AWS::DynamoDB::Table", Role.Database, "table")]
    [InlineData("AWS::MSK::Cluster", Role.Queue, "Kafka")]
    [InlineData("AWS::AmazonMQ::Broker", Role.Queue, "broker")]
    [InlineData("AWS::SQS::Queue", Role.Queue, "queue")]
    [InlineData("AWS::Kinesis::Stream", Role.Queue, "stream")]
    [InlineData("AWS::OpenSearchService::Domain", Role.Search, "search")]
    [InlineData("AWS::KinesisFirehose::DeliveryStream", Role.Logs, "log delivery")]
    [InlineData("AWS::SNS::Topic", Role.Queue, "topics")]
    public void A_component_takes_its_role_and_kind_from_what_it_holds(string type, Role role, string kind)
    {
        var node = Assert.Single(TopologyDiagram.Nodes(Template(R("Part", "Thing", type))));
        Assert.Equal(new TopologyDiagram.Node("Part", role, $"Part<br/>{kind}"), node);
    }

    [Theory]
    [InlineData("AWS::EC2::VPC")]
    [InlineData("AWS::CloudWatch::Dashboard")]
    [InlineData("AWS::CloudWatch::Alarm")]
    [InlineData("AWS::IAM::Role")]
    public void The_network_observability_and_plumbing_are_not_drawn(string type)
    {
        Assert.Empty(TopologyDiagram.Nodes(Template(R("Part", "Thing", type))));
    }

    [Fact]
    public void Instances_outrank_the_log_groups_and_alarms_beside_them_and_alarms_outrank_their_topic()
    {
        var nodes = TopologyDiagram.Nodes(Template(
            R("Api", "Logs", "AWS::KinesisFirehose::DeliveryStream"),
            R("Api", "ApiErrors", "AWS::CloudWatch::Alarm"),
            R("Api", "Group", "AWS::AutoScaling::AutoScalingGroup", """{"TargetGroupARNs": ["tg"]}"""),
            R("Monitoring", "Topic", "AWS::SNS::Topic"),
            R("Monitoring", "Errors", "AWS::CloudWatch::Alarm")));
        Assert.Equal([new TopologyDiagram.Node("Api", Role.Service, "Api<br/>service")], nodes);
    }

    [Fact]
    public void A_group_is_a_service_when_any_of_its_groups_has_target_groups()
    {
        var nodes = TopologyDiagram.Nodes(Template(
            R("Web", "Canary", "AWS::AutoScaling::AutoScalingGroup"),
            R("Web", "Group", "AWS::AutoScaling::AutoScalingGroup", """{"TargetGroupARNs": ["tg"]}"""),
            R("Jobs", "JobsGroup", "AWS::AutoScaling::AutoScalingGroup", """{"MinSize": 1}""")));
        Assert.Equal([Role.Service, Role.Worker], nodes.Select(n => n.Role));
    }

    [Fact]
    public void A_database_with_one_instance_is_a_database_and_with_more_says_how_many()
    {
        var nodes = TopologyDiagram.Nodes(Template(
            R("Single", "Db", "AWS::RDS::DBInstance"),
            R("Sharded", "Shard1", "AWS::RDS::DBInstance"), R("Sharded", "Shard2", "AWS::RDS::DBInstance"), R("Sharded", "Shard3", "AWS::RDS::DBInstance"),
            R("Aurora", "Cluster", "AWS::RDS::DBCluster")));
        Assert.Equal(["Single<br/>database", "Sharded<br/>database, 3 instances", "Aurora<br/>database"], nodes.Select(n => n.Label));
    }

    [Fact]
    public void Labels_use_the_files_key_where_there_is_one()
    {
        var nodes = TopologyDiagram.Nodes(Template(R("QueueBilling", "Q1", "AWS::SQS::Queue"), R("Other", "Q2", "AWS::SQS::Queue")),
            new Dictionary<string, string> { ["QueueBilling"] = "queues.billing" });
        Assert.Equal(["queues.billing<br/>queue", "Other<br/>queue"], nodes.Select(n => n.Label));
        Assert.Equal(["QueueBilling", "Other"], nodes.Select(n => n.Name));
    }

    [Fact]
    public void Each_role_has_its_shape_and_ids_keep_only_letters_and_digits()
    {
        var lines = Lines(TopologyDiagram.Render(Template(
            R("Waf", "Acl", "AWS::WAFv2::WebACL"),
            R("Cache", "Redis", "AWS::ElastiCache::ReplicationGroup"),
            R("Search", "Domain", "AWS::OpenSearchService::Domain"),
            R("Db", "Instance", "AWS::RDS::DBInstance"),
            R("Queue.Orders", "Q", "AWS::SQS::Queue"),
            R("Api", "Rest", "AWS::ApiGateway::RestApi"))));
        Assert.Contains("c_Waf{{\"Waf<br/>firewall\"}}", lines);
        Assert.Contains("c_Cache[(\"Cache<br/>cache\")]", lines);
        Assert.Contains("c_Search[(\"Search<br/>search\")]", lines);
        Assert.Contains("c_Db[(\"Db<br/>database\")]", lines);
        Assert.Contains("c_Queue_Orders[/\"Queue.Orders<br/>queue\"/]", lines);
        Assert.Contains("c_Api[\"Api<br/>API\"]", lines);
    }

    [Fact]
    public void Nodes_are_listed_along_the_path_then_by_name_after_the_internet()
    {
        var lines = Lines(TopologyDiagram.Render(Template(
            R("Zeta", "Q", "AWS::SQS::Queue"),
            R("Alpha", "Db", "AWS::RDS::DBInstance"),
            R("Worker", "Group", "AWS::AutoScaling::AutoScalingGroup"),
            R("Lb", "Alb", "AWS::ElasticLoadBalancingV2::LoadBalancer"))));
        Assert.Equal(
            ["flowchart LR", "internet((internet))", "c_Lb[\"Lb<br/>load balancer\"]", "c_Alpha[(\"Alpha<br/>database\")]",
             "c_Zeta[/\"Zeta<br/>queue\"/]", "c_Worker[\"Worker<br/>worker\"]", "internet --> c_Lb"],
            lines);
    }

    [Theory]
    [InlineData("Waf")]
    [InlineData("Api")]
    [InlineData("Lb")]
    public void The_internet_enters_at_the_first_public_component_on_the_path(string first)
    {
        var parts = new[]
        {
            R("Waf", "Acl", "AWS::WAFv2::WebACL"),
            R("Api", "Rest", "AWS::ApiGateway::RestApi"),
            R("Lb", "Alb", "AWS::ElasticLoadBalancingV2::LoadBalancer"),
        }.SkipWhile(r => !r.Contains($"/{first}/", StringComparison.Ordinal)).ToArray();
        var entries = EdgesOf(TopologyDiagram.Render(Template(parts))).Where(l => l.StartsWith("internet", StringComparison.Ordinal));
        Assert.Equal([$"internet --> c_{first}"], entries);
    }

    [Fact]
    public void Without_a_public_component_there_is_no_internet_and_without_components_the_diagram_says_so()
    {
        var internal_ = TopologyDiagram.Render(Template(R("Q", "Q", "AWS::SQS::Queue")));
        Assert.DoesNotContain("internet", internal_);
        Assert.DoesNotContain("empty", internal_);
        Assert.Equal("flowchart LR\n  empty[no components with a role in the request path]\n", TopologyDiagram.Render(Template(R("Network", "Vpc", "AWS::EC2::VPC"))));
    }

    [Fact]
    public void An_edge_points_along_the_path_whichever_side_holds_the_reference()
    {
        // The worker's policy refers to the queue (worker → queue), the service's rule to the load balancer
        // (service → load balancer), the API's integration to the load balancer: every edge still points down the path.
        var edges = EdgesOf(TopologyDiagram.Render(Template(
            R("Api", "Rest", "AWS::ApiGateway::RestApi"),
            R("Api", "Method", "AWS::ApiGateway::Method", """{"Integration": {"Uri": {"Fn::GetAtt": ["Alb", "DNSName"]}}}"""),
            R("Lb", "Alb", "AWS::ElasticLoadBalancingV2::LoadBalancer"),
            R("Web", "Group", "AWS::AutoScaling::AutoScalingGroup", """{"TargetGroupARNs": [{"Ref": "Tg"}]}"""),
            R("Web", "Rule", "AWS::ElasticLoadBalancingV2::ListenerRule", """{"ListenerArn": {"Ref": "Alb"}}"""),
            R("Web", "Tg", "AWS::ElasticLoadBalancingV2::TargetGroup"),
            R("Orders", "Q", "AWS::SQS::Queue"),
            R("Jobs", "JobsGroup", "AWS::AutoScaling::AutoScalingGroup"),
            R("Jobs", "Read", "AWS::IAM::Policy", """{"PolicyDocument": {"Statement": [{"Effect": "Allow", "Action": "sqs:ReceiveMessage", "Resource": {"Fn::GetAtt": ["Q", "Arn"]}}]}}"""))));
        Assert.Equal(["internet --> c_Api", "c_Api --> c_Lb", "c_Lb --> c_Web", "c_Orders --> c_Jobs"], edges);
    }

    [Fact]
    public void Peers_self_references_and_undrawn_components_make_no_edge_and_duplicates_are_drawn_once()
    {
        var edges = TopologyDiagram.Edges(Template(
            R("Cache", "Redis", "AWS::ElastiCache::ReplicationGroup"),
            R("Cache", "Sg", "AWS::EC2::SecurityGroup", """{"VpcId": {"Ref": "Vpc"}}"""),
            R("Cache", "Ingress", "AWS::EC2::SecurityGroupIngress", """{"GroupId": {"Ref": "Sg"}, "SourceSecurityGroupId": {"Ref": "DbSg"}}"""),
            R("Db", "Instance", "AWS::RDS::DBInstance"),
            R("Db", "DbSg", "AWS::EC2::SecurityGroup", """{"VpcId": {"Ref": "Vpc"}}"""),
            R("Network", "Vpc", "AWS::EC2::VPC"),
            R("Jobs", "Group", "AWS::AutoScaling::AutoScalingGroup"),
            R("Jobs", "A", "AWS::IAM::Policy", """{"PolicyDocument": {"Statement": [{"Effect": "Allow", "Action": "*", "Resource": [{"Ref": "Redis"}, {"Ref": "Sg"}]}]}}""")),
            TopologyDiagram.Nodes(Template(
                R("Cache", "Redis", "AWS::ElastiCache::ReplicationGroup"),
                R("Db", "Instance", "AWS::RDS::DBInstance"),
                R("Jobs", "Group", "AWS::AutoScaling::AutoScalingGroup"))));
        Assert.Equal([("Cache", "Jobs")], edges);
    }
}
