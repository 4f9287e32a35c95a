using System.Text.Json.Nodes;
using Amazon.CDK.AWS.Logs;
using ScalableBackend.Components.Observability;
using ScalableBackend.Components.Tests.Support;

namespace ScalableBackend.Components.Tests.Observability;

public sealed class CentralLoggingTests(CentralLoggingFixture fixture) : IClassFixture<CentralLoggingFixture>
{
    private const string Domain = "AWS::OpenSearchService::Domain";
    private const string Stream = "AWS::KinesisFirehose::DeliveryStream";
    private const string Bucket = "AWS::S3::Bucket";

    private JsonObject DomainProps => fixture.Stack.Props(Domain, "LoggingDomain");
    private JsonObject SearchStream => fixture.Stack.Props(Stream, "LoggingDeliveryStream");
    private JsonObject ArchiveStream => fixture.Stack.Props(Stream, "ArchiveOnlyDeliveryStream");
    private string Id(string type, string prefix) => fixture.Stack.ById(type, prefix).Id;

    [Fact]
    public void EncryptsTheDomainAtRestWithTheKeyAndBetweenNodes()
    {
        Assert.True((bool)DomainProps["EncryptionAtRestOptions"]!["Enabled"]!);
        Assert.Equal($"{{Ref:{Id("AWS::KMS::Key", "LoggingKey")}}}", TemplateText.Flatten(DomainProps["EncryptionAtRestOptions"]!["KmsKeyId"]));
        Assert.True((bool)DomainProps["NodeToNodeEncryptionOptions"]!["Enabled"]!);
    }

    [Fact]
    public void EnforcesHttpsWithATls12Policy()
    {
        Assert.True((bool)DomainProps["DomainEndpointOptions"]!["EnforceHTTPS"]!);
        Assert.StartsWith("Policy-Min-TLS-1-2", (string?)DomainProps["DomainEndpointOptions"]!["TLSSecurityPolicy"]);
    }

    [Fact]
    public void UsesFineGrainedAccessControlWithAGeneratedMasterUser()
    {
        var security = DomainProps["AdvancedSecurityOptions"]!;
        Assert.True((bool)security["Enabled"]!);
        Assert.True((bool)security["InternalUserDatabaseEnabled"]!);
        Assert.StartsWith("{{resolve:secretsmanager:", TemplateText.Flatten(security["MasterUserOptions"]!["MasterUserPassword"]));
        Assert.NotNull(fixture.Stack.Props("AWS::SecretsManager::Secret", "LoggingDomainMasterUser")["GenerateSecretString"]);
    }

    [Fact]
    public void HasDedicatedMastersAndZoneAwarenessWhenAsked()
    {
        var cluster = DomainProps["ClusterConfig"]!;
        Assert.True((bool)cluster["DedicatedMasterEnabled"]!);
        Assert.Equal(3, (int)cluster["DedicatedMasterCount"]!);
        Assert.Equal("m6g.large.search", (string?)cluster["DedicatedMasterType"]);
        Assert.True((bool)cluster["ZoneAwarenessEnabled"]!);
        Assert.Equal(2, (int)cluster["ZoneAwarenessConfig"]!["AvailabilityZoneCount"]!);
        Assert.Equal(2, (int)cluster["InstanceCount"]!);
        Assert.Equal("r6g.xlarge.search", (string?)cluster["InstanceType"]);
        Assert.Equal(100, (int)DomainProps["EBSOptions"]!["VolumeSize"]!);
        Assert.Equal("gp3", (string?)DomainProps["EBSOptions"]!["VolumeType"]);
    }

    [Fact]
    public void RunsTheDomainInTheIsolatedSubnetsBehindItsOwnSecurityGroup()
    {
        var vpc = DomainProps["VPCOptions"]!;
        Assert.All(vpc["SubnetIds"]!.AsArray(), s => Assert.Contains("IsolatedSubnet", TemplateText.Flatten(s)));
        Assert.Equal($"{{GetAtt:{Id("AWS::EC2::SecurityGroup", "LoggingDomainSecurityGroup")}.GroupId}}", TemplateText.Flatten(vpc["SecurityGroupIds"]![0]));
        Assert.Equal("Retain", (string?)fixture.Stack.ById(Domain, "LoggingDomain").Resource["DeletionPolicy"]);
    }

    [Fact]
    public void TheDomainAdmitsOnlyHttpsFromTheStreamAndDeclaredPeers()
    {
        var domainGroup = Id("AWS::EC2::SecurityGroup", "LoggingDomainSecurityGroup");
        var ingress = fixture.Stack.OfType("AWS::EC2::SecurityGroupIngress")
            .Select(r => r.Resource["Properties"]!.AsObject())
            .Where(p => TemplateText.Flatten(p["GroupId"]).Contains(domainGroup, StringComparison.Ordinal))
            .ToArray();
        Assert.Equal(2, ingress.Length);
        Assert.All(ingress, p => Assert.Equal(443, (int)p["FromPort"]!));
        Assert.All(ingress, p => Assert.Equal(443, (int)p["ToPort"]!));
        var sources = ingress.Select(p => TemplateText.Flatten(p["SourceSecurityGroupId"])).ToArray();
        Assert.Contains(sources, s => s.Contains("LoggingDeliverySecurityGroup", StringComparison.Ordinal));
        Assert.Contains(sources, s => s.Contains("Bastion", StringComparison.Ordinal));
        Assert.Null(fixture.Stack.Props("AWS::EC2::SecurityGroup", "LoggingDomainSecurityGroup")["SecurityGroupIngress"]);
    }

    [Fact]
    public void PublishesAuditLogsToAnEncryptedLogGroupItsPolicyLetsOnlyThisDomainWrite()
    {
        var audit = DomainProps["LogPublishingOptions"]!["AUDIT_LOGS"]!;
        Assert.True((bool)audit["Enabled"]!);
        var groupId = Id("AWS::Logs::LogGroup", "LoggingDomainAuditLogs");
        Assert.Equal($"{{GetAtt:{groupId}.Arn}}", TemplateText.Flatten(audit["CloudWatchLogsLogGroupArn"]));
        var group = fixture.Stack.Props("AWS::Logs::LogGroup", "LoggingDomainAuditLogs");
        Assert.NotNull(group["KmsKeyId"]);
        Assert.Equal(365, (int)group["RetentionInDays"]!);
        var policyText = TemplateText.Flatten(fixture.Stack.Props("AWS::Logs::ResourcePolicy", "LoggingDomainLogsPolicy")["PolicyDocument"]);
        Assert.Contains("\"Service\":\"es.amazonaws.com\"", policyText);
        Assert.Contains("\"logs:CreateLogStream\",\"logs:PutLogEvents\"", policyText);
        Assert.Contains($"{{GetAtt:{groupId}.Arn}}", policyText);
        Assert.Contains(":domain/backend-test-logs\"", policyText);
        Assert.Contains("aws:SourceAccount", policyText);
        // OpenSearch checks the policy when publishing is enabled: the domain waits for it.
        Assert.Contains(Id("AWS::Logs::ResourcePolicy", "LoggingDomainLogsPolicy"),
            fixture.Stack.ById(Domain, "LoggingDomain").Resource["DependsOn"]!.AsArray().Select(d => (string?)d));
    }

    [Fact]
    public void TheResourcePolicyCoversOnlyTheDomainsHttpApi()
    {
        var statement = DomainProps["AccessPolicies"]!["Statement"]![0]!;
        Assert.Equal("es:ESHttp*", (string?)statement["Action"]);
        Assert.EndsWith(":domain/backend-test-logs/*", TemplateText.Flatten(statement["Resource"]));
    }

    [Fact]
    public void StreamsIntoTheDomainInsideTheVpcWithEveryDocumentBackedUp()
    {
        var destination = SearchStream["AmazonopensearchserviceDestinationConfiguration"]!;
        Assert.Equal($"{{GetAtt:{Id(Domain, "LoggingDomain")}.Arn}}", TemplateText.Flatten(destination["DomainARN"]));
        Assert.Equal("AllDocuments", (string?)destination["S3BackupMode"]);
        Assert.Equal($"{{GetAtt:{Id(Bucket, "LoggingArchive")}.Arn}}", TemplateText.Flatten(destination["S3Configuration"]!["BucketARN"]));
        Assert.Equal("failed/", (string?)destination["S3Configuration"]!["ErrorOutputPrefix"]);
        Assert.NotNull(destination["S3Configuration"]!["EncryptionConfiguration"]!["KMSEncryptionConfig"]);
        var vpc = destination["VpcConfiguration"]!;
        Assert.Equal(2, vpc["SubnetIds"]!.AsArray().Count);
        Assert.Contains("LoggingDeliverySecurityGroup", TemplateText.Flatten(vpc["SecurityGroupIds"]![0]));
        Assert.Contains("LoggingDeliveryRole", TemplateText.Flatten(vpc["RoleARN"]));
    }

    [Fact]
    public void TheArchiveOnlyStreamUnpacksCloudWatchLogsEnvelopesWithFirehosesOwnProcessors()
    {
        var processors = ArchiveStream["ExtendedS3DestinationConfiguration"]!["ProcessingConfiguration"]!["Processors"]!;
        Assert.Equal(new[] { "Decompression", "CloudWatchLogProcessing" }, processors.AsArray().Select(p => (string?)p!["Type"]));
    }

    [Fact]
    public void TheSearchStreamSplitsRecordsWithTheLambdaTransformationNotTheBuiltInProcessors()
    {
        // Firehose's Decompression/CloudWatchLogProcessing keep several events in one record, which OpenSearch
        // indexes as one document (LogSplitterTests runs the function's code on real subscription records).
        var processors = SearchStream["AmazonopensearchserviceDestinationConfiguration"]!["ProcessingConfiguration"]!["Processors"]!.AsArray();
        var processor = Assert.Single(processors)!;
        Assert.Equal("Lambda", (string?)processor["Type"]);
        var parameters = processor["Parameters"]!.AsArray().ToDictionary(p => (string)p!["ParameterName"]!, p => p!["ParameterValue"]);
        Assert.Equal($"{{GetAtt:{Id("AWS::Lambda::Function", "LoggingSplitter")}.Arn}}", TemplateText.Flatten(parameters["LambdaArn"]));
        Assert.Equal("1", (string?)parameters["BufferSizeInMBs"]);
    }

    [Fact]
    public void TheSplitterRunsTheTestedCodeInlineOnASupportedRuntimeAndLogsEncrypted()
    {
        var function = fixture.Stack.Props("AWS::Lambda::Function", "LoggingSplitter");
        Assert.Equal(CentralLogging.SplitterSource, (string?)function["Code"]!["ZipFile"]);
        Assert.Equal("nodejs24.x", (string?)function["Runtime"]);
        Assert.Null(fixture.Stack.ById("AWS::Lambda::Function", "LoggingSplitter").Resource["DependsOn"]);
        Assert.Equal("index.handler", (string?)function["Handler"]);
        Assert.Equal($"{{Ref:{Id("AWS::Logs::LogGroup", "LoggingSplitterLogs")}}}", TemplateText.Flatten(function["LoggingConfig"]!["LogGroup"]));
        var group = fixture.Stack.Props("AWS::Logs::LogGroup", "LoggingSplitterLogs");
        Assert.NotNull(group["KmsKeyId"]);
        Assert.Equal(365, (int)group["RetentionInDays"]!);
    }

    [Fact]
    public void TheSplitterMayOnlyWriteItsLogsAndPutIntoItsStreamAndOnlyFirehoseInvokesIt()
    {
        var statements = fixture.Stack.Props("AWS::IAM::Policy", "LoggingSplitterPolicy")["PolicyDocument"]!["Statement"]!.AsArray();
        var put = statements.Single(s => (string?)s!["Sid"] == "PutEventsBackIntoTheStream")!;
        Assert.Equal("firehose:PutRecordBatch", (string?)put["Action"]);
        Assert.Equal($"{{GetAtt:{Id(Stream, "LoggingDeliveryStream")}.Arn}}", TemplateText.Flatten(put["Resource"]));
        Assert.Equal(2, statements.Count);
        Assert.Null(fixture.Stack.Props("AWS::IAM::Role", "LoggingSplitterRole")["ManagedPolicyArns"]);
        var invoke = fixture.Stack.Props("AWS::IAM::Policy", "LoggingDeliveryPolicy")["PolicyDocument"]!["Statement"]!.AsArray()
            .Single(s => (string?)s!["Sid"] == "InvokeTransformation")!;
        Assert.Contains("lambda:InvokeFunction", invoke["Action"]!.AsArray().Select(a => (string?)a));
        Assert.Contains("LoggingSplitter", TemplateText.Flatten(invoke["Resource"]![0]));
        // Subscriptions start only once the function may put the other events back.
        var filter = fixture.Stack.ById("AWS::Logs::SubscriptionFilter", "LoggingSubscriptionApi").Resource;
        Assert.Contains(Id("AWS::IAM::Policy", "LoggingSplitterPolicy"), filter["DependsOn"]!.AsArray().Select(d => (string?)d));
    }

    [Fact]
    public void ArchiveOnlyHasNoSplitter() =>
        Assert.DoesNotContain(fixture.Stack.OfType("AWS::Lambda::Function"), r => r.Id.StartsWith("ArchiveOnly", StringComparison.Ordinal));

    [Fact]
    public void EncryptsTheStreamWithTheCustomerManagedKey()
    {
        Assert.Equal("CUSTOMER_MANAGED_CMK", (string?)SearchStream["DeliveryStreamEncryptionConfigurationInput"]!["KeyType"]);
        Assert.Equal("DirectPut", (string?)SearchStream["DeliveryStreamType"]);
    }

    [Fact]
    public void CreatesTheStreamAfterItsPolicyAndAcknowledgesTheEc2Wildcard()
    {
        var policyId = Id("AWS::IAM::Policy", "LoggingDeliveryPolicy");
        Assert.Contains(policyId, fixture.Stack.ById(Stream, "LoggingDeliveryStream").Resource["DependsOn"]!.AsArray().Select(d => (string?)d));
        var policy = fixture.Stack.ById("AWS::IAM::Policy", "LoggingDeliveryPolicy").Resource;
        var wildcard = policy["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray().Where(s => s!["Resource"] is JsonValue v && v.ToString() == "*").ToArray();
        Assert.All(wildcard, s => Assert.StartsWith("ec2:", (string?)s!["Action"]![0]));
        Assert.Equal("SB-IAM-002", (string?)policy["Metadata"]!["ScalableBackend"]!["Acknowledgements"]![0]!["Rule"]);
    }

    [Fact]
    public void TheArchiveIsKmsEncryptedTlsOnlyAndPrivate()
    {
        var archive = fixture.Stack.Props(Bucket, "LoggingArchive");
        var sse = archive["BucketEncryption"]!["ServerSideEncryptionConfiguration"]![0]!["ServerSideEncryptionByDefault"]!;
        Assert.Equal("aws:kms", (string?)sse["SSEAlgorithm"]);
        Assert.All(new[] { "BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets" },
            k => Assert.True((bool)archive["PublicAccessBlockConfiguration"]![k]!));
        var archiveId = Id(Bucket, "LoggingArchive");
        var policy = fixture.Stack.OfType("AWS::S3::BucketPolicy").Single(p => TemplateText.Flatten(p.Resource["Properties"]!["Bucket"]).Contains(archiveId, StringComparison.Ordinal));
        Assert.Contains(policy.Resource["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray(),
            s => (string?)s!["Effect"] == "Deny" && (string?)s["Condition"]!["Bool"]!["aws:SecureTransport"] == "false");
    }

    [Fact]
    public void TheArchiveMovesToInfrequentAccessAndExpires()
    {
        var rule = fixture.Stack.Props(Bucket, "LoggingArchive")["LifecycleConfiguration"]!["Rules"]![0]!;
        Assert.Equal(400, (int)rule["ExpirationInDays"]!);
        Assert.Equal("STANDARD_IA", (string?)rule["Transitions"]![0]!["StorageClass"]);
        Assert.Equal(60, (int)rule["Transitions"]![0]!["TransitionInDays"]!);
    }

    [Fact]
    public void AnArchiveExpiringWithin30DaysSkipsTheTransition()
    {
        var rule = fixture.Stack.Props(Bucket, "ArchiveOnlyArchive")["LifecycleConfiguration"]!["Rules"]![0]!;
        Assert.Equal(14, (int)rule["ExpirationInDays"]!);
        Assert.Null(rule["Transitions"]);
    }

    [Fact]
    public void ArchiveOnlyWritesToS3WithoutADomainOrVpc()
    {
        Assert.Single(fixture.Stack.OfType(Domain));
        Assert.Null(ArchiveStream["AmazonopensearchserviceDestinationConfiguration"]);
        var s3 = ArchiveStream["ExtendedS3DestinationConfiguration"]!;
        Assert.Equal($"{{GetAtt:{Id(Bucket, "ArchiveOnlyArchive")}.Arn}}", TemplateText.Flatten(s3["BucketARN"]));
        Assert.Contains("!{firehose:error-output-type}", (string?)s3["ErrorOutputPrefix"]);
        Assert.DoesNotContain(fixture.Stack.OfType("AWS::EC2::SecurityGroup"), r => r.Id.StartsWith("ArchiveOnly", StringComparison.Ordinal));
    }

    [Fact]
    public void TheDeliveryErrorLogGroupHasRetentionAndKms()
    {
        var group = fixture.Stack.Props("AWS::Logs::LogGroup", "LoggingDeliveryLogs");
        Assert.Equal(365, (int)group["RetentionInDays"]!);
        Assert.NotNull(group["KmsKeyId"]);
    }

    [Fact]
    public void SubscribesLogGroupsIntoTheStreamThroughTheLogsRole()
    {
        var filter = fixture.Stack.Props("AWS::Logs::SubscriptionFilter", "LoggingSubscriptionApi");
        Assert.Equal($"{{Ref:{Id("AWS::Logs::LogGroup", "ApiLogs")}}}", TemplateText.Flatten(filter["LogGroupName"]));
        Assert.Equal($"{{GetAtt:{Id(Stream, "LoggingDeliveryStream")}.Arn}}", TemplateText.Flatten(filter["DestinationArn"]));
        Assert.Equal("", (string?)filter["FilterPattern"]);
        var role = fixture.Stack.Props("AWS::IAM::Role", "LoggingSubscriptionRole");
        Assert.Equal("logs.amazonaws.com", (string?)role["AssumeRolePolicyDocument"]!["Statement"]![0]!["Principal"]!["Service"]);
        var put = fixture.Stack.Props("AWS::IAM::Policy", "LoggingSubscriptionPolicy")["PolicyDocument"]!["Statement"]![0]!;
        Assert.Equal($"{{GetAtt:{Id(Stream, "LoggingDeliveryStream")}.Arn}}", TemplateText.Flatten(put["Resource"]));
    }

    /// <summary>Settings with a search domain of defaults, which the rows then break one way each.</summary>
    private static readonly CentralLoggingSettings WithSearch = new() { Search = new() };

    public static TheoryData<CentralLoggingSettings, string> Rows => new()
    {
        { WithSearch with { Search = null }, "Search is required unless archiveOnly is true" },
        { WithSearch with { ArchiveOnly = true }, "ArchiveOnly must not be true together with search" },
        { WithSearch with { ArchiveExpirationDays = 0 }, "ArchiveExpirationDays = 0 must be at least 1" },
        { WithSearch with { ArchiveTransitionDays = 10 }, "ArchiveTransitionDays = 10 must be at least 30 and below archiveExpirationDays (365)" },
        { new CentralLoggingSettings { Search = new() { InstanceType = "r6g.large" } }, "Search.InstanceType = r6g.large must be an OpenSearch instance type such as r6g.large.search" },
        { new CentralLoggingSettings { Search = new() { DedicatedMasters = true, MasterInstanceType = "m6g" } }, "Search.MasterInstanceType = m6g must be an OpenSearch instance type such as m6g.large.search" },
        { new CentralLoggingSettings { Search = new() { MasterInstanceType = "m6g.large.search" } }, "Search.MasterInstanceType = m6g.large.search needs dedicatedMasters: true" },
        { new CentralLoggingSettings { Search = new() { InstanceCount = 0 } }, "Search.InstanceCount = 0 must be between 1 and 80" },
        { new CentralLoggingSettings { Search = new() { InstanceCount = 5, ZoneAwareness = true } }, "Search.InstanceCount = 5 must be a multiple of 2 or 3 with zoneAwareness" },
        { new CentralLoggingSettings { Search = new() { VolumeSizeGiB = 5 } }, "Search.VolumeSizeGiB = 5 must be between 10 and 16384" },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void RejectsOutOfRangeSettings(CentralLoggingSettings settings, string expected) =>
        Assert.Equal(expected, Assert.Throws<PropsValidationException>(() => CentralLogging.Validate(settings)).Detail);

    [Fact]
    public void AcceptsASearchDomainWithDefaults() => CentralLogging.Validate(WithSearch);

    [Theory]
    [InlineData("Logs", null, 2, "DomainName = Logs must be 3 to 28 lower-case letters, digits and dashes, starting with a letter")]
    [InlineData(null, "Logs", 2, "IndexName = Logs must be 1 to 80 lower-case letters, digits, - or _, starting with a letter")]
    [InlineData(null, null, 3, "Search.InstanceCount = 3 must be a multiple of 2 or 3 that the 2 subnet(s) can spread over with zoneAwareness")]
    public void RejectsNamesAndLayoutsTheVpcCannotHoldBeforeCreatingAnything(string? domainName, string? indexName, int instances, string expected)
    {
        var (stack, vpc) = DataTestStacks.WithVpc();
        var key = ScalableBackend.Components.Networking.Network.CreateLogKey(stack, "Key", "test");
        var e = Assert.Throws<PropsValidationException>(() => new CentralLogging(stack, "Logging", new CentralLoggingProps
        {
            Vpc = vpc, LogEncryptionKey = key, LogRetention = RetentionDays.ONE_DAY, DomainName = domainName, IndexName = indexName,
            Search = new LogSearchDomain { InstanceCount = instances, ZoneAwareness = true },
        }));
        Assert.Equal(expected, e.Detail);
        Assert.Null(stack.Node.TryFindChild("Logging")?.Node.TryFindChild("Archive"));
    }

    /// <summary>
    /// Who read or changed the archive is recorded: S3 server access logs into a bucket of their own, delivered under
    /// a bucket policy for logging.s3.amazonaws.com limited to the archive and this account (S3 user guide,
    /// "Permissions for log delivery"), with SSE-S3 (the only encryption S3 log delivery writes) and TLS only.
    /// </summary>
    [Fact]
    public void TheArchivesServerAccessLogsGoToTheirOwnBucketUnderABucketPolicy()
    {
        var archive = fixture.Stack.ById(Bucket, "LoggingArchive");
        var logs = fixture.Stack.ById(Bucket, "LoggingServerAccessLogs");
        Assert.Equal($"{{Ref:{logs.Id}}}", TemplateText.Flatten(archive.Resource["Properties"]!["LoggingConfiguration"]!["DestinationBucketName"]));
        Assert.Equal("AES256", (string?)logs.Resource["Properties"]!["BucketEncryption"]!["ServerSideEncryptionConfiguration"]![0]!["ServerSideEncryptionByDefault"]!["SSEAlgorithm"]);
        Assert.Null(logs.Resource["Properties"]!["AccessControl"]);
        var policy = fixture.Stack.OfType("AWS::S3::BucketPolicy").Single(p => TemplateText.Flatten(p.Resource["Properties"]!["Bucket"]).Contains(logs.Id, StringComparison.Ordinal));
        var statements = policy.Resource["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray();
        var delivery = Assert.Single(statements, s => (string?)s!["Sid"] == "S3ServerAccessLogsFromTheArchive")!;
        Assert.Equal("logging.s3.amazonaws.com", (string?)delivery["Principal"]!["Service"]);
        Assert.Contains(archive.Id, TemplateText.Flatten(delivery["Condition"]!["ArnLike"]!["aws:SourceArn"]));
        Assert.Contains(statements, s => (string?)s!["Effect"] == "Deny" && s["Condition"]!.ToJsonString().Contains("aws:SecureTransport"));
    }

    [Fact]
    public void TheSearchDomainPublishesSearchAndIndexSlowLogsBesideItsAuditLogs()
    {
        var options = fixture.Stack.Props("AWS::OpenSearchService::Domain", "LoggingDomain")["LogPublishingOptions"]!.AsObject();
        var slow = fixture.Stack.ById("AWS::Logs::LogGroup", "LoggingDomainSlowLogs").Id;
        Assert.Equal(["AUDIT_LOGS", "INDEX_SLOW_LOGS", "SEARCH_SLOW_LOGS"], options.Select(kv => kv.Key).Order(StringComparer.Ordinal));
        foreach (var kind in new[] { "INDEX_SLOW_LOGS", "SEARCH_SLOW_LOGS" })
        {
            Assert.True((bool)options[kind]!["Enabled"]!);
            Assert.Contains(slow, TemplateText.Flatten(options[kind]!["CloudWatchLogsLogGroupArn"]));
        }
    }
}
