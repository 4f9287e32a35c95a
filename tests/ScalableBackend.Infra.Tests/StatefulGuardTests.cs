using ScalableBackend.Infra.Preview;
using ScalableBackend.Policies;

namespace ScalableBackend.Infra.Tests;

/// <summary>
/// The stateful-replacement guard on hand-made diffs (no Node.js): every impact kind the diff library reports, every
/// cause, and both kinds of acknowledgement.
/// </summary>
public sealed class StatefulGuardTests
{
    private const string Queue = "AWS::SQS::Queue";

    private static readonly TemplateDocument Head = TemplateDocument.Parse("""
        Metadata:
          ScalableBackend:
            Acknowledgements:
              - { Rule: SB-DIFF-001, Resource: OldLogs, Reason: "logs moved to the central archive" }
              - { Rule: SB-ELB-002, Resource: OldBucket, Reason: "wrong rule" }
              - { Rule: SB-DIFF-001, Resource: OldTable, Reason: "  " }
        Resources:
          Jobs: { Type: AWS::SQS::Queue }
          Renamed:
            Type: AWS::SQS::Queue
            Metadata: { ScalableBackend: { Acknowledgements: [{ Rule: SB-DIFF-001, Reason: "  drained before the switch  " }] } }
          OtherRule:
            Type: AWS::SQS::Queue
            Metadata: { ScalableBackend: { Acknowledgements: [{ Rule: SB-ELB-002, Reason: "not this rule" }] } }
        """, "head.yaml");

    private static ResourceChange Change(
        string impact, string type = Queue, string id = "Jobs", bool added = false, bool removed = false, bool typeChanged = false,
        params PropertyChange[] properties) =>
        new(id, added ? null : type, removed ? null : typeChanged ? "AWS::SNS::Topic" : type, impact, added, removed, typeChanged, properties);

    private static IReadOnlyList<StatefulChange> Find(params ResourceChange[] changes) =>
        StatefulGuard.Find(new TemplateDiffResult("base.json", "head.json", changes.Length, "", changes), Head);

    [Theory]
    [InlineData("WILL_REPLACE", "will be replaced: FifoQueue")]
    [InlineData("MAY_REPLACE", "may be replaced: FifoQueue")]
    [InlineData("WILL_DESTROY", "will be deleted: FifoQueue")]
    [InlineData("WILL_ORPHAN", "will be removed from the stack (retained, orphaned): FifoQueue")]
    public void Every_risky_impact_on_a_stateful_resource_is_reported(string impact, string what)
    {
        var change = Assert.Single(Find(Change(impact, properties: new PropertyChange("FifoQueue", "WILL_REPLACE"))));

        Assert.Equal(("Jobs", Queue, impact), (change.LogicalId, change.ResourceType, change.Impact));
        Assert.Equal(what, change.What);
        Assert.Equal($"Jobs (AWS::SQS::Queue) {what}", change.Describe());
        Assert.False(change.Acknowledged);
    }

    [Theory]
    [InlineData("WILL_UPDATE")]
    [InlineData("NO_CHANGE")]
    [InlineData("WILL_CREATE")]
    public void Impacts_that_keep_the_resource_are_not_reported(string impact)
    {
        Assert.Empty(Find(Change(impact, properties: new PropertyChange("VisibilityTimeout", "WILL_UPDATE"))));
    }

    [Fact]
    public void An_added_stateful_resource_is_not_reported()
    {
        Assert.Empty(Find(Change("WILL_CREATE", added: true)));
    }

    [Fact]
    public void A_replacement_of_a_stateless_resource_is_not_reported()
    {
        Assert.Empty(Find(Change("WILL_REPLACE", type: "AWS::EC2::LaunchTemplate", properties: new PropertyChange("LaunchTemplateName", "WILL_REPLACE"))));
    }

    [Theory]
    [InlineData("AWS::RDS::DBInstance")]
    [InlineData("AWS::RDS::DBCluster")]
    [InlineData("AWS::ElastiCache::ReplicationGroup")]
    [InlineData("AWS::ElastiCache::CacheCluster")]
    [InlineData("AWS::ElastiCache::ServerlessCache")]
    [InlineData("AWS::SQS::Queue")]
    [InlineData("AWS::S3::Bucket")]
    [InlineData("AWS::OpenSearchService::Domain")]
    [InlineData("AWS::Logs::LogGroup")]
    [InlineData("AWS::AmazonMQ::Broker")]
    [InlineData("AWS::MSK::Cluster")]
    [InlineData("AWS::DynamoDB::Table")]
    [InlineData("AWS::EFS::FileSystem")]
    [InlineData("AWS::KMS::Key")]
    [InlineData("AWS::SecretsManager::Secret")]
    [InlineData("AWS::Kinesis::Stream")]
    public void Every_documented_stateful_type_is_guarded(string type)
    {
        Assert.Single(Find(Change("WILL_REPLACE", type: type, properties: new PropertyChange("Name", "WILL_REPLACE"))));
    }

    [Fact]
    public void A_removed_resource_is_a_deletion_whatever_the_library_called_it()
    {
        var change = Assert.Single(Find(Change("WILL_UPDATE", removed: true)));

        Assert.Equal("WILL_DESTROY", change.Impact);
        Assert.Equal(["removed from the template"], change.Causes);
    }

    [Fact]
    public void A_removed_retained_resource_stays_an_orphaning()
    {
        Assert.Equal("WILL_ORPHAN", Assert.Single(Find(Change("WILL_ORPHAN", removed: true))).Impact);
    }

    [Fact]
    public void A_type_change_names_the_new_type()
    {
        var change = Assert.Single(Find(Change("WILL_REPLACE", typeChanged: true)));

        Assert.Equal(["type changed to AWS::SNS::Topic"], change.Causes);
    }

    [Fact]
    public void Causes_are_the_replacing_properties_and_may_replace_ones_are_marked()
    {
        var change = Assert.Single(Find(Change("MAY_REPLACE", properties:
        [
            new PropertyChange("FifoQueue", "WILL_REPLACE"),
            new PropertyChange("QueueName", "MAY_REPLACE"),
            new PropertyChange("VisibilityTimeout", "WILL_UPDATE"),
        ])));

        Assert.Equal(["FifoQueue", "QueueName (may replace)"], change.Causes);
        Assert.Equal("may be replaced: FifoQueue, QueueName (may replace)", change.What);
    }

    [Fact]
    public void A_replacement_without_a_replacing_property_points_at_the_diff()
    {
        Assert.Equal(["replacement (see the diff)"], Assert.Single(Find(Change("WILL_REPLACE"))).Causes);
    }

    [Fact]
    public void A_head_resource_acknowledging_the_rule_with_a_reason_is_acknowledged_with_the_trimmed_reason()
    {
        var change = Assert.Single(Find(Change("WILL_REPLACE", id: "Renamed")));

        Assert.True(change.Acknowledged);
        Assert.Equal("drained before the switch", change.Reason);
    }

    [Fact]
    public void An_acknowledgement_of_another_rule_does_not_acknowledge()
    {
        Assert.False(Assert.Single(Find(Change("WILL_REPLACE", id: "OtherRule"))).Acknowledged);
    }

    [Fact]
    public void A_removed_resource_is_acknowledged_in_the_head_templates_metadata_by_its_logical_id()
    {
        var changes = Find(
            Change("WILL_DESTROY", type: "AWS::Logs::LogGroup", id: "OldLogs", removed: true),
            Change("WILL_DESTROY", type: "AWS::S3::Bucket", id: "OldBucket", removed: true),
            Change("WILL_DESTROY", type: "AWS::DynamoDB::Table", id: "OldTable", removed: true),
            Change("WILL_DESTROY", type: "AWS::SQS::Queue", id: "Renamed", removed: true));

        Assert.Equal(
            [("OldLogs", "logs moved to the central archive"), ("OldBucket", null), ("OldTable", null), ("Renamed", null)],
            changes.Select(c => (c.LogicalId, c.Reason)));
    }

    private static TemplateDocument Acknowledging(string file, string entries) =>
        TemplateDocument.Parse($"Metadata:\n  ScalableBackend:\n    Acknowledgements:\n{entries}Resources:\n  Other: {{ Type: AWS::SQS::Queue }}\n", file);

    [Fact]
    public void In_a_stacks_own_head_an_acknowledgement_naming_a_stack_counts_only_for_that_stack()
    {
        var head = Acknowledging("data.yaml", """
                  - { Rule: SB-DIFF-001, Resource: Here, Stack: Backend-Prod-Data, Reason: "this stack" }
                  - { Rule: SB-DIFF-001, Resource: Elsewhere, Stack: Backend-Prod-Other, Reason: "another stack" }
                  - { Rule: SB-DIFF-001, Resource: Anywhere, Reason: "any stack" }

            """);
        var diff = new TemplateDiffResult("base.json", "head.json", 3, "",
            [Change("WILL_DESTROY", id: "Here", removed: true), Change("WILL_DESTROY", id: "Elsewhere", removed: true), Change("WILL_DESTROY", id: "Anywhere", removed: true)]);

        Assert.Equal([("Here", "this stack"), ("Elsewhere", null), ("Anywhere", "any stack")],
            StatefulGuard.Find(diff, head, [], "Backend-Prod-Data").Select(c => (c.LogicalId, c.Reason)));
    }

    [Fact]
    public void A_removed_stacks_resources_are_acknowledged_only_by_the_environments_entries_that_name_that_stack()
    {
        var platform = Acknowledging("platform.yaml", """
                  - { Rule: SB-DIFF-001, Resource: Unnamed, Reason: "names no stack" }
                  - { Rule: SB-DIFF-001, Resource: Moved, Stack: Backend-Prod-Other, Reason: "another stack's" }

            """);
        var data = Acknowledging("data.yaml", """
                  - { Rule: SB-DIFF-001, Resource: Moved, Stack: Backend-Prod-Legacy, Reason: "copied to the data stack first" }
                  - { Rule: SB-ELB-002, Resource: Wrong, Stack: Backend-Prod-Legacy, Reason: "another rule" }

            """);
        var diff = new TemplateDiffResult("base.json", "-", 3, "",
        [
            Change("WILL_DESTROY", id: "Moved", removed: true),
            Change("WILL_DESTROY", id: "Unnamed", removed: true),
            Change("WILL_DESTROY", id: "Wrong", removed: true),
        ]);

        var changes = StatefulGuard.Find(diff, null, [platform, data], "Backend-Prod-Legacy");

        Assert.Equal([("Moved", "copied to the data stack first"), ("Unnamed", null), ("Wrong", null)], changes.Select(c => (c.LogicalId, c.Reason)));
        Assert.All(changes, c => Assert.Equal("WILL_DESTROY", c.Impact));
    }

    [Fact]
    public void The_guard_is_the_catalogs_change_rule()
    {
        Assert.Equal(StatefulGuard.RuleId, ChangeRules.StatefulReplacement.Id);
        Assert.Same(ChangeRules.StatefulReplacement, StatefulGuard.Descriptor);
    }
}
