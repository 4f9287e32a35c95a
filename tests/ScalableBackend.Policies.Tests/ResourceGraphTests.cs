namespace ScalableBackend.Policies.Tests;

public sealed class ResourceGraphTests
{
    // Per test (xUnit makes an instance per test), not static: mutation testing must see the mutant active in each test.
    private readonly TemplateDocument Template = TemplateDocument.Parse("""
        Resources:
          Queue:
            Type: AWS::SQS::Queue
            Properties:
              RedrivePolicy: { deadLetterTargetArn: !GetAtt DeadLetters.Arn }
          DeadLetters: { Type: AWS::SQS::Queue }
          Alarm:
            Type: AWS::CloudWatch::Alarm
            Properties:
              AlarmDescription: !Sub "${Queue.QueueName} in ${AWS::Region} ${!Literal} ${Other}"
              Dimensions: [{ Name: QueueName, Value: !GetAtt [DeadLetters, QueueName] }]
        """, "graph.yaml");

    private ResourceGraph Graph => _graph ??= new(Template);

    private ResourceGraph? _graph;

    [Fact]
    public void Resolve_follows_Ref_and_GetAtt()
    {
        Assert.Equal("DeadLetters", Graph.Resolve(Values.At(Template.GetResource("Queue")!.Properties, "RedrivePolicy.deadLetterTargetArn"))!.LogicalId);
        Assert.Null(Graph.Resolve(Template.GetResource("Queue")!["Missing"]));
    }

    [Fact]
    public void References_to_a_resource_carry_their_source_and_path()
    {
        var references = Graph.ReferencesTo(Template.GetResource("DeadLetters")!);

        Assert.Equal(
            [("Queue", "Properties.RedrivePolicy.deadLetterTargetArn"), ("Alarm", "Properties.Dimensions[0].Value")],
            references.Select(r => (r.Source.LogicalId, r.Path)));
    }

    [Fact]
    public void Sub_placeholders_count_as_references_but_literals_and_pseudo_parameters_do_not()
    {
        var references = Graph.ReferencesTo(Template.GetResource("Queue")!);

        var reference = Assert.Single(references);
        Assert.Equal(("Alarm", "Properties.AlarmDescription.Fn::Sub"), (reference.Source.LogicalId, reference.Path));
    }

    [Fact]
    public void Referrers_filter_by_type_and_property()
    {
        var deadLetters = Template.GetResource("DeadLetters")!;

        Assert.Equal(["Queue"], Graph.Referrers(deadLetters, "AWS::SQS::Queue", "RedrivePolicy").Select(r => r.LogicalId));
        Assert.Empty(Graph.Referrers(deadLetters, "AWS::SQS::Queue", "Redrive"));
    }
}
