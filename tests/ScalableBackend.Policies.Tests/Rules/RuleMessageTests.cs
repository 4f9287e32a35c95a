namespace ScalableBackend.Policies.Tests.Rules;

/// <summary>
/// What each rule tells the reader on its violating case: the message names the property, the value and why it falls
/// short (the table and SARIF show only this line), and the catalog entry links the AWS document the rule follows.
/// </summary>
public sealed class RuleMessageTests
{
    [Theory]
    [InlineData("SB-ACK-001", "Logs", "Metadata.ScalableBackend.Acknowledgements[0] acknowledges SB-LOG-001 without a reason; the finding stays unacknowledged")]
    [InlineData("SB-ACK-002", "Logs", "Metadata.ScalableBackend.Acknowledgements[0] acknowledges unknown rule SB-LOG-999")]
    [InlineData("SB-ACK-003", "Logs", "Metadata.ScalableBackend.Acknowledgements[0] is not an object with a \"Rule\" string")]
    [InlineData("SB-API-001", "Prod", "no MethodSettings with ThrottlingRateLimit and ThrottlingBurstLimit")]
    [InlineData("SB-API-002", "Prod", "no AWS::WAFv2::WebACLAssociation refers to this stage")]
    [InlineData("SB-ASG-001", "Web", "MaxSize 2 is not greater than MinSize 2: a fixed-size fleet that never adds capacity")]
    [InlineData("SB-ASG-002", "Web", "VPCZoneIdentifier has 1 entry")]
    [InlineData("SB-ASG-003", "Web", "HealthCheckType is missing (EC2) although the group is behind a load balancer")]
    [InlineData("SB-ASG-005", "Web", "launches from the launch configuration Config")]
    [InlineData("SB-ASG-004", "Web", "Template sets AssociatePublicIpAddress: true")]
    [InlineData("SB-EC2-001", "Template", "block device /dev/xvda: Ebs.Encrypted is missing")]
    [InlineData("SB-EC2-002", "Ssh", "allows 0.0.0.0/0 on tcp 22 on AppSg")]
    [InlineData("SB-EC2-003", "Template", "MetadataOptions.HttpTokens is optional")]
    [InlineData("SB-EC2-004", "Web", "allows 0.0.0.0/0 on tcp 443 on LbSg")]
    [InlineData("SB-EC-001", "Cache", "AtRestEncryptionEnabled is false")]
    [InlineData("SB-EC-002", "Cache", "TransitEncryptionEnabled is false")]
    [InlineData("SB-EC-003", "Cache", "MultiAZEnabled is false")]
    [InlineData("SB-ELB-001", "Lb", "attribute access_logs.s3.enabled is missing")]
    [InlineData("SB-ELB-002", "Http", "HTTP listener on port 80 does not only redirect to HTTPS")]
    [InlineData("SB-ELB-003", "Https", "SslPolicy ELBSecurityPolicy-2016-08 allows TLS versions older than 1.2")]
    [InlineData("SB-ELB-004", "Lb", "attribute deletion_protection.enabled is false")]
    [InlineData("SB-ELB-005", "Targets", "HealthCheckPath is missing (default \"/\")")]
    [InlineData("SB-ELB-006", "Alb", "listener rule Rule on Https forwards without an http-header condition on x-origin-verify, so it also serves requests that did not come through the API (integration Orders)")]
    [InlineData("SB-IAM-001", "Role", "Policies[admin] statement 0 allows Action \"*\"")]
    [InlineData("SB-IAM-002", "Policy", "PolicyDocument statement 0 allows Resource \"*\"")]
    [InlineData("SB-LOG-001", "Logs", "KmsKeyId is missing")]
    [InlineData("SB-LOG-002", "Logs", "RetentionInDays is missing (logs never expire)")]
    [InlineData("SB-OS-001", "Search", "EncryptionAtRestOptions.Enabled is false")]
    [InlineData("SB-OS-002", "Search", "DomainEndpointOptions.TLSSecurityPolicy is missing (default allows TLS 1.0)")]
    [InlineData("SB-OS-003", "Search", "NodeToNodeEncryptionOptions.Enabled is missing")]
    [InlineData("SB-RDS-001", "Db", "StorageEncrypted is false")]
    [InlineData("SB-RDS-002", "Db", "parameter group Params sets rds.force_ssl = 0")]
    [InlineData("SB-RDS-003", "Db", "PubliclyAccessible is true")]
    [InlineData("SB-RDS-004", "Db", "MultiAZ is false")]
    [InlineData("SB-RDS-005", "Db", "DeletionProtection is false")]
    [InlineData("SB-RDS-006", "Db", "BackupRetentionPeriod is 1 day(s)")]
    [InlineData("SB-RDS-007", "Db", "UpdateReplacePolicy is missing (Delete)")]
    [InlineData("SB-S3-001", "Bucket", "BucketEncryption is missing")]
    [InlineData("SB-S3-002", "Bucket", "Policy has no Deny statement for every principal on s3:* with Condition Bool aws:SecureTransport = false whose Resource covers the bucket and its objects (arn:aws:s3:::name and arn:aws:s3:::name/*)")]
    [InlineData("SB-S3-003", "Bucket", "PublicAccessBlockConfiguration turns off BlockPublicAcls, BlockPublicPolicy")]
    [InlineData("SB-SEC-001", "Db", "MasterUserPassword is a literal string; use a Secrets Manager dynamic reference")]
    [InlineData("SB-SEC-001", "Cache", "AuthToken refers to parameter Visible, which is not NoEcho")]
    [InlineData("SB-SNS-001", "Topic", "KmsMasterKeyId is missing")]
    [InlineData("SB-SNS-002", "Topic", "no AWS::SNS::TopicPolicy in this template refers to Topic or names it, so nothing denies requests without TLS")]
    [InlineData("SB-SNS-003", "AlarmsPolicy", "Errors publish to Alarms as cloudwatch.amazonaws.com, but no Allow statement lets cloudwatch.amazonaws.com call sns:Publish (the policy replaces SNS's default policy)")]
    [InlineData("SB-IAM-003", "Role", "ManagedPolicyArns attaches AWS managed AmazonS3FullAccess (service-wide: s3:* and s3-object-lambda:* on every bucket)")]
    [InlineData("SB-IAM-004", "Role", "ManagedPolicyArns attaches AWS managed AmazonSSMManagedInstanceCore (ssm:GetParameter and ssm:GetParameters on *)")]
    [InlineData("SB-KMS-001", "DataKey", "EnableKeyRotation is missing (no rotation)")]
    [InlineData("SB-KMS-001", "OffKey", "EnableKeyRotation is false")]
    [InlineData("SB-SQS-001", "Queue", "SqsManagedSseEnabled is false and no KmsMasterKeyId is set")]
    [InlineData("SB-SQS-002", "Queue", "QueuePolicy has no Deny statement for every principal on sqs:* with Condition Bool aws:SecureTransport = false whose Resource covers the queue ARN")]
    [InlineData("SB-SQS-003", "Queue", "no RedrivePolicy, and no other resource uses this queue as a dead-letter queue")]
    public void The_violating_case_is_reported_in_words(string ruleId, string logicalId, string message)
    {
        var findings = TestTemplates.Check(RuleCases.Get(ruleId).Violating).Only(ruleId);

        Assert.Contains(findings, f => f.LogicalId == logicalId && f.Message == message);
    }

    [Fact]
    public void Every_rule_case_has_its_messages_pinned()
    {
        var pinned = typeof(RuleMessageTests).GetMethod(nameof(The_violating_case_is_reported_in_words))!
            .GetCustomAttributes(typeof(InlineDataAttribute), false).Cast<InlineDataAttribute>()
            .Select(a => (string)a.GetData(null!).Single()[0]).ToHashSet(StringComparer.Ordinal);

        Assert.All(RuleCases.All, c => Assert.Contains(c.RuleId, pinned));
    }

    [Fact]
    public void Every_checked_rule_links_the_aws_document_it_follows()
    {
        Assert.All(PolicyRules.Checks, r => Assert.StartsWith("https://docs.aws.amazon.com/", r.Descriptor.Source, StringComparison.Ordinal));
    }

    [Fact]
    public void The_production_only_rules_are_the_production_settings()
    {
        Assert.Equal(
            ["SB-EC-003", "SB-ELB-004", "SB-RDS-004", "SB-RDS-005", "SB-RDS-006", "SB-RDS-007"],
            PolicyRules.All.Where(r => r.ProductionOnly).Select(r => r.Id).Order(StringComparer.Ordinal));
    }

    public static TheoryData<string> ProductionOnly() => new(PolicyRules.All.Where(r => r.ProductionOnly).Select(r => r.Id));

    [Theory]
    [MemberData(nameof(ProductionOnly))]
    public void A_production_only_rule_is_silent_outside_production(string ruleId)
    {
        var violating = RuleCases.Get(ruleId).Violating;

        Assert.Empty(TestTemplates.Check(violating, "dev").Only(ruleId));
        Assert.Empty(TestTemplates.Check(violating, environment: null, file: "Backend-Dev.template.yaml").Only(ruleId));
        Assert.NotEmpty(TestTemplates.Check(violating, environment: null, file: "Backend-Prod.template.yaml").Only(ruleId));
    }
}
