using System.Text.Json.Nodes;

namespace ScalableBackend.Policies.Tests;

/// <summary>
/// What the resource graph resolves, within a template and across a set: Ref/GetAtt forms, Fn::Sub placeholders and
/// variables, Referrers' type and property filters, import and SSM chains and their hop limit, dynamic references.
/// Every template and graph is built per test.
/// </summary>
public sealed class ResourceGraphBehaviourTests
{
    private static TemplateDocument Parse(string yaml) => TemplateDocument.Parse(yaml, "graph.yaml");

    private static TemplateResource Resource(TemplateDocument template, string id) => template.GetResource(id)!;

    private static IEnumerable<(string Source, string Path)> Incoming(ResourceGraph graph, TemplateResource target) =>
        graph.ReferencesTo(target).Select(r => (r.Source.LogicalId, r.Path));

    [Fact]
    public void ResolveAll_returns_every_resolvable_item_of_a_list_and_leaves_out_the_rest()
    {
        var template = Parse("""
            Resources:
              A: { Type: AWS::SQS::Queue }
              B: { Type: AWS::SQS::Queue }
              Policy:
                Type: AWS::SQS::QueuePolicy
                Properties: { Queues: [!Ref A, literal-url, !GetAtt B.QueueUrl, !Ref Missing] }
            """);
        var graph = new ResourceGraph(template);

        Assert.Equal(["A", "B"], graph.ResolveAll(Resource(template, "Policy").Properties["Queues"]).Select(r => r.LogicalId));
        Assert.Empty(graph.ResolveAll(null));
    }

    [Fact]
    public void A_Ref_to_a_resource_resolves_to_that_resource_and_counts_as_a_reference()
    {
        var template = Parse("""
            Resources:
              Topic: { Type: AWS::SNS::Topic }
              Policy: { Type: AWS::SNS::TopicPolicy, Properties: { Topics: [!Ref Topic] } }
            """);
        var graph = new ResourceGraph(template);

        Assert.Equal("Topic", graph.Resolve(JsonNode.Parse("""{"Ref":"Topic"}"""))!.LogicalId);
        Assert.Equal([("Policy", "Properties.Topics[0]")], Incoming(graph, Resource(template, "Topic")));
    }

    [Fact]
    public void Malformed_GetAtt_arguments_resolve_to_nothing()
    {
        var graph = new ResourceGraph(Parse("""
            Resources:
              Queue: { Type: AWS::SQS::Queue }
              Alarm:
                Type: AWS::CloudWatch::Alarm
                Properties: { A: { "Fn::GetAtt": [] }, B: { "Fn::GetAtt": 5 }, C: { "Fn::GetAtt": { x: y } } }
            """));

        Assert.Null(graph.Resolve(JsonNode.Parse("""{"Fn::GetAtt":[]}""")));
        Assert.Null(graph.Resolve(JsonNode.Parse("""{"Fn::GetAtt":{"Queue":"Arn"}}""")));
        Assert.Equal("Queue", graph.Resolve(JsonNode.Parse("""{"Fn::GetAtt":"Queue.Arn"}"""))!.LogicalId);
    }

    [Fact]
    public void A_value_from_outside_the_templates_resolves_against_a_lone_template_but_not_against_a_set_of_several()
    {
        const string Yaml = """
            Resources:
              Queue: { Type: AWS::SQS::Queue }
            """;
        var detached = JsonNode.Parse("""{"Ref":"Queue"}""");

        Assert.Equal("Queue", new ResourceGraph(Parse(Yaml)).Resolve(detached)!.LogicalId);

        var set = new TemplateSet().Add("One", Parse(Yaml)).Add("Two", Parse(Yaml));
        Assert.Null(new ResourceGraph(set).Resolve(JsonNode.Parse("""{"Ref":"Queue"}""")));
    }

    [Fact]
    public void Referrers_without_a_property_are_every_referrer_of_the_type_and_with_one_only_those_through_it()
    {
        var template = Parse("""
            Resources:
              Group: { Type: AWS::AutoScaling::AutoScalingGroup }
              Scaling:
                Type: AWS::AutoScaling::ScalingPolicy
                Properties: { AutoScalingGroupName: !Ref Group }
              Hook:
                Type: AWS::AutoScaling::ScalingPolicy
                Properties: { Tags: [{ Value: !Ref Group }] }
              Alarm:
                Type: AWS::CloudWatch::Alarm
                Properties: { AutoScalingGroupName: !Ref Group }
            """);
        var graph = new ResourceGraph(template);
        var group = Resource(template, "Group");

        Assert.Equal(["Scaling", "Hook"], graph.Referrers(group, "AWS::AutoScaling::ScalingPolicy").Select(r => r.LogicalId));
        Assert.Equal(["Scaling"], graph.Referrers(group, "AWS::AutoScaling::ScalingPolicy", "AutoScalingGroupName").Select(r => r.LogicalId));
        Assert.Equal(["Alarm"], graph.Referrers(group, "AWS::CloudWatch::Alarm", "AutoScalingGroupName").Select(r => r.LogicalId));
    }

    [Fact]
    public void Referrers_through_a_property_include_list_items_below_it_but_not_a_longer_property_name()
    {
        var template = Parse("""
            Resources:
              Queue: { Type: AWS::SQS::Queue }
              Alarm:
                Type: AWS::CloudWatch::Alarm
                Properties: { Dimensions: [{ Name: QueueName, Value: !GetAtt Queue.QueueName }] }
            """);
        var graph = new ResourceGraph(template);
        var queue = Resource(template, "Queue");

        Assert.Equal(["Alarm"], graph.Referrers(queue, "AWS::CloudWatch::Alarm", "Dimensions").Select(r => r.LogicalId));
        Assert.Empty(graph.Referrers(queue, "AWS::CloudWatch::Alarm", "Dim"));
    }

    [Fact]
    public void Sub_placeholders_at_the_start_in_a_one_item_list_and_from_an_ssm_typed_parameter_count()
    {
        var template = Parse("""
            Parameters:
              TopicArn: { Type: "AWS::SSM::Parameter::Value<String>", Default: /app/topic-arn }
            Resources:
              Queue: { Type: AWS::SQS::Queue }
              Topic: { Type: AWS::SNS::Topic }
              TopicArnParameter:
                Type: AWS::SSM::Parameter
                Properties: { Type: String, Name: /app/topic-arn, Value: !Ref Topic }
              Alarm:
                Type: AWS::CloudWatch::Alarm
                Properties:
                  AlarmName: { "Fn::Sub": ["${Queue.QueueName}-depth"] }
                  AlarmDescription: !Sub "${TopicArn}"
            """);
        var graph = new ResourceGraph(template);

        Assert.Equal([("Alarm", "Properties.AlarmName.Fn::Sub")], Incoming(graph, Resource(template, "Queue")));
        Assert.Contains(("Alarm", "Properties.AlarmDescription.Fn::Sub"), Incoming(graph, Resource(template, "Topic")));
    }

    [Fact]
    public void Sub_variables_shadow_resources_of_the_same_name_and_references_inside_them_carry_the_variable_path()
    {
        var template = Parse("""
            Resources:
              Queue: { Type: AWS::SQS::Queue }
              Name: { Type: AWS::SQS::Queue }
              Other: { Type: AWS::SQS::Queue }
              Alarm:
                Type: AWS::CloudWatch::Alarm
                Properties:
                  AlarmName: !Sub ["${Name}-${Other}", { Name: !GetAtt Queue.QueueName }]
            """);
        var graph = new ResourceGraph(template);

        Assert.Equal([("Alarm", "Properties.AlarmName.Fn::Sub.Name")], Incoming(graph, Resource(template, "Queue")));
        Assert.Empty(graph.ReferencesTo(Resource(template, "Name")));
        Assert.Equal([("Alarm", "Properties.AlarmName.Fn::Sub")], Incoming(graph, Resource(template, "Other")));
    }

    [Fact]
    public void Malformed_Subs_are_skipped_and_placeholders_before_an_unclosed_one_still_count()
    {
        var template = Parse("""
            Resources:
              Queue: { Type: AWS::SQS::Queue }
              Alarm:
                Type: AWS::CloudWatch::Alarm
                Properties:
                  A: { "Fn::Sub": [] }
                  B: { "Fn::Sub": [5] }
                  C: { "Fn::Sub": { x: y } }
                  D: !Sub "${Queue}-${Queue.Arn"
            """);
        var graph = new ResourceGraph(template);

        Assert.Equal([("Alarm", "Properties.D.Fn::Sub")], Incoming(graph, Resource(template, "Queue")));
    }

    private static TemplateSet ImportChain(int imports, Func<int, string> lastValue)
    {
        // Stack0 exports Link0 = the last value; Stack k exports Link k = !ImportValue Link k-1; the consumer imports
        // Link (imports-1), so reading it takes `imports` imports.
        var set = new TemplateSet();
        for (var k = 0; k < imports; k++)
        {
            var value = k == 0 ? lastValue(k) : $"!ImportValue Link{k - 1}";
            set.Add($"Stack{k}", Parse($$"""
                Resources:
                  Queue: { Type: AWS::SQS::Queue }
                Outputs:
                  Out: { Value: {{value}}, Export: { Name: Link{{k}} } }
                """));
        }

        set.Add("Consumer", Parse($$"""
            Resources:
              Policy:
                Type: AWS::SQS::QueuePolicy
                Properties: { Queues: [!ImportValue Link{{imports - 1}}] }
            """));
        return set;
    }

    private static JsonNode? ConsumerQueues(TemplateSet set) =>
        set.Stacks[^1].Template.GetResource("Policy")!.Properties["Queues"]![0];

    [Theory]
    [InlineData(1)]
    [InlineData(8)]
    public void A_chain_of_up_to_eight_imports_resolves_to_the_exported_resource(int imports)
    {
        var set = ImportChain(imports, _ => "!Ref Queue");
        var graph = new ResourceGraph(set);

        var target = graph.Resolve(ConsumerQueues(set));

        Assert.Same(set.Stacks[0].Template.GetResource("Queue"), target);
        Assert.Equal("Consumer", graph.StackOf(Assert.Single(graph.ReferencesTo(target!)).Source));
    }

    [Fact]
    public void A_chain_of_nine_imports_is_past_the_hop_limit_and_resolves_to_nothing()
    {
        var set = ImportChain(9, _ => "!Ref Queue");

        Assert.Null(new ResourceGraph(set).Resolve(ConsumerQueues(set)));
    }

    [Theory]
    [InlineData(1, "queue-url")]
    [InlineData(8, "queue-url")]
    [InlineData(9, null)]
    public void An_imported_value_reads_as_the_exported_text_for_up_to_eight_imports(int imports, string? expected)
    {
        var set = ImportChain(imports, _ => "queue-url");
        var graph = new ResourceGraph(set);

        Assert.Equal(expected, graph.Text(ConsumerQueues(set), set.Stacks[^1].Template));
    }

    private static TemplateDocument SsmChain(int links)
    {
        // P0 stores !Ref Queue; P k stores a dynamic reference to P k-1; the policy reads P (links-1).
        var yaml = new System.Text.StringBuilder("Resources:\n  Queue: { Type: AWS::SQS::Queue }\n");
        for (var k = 0; k < links; k++)
        {
            var value = k == 0 ? "!Ref Queue" : "\"{{resolve:ssm:/chain/p" + (k - 1) + "}}\"";
            yaml.Append("  P").Append(k).Append(":\n    Type: AWS::SSM::Parameter\n")
                .Append("    Properties: { Type: String, Name: /chain/p").Append(k).Append(", Value: ").Append(value).Append(" }\n");
        }

        yaml.Append("  Policy:\n    Type: AWS::SQS::QueuePolicy\n")
            .Append("    Properties: { Queues: [\"{{resolve:ssm:/chain/p").Append(links - 1).Append("}}\"] }\n");
        return Parse(yaml.ToString());
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(8, true)]
    [InlineData(9, false)]
    public void A_chain_of_ssm_parameters_resolves_within_the_hop_limit(int links, bool resolves)
    {
        var template = SsmChain(links);
        var graph = new ResourceGraph(template);

        var target = graph.Resolve(Resource(template, "Policy").Properties["Queues"]![0]);

        Assert.Equal(resolves ? "Queue" : null, target?.LogicalId);
    }

    [Theory]
    [InlineData("{{resolve:ssm:/app/queue}}", "Queue")]
    [InlineData("{{resolve:ssm:/app/queue:3}}", "Queue")]
    [InlineData("{{resolve:ssm:1234}}", "Numbered")]
    [InlineData("{{resolve:ssm:1234:2}}", "Numbered")]
    [InlineData("{{resolve:ssm:/app/queue}}-suffix", null)]
    [InlineData("{{resolve:ssm:/app/queueXY", null)]
    [InlineData("{{resolve:ssm:/app/other}}", null)]
    public void A_whole_value_ssm_dynamic_reference_with_or_without_a_version_resolves_to_the_stored_resource(string text, string? expected)
    {
        var template = Parse("""
            Resources:
              Queue: { Type: AWS::SQS::Queue }
              Numbered: { Type: AWS::SQS::Queue }
              QueueParameter:
                Type: AWS::SSM::Parameter
                Properties: { Type: String, Name: /app/queue, Value: !Ref Queue }
              NumberedParameter:
                Type: AWS::SSM::Parameter
                Properties: { Type: String, Name: "1234", Value: !Ref Numbered }
            """);
        var graph = new ResourceGraph(template);

        Assert.Equal(expected, graph.Resolve(JsonValue.Create(text))?.LogicalId);
    }
}
