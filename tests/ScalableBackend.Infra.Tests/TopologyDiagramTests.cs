using ScalableBackend.Infra.Preview;
using ScalableBackend.Policies;

namespace ScalableBackend.Infra.Tests;

public sealed class TopologyDiagramTests
{
    private static string Diagram => TopologyDiagram.Render(TemplateDocument.Parse(Fixtures.Base, "t.json"));

    [Theory]
    [InlineData("internet --> c_LoadBalancer")]
    [InlineData("c_LoadBalancer --> c_ServiceApi")]
    [InlineData("c_ServiceApi --> c_Database")]
    [InlineData("c_ServiceApi --> c_Orders")]
    public void EdgesFollowReferencesAlongTheRequestPath(string edge) => Assert.Contains(edge, Diagram);

    [Fact]
    public void OnlyThePartsPresentAreDrawn()
    {
        Assert.StartsWith("flowchart LR", Diagram);
        Assert.Contains("c_Cache", Diagram);
        Assert.DoesNotContain("WAF", Diagram);
        Assert.DoesNotContain("search", Diagram);
    }

    [Fact]
    public void AGroupWithoutATargetGroupIsAWorkerFedByItsQueue()
    {
        var template = Fixtures.Edit(r =>
        {
            r.Props("Group").Remove("TargetGroupARNs");
            r.Remove("Rule");
        });
        var diagram = TopologyDiagram.Render(TemplateDocument.Parse(template, "t.json"));
        Assert.Contains("c_Orders --> c_ServiceApi", diagram);
        Assert.DoesNotContain("c_LoadBalancer --> c_ServiceApi", diagram);
    }
}

/// <summary>A known topology across an environment's stacks: every edge is a reference, labels are file keys.</summary>
public sealed class StackSetTopologyTests
{
    private static TemplateDocument Stack(string stack, string resources, string outputs = "{}") =>
        TemplateDocument.Parse("{\"Resources\": {" + resources + "}, \"Outputs\": " + outputs + "}", $"{stack}.template.json");

    private static string R(string stack, string construct, string id, string type, string properties = "{}") =>
        $"\"{id}\": {{\"Type\": \"{type}\", \"Properties\": {properties}, \"Metadata\": {{\"aws:cdk:path\": \"{stack}/{construct}/{id}/Resource\"}}}}";

    private static string Export(string name, string value) => $"\"{name}\": {{\"Value\": {value}, \"Export\": {{\"Name\": \"{name}\"}}}}";

    private static readonly IReadOnlyList<(string, TemplateDocument)> Stacks =
    [
        ("Backend-Prod-Platform", Stack("Backend-Prod-Platform", R("Backend-Prod-Platform", "Network", "Vpc", "AWS::EC2::VPC"))),
        ("Backend-Prod-Data", Stack("Backend-Prod-Data",
            string.Join(",", R("Backend-Prod-Data", "QueueBilling", "Queue", "AWS::SQS::Queue"),
                R("Backend-Prod-Data", "QueueBilling", "Dlq", "AWS::SQS::Queue"),
                R("Backend-Prod-Data", "Database", "Shard1", "AWS::RDS::DBInstance", """{"DBInstanceClass": "db.t4g.micro"}"""),
                R("Backend-Prod-Data", "Database", "Shard2", "AWS::RDS::DBInstance", """{"DBInstanceClass": "db.t4g.micro"}"""),
                R("Backend-Prod-Data", "Database", "DbSg", "AWS::EC2::SecurityGroup", """{"GroupDescription": "db"}""")),
            "{" + string.Join(",", Export("QueueArn", """{"Fn::GetAtt": ["Queue", "Arn"]}"""), Export("DbSg", """{"Fn::GetAtt": ["DbSg", "GroupId"]}""")) + "}")),
        ("Backend-Prod-Edge", Stack("Backend-Prod-Edge",
            string.Join(",", R("Backend-Prod-Edge", "LoadBalancer", "Alb", "AWS::ElasticLoadBalancingV2::LoadBalancer"),
                R("Backend-Prod-Edge", "LoadBalancer", "Https", "AWS::ElasticLoadBalancingV2::Listener", """{"LoadBalancerArn": {"Ref": "Alb"}}""")),
            "{" + Export("Listener", """{"Ref": "Https"}""") + "}")),
        ("Backend-Prod-Service-Api", Stack("Backend-Prod-Service-Api",
            string.Join(",", R("Backend-Prod-Service-Api", "Service", "Tg", "AWS::ElasticLoadBalancingV2::TargetGroup"),
                R("Backend-Prod-Service-Api", "Service", "Rule", "AWS::ElasticLoadBalancingV2::ListenerRule", """{"ListenerArn": {"Fn::ImportValue": "Listener"}, "Actions": [{"Type": "forward", "TargetGroupArn": {"Ref": "Tg"}}]}"""),
                R("Backend-Prod-Service-Api", "Service", "Group", "AWS::AutoScaling::AutoScalingGroup", """{"MinSize": "1", "MaxSize": "2", "TargetGroupARNs": [{"Ref": "Tg"}]}"""),
                R("Backend-Prod-Service-Api", "DatabaseAccess", "Ingress", "AWS::EC2::SecurityGroupIngress", """{"IpProtocol": "tcp", "GroupId": {"Fn::ImportValue": "DbSg"}}"""),
                R("Backend-Prod-Service-Api", "QueueAccess", "Send", "AWS::IAM::Policy", """{"PolicyDocument": {"Statement": [{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": {"Fn::ImportValue": "QueueArn"}}]}}""")))),
        ("Backend-Prod-Worker-Billing", Stack("Backend-Prod-Worker-Billing",
            string.Join(",", R("Backend-Prod-Worker-Billing", "Worker", "Group", "AWS::AutoScaling::AutoScalingGroup", """{"MinSize": "1", "MaxSize": "2"}"""),
                R("Backend-Prod-Worker-Billing", "Worker", "Consume", "AWS::IAM::Policy", """{"PolicyDocument": {"Statement": [{"Effect": "Allow", "Action": "sqs:ReceiveMessage", "Resource": {"Fn::ImportValue": "QueueArn"}}]}}""")))),
        ("Backend-Prod-Operations", Stack("Backend-Prod-Operations",
            string.Join(",", R("Backend-Prod-Operations", "Monitoring", "Topic", "AWS::SNS::Topic"),
                R("Backend-Prod-Operations", "Monitoring", "Dashboard", "AWS::CloudWatch::Dashboard", """{"DashboardBody": "{}"}"""),
                R("Backend-Prod-Operations", "Monitoring", "Errors", "AWS::CloudWatch::Alarm", """{"AlarmActions": [{"Ref": "Topic"}], "Dimensions": [{"Name": "LoadBalancer", "Value": {"Fn::ImportValue": "Listener"}}]}""")))),
    ];

    private static readonly IReadOnlyDictionary<string, string> Keys = new Dictionary<string, string>
    {
        ["QueueBilling"] = "queues.billing", ["Database"] = "database", ["LoadBalancer"] = "loadBalancer",
        ["Service-Api"] = "services.api", ["Worker-Billing"] = "workers.billing", ["Monitoring"] = "observability",
    };

    private static string Diagram => TopologyDiagram.Render(StackMerge.Merge("Backend-Prod", Stacks), Keys);

    [Fact]
    public void EveryEdgeIsAReferenceAcrossTheStacksAndNothingElse()
    {
        var edges = Diagram.Split('\n').Where(l => l.Contains("-->")).Select(l => l.Trim()).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(
        [
            "c_LoadBalancer --> c_Service_Api",
            "c_QueueBilling --> c_Worker_Billing",
            "c_Service_Api --> c_Database",
            "c_Service_Api --> c_QueueBilling",
            "internet --> c_LoadBalancer",
        ], edges);
    }

    [Fact]
    public void LabelsAreTheFilesKeysAndObservabilityAndTheNetworkAreNotDrawn()
    {
        Assert.Contains("c_QueueBilling[/\"queues.billing<br/>queue\"/]", Diagram);
        Assert.Contains("c_Service_Api[\"services.api<br/>service\"]", Diagram);
        Assert.Contains("c_Worker_Billing[\"workers.billing<br/>worker\"]", Diagram);
        Assert.Contains("c_Database[(\"database<br/>database, 2 instances\")]", Diagram);
        Assert.DoesNotContain("Monitoring", Diagram);
        Assert.DoesNotContain("observability", Diagram);
        Assert.DoesNotContain("Network", Diagram);
        Assert.DoesNotContain("×", Diagram);
    }
}
