using ScalableBackend.Infra.Validation;
using ScalableBackend.Policies;

namespace ScalableBackend.Infra.Tests.Validation;

/// <summary>
/// Small templates run once through AWS's CloudFormation validator and once through cdk-nag (each a Node.js process
/// started once for the class): what each reports, and how acknowledgements written in the template reach them.
/// </summary>
public sealed class ReviewerFixture
{
    /// <summary>A read replica that repeats StorageEncrypted: FATAL F3020, the defect that would have failed prod's deploy.</summary>
    public const string Replica = """
        {"Resources": {
          "Primary": {"Type": "AWS::RDS::DBInstance", "Properties": {"DBInstanceClass": "db.t4g.micro", "Engine": "postgres",
            "AllocatedStorage": "20", "StorageEncrypted": true, "MasterUsername": "app", "ManageMasterUserPassword": true}},
          "Replica": {"Type": "AWS::RDS::DBInstance", "Properties": {"DBInstanceClass": "db.t4g.micro",
            "SourceDBInstanceIdentifier": {"Ref": "Primary"}, "StorageEncrypted": true}}
        }}
        """;

    /// <summary>A subnet in a written-out zone (W3010), once acknowledged with a reason and once not.</summary>
    public const string Zones = """
        {"Resources": {
          "Vpc": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.0.0.0/16"}},
          "Plain": {"Type": "AWS::EC2::Subnet", "Properties": {"VpcId": {"Ref": "Vpc"}, "CidrBlock": "10.0.0.0/24", "AvailabilityZone": "us-east-1a"}},
          "Acked": {"Type": "AWS::EC2::Subnet", "Properties": {"VpcId": {"Ref": "Vpc"}, "CidrBlock": "10.0.1.0/24", "AvailabilityZone": "us-east-1b"},
            "Metadata": {"ScalableBackend": {"Acknowledgements": [{"Rule": "W3010", "Reason": "the zones come from the environment file"}]}}}
        }}
        """;

    /// <summary>Three buckets without server access logs: one plain, one suppressed in cdk-nag's format, one suppressed without a reason.</summary>
    public const string Buckets = """
        {"Resources": {
          "Plain": {"Type": "AWS::S3::Bucket", "Properties": {}},
          "Suppressed": {"Type": "AWS::S3::Bucket", "Properties": {},
            "Metadata": {"cdk_nag": {"rules_to_suppress": [{"id": "AwsSolutions-S1", "reason": "this bucket is the access-log target"}]}}},
          "NoReason": {"Type": "AWS::S3::Bucket", "Properties": {},
            "Metadata": {"cdk_nag": {"rules_to_suppress": [{"id": "AwsSolutions-S1", "reason": " "}]}}}
        }}
        """;

    /// <summary>Wildcard resources in one policy: one finding matched by a regular-expression applies_to, one not.</summary>
    public const string Wildcards = """
        {"Resources": {
          "Role": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {"Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}}},
          "Policy": {"Type": "AWS::IAM::Policy", "Properties": {"PolicyName": "p", "Roles": [{"Ref": "Role"}],
            "PolicyDocument": {"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow", "Action": "kafka-cluster:ReadData", "Resource": "arn:aws:kafka:us-east-1:111111111111:topic/c/u/*"},
              {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::other/*"}]}},
            "Metadata": {"cdk_nag": {"rules_to_suppress": [{"id": "AwsSolutions-IAM5", "reason": "topics of one cluster",
              "applies_to": [{"regex": "/^Resource::arn:aws:kafka:.*:topic\\/.*\\/\\*$/"}]}]}}}
        }}
        """;

    public IReadOnlyList<Finding> Validator { get; }
    public IReadOnlyList<NagFinding> Nag { get; }
    public string Dir { get; }

    public ReviewerFixture()
    {
        Dir = Directory.CreateTempSubdirectory("sb-review-").FullName;
        string Write(string name, string text) { var path = Path.Combine(Dir, name); File.WriteAllText(path, text); return path; }
        var replica = Write("replica.json", Replica);
        var zones = Write("zones.json", Zones);
        var buckets = Write("buckets.json", Buckets);
        Validator = CloudFormationValidator.Validate([(replica, "us-east-1"), (zones, "us-east-1")]);
        Nag = CdkNag.Check([buckets, Write("wildcards.json", Wildcards)]);
    }
}

public sealed class ReviewerTests(ReviewerFixture reviewed) : IClassFixture<ReviewerFixture>
{
    [Fact]
    public void Validator_reports_a_fatal_diagnostic_as_an_error_with_its_rule_id()
    {
        var fatal = Assert.Single(reviewed.Validator, f => f.RuleId == "F3020");
        Assert.Equal((Severity.Error, "Replica", "AWS::RDS::DBInstance"), (fatal.Severity, fatal.LogicalId, fatal.ResourceType));
        Assert.StartsWith("FATAL ", fatal.Message, StringComparison.Ordinal);
        Assert.EndsWith("replica.json", fatal.File, StringComparison.Ordinal);
        Assert.True(Findings.IsBlocking(fatal));
    }

    [Fact]
    public void Validator_warnings_are_warnings_and_an_acknowledgement_with_a_reason_applies()
    {
        var zones = reviewed.Validator.Where(f => f.RuleId == "W3010").ToDictionary(f => f.LogicalId);
        Assert.Equal(Severity.Warning, zones["Plain"].Severity);
        Assert.False(zones["Plain"].Acknowledged);
        Assert.True(zones["Acked"].Acknowledged);
        Assert.Equal("the zones come from the environment file", zones["Acked"].Reason);
    }

    [Fact]
    public void Validator_reports_nothing_below_warn()
    {
        Assert.DoesNotContain(reviewed.Validator, f => f.Message.StartsWith("INFO", StringComparison.Ordinal));
        Assert.All(reviewed.Validator, f => Assert.Matches("^(FATAL|ERROR|WARN) ", f.Message));
    }

    [Fact]
    public void Cdk_nag_reports_a_bucket_without_access_logs()
    {
        var plain = Assert.Single(reviewed.Nag, f => f.LogicalId == "Plain" && f.Rule == "AwsSolutions-S1");
        Assert.False(plain.Suppressed);
        Assert.Equal("AWS::S3::Bucket", plain.ResourceType);
    }

    [Fact]
    public void Cdk_nag_honours_its_template_suppression_format_only_with_a_reason()
    {
        var suppressed = Assert.Single(reviewed.Nag, f => f.LogicalId == "Suppressed" && f.Rule == "AwsSolutions-S1");
        Assert.True(suppressed.Suppressed);
        Assert.Equal("this bucket is the access-log target", suppressed.Reason);
        Assert.False(Assert.Single(reviewed.Nag, f => f.LogicalId == "NoReason" && f.Rule == "AwsSolutions-S1").Suppressed);
    }

    [Fact]
    public void Cdk_nag_applies_a_regular_expression_suppression_to_the_findings_it_matches_only()
    {
        var wildcards = reviewed.Nag.Where(f => f.LogicalId == "Policy" && f.Rule == "AwsSolutions-IAM5").ToDictionary(f => f.RuleId);
        Assert.True(wildcards["AwsSolutions-IAM5[Resource::arn:aws:kafka:us-east-1:111111111111:topic/c/u/*]"].Suppressed);
        Assert.Equal("topics of one cluster", wildcards["AwsSolutions-IAM5[Resource::arn:aws:kafka:us-east-1:111111111111:topic/c/u/*]"].Reason);
        Assert.False(wildcards["AwsSolutions-IAM5[Resource::arn:aws:s3:::other/*]"].Suppressed);
    }
}
