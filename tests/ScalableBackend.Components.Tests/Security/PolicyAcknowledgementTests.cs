using System.Text.Json.Nodes;
using Amazon.CDK.AWS.S3;
using ScalableBackend.Components.Security;
using ScalableBackend.Components.Tests.Support;

namespace ScalableBackend.Components.Tests.Security;

/// <summary>One call writes an acknowledgement for every checker that reads it, each in its own format.</summary>
public sealed class PolicyAcknowledgementTests
{
    private static readonly JsonObject Metadata = Build();

    private static JsonObject Build()
    {
        var stack = TestStacks.Empty();
        var bucket = new CfnBucket(stack, "Bucket");
        PolicyAcknowledgement.Apply(bucket,
            [
                new PolicyAcknowledgement("SB-S3-003", "ours"),
                .. PolicyAcknowledgement.ForRules("one reason for two findings", "AwsSolutions-IAM5[Resource::*]", "AwsSolutions-IAM5[Action::kms:GenerateDataKey*]"),
                new PolicyAcknowledgement("AwsSolutions-S1", "the whole rule"),
                new PolicyAcknowledgement("W3010", "zones come from the environment file"),
            ]);
        var synthesized = Synthesized.Of(stack);
        return synthesized.OfType("AWS::S3::Bucket").Single().Resource["Metadata"]!.AsObject();
    }

    [Fact]
    public void Every_rule_is_written_with_its_reason_in_the_policy_packs_list()
    {
        var list = Metadata["ScalableBackend"]!["Acknowledgements"]!.AsArray()
            .Select(e => ((string)e!["Rule"]!, (string)e["Reason"]!)).ToArray();

        Assert.Equal(
            [("SB-S3-003", "ours"), ("AwsSolutions-IAM5[Resource::*]", "one reason for two findings"),
             ("AwsSolutions-IAM5[Action::kms:GenerateDataKey*]", "one reason for two findings"),
             ("AwsSolutions-S1", "the whole rule"), ("W3010", "zones come from the environment file")],
            list);
    }

    [Fact]
    public void Cdk_nag_rules_are_written_in_cdk_nags_template_format_with_findings_as_applies_to()
    {
        var entries = Metadata["cdk_nag"]!["rules_to_suppress"]!.AsArray().Select(e => e!.AsObject()).ToArray();

        Assert.Equal(2, entries.Length);
        var iam = entries.Single(e => (string)e["id"]! == "AwsSolutions-IAM5");
        Assert.Equal("one reason for two findings", (string)iam["reason"]!);
        Assert.Equal(["Resource::*", "Action::kms:GenerateDataKey*"], iam["applies_to"]!.AsArray().Select(a => (string)a!));
        var s1 = entries.Single(e => (string)e["id"]! == "AwsSolutions-S1");
        Assert.Null(s1["applies_to"]);
    }

    [Fact]
    public void Validator_rules_are_also_written_as_cfn_lint_ignore_checks()
    {
        Assert.Equal(["W3010"], Metadata["cfn-lint"]!["config"]!["ignore_checks"]!.AsArray().Select(a => (string)a!));
    }

    [Fact]
    public void Calls_add_up_on_the_same_resource_through_its_l2_and_a_repeated_rule_is_written_once()
    {
        var stack = TestStacks.Empty();
        var bucket = new Bucket(stack, "Logs");
        PolicyAcknowledgement.Apply(bucket, new PolicyAcknowledgement("AwsSolutions-S1", "the component's decision"));
        PolicyAcknowledgement.Apply(bucket.Node.DefaultChild!,
            new PolicyAcknowledgement("SB-S3-003", "the stack's decision"),
            new PolicyAcknowledgement("AwsSolutions-S1", "the component's decision"));

        var metadata = Synthesized.Of(stack).OfType("AWS::S3::Bucket").Single().Resource["Metadata"]!.AsObject();

        Assert.Equal(["AwsSolutions-S1", "SB-S3-003"],
            metadata["ScalableBackend"]!["Acknowledgements"]!.AsArray().Select(e => (string)e!["Rule"]!));
        Assert.Equal(["AwsSolutions-S1"],
            metadata["cdk_nag"]!["rules_to_suppress"]!.AsArray().Select(e => (string)e!["id"]!));
    }

    [Fact]
    public void A_finding_written_as_slashes_becomes_cdk_nags_regex_applies_to()
    {
        var stack = TestStacks.Empty();
        var bucket = new CfnBucket(stack, "Bucket");
        PolicyAcknowledgement.Apply(bucket, new PolicyAcknowledgement(@"AwsSolutions-IAM5[/^Resource::arn:.*:topic\/.*$/]", "topics of one cluster"));

        var entry = Synthesized.Of(stack).OfType("AWS::S3::Bucket").Single().Resource["Metadata"]!["cdk_nag"]!["rules_to_suppress"]![0]!;

        Assert.Equal("AwsSolutions-IAM5", (string?)entry["id"]);
        Assert.Equal(@"/^Resource::arn:.*:topic\/.*$/", (string?)entry["applies_to"]![0]!["regex"]);
    }

    [Theory]
    [InlineData("AwsSolutions-IAM5[Resource::*]", true, false)]
    [InlineData("AwsSolutions-S1", true, false)]
    [InlineData("W3010", false, true)]
    [InlineData("F3020", false, true)]
    [InlineData("SB-ELB-001", false, false)]
    public void Rule_ids_are_told_apart_by_checker(string rule, bool nag, bool validator)
    {
        Assert.Equal((nag, validator), (PolicyAcknowledgement.IsCdkNagRule(rule), PolicyAcknowledgement.IsValidatorRule(rule)));
    }
}
