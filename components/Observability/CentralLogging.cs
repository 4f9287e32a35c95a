using System.Text.RegularExpressions;
using Amazon.CDK;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.KinesisFirehose;
using Amazon.CDK.AWS.KMS;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.Logs;
using Amazon.CDK.AWS.OpenSearchService;
using Amazon.CDK.AWS.S3;
using Constructs;
using ScalableBackend.Components.Security;
using ScalableBackend.Components.Facts;

namespace ScalableBackend.Components.Observability;

/// <summary>
/// Central logging (the "ELK" of the design): CloudWatch Logs subscription filters (<see cref="Subscribe"/>) feed a
/// Kinesis Data Firehose delivery stream (L1, encrypted with a KMS key) that unpacks the CloudWatch Logs
/// envelopes and either
/// <list type="bullet">
/// <item>indexes the events, one document per log event, into an OpenSearch Service domain inside the VPC: the
/// stream's Lambda transformation (<see cref="Splitter"/>) decompresses each record, returns its first event and puts
/// the others back into the stream as records of one document each, because Firehose indexes a record as one
/// document and CloudWatch Logs puts several events into one record (Firehose's built-in decompression keeps them
/// together) — the domain has its own security group admitting 443
/// only from the stream's network interfaces and declared peers (<see cref="AllowSearchFrom"/>), encrypted at rest
/// with KMS, node-to-node encryption, HTTPS only with a TLS 1.2 policy, fine-grained access control with a master
/// user generated in Secrets Manager, optional dedicated masters and zone awareness — and copies every document
/// (failed ones under <c>failed/</c>) to the archive bucket; or</item>
/// <item>only writes to the archive bucket (<see cref="CentralLoggingSettings.ArchiveOnly"/>), unpacked by
/// Firehose's own Decompression and CloudWatchLogProcessing processors (supported for S3).</item>
/// </list>
/// The archive bucket is SSE-KMS encrypted, TLS only, blocks public access and moves objects to Standard-IA and
/// then deletes them by its lifecycle rule.
/// <para>
/// After the first deployment, map <see cref="DeliveryRole"/> to an OpenSearch backend role that may write
/// <c>logs-*</c> indices (Security plugin, signed in as the master user; README "Central logging" lists the two
/// requests): fine-grained access control keeps its role mappings inside the domain, where CloudFormation cannot
/// write them, and making the delivery role the master user would leave no one able to sign in to Dashboards.
/// </para>
/// <para>
/// Delivery is at least once: when putting events back fails after retries the invocation fails and Firehose retries
/// the batch, so an event may be indexed twice (each document carries the event's <c>id</c>). Every event becomes a
/// Firehose record: DirectPut's records-per-second quota and its 5 KB-per-record billing apply per event.
/// </para>
/// </summary>
public sealed partial class CentralLogging : Construct
{
    /// <summary>The key encrypting the archive, the stream and the domain (given or created).</summary>
    public IKey EncryptionKey { get; }

    /// <summary>The archive bucket.</summary>
    public Bucket Archive { get; }

    /// <summary>The delivery stream the subscription filters write to.</summary>
    public CfnDeliveryStream DeliveryStream { get; }

    /// <summary>The role Firehose assumes to write to the domain, the bucket and its error log.</summary>
    public Role DeliveryRole { get; }

    /// <summary>The log group of the stream's own delivery errors.</summary>
    public LogGroup DeliveryLogGroup { get; }

    /// <summary>The role CloudWatch Logs assumes to put records into the stream.</summary>
    public Role SubscriptionRole { get; }

    /// <summary>The search domain; null in archive-only mode.</summary>
    public Domain? Domain { get; }

    /// <summary>
    /// The search domain's audit log (who authenticated, who was refused, security changes), encrypted and with
    /// retention; null in archive-only mode. Publishing is on; the Security plugin's audit logging must be enabled
    /// once inside the domain (README, "Central logging").
    /// </summary>
    public LogGroup? AuditLogGroup { get; }

    /// <summary>The search domain's search and index slow logs (with a search domain), encrypted, with the log retention.</summary>
    public LogGroup? SlowLogGroup { get; }

    /// <summary>The bucket holding the archive's S3 server access logs (SSE-S3, TLS only, kept as long as the archive).</summary>
    public Bucket ArchiveAccessLogs { get; }

    /// <summary>The search domain's security group; null in archive-only mode.</summary>
    public ISecurityGroup? DomainSecurityGroup { get; }

    /// <summary>The security group of the stream's network interfaces in the VPC; null in archive-only mode.</summary>
    public ISecurityGroup? DeliverySecurityGroup { get; }

    /// <summary>
    /// The stream's transformation into the search domain: one document per CloudWatch Logs event (the code is
    /// <c>cloudwatch-logs-splitter.js</c>, inline in the template); null in archive-only mode.
    /// </summary>
    public Function? Splitter { get; }

    /// <summary>The log group of <see cref="Splitter"/>, encrypted and with retention; null in archive-only mode.</summary>
    public LogGroup? SplitterLogGroup { get; }

    /// <summary>The Lambda runtime of <see cref="Splitter"/>: Node.js 24 (the runtime the default security group handler uses too; Node.js 20 is deprecated).</summary>
    public static readonly Runtime SplitterRuntime = new("nodejs24.x", RuntimeFamily.NODEJS, new LambdaRuntimeProps { SupportsInlineCode = true });

    private readonly Policy _subscriptionPolicy;
    private readonly Policy? _splitterPolicy;
    private readonly Dictionary<string, CfnSubscriptionFilter> _subscriptions = new(StringComparer.Ordinal);

    /// <summary>Creates the pipeline; validates <paramref name="props"/> before creating anything.</summary>
    /// <exception cref="PropsValidationException">A property is out of its allowed range.</exception>
    public CentralLogging(Construct scope, string id, CentralLoggingProps props) : base(scope, id)
    {
        Validate(props);
        if (props.DomainName is { } name && !Token.IsUnresolved(name) && !DomainNamePattern().IsMatch(name))
            throw new PropsValidationException(nameof(props.DomainName), name, "must be 3 to 28 lower-case letters, digits and dashes, starting with a letter");
        if (props.IndexName is { } index && !IndexNamePattern().IsMatch(index))
            throw new PropsValidationException(nameof(props.IndexName), index, "must be 1 to 80 lower-case letters, digits, - or _, starting with a letter");
        var stack = Stack.Of(this);
        var subnets = props.Vpc.SelectSubnets(props.Subnets ?? new SubnetSelection { SubnetType = SubnetType.PRIVATE_ISOLATED }).Subnets;
        var search = props.Search;
        var zoneCount = search is null ? 0 : ZoneCount(search, subnets.Length);

        EncryptionKey = props.EncryptionKey ?? new Key(this, "Key", new KeyProps
        {
            Description = $"Encrypts the central log archive, delivery stream and search domain of {Node.Path}",
            EnableKeyRotation = true,
            RemovalPolicy = RemovalPolicy.RETAIN,
        });

        var expiration = props.ArchiveExpirationDays ?? 365;
        var transition = props.ArchiveTransitionDays ?? 30;
        // Who read or changed the archive: S3 server access logs into a bucket of their own (S3 writes them with SSE-S3 only).
        ArchiveAccessLogs = new Bucket(this, "ServerAccessLogs", new BucketProps
        {
            Encryption = BucketEncryption.S3_MANAGED,
            EnforceSSL = true,
            BlockPublicAccess = BlockPublicAccess.BLOCK_ALL,
            ObjectOwnership = ObjectOwnership.BUCKET_OWNER_ENFORCED,
            RemovalPolicy = RemovalPolicy.RETAIN,
            LifecycleRules = [new LifecycleRule { Id = "ExpireAccessLogs", Expiration = Duration.Days(expiration), AbortIncompleteMultipartUploadAfter = Duration.Days(7) }],
        });
        PolicyAcknowledgement.Apply(ArchiveAccessLogs, new PolicyAcknowledgement("AwsSolutions-S1",
            "This bucket receives the archive's S3 server access logs; logging requests to it would need yet another bucket, and only S3's log delivery writes to it."));
        Archive = new Bucket(this, "Archive", new BucketProps
        {
            Encryption = BucketEncryption.KMS,
            EncryptionKey = EncryptionKey,
            BucketKeyEnabled = true,
            EnforceSSL = true,
            BlockPublicAccess = BlockPublicAccess.BLOCK_ALL,
            ObjectOwnership = ObjectOwnership.BUCKET_OWNER_ENFORCED,
            Versioned = true,
            RemovalPolicy = RemovalPolicy.RETAIN,
            LifecycleRules =
            [
                new LifecycleRule
                {
                    Id = "ArchiveLifecycle",
                    Transitions = transition < expiration
                        ? [new Transition { StorageClass = StorageClass.INFREQUENT_ACCESS, TransitionAfter = Duration.Days(transition) }]
                        : null,
                    Expiration = Duration.Days(expiration),
                    NoncurrentVersionExpiration = Duration.Days(7),
                    AbortIncompleteMultipartUploadAfter = Duration.Days(7),
                },
            ],
        });

        // Server access logging through a bucket policy for S3's logging service (S3 user guide, "Permissions for log
        // delivery": the policy, not the LogDeliveryWrite ACL, with the source bucket and account as conditions).
        ((CfnBucket)Archive.Node.DefaultChild!).LoggingConfiguration = new CfnBucket.LoggingConfigurationProperty
        {
            DestinationBucketName = ArchiveAccessLogs.BucketName,
            LogFilePrefix = "archive/",
        };
        ArchiveAccessLogs.AddToResourcePolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "S3ServerAccessLogsFromTheArchive",
            Principals = [new ServicePrincipal("logging.s3.amazonaws.com")],
            Actions = ["s3:PutObject"],
            Resources = [ArchiveAccessLogs.ArnForObjects("archive/*")],
            Conditions = new Dictionary<string, object>
            {
                ["ArnLike"] = new Dictionary<string, object> { ["aws:SourceArn"] = Archive.BucketArn },
                ["StringEquals"] = new Dictionary<string, object> { ["aws:SourceAccount"] = Stack.Of(this).Account },
            },
        }));

        DeliveryLogGroup = EncryptedLogGroup.Create(this, "DeliveryLogs", new EncryptedLogGroupProps
        {
            EncryptionKey = props.LogEncryptionKey,
            Retention = props.LogRetention,
        });
        var destinationStream = new LogStream(this, "DestinationDeliveryLogStream", new LogStreamProps { LogGroup = DeliveryLogGroup });
        var backupStream = new LogStream(this, "BackupDeliveryLogStream", new LogStreamProps { LogGroup = DeliveryLogGroup });

        DeliveryRole = new Role(this, "DeliveryRole", new RoleProps
        {
            AssumedBy = new ServicePrincipal("firehose.amazonaws.com", new ServicePrincipalOpts
            {
                Conditions = new Dictionary<string, object>
                {
                    ["StringEquals"] = new Dictionary<string, object> { ["aws:SourceAccount"] = stack.Account },
                },
            }),
            Description = $"Firehose delivery of {Node.Path}",
        });
        var statements = new List<PolicyStatement>
        {
            new(new PolicyStatementProps
            {
                Sid = "WriteArchive",
                Actions = ["s3:AbortMultipartUpload", "s3:GetBucketLocation", "s3:GetObject", "s3:ListBucket", "s3:ListBucketMultipartUploads", "s3:PutObject"],
                Resources = [Archive.BucketArn, Archive.ArnForObjects("*")],
            }),
            new(new PolicyStatementProps
            {
                Sid = "UseEncryptionKey",
                Actions = ["kms:GenerateDataKey", "kms:Decrypt"],
                Resources = [EncryptionKey.KeyArn],
            }),
            new(new PolicyStatementProps
            {
                Sid = "WriteDeliveryErrors",
                Actions = ["logs:PutLogEvents"],
                Resources = [DeliveryLogGroup.LogGroupArn],
            }),
        };

        var cloudWatchLogsEnvelope = new CfnDeliveryStream.ProcessingConfigurationProperty
        {
            Enabled = true,
            Processors = new object[]
            {
                new CfnDeliveryStream.ProcessorProperty
                {
                    Type = "Decompression",
                    Parameters = new object[] { new CfnDeliveryStream.ProcessorParameterProperty { ParameterName = "CompressionFormat", ParameterValue = "GZIP" } },
                },
                new CfnDeliveryStream.ProcessorProperty
                {
                    Type = "CloudWatchLogProcessing",
                    Parameters = new object[] { new CfnDeliveryStream.ProcessorParameterProperty { ParameterName = "DataMessageExtraction", ParameterValue = "true" } },
                },
            },
        };
        var archiveEncryption = new CfnDeliveryStream.EncryptionConfigurationProperty
        {
            KmsEncryptionConfig = new CfnDeliveryStream.KMSEncryptionConfigProperty { AwskmsKeyArn = EncryptionKey.KeyArn },
        };

        var streamEncryption = new CfnDeliveryStream.DeliveryStreamEncryptionConfigurationInputProperty
        {
            KeyType = "CUSTOMER_MANAGED_CMK",
            KeyArn = EncryptionKey.KeyArn,
        };

        if (search is null)
        {
            DeliveryStream = new CfnDeliveryStream(this, "DeliveryStream", new CfnDeliveryStreamProps
            {
                DeliveryStreamType = "DirectPut",
                DeliveryStreamEncryptionConfigurationInput = streamEncryption,
                ExtendedS3DestinationConfiguration = new CfnDeliveryStream.ExtendedS3DestinationConfigurationProperty
                {
                    BucketArn = Archive.BucketArn,
                    RoleArn = DeliveryRole.RoleArn,
                    Prefix = "logs/!{timestamp:yyyy/MM/dd}/",
                    ErrorOutputPrefix = "failed/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd}/",
                    CompressionFormat = "GZIP",
                    BufferingHints = new CfnDeliveryStream.BufferingHintsProperty { IntervalInSeconds = 300, SizeInMBs = 64 },
                    EncryptionConfiguration = archiveEncryption,
                    ProcessingConfiguration = cloudWatchLogsEnvelope,
                    CloudWatchLoggingOptions = Logging(destinationStream),
                },
            });
        }
        else
        {
            DeliverySecurityGroup = new SecurityGroup(this, "DeliverySecurityGroup", new SecurityGroupProps
            {
                Vpc = props.Vpc,
                Description = $"Firehose delivery of {Node.Path}: HTTPS to the search domain only",
                AllowAllOutbound = false,
            });
            DomainSecurityGroup = new SecurityGroup(this, "DomainSecurityGroup", new SecurityGroupProps
            {
                Vpc = props.Vpc,
                Description = $"Search domain of {Node.Path}: HTTPS from the delivery stream and declared peers only",
                AllowAllOutbound = false,
            });
            DomainSecurityGroup.Connections.AllowFrom(DeliverySecurityGroup, Port.Tcp(443), "HTTPS from the Firehose delivery stream");

            var domainName = props.DomainName ?? DefaultDomainName();
            var dedicatedMasters = search.DedicatedMasters ?? false;
            var zoneAware = search.ZoneAwareness ?? false;
            Domain = new Domain(this, "Domain", new DomainProps
            {
                DomainName = domainName,
                Version = EngineVersion.OPENSEARCH_2_13,
                Vpc = props.Vpc,
                VpcSubnets = [new SubnetSelection { Subnets = subnets.Take(zoneAware ? zoneCount : 1).ToArray() }],
                SecurityGroups = [DomainSecurityGroup],
                Capacity = new CapacityConfig
                {
                    DataNodes = search.InstanceCount ?? (zoneAware ? 2 : 1),
                    DataNodeInstanceType = search.InstanceType ?? "r6g.large.search",
                    MasterNodes = dedicatedMasters ? 3 : null,
                    MasterNodeInstanceType = dedicatedMasters ? search.MasterInstanceType ?? "m6g.large.search" : null,
                    MultiAzWithStandbyEnabled = false,
                },
                ZoneAwareness = new ZoneAwarenessConfig { Enabled = zoneAware, AvailabilityZoneCount = zoneAware ? zoneCount : null },
                Ebs = new EbsOptions { VolumeSize = search.VolumeSizeGiB ?? 20, VolumeType = EbsDeviceVolumeType.GP3 },
                EncryptionAtRest = new EncryptionAtRestOptions { Enabled = true, KmsKey = EncryptionKey },
                NodeToNodeEncryption = true,
                EnforceHttps = true,
                TlsSecurityPolicy = TLSSecurityPolicy.TLS_1_2_PFS,
                // The master user's password is generated in Secrets Manager and passed by dynamic reference.
                FineGrainedAccessControl = new AdvancedSecurityOptions { MasterUserName = "admin" },
                EnableVersionUpgrade = true,
                RemovalPolicy = RemovalPolicy.RETAIN,
            });
            // With fine-grained access control the domain authorizes every request itself (signed IAM principals
            // and the internal master user, whose requests are unsigned), so the resource policy lets any principal
            // reach the HTTP API; the domain is reachable only inside the VPC through its security group. Set on
            // the L1 (the L2's accessPolicies would deploy a Lambda-backed custom resource).
            var domainResources = stack.FormatArn(new ArnComponents { Service = "es", Resource = "domain", ResourceName = $"{domainName}/*" });
            ((CfnDomain)Domain.Node.DefaultChild!).AccessPolicies = new PolicyDocument(new PolicyDocumentProps
            {
                Statements =
                [
                    new PolicyStatement(new PolicyStatementProps
                    {
                        Sid = "FineGrainedAccessControlDecides",
                        Principals = [new AnyPrincipal()],
                        Actions = ["es:ESHttp*"],
                        Resources = [domainResources],
                    }),
                ],
            }).ToJSON();

            // Audit logs (fine-grained access control is on, which they need). The L2's logging option would put the
            // log group's resource policy through a Lambda-backed custom resource; AWS::Logs::ResourcePolicy does it
            // in CloudFormation (OpenSearch Service developer guide, "Monitoring OpenSearch logs with Amazon CloudWatch
            // Logs": the policy must let es.amazonaws.com create streams and put events before publishing is enabled).
            AuditLogGroup = EncryptedLogGroup.Create(this, "DomainAuditLogs", new EncryptedLogGroupProps
            {
                EncryptionKey = props.LogEncryptionKey,
                Retention = props.LogRetention,
            });
            // Slow logs: what the indices' slow-log thresholds catch (set per index; none by default) lands here.
            SlowLogGroup = EncryptedLogGroup.Create(this, "DomainSlowLogs", new EncryptedLogGroupProps
            {
                EncryptionKey = props.LogEncryptionKey,
                Retention = props.LogRetention,
            });
            var domainArn = stack.FormatArn(new ArnComponents { Service = "es", Resource = "domain", ResourceName = domainName });
            var publishPolicy = new CfnResourcePolicy(this, "DomainLogsPolicy", new CfnResourcePolicyProps
            {
                PolicyName = Names.UniqueResourceName(this, new UniqueResourceNameOptions { MaxLength = 255, Separator = "-" }) + "-domain-logs",
                PolicyDocument = stack.ToJsonString(new PolicyDocument(new PolicyDocumentProps
                {
                    Statements =
                    [
                        new PolicyStatement(new PolicyStatementProps
                        {
                            Sid = "OpenSearchPublishesAuditLogs",
                            Principals = [new ServicePrincipal("es.amazonaws.com")],
                            Actions = ["logs:CreateLogStream", "logs:PutLogEvents"],
                            Resources = [AuditLogGroup.LogGroupArn, SlowLogGroup.LogGroupArn],
                            Conditions = new Dictionary<string, object>
                            {
                                ["StringEquals"] = new Dictionary<string, object> { ["aws:SourceAccount"] = stack.Account },
                                ["ArnLike"] = new Dictionary<string, object> { ["aws:SourceArn"] = domainArn },
                            },
                        }),
                    ],
                }).ToJSON()),
            });
            var cfnDomain = (CfnDomain)Domain.Node.DefaultChild!;
            cfnDomain.LogPublishingOptions = new Dictionary<string, object>
            {
                ["AUDIT_LOGS"] = new CfnDomain.LogPublishingOptionProperty { CloudWatchLogsLogGroupArn = AuditLogGroup.LogGroupArn, Enabled = true },
                ["SEARCH_SLOW_LOGS"] = new CfnDomain.LogPublishingOptionProperty { CloudWatchLogsLogGroupArn = SlowLogGroup.LogGroupArn, Enabled = true },
                ["INDEX_SLOW_LOGS"] = new CfnDomain.LogPublishingOptionProperty { CloudWatchLogsLogGroupArn = SlowLogGroup.LogGroupArn, Enabled = true },
            };
            if (Domain.Node.TryFindChild("MasterUser") is { } masterUser)
                PolicyAcknowledgement.Apply(masterUser, new PolicyAcknowledgement("AwsSolutions-SMG4",
                    "Secrets Manager has no AWS-provided rotation function for an OpenSearch master user; its password changes " +
                    "through UpdateDomainConfig (AdvancedSecurityOptions). Delivery signs with its IAM role and never uses it."));
            PolicyAcknowledgement.Apply(cfnDomain,
            [
                .. PolicyAcknowledgement.ForRules(
                    "The domain has no public endpoint: it lives in the VPC behind its security group (HTTPS from the delivery " +
                    "stream and declared peers only), and fine-grained access control authorizes every request; its resource " +
                    "policy therefore names any principal (the internal master user's requests are unsigned), not IP addresses.",
                    "AwsSolutions-OS3", "AwsSolutions-OS5"),
                .. dedicatedMasters ? Array.Empty<PolicyAcknowledgement>() :
                [
                    new PolicyAcknowledgement("AwsSolutions-OS4",
                        "search.dedicatedMasters: false in the settings: the data nodes also manage the cluster, accepted for a " +
                        "small log-search domain (set it true for three dedicated masters)."),
                ],
            ]);
            cfnDomain.AddDependency(publishPolicy);

            statements.Add(new PolicyStatement(new PolicyStatementProps
            {
                Sid = "DescribeDomain",
                Actions = ["es:DescribeDomain", "es:DescribeDomains", "es:DescribeDomainConfig"],
                Resources = [Domain.DomainArn, $"{Domain.DomainArn}/*"],
            }));
            statements.Add(new PolicyStatement(new PolicyStatementProps
            {
                Sid = "IndexDocuments",
                Actions = ["es:ESHttpPost", "es:ESHttpPut", "es:ESHttpGet"],
                Resources = [Domain.DomainArn, $"{Domain.DomainArn}/*"],
            }));
            // Firehose creates and deletes its network interfaces itself; these EC2 actions support no resource-level scoping.
            statements.Add(new PolicyStatement(new PolicyStatementProps
            {
                Sid = "ManageVpcNetworkInterfaces",
                Actions =
                [
                    "ec2:DescribeVpcs", "ec2:DescribeVpcAttribute", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups",
                    "ec2:DescribeNetworkInterfaces", "ec2:CreateNetworkInterface", "ec2:CreateNetworkInterfacePermission", "ec2:DeleteNetworkInterface",
                ],
                Resources = ["*"],
            }));

            // Firehose does not deliver CloudWatch Logs subscription records to OpenSearch as they come: a record holds
            // several events and becomes one document (Firehose developer guide, "Writing to Firehose using CloudWatch
            // Logs": "Amazon OpenSearch Service cannot accept multiple log events in one record"), and the built-in
            // Decompression/CloudWatchLogProcessing processors keep that shape. A Lambda transformation splits them.
            SplitterLogGroup = EncryptedLogGroup.Create(this, "SplitterLogs", new EncryptedLogGroupProps
            {
                EncryptionKey = props.LogEncryptionKey,
                Retention = props.LogRetention,
            });
            var splitterRole = new Role(this, "SplitterRole", new RoleProps
            {
                AssumedBy = new ServicePrincipal("lambda.amazonaws.com"),
                Description = $"Splits CloudWatch Logs records into one document per event for {Node.Path}",
            });
            Splitter = new Function(this, "Splitter", new FunctionProps
            {
                Description = "Firehose transformation: one OpenSearch document per CloudWatch Logs event (CentralLogging)",
                Runtime = SplitterRuntime,
                Handler = "index.handler",
                Code = Code.FromInline(SplitterSource),
                Role = splitterRole,
                LogGroup = SplitterLogGroup,
                MemorySize = 256,
                Timeout = Duration.Minutes(2),
                Architecture = Architecture.ARM_64,
            });
            // The role reference already orders the function after its role (W3005).
            ((CfnResource)Splitter.Node.DefaultChild!).AddDeletionOverride("DependsOn");
            statements.Add(new PolicyStatement(new PolicyStatementProps
            {
                Sid = "InvokeTransformation",
                Actions = ["lambda:InvokeFunction", "lambda:GetFunctionConfiguration"],
                Resources = [Splitter.FunctionArn], // the unqualified ARN Firehose invokes; no version wildcard (AwsSolutions-IAM5)
            }));

            DeliveryStream = new CfnDeliveryStream(this, "DeliveryStream", new CfnDeliveryStreamProps
            {
                DeliveryStreamType = "DirectPut",
                DeliveryStreamEncryptionConfigurationInput = streamEncryption,
                AmazonopensearchserviceDestinationConfiguration = new CfnDeliveryStream.AmazonopensearchserviceDestinationConfigurationProperty
                {
                    DomainArn = Domain.DomainArn,
                    IndexName = props.IndexName ?? "logs",
                    IndexRotationPeriod = "OneDay",
                    RoleArn = DeliveryRole.RoleArn,
                    BufferingHints = new CfnDeliveryStream.AmazonopensearchserviceBufferingHintsProperty { IntervalInSeconds = 60, SizeInMBs = 5 },
                    RetryOptions = new CfnDeliveryStream.AmazonopensearchserviceRetryOptionsProperty { DurationInSeconds = 300 },
                    // Every document also lands in the archive; documents the domain rejects under failed/.
                    S3BackupMode = "AllDocuments",
                    S3Configuration = new CfnDeliveryStream.S3DestinationConfigurationProperty
                    {
                        BucketArn = Archive.BucketArn,
                        RoleArn = DeliveryRole.RoleArn,
                        Prefix = "logs/",
                        ErrorOutputPrefix = "failed/",
                        CompressionFormat = "GZIP",
                        BufferingHints = new CfnDeliveryStream.BufferingHintsProperty { IntervalInSeconds = 300, SizeInMBs = 64 },
                        EncryptionConfiguration = archiveEncryption,
                        CloudWatchLoggingOptions = Logging(backupStream),
                    },
                    ProcessingConfiguration = new CfnDeliveryStream.ProcessingConfigurationProperty
                    {
                        Enabled = true,
                        Processors = new object[]
                        {
                            new CfnDeliveryStream.ProcessorProperty
                            {
                                Type = "Lambda",
                                Parameters = new object[]
                                {
                                    new CfnDeliveryStream.ProcessorParameterProperty { ParameterName = "LambdaArn", ParameterValue = Splitter.FunctionArn },
                                    new CfnDeliveryStream.ProcessorParameterProperty { ParameterName = "NumberOfRetries", ParameterValue = "3" },
                                    // 1 MB of compressed records in; the response carries one event per record, well under Lambda's 6 MB.
                                    new CfnDeliveryStream.ProcessorParameterProperty { ParameterName = "BufferSizeInMBs", ParameterValue = "1" },
                                    new CfnDeliveryStream.ProcessorParameterProperty { ParameterName = "BufferIntervalInSeconds", ParameterValue = "60" },
                                },
                            },
                        },
                    },
                    CloudWatchLoggingOptions = Logging(destinationStream),
                    VpcConfiguration = new CfnDeliveryStream.VpcConfigurationProperty
                    {
                        RoleArn = DeliveryRole.RoleArn,
                        SubnetIds = subnets.Select(s => s.SubnetId).ToArray(),
                        SecurityGroupIds = [DeliverySecurityGroup.SecurityGroupId],
                    },
                },
            });
        }

        var deliveryPolicy = new Policy(this, "DeliveryPolicy", new PolicyProps { Statements = statements.ToArray(), Roles = [DeliveryRole] });
        if (search is not null)
            PolicyAcknowledgement.Apply(deliveryPolicy, PolicyAcknowledgement.ForRules(
                "Firehose manages its own network interfaces in the VPC; the EC2 describe and network-interface actions it needs support no resource-level permissions. Every other statement names its resource.",
                "SB-IAM-002", "AwsSolutions-IAM5[Resource::*]"));
        PolicyAcknowledgement.Apply(deliveryPolicy,
        [
            new PolicyAcknowledgement(@"AwsSolutions-IAM5[/^Resource::<[A-Za-z0-9]*Archive[A-Za-z0-9]*\.Arn>\/\*$/]",
                "Objects of exactly the archive bucket: Firehose writes keys it names itself (by date), so the key part stays open."),
            new PolicyAcknowledgement(@"AwsSolutions-IAM5[/^Resource::<[A-Za-z0-9]*Domain[A-Za-z0-9]*\.Arn>\/\*$/]",
                "Paths of exactly the search domain: Firehose writes into its configured index and that index's rotations, so the index part stays open."),
            new PolicyAcknowledgement(@"AwsSolutions-IAM5[/^Resource::<[A-Za-z0-9]*Splitter[A-Za-z0-9]*\.Arn>:\*$/]",
                "Versions of exactly the splitter function: Firehose may invoke it by its qualified ARN."),
        ]);
        // Firehose checks its role when the stream is created: create the policy first.
        DeliveryStream.Node.AddDependency(deliveryPolicy);
        if (Splitter is not null)
        {
            // A separate policy, not the role's default one: the function must not depend on the stream that invokes it.
            _splitterPolicy = new Policy(this, "SplitterPolicy", new PolicyProps
            {
                Roles = [Splitter.Role!],
                Statements =
                [
                    new PolicyStatement(new PolicyStatementProps
                    {
                        Sid = "WriteOwnLogs",
                        Actions = ["logs:CreateLogStream", "logs:PutLogEvents"],
                        Resources = [SplitterLogGroup!.LogGroupArn],
                    }),
                    new PolicyStatement(new PolicyStatementProps
                    {
                        Sid = "PutEventsBackIntoTheStream",
                        Actions = ["firehose:PutRecordBatch"],
                        Resources = [DeliveryStream.AttrArn],
                    }),
                ],
            });
        }

        SubscriptionRole = new Role(this, "SubscriptionRole", new RoleProps
        {
            AssumedBy = new ServicePrincipal("logs.amazonaws.com", new ServicePrincipalOpts
            {
                Conditions = new Dictionary<string, object>
                {
                    ["StringLike"] = new Dictionary<string, object>
                    {
                        ["aws:SourceArn"] = stack.FormatArn(new ArnComponents { Service = "logs", Resource = "*", ArnFormat = ArnFormat.NO_RESOURCE_NAME }),
                    },
                },
            }),
            Description = $"CloudWatch Logs subscription filters into the delivery stream of {Node.Path}",
        });
        _subscriptionPolicy = new Policy(this, "SubscriptionPolicy", new PolicyProps
        {
            Roles = [SubscriptionRole],
            Statements =
            [
                new PolicyStatement(new PolicyStatementProps
                {
                    Sid = "PutIntoDeliveryStream",
                    Actions = ["firehose:PutRecord", "firehose:PutRecordBatch"],
                    Resources = [DeliveryStream.AttrArn],
                }),
            ],
        });

        CfnDeliveryStream.CloudWatchLoggingOptionsProperty Logging(LogStream stream) => new()
        {
            Enabled = true,
            LogGroupName = DeliveryLogGroup.LogGroupName,
            LogStreamName = stream.LogStreamName,
        };
    }

    /// <summary>
    /// Sends every event of <paramref name="logGroup"/> (or those matching <paramref name="filterPattern"/>) into the
    /// delivery stream through a subscription filter with the construct id <c>Subscription{Key}</c>.
    /// </summary>
    /// <param name="key">A stable name for the source, e.g. the service key <c>api</c>; used once.</param>
    /// <param name="logGroup">The log group to subscribe.</param>
    /// <param name="filterPattern">A CloudWatch Logs filter pattern. Default: every event.</param>
    /// <exception cref="ArgumentException"><paramref name="key"/> is used already or not a valid key.</exception>
    public CfnSubscriptionFilter Subscribe(string key, ILogGroup logGroup, string? filterPattern = null)
    {
        if (!Compute.WebService.IsValidKey(key))
            throw new ArgumentException($"{key} is not a valid key: lower-case letters, digits and dashes, starting with a letter", nameof(key));
        if (_subscriptions.ContainsKey(key))
            throw new ArgumentException($"{key} is subscribed already", nameof(key));
        var filter = new CfnSubscriptionFilter(this, $"Subscription{Compute.WebService.ToPascal(key)}", new CfnSubscriptionFilterProps
        {
            LogGroupName = logGroup.LogGroupName,
            DestinationArn = DeliveryStream.AttrArn,
            RoleArn = SubscriptionRole.RoleArn,
            FilterPattern = filterPattern ?? "",
        });
        filter.Node.AddDependency(_subscriptionPolicy);
        if (_splitterPolicy is not null) filter.Node.AddDependency(_splitterPolicy);
        _subscriptions[key] = filter;
        return filter;
    }

    /// <summary>The subscription filters added so far, keyed by their source key.</summary>
    public IReadOnlyDictionary<string, CfnSubscriptionFilter> Subscriptions => _subscriptions;

    /// <summary>Admits HTTPS (443) to the search domain from <paramref name="peer"/>, e.g. an operator's bastion or a dashboard proxy.</summary>
    /// <exception cref="InvalidOperationException">The pipeline is archive-only and has no domain.</exception>
    public void AllowSearchFrom(IConnectable peer, string description)
    {
        if (DomainSecurityGroup is null)
            throw new InvalidOperationException($"{Node.Path} is archive-only and has no search domain");
        DomainSecurityGroup.Connections.AllowFrom(peer, Port.Tcp(443), description);
    }

    /// <summary>The source of <see cref="Splitter"/> (<c>cloudwatch-logs-splitter.js</c>, embedded in this assembly).</summary>
    public static string SplitterSource { get; } = ReadSplitterSource();

    private static string ReadSplitterSource()
    {
        using var stream = typeof(CentralLogging).Assembly.GetManifestResourceStream("ScalableBackend.Components.Observability.cloudwatch-logs-splitter.js")
            ?? throw new InvalidOperationException("cloudwatch-logs-splitter.js is not embedded in the components assembly");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private string DefaultDomainName()
    {
        var unique = Names.UniqueResourceName(this, new UniqueResourceNameOptions { MaxLength = 27, Separator = "" }).ToLowerInvariant();
        var cleaned = new string(unique.Where(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c)).ToArray());
        return ("l" + cleaned)[..Math.Min(28, cleaned.Length + 1)];
    }

    private static int ZoneCount(LogSearchDomain search, int subnetCount)
    {
        if (!(search.ZoneAwareness ?? false)) return 1;
        var count = search.InstanceCount ?? 2;
        if (count % 3 == 0 && subnetCount >= 3) return 3;
        if (count % 2 == 0 && subnetCount >= 2) return 2;
        throw new PropsValidationException($"{nameof(CentralLoggingProps.Search)}.{nameof(LogSearchDomain.InstanceCount)}", count,
            $"must be a multiple of 2 or 3 that the {subnetCount} subnet(s) can spread over with zoneAwareness");
    }

    /// <summary>Checks the settings of the pipeline; throws naming the property path, the value and what is allowed.</summary>
    /// <exception cref="PropsValidationException">A setting is out of its allowed range.</exception>
    public static void Validate(CentralLoggingSettings s)
    {
        var archiveOnly = s.ArchiveOnly ?? false;
        if (s.Search is null && !archiveOnly)
            throw new PropsValidationException(nameof(s.Search), null, "is required unless archiveOnly is true");
        if (s.Search is not null && archiveOnly)
            throw new PropsValidationException(nameof(s.ArchiveOnly), null, "must not be true together with search");
        var expiration = s.ArchiveExpirationDays ?? 365;
        if (s.ArchiveExpirationDays is { } days && days < 1)
            throw new PropsValidationException(nameof(s.ArchiveExpirationDays), days, "must be at least 1");
        if (s.ArchiveTransitionDays is { } transition && (transition < 30 || transition >= expiration))
            throw new PropsValidationException(nameof(s.ArchiveTransitionDays), transition, $"must be at least 30 and below archiveExpirationDays ({expiration})");
        if (s.Search is not { } search) return;

        const string p = nameof(s.Search);
        if (search.InstanceType is { } type && !SearchInstanceTypePattern().IsMatch(type))
            throw new PropsValidationException($"{p}.{nameof(search.InstanceType)}", type, "must be an OpenSearch instance type such as r6g.large.search");
        if (search.InstanceType is { } dataType && AwsFacts.OpenSearchInstanceTypes.ExistenceProblem(dataType) is { } dataTypeProblem)
            throw new PropsValidationException($"{p}.{nameof(search.InstanceType)}", dataType, dataTypeProblem);
        if (search.MasterInstanceType is { } master)
        {
            if (!SearchInstanceTypePattern().IsMatch(master))
                throw new PropsValidationException($"{p}.{nameof(search.MasterInstanceType)}", master, "must be an OpenSearch instance type such as m6g.large.search");
            if (AwsFacts.OpenSearchInstanceTypes.ExistenceProblem(master) is { } masterProblem)
                throw new PropsValidationException($"{p}.{nameof(search.MasterInstanceType)}", master, masterProblem);
            if (search.DedicatedMasters != true)
                throw new PropsValidationException($"{p}.{nameof(search.MasterInstanceType)}", master, "needs dedicatedMasters: true");
        }
        if (search.InstanceCount is { } count && count is < 1 or > 80)
            throw new PropsValidationException($"{p}.{nameof(search.InstanceCount)}", count, "must be between 1 and 80");
        if ((search.ZoneAwareness ?? false) && (search.InstanceCount ?? 2) is var n && (n < 2 || (n % 2 != 0 && n % 3 != 0)))
            throw new PropsValidationException($"{p}.{nameof(search.InstanceCount)}", n, "must be a multiple of 2 or 3 with zoneAwareness");
        if (search.VolumeSizeGiB is { } size && size is < 10 or > 16384)
            throw new PropsValidationException($"{p}.{nameof(search.VolumeSizeGiB)}", size, "must be between 10 and 16384");
    }

    [GeneratedRegex(@"^[a-z][a-z0-9]*\.[a-z0-9]+\.search$")]
    private static partial Regex SearchInstanceTypePattern();

    [GeneratedRegex("^[a-z][a-z0-9-]{2,27}$")]
    private static partial Regex DomainNamePattern();

    [GeneratedRegex("^[a-z][a-z0-9_-]{0,79}$")]
    private static partial Regex IndexNamePattern();
}
