using System.Text.Json.Nodes;

namespace ScalableBackend.Policies.Tests;

/// <summary>
/// An environment's stacks checked as one graph (<see cref="PolicyEngine.Check(TemplateSet, string?)"/>): relations
/// through exports and SSM parameters are followed to the other template; findings name their stack.
/// </summary>
public sealed class TemplateSetTests
{
    private const string Data = "Backend-Prod-Data";
    private const string Service = "Backend-Prod-Service-Api";

    private const string DataTemplate = """
        Resources:
          Queue:
            Type: AWS::SQS::Queue
            Properties: { RedrivePolicy: { deadLetterTargetArn: !GetAtt Dlq.Arn, maxReceiveCount: 5 } }
          Dlq: { Type: AWS::SQS::Queue, Properties: { RedriveAllowPolicy: { redrivePermission: allowAll } } }
          Topic: { Type: AWS::SNS::Topic, Properties: { KmsMasterKeyId: alias/aws/sns } }
          TopicArnParameter:
            Type: AWS::SSM::Parameter
            Properties: { Type: String, Name: /backend/prod/topic-arn, Value: !Ref Topic }
        Outputs:
          QueueUrl:
            Value: !Ref Queue
            Export: { Name: !Sub "${AWS::StackName}-QueueUrl" }
          QueueArn:
            Value: !GetAtt Queue.Arn
            Export: { Name: !Join ["-", [!Ref "AWS::StackName", QueueArn]] }
          DlqUrl:
            Value: !Ref Dlq
            Export: { Name: Backend-Prod-Data-DlqUrl }
        """;

    private const string ServiceTemplate = """
        Resources:
          QueuePolicy:
            Type: AWS::SQS::QueuePolicy
            Properties:
              Queues: [!ImportValue Backend-Prod-Data-QueueUrl, !ImportValue Backend-Prod-Data-DlqUrl]
              PolicyDocument:
                Statement:
                  - Effect: Deny
                    Principal: { AWS: "*" }
                    Action: "sqs:*"
                    Resource: "*"
                    Condition: { Bool: { aws:SecureTransport: "false" } }
          TopicPolicy:
            Type: AWS::SNS::TopicPolicy
            Properties:
              Topics: ["{{resolve:ssm:/backend/prod/topic-arn}}"]
              PolicyDocument:
                Statement:
                  - Effect: Deny
                    Principal: "*"
                    Action: "sns:Publish"
                    Resource: "*"
                    Condition: { Bool: { aws:SecureTransport: false } }
        """;

    private static TemplateDocument Parse(string yaml, string stack) => TemplateDocument.Parse(yaml, $"cdk.out/{stack}.template.yaml");

    private static TemplateSet Environment(params (string Stack, string Yaml)[] stacks)
    {
        var set = new TemplateSet();
        foreach (var (stack, yaml) in stacks)
        {
            set.Add(stack, Parse(yaml, stack));
        }

        return set;
    }

    [Fact]
    public void Import_value_links_a_queue_policy_to_the_queue_in_another_stack()
    {
        var findings = PolicyEngine.Default.Check(Environment((Data, DataTemplate), (Service, ServiceTemplate)), "prod");

        Assert.Empty(findings.Only("SB-SQS-002"));
    }

    [Fact]
    public void The_same_queue_checked_alone_has_no_policy()
    {
        var findings = PolicyEngine.Default.Check(Parse(DataTemplate, Data), "prod");

        Assert.Equal(["Dlq", "Queue"], findings.Only("SB-SQS-002").Select(f => f.LogicalId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Ssm_dynamic_reference_links_a_topic_policy_to_the_topic_in_another_stack()
    {
        var findings = PolicyEngine.Default.Check(Environment((Data, DataTemplate), (Service, ServiceTemplate)), "prod");

        Assert.Empty(findings.Only("SB-SNS-002"));
        Assert.NotEmpty(PolicyEngine.Default.Check(Parse(DataTemplate, Data), "prod").Only("SB-SNS-002"));
    }

    [Fact]
    public void Export_names_in_Sub_and_Join_resolve_with_the_exporting_stacks_name()
    {
        var set = Environment((Data, DataTemplate), ("Backend-Prod-Operations", """
            Resources:
              Alarm:
                Type: AWS::CloudWatch::Alarm
                Properties:
                  Dimensions:
                    - { Name: QueueName, Value: !ImportValue Backend-Prod-Data-QueueArn }
                    - { Name: Other, Value: !ImportValue { "Fn::Sub": "Backend-Prod-Data-QueueUrl" } }
                    - { Name: Missing, Value: !ImportValue Backend-Dev-Data-QueueUrl }
            """));
        var graph = new ResourceGraph(set);
        var alarm = set.Stacks[1].Template.GetResource("Alarm")!;
        var dimensions = alarm["Dimensions"]!.AsArray();

        Assert.Equal("Queue", graph.Resolve(dimensions[0]!["Value"])!.LogicalId);
        Assert.Same(set.Stacks[0].Template, graph.Resolve(dimensions[1]!["Value"])!.Template);
        Assert.Null(graph.Resolve(dimensions[2]!["Value"]));
        Assert.Equal(
            [("Alarm", "Properties.Dimensions[0].Value"), ("Alarm", "Properties.Dimensions[1].Value")],
            graph.ReferencesTo(set.Stacks[0].Template.GetResource("Queue")!).Select(r => (r.Source.LogicalId, r.Path)));
    }

    [Fact]
    public void Ssm_parameter_type_with_a_default_name_links_a_scaling_policy_to_its_group()
    {
        const string group = """
            Resources:
              Group:
                Type: AWS::AutoScaling::AutoScalingGroup
                Properties: { MinSize: "1", MaxSize: "4", VPCZoneIdentifier: [a, b] }
              GroupName:
                Type: AWS::SSM::Parameter
                Properties: { Type: String, Name: !Sub "/${AWS::StackName}/group", Value: !Ref Group }
            """;
        const string operations = """
            Parameters:
              ApiGroup: { Type: "AWS::SSM::Parameter::Value<String>", Default: /Backend-Prod-Service-Api/group }
            Resources:
              Scaling:
                Type: AWS::AutoScaling::ScalingPolicy
                Properties:
                  AutoScalingGroupName: !Ref ApiGroup
                  PolicyType: TargetTrackingScaling
            """;

        var together = PolicyEngine.Default.Check(Environment((Service, group), ("Backend-Prod-Operations", operations)), "prod");
        var alone = PolicyEngine.Default.Check(Parse(group, Service), "prod");

        Assert.Empty(together.Only("SB-ASG-001"));
        Assert.Single(alone.Only("SB-ASG-001"));
    }

    [Fact]
    public void Web_acl_association_in_the_edge_stack_covers_the_api_stage_of_another_stack()
    {
        const string api = """
            Resources:
              Api: { Type: AWS::ApiGateway::RestApi, Properties: { Name: api } }
              Stage:
                Type: AWS::ApiGateway::Stage
                Properties:
                  RestApiId: !Ref Api
                  StageName: prod
                  MethodSettings: [{ ResourcePath: "/*", HttpMethod: "*", ThrottlingRateLimit: 10, ThrottlingBurstLimit: 20 }]
            Outputs:
              ApiId: { Value: !Ref Api, Export: { Name: !Sub "${AWS::StackName}-ApiId" } }
            """;
        const string edge = """
            Resources:
              Association:
                Type: AWS::WAFv2::WebACLAssociation
                Properties:
                  WebACLArn: arn:aws:wafv2:eu-west-1:1:regional/webacl/x/y
                  ResourceArn:
                    Fn::Sub:
                      - "arn:aws:apigateway:${AWS::Region}::/restapis/${ApiId}/stages/prod"
                      - { ApiId: !ImportValue Backend-Prod-Service-Api-ApiId }
            """;

        Assert.Empty(PolicyEngine.Default.Check(Environment((Service, api), ("Backend-Prod-Edge", edge)), "prod").Only("SB-API-002"));
        Assert.Single(PolicyEngine.Default.Check(Parse(api, Service), "prod").Only("SB-API-002"));
    }

    [Fact]
    public void Ingress_on_an_imported_group_is_judged_by_that_groups_load_balancer_and_names_its_stack()
    {
        const string platform = """
            Resources:
              LbGroup: { Type: AWS::EC2::SecurityGroup, Properties: { GroupDescription: lb } }
              Lb:
                Type: AWS::ElasticLoadBalancingV2::LoadBalancer
                Properties: { Scheme: internet-facing, SecurityGroups: [!GetAtt LbGroup.GroupId] }
              InstanceGroup: { Type: AWS::EC2::SecurityGroup, Properties: { GroupDescription: instances } }
            Outputs:
              LbGroup: { Value: !GetAtt LbGroup.GroupId, Export: { Name: Backend-Prod-Platform-LbGroup } }
              InstanceGroup: { Value: !GetAtt InstanceGroup.GroupId, Export: { Name: Backend-Prod-Platform-InstanceGroup } }
            """;
        const string service = """
            Resources:
              Https:
                Type: AWS::EC2::SecurityGroupIngress
                Properties: { GroupId: !ImportValue Backend-Prod-Platform-LbGroup, IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0 }
              Ssh:
                Type: AWS::EC2::SecurityGroupIngress
                Properties: { GroupId: !ImportValue Backend-Prod-Platform-InstanceGroup, IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0 }
            """;

        var findings = PolicyEngine.Default.Check(Environment(("Backend-Prod-Platform", platform), (Service, service)), "prod").Only("SB-EC2-002");

        var finding = Assert.Single(findings);
        Assert.Equal((Service, "Ssh"), (finding.Stack, finding.LogicalId));
        Assert.EndsWith("on Backend-Prod-Platform/InstanceGroup", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Findings_name_their_stack_and_file_in_the_sets_order()
    {
        var findings = PolicyEngine.Default.Check(Environment(
            ("Backend-Prod-Platform", "Resources: { Logs: { Type: AWS::Logs::LogGroup } }"),
            (Data, "Resources: { Logs: { Type: AWS::Logs::LogGroup } }")), "prod");

        Assert.Equal(
            [("Backend-Prod-Platform", "SB-LOG-001"), ("Backend-Prod-Platform", "SB-LOG-002"), (Data, "SB-LOG-001"), (Data, "SB-LOG-002")],
            findings.Select(f => (f.Stack!, f.RuleId)));
        Assert.All(findings, f => Assert.Equal($"cdk.out/{f.Stack}.template.yaml", f.File));
        Assert.All(findings, f => Assert.Equal("Logs", f.LogicalId));
    }

    [Fact]
    public void A_set_of_one_template_gives_the_single_template_findings_with_the_stack_named()
    {
        var template = TemplateDocument.Load(TestTemplates.Fixture("Backend-Prod.template.json"));

        var single = PolicyEngine.Default.Check(template);
        var set = PolicyEngine.Default.Check(new TemplateSet().Add("Backend-Prod", template));

        Assert.Equal(single.Select(f => f with { Stack = "Backend-Prod" }), set);
        Assert.All(single, f => Assert.Null(f.Stack));
    }

    [Fact]
    public void The_environment_of_each_template_comes_from_its_stack_name()
    {
        const string database = "Resources: { Db: { Type: AWS::RDS::DBInstance, Properties: { StorageEncrypted: true } } }";
        var set = new TemplateSet()
            .Add("Backend-Prod-Data", TemplateDocument.Parse(database, "a.yaml"))
            .Add("Backend-Dev-Data", TemplateDocument.Parse(database, "b.yaml"));

        var findings = PolicyEngine.Default.Check(set).Only("SB-RDS-004");

        Assert.Equal("Backend-Prod-Data", Assert.Single(findings).Stack);
        Assert.Equal(2, PolicyEngine.Default.Check(set, "prod").Only("SB-RDS-004").Count);
    }

    [Fact]
    public void Acknowledgements_apply_to_their_own_resource_in_their_own_stack()
    {
        const string listener = """
            Resources:
              Http:
                Type: AWS::ElasticLoadBalancingV2::Listener
                Properties: { Port: 80, Protocol: HTTP, DefaultActions: [{ Type: forward }] }
                Metadata: { ScalableBackend: { Acknowledgements: [{ Rule: SB-ELB-002, Reason: dev has no certificate }] } }
            """;
        const string unacknowledged = """
            Resources:
              Http:
                Type: AWS::ElasticLoadBalancingV2::Listener
                Properties: { Port: 80, Protocol: HTTP, DefaultActions: [{ Type: forward }] }
            """;

        var findings = PolicyEngine.Default.Check(Environment(("Backend-Dev-Platform", listener), ("Backend-Dev-Edge", unacknowledged))).Only("SB-ELB-002");

        Assert.Equal(
            [("Backend-Dev-Platform", true), ("Backend-Dev-Edge", false)],
            findings.Select(f => (f.Stack!, f.Acknowledged)));
        Assert.Equal(1, Findings.ExitCode(findings));
    }

    [Fact]
    public void Json_and_sarif_carry_the_stack()
    {
        var finding = new Finding("cdk.out/Backend-Prod-Data.template.json", "SB-SQS-002", Severity.Error, "Queue", "AWS::SQS::Queue", "m", Stack: Data);

        var json = JsonNode.Parse(FindingsJson.Serialize([finding]))!["findings"]![0]!.AsObject();
        var result = JsonNode.Parse(Sarif.Serialize([finding], PolicyRules.All))!["runs"]![0]!["results"]![0]!;

        Assert.Equal(["file", "stack", "rule", "severity", "resource", "type", "message", "acknowledged"], json.Select(p => p.Key));
        Assert.Equal(Data, (string?)json["stack"]);
        Assert.Equal($"{Data}/Resources/Queue", (string?)result["locations"]![0]!["logicalLocations"]![0]!["fullyQualifiedName"]);
        Assert.Equal("cdk.out/Backend-Prod-Data.template.json", (string?)result["locations"]![0]!["physicalLocation"]!["artifactLocation"]!["uri"]);
        Assert.Equal(Data, (string?)result["properties"]!["stack"]);
    }

    [Fact]
    public void A_stack_name_or_template_is_added_once()
    {
        var template = TemplateDocument.Parse("Resources: {}", "a.yaml");
        var set = new TemplateSet().Add(Data, template);

        Assert.Throws<ArgumentException>(() => set.Add(Data, TemplateDocument.Parse("Resources: {}", "b.yaml")));
        Assert.Throws<ArgumentException>(() => set.Add(Service, template));
        Assert.Equal(Data, set.StackNameOf(template));
    }

    [Fact]
    public void A_set_from_a_dictionary_keeps_its_order()
    {
        var set = new TemplateSet(new Dictionary<string, TemplateDocument>
        {
            [Data] = Parse(DataTemplate, Data),
            [Service] = Parse(ServiceTemplate, Service),
        });

        Assert.Equal([Data, Service], set.Stacks.Select(s => s.StackName));
    }
}
