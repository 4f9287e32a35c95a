namespace ScalableBackend.Policies.Tests.Rules;

/// <summary>One violating and one complying template per rule, checked as production.</summary>
/// <param name="RuleId">The rule under test.</param>
/// <param name="Violating">A template where the rule must fire, on <paramref name="Offender"/> only.</param>
/// <param name="Offender">The logical ID the finding must name.</param>
/// <param name="Passing">A template fixing the violation, where the rule must not fire.</param>
public sealed record RuleCase(string RuleId, string Violating, string Offender, string Passing);

internal static class RuleCases
{
    public static readonly IReadOnlyList<RuleCase> All =
    [
        // ---------------- acknowledgements
        new("SB-ACK-001", """
            Resources:
              Logs:
                Type: AWS::Logs::LogGroup
                Properties: { RetentionInDays: 7, KmsKeyId: k }
                Metadata:
                  ScalableBackend:
                    Acknowledgements: [{ Rule: SB-LOG-001, Reason: "  " }]
            """, "Logs", """
            Resources:
              Logs:
                Type: AWS::Logs::LogGroup
                Properties: { RetentionInDays: 7, KmsKeyId: k }
                Metadata:
                  ScalableBackend:
                    Acknowledgements: [{ Rule: SB-LOG-001, Reason: "shared key" }]
            """),
        new("SB-ACK-002", """
            Resources:
              Logs:
                Type: AWS::Logs::LogGroup
                Properties: { RetentionInDays: 7 }
                Metadata:
                  ScalableBackend:
                    Acknowledgements: [{ Rule: SB-LOG-999, Reason: "typo" }]
            """, "Logs", """
            Resources:
              Logs:
                Type: AWS::Logs::LogGroup
                Properties: { RetentionInDays: 7 }
                Metadata:
                  ScalableBackend:
                    Acknowledgements: [{ Rule: SB-LOG-001, Reason: "service key is enough for access logs" }]
            """),
        new("SB-ACK-003", """
            Resources:
              Logs:
                Type: AWS::Logs::LogGroup
                Properties: { RetentionInDays: 7 }
                Metadata:
                  ScalableBackend:
                    Acknowledgements: [SB-LOG-001]
            """, "Logs", """
            Resources:
              Logs:
                Type: AWS::Logs::LogGroup
                Properties: { RetentionInDays: 7 }
                Metadata:
                  Other: [SB-LOG-001]
            """),

        // ---------------- API Gateway
        new("SB-API-001", """
            Resources:
              Api: { Type: AWS::ApiGateway::RestApi, Properties: { Name: api } }
              Prod:
                Type: AWS::ApiGateway::Stage
                Properties:
                  RestApiId: !Ref Api
                  MethodSettings: [{ ResourcePath: "/*", HttpMethod: "*", MetricsEnabled: true }]
            """, "Prod", """
            Resources:
              Api: { Type: AWS::ApiGateway::RestApi, Properties: { Name: api } }
              Prod:
                Type: AWS::ApiGateway::Stage
                Properties:
                  RestApiId: !Ref Api
                  MethodSettings: [{ ResourcePath: "/*", HttpMethod: "*", ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 }]
            """),
        new("SB-API-002", """
            Resources:
              Api: { Type: AWS::ApiGateway::RestApi, Properties: { Name: api } }
              Deployment:
                Type: AWS::ApiGateway::Deployment
                Properties: { RestApiId: !Ref Api }
              Prod:
                Type: AWS::ApiGateway::Stage
                Properties: { RestApiId: !Ref Api, DeploymentId: !Ref Deployment }
            """, "Prod", """
            Resources:
              Api: { Type: AWS::ApiGateway::RestApi, Properties: { Name: api } }
              Prod:
                Type: AWS::ApiGateway::Stage
                Properties: { RestApiId: !Ref Api }
              Acl: { Type: AWS::WAFv2::WebACL, Properties: { Scope: REGIONAL } }
              AclAssociation:
                Type: AWS::WAFv2::WebACLAssociation
                Properties:
                  WebACLArn: !GetAtt Acl.Arn
                  ResourceArn: !Sub "arn:aws:apigateway:${AWS::Region}::/restapis/${Api}/stages/${Prod}"
            """),

        // ---------------- Auto Scaling
        new("SB-ASG-001", """
            Resources:
              Web:
                Type: AWS::AutoScaling::AutoScalingGroup
                Properties: { MinSize: 2, MaxSize: 2, VPCZoneIdentifier: [a, b] }
              Other:
                Type: AWS::AutoScaling::AutoScalingGroup
                Properties: { MinSize: 1, MaxSize: 4, VPCZoneIdentifier: [a, b] }
              Scale:
                Type: AWS::AutoScaling::ScalingPolicy
                Properties: { AutoScalingGroupName: !Ref Other, PolicyType: TargetTrackingScaling }
            """, "Web", """
            Resources:
              Web:
                Type: AWS::AutoScaling::AutoScalingGroup
                Properties: { MinSize: 2, MaxSize: 6, VPCZoneIdentifier: [a, b] }
              Scale:
                Type: AWS::AutoScaling::ScheduledAction
                Properties: { AutoScalingGroupName: !Ref Web, MinSize: 4, Recurrence: "0 8 * * *" }
            """),
        new("SB-ASG-002", """
            Resources:
              Web:
                Type: AWS::AutoScaling::AutoScalingGroup
                Properties: { MinSize: 1, MaxSize: 4, VPCZoneIdentifier: [subnet-1] }
            """, "Web", """
            Resources:
              Web:
                Type: AWS::AutoScaling::AutoScalingGroup
                Properties: { MinSize: 1, MaxSize: 4, VPCZoneIdentifier: [subnet-1, !Ref SubnetB] }
              Zones:
                Type: AWS::AutoScaling::AutoScalingGroup
                Properties: { MinSize: 1, MaxSize: 4, AvailabilityZones: !GetAZs "" }
            """),
        new("SB-ASG-003", """
            Resources:
              Web:
                Type: AWS::AutoScaling::AutoScalingGroup
                Properties: { MinSize: 1, MaxSize: 4, TargetGroupARNs: [!Ref Targets] }
              Targets: { Type: AWS::ElasticLoadBalancingV2::TargetGroup, Properties: { Port: 80 } }
            """, "Web", """
            Resources:
              Web:
                Type: AWS::AutoScaling::AutoScalingGroup
                Properties: { MinSize: 1, MaxSize: 4, TargetGroupARNs: [!Ref Targets], HealthCheckType: ELB }
              Targets: { Type: AWS::ElasticLoadBalancingV2::TargetGroup, Properties: { Port: 80 } }
            """),
        new("SB-ASG-005", """
            Resources:
              Config:
                Type: AWS::AutoScaling::LaunchConfiguration
                Properties: { ImageId: ami-12345678, InstanceType: t3.micro }
              Web:
                Type: AWS::AutoScaling::AutoScalingGroup
                Properties: { MinSize: 1, MaxSize: 4, VPCZoneIdentifier: [a, b], LaunchConfigurationName: !Ref Config }
            """, "Web", """
            Resources:
              Template:
                Type: AWS::EC2::LaunchTemplate
                Properties: { LaunchTemplateData: { ImageId: ami-12345678, InstanceType: t3.micro } }
              Web:
                Type: AWS::AutoScaling::AutoScalingGroup
                Properties:
                  MinSize: 1
                  MaxSize: 4
                  VPCZoneIdentifier: [a, b]
                  LaunchTemplate: { LaunchTemplateId: !Ref Template, Version: !GetAtt Template.LatestVersionNumber }
            """),
        new("SB-ASG-004", """
            Resources:
              Template:
                Type: AWS::EC2::LaunchTemplate
                Properties:
                  LaunchTemplateData:
                    NetworkInterfaces: [{ DeviceIndex: 0, AssociatePublicIpAddress: true }]
              Web:
                Type: AWS::AutoScaling::AutoScalingGroup
                Properties:
                  MinSize: 1
                  MaxSize: 4
                  LaunchTemplate: { LaunchTemplateId: !Ref Template, Version: !GetAtt Template.LatestVersionNumber }
            """, "Web", """
            Resources:
              Template:
                Type: AWS::EC2::LaunchTemplate
                Properties:
                  LaunchTemplateData:
                    NetworkInterfaces: [{ DeviceIndex: 0, AssociatePublicIpAddress: false }]
              Public: { Type: AWS::EC2::Subnet, Properties: { MapPublicIpOnLaunch: true } }
              Web:
                Type: AWS::AutoScaling::AutoScalingGroup
                Properties:
                  MinSize: 1
                  MaxSize: 4
                  VPCZoneIdentifier: [!Ref Public]
                  LaunchTemplate: { LaunchTemplateId: !Ref Template, Version: !GetAtt Template.LatestVersionNumber }
            """),

        // ---------------- EC2
        new("SB-EC2-001", """
            Resources:
              Template:
                Type: AWS::EC2::LaunchTemplate
                Properties:
                  LaunchTemplateData:
                    MetadataOptions: { HttpTokens: required }
                    BlockDeviceMappings: [{ DeviceName: /dev/xvda, Ebs: { VolumeSize: 20 } }]
            """, "Template", """
            Resources:
              Template:
                Type: AWS::EC2::LaunchTemplate
                Properties:
                  LaunchTemplateData:
                    MetadataOptions: { HttpTokens: required }
                    BlockDeviceMappings:
                      - { DeviceName: /dev/xvda, Ebs: { VolumeSize: 20, Encrypted: true } }
                      - { DeviceName: /dev/sdb, VirtualName: ephemeral0 }
            """),
        new("SB-EC2-002", """
            Resources:
              Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.0.0.0/16 } }
              AppSg:
                Type: AWS::EC2::SecurityGroup
                Properties: { GroupDescription: app, VpcId: !Ref Vpc }
              Ssh:
                Type: AWS::EC2::SecurityGroupIngress
                Properties: { GroupId: !GetAtt AppSg.GroupId, IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0 }
            """, "Ssh", """
            Resources:
              LbSg:
                Type: AWS::EC2::SecurityGroup
                Properties:
                  GroupDescription: lb
                  SecurityGroupIngress:
                    - { IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0 }
                    - { IpProtocol: tcp, FromPort: 80, ToPort: 80, CidrIpv6: ::/0 }
              Lb:
                Type: AWS::ElasticLoadBalancingV2::LoadBalancer
                Properties: { SecurityGroups: [!GetAtt LbSg.GroupId], Subnets: [a, b] }
              AppSg:
                Type: AWS::EC2::SecurityGroup
                Properties:
                  GroupDescription: app
                  SecurityGroupIngress: [{ IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 10.0.0.0/16 }]
            """),
        new("SB-EC2-003", """
            Resources:
              Template:
                Type: AWS::EC2::LaunchTemplate
                Properties:
                  LaunchTemplateData: { MetadataOptions: { HttpTokens: optional } }
            """, "Template", """
            Resources:
              Template:
                Type: AWS::EC2::LaunchTemplate
                Properties:
                  LaunchTemplateData: { MetadataOptions: { HttpTokens: required } }
            """),
        new("SB-EC2-004", """
            Resources:
              LbSg: { Type: AWS::EC2::SecurityGroup, Properties: { GroupDescription: lb } }
              Lb:
                Type: AWS::ElasticLoadBalancingV2::LoadBalancer
                Properties: { SecurityGroups: [!GetAtt LbSg.GroupId], Subnets: [a, b] }
              Instances:
                Type: AWS::EC2::Instance
                Properties: { ImageId: ami-1, SecurityGroupIds: [!GetAtt LbSg.GroupId] }
              Web:
                Type: AWS::EC2::SecurityGroupIngress
                Properties: { GroupId: !GetAtt LbSg.GroupId, IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0 }
            """, "Web", """
            Resources:
              LbSg: { Type: AWS::EC2::SecurityGroup, Properties: { GroupDescription: lb } }
              Lb:
                Type: AWS::ElasticLoadBalancingV2::LoadBalancer
                Properties: { SecurityGroups: [!GetAtt LbSg.GroupId], Subnets: [a, b] }
              Web:
                Type: AWS::EC2::SecurityGroupIngress
                Properties: { GroupId: !GetAtt LbSg.GroupId, IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0 }
            """),

        // ---------------- ElastiCache
        new("SB-EC-001", Cache("AtRestEncryptionEnabled: false"), "Cache", Cache()),
        new("SB-EC-002", Cache("TransitEncryptionEnabled: false"), "Cache", Cache()),
        new("SB-EC-003", Cache("MultiAZEnabled: false"), "Cache", Cache()),

        // ---------------- load balancing
        new("SB-ELB-001", """
            Resources:
              Lb:
                Type: AWS::ElasticLoadBalancingV2::LoadBalancer
                Properties:
                  LoadBalancerAttributes: [{ Key: deletion_protection.enabled, Value: "true" }]
            """, "Lb", """
            Resources:
              Lb:
                Type: AWS::ElasticLoadBalancingV2::LoadBalancer
                Properties:
                  LoadBalancerAttributes:
                    - { Key: deletion_protection.enabled, Value: "true" }
                    - { Key: access_logs.s3.enabled, Value: "true" }
                    - { Key: access_logs.s3.bucket, Value: !Ref Logs }
            """),
        new("SB-ELB-002", """
            Resources:
              Http:
                Type: AWS::ElasticLoadBalancingV2::Listener
                Properties:
                  LoadBalancerArn: !Ref Lb
                  Port: 80
                  Protocol: HTTP
                  DefaultActions: [{ Type: forward, TargetGroupArn: !Ref Targets }]
            """, "Http", """
            Resources:
              Http:
                Type: AWS::ElasticLoadBalancingV2::Listener
                Properties:
                  LoadBalancerArn: !Ref Lb
                  Port: 80
                  Protocol: HTTP
                  DefaultActions:
                    - Type: redirect
                      RedirectConfig: { Protocol: HTTPS, Port: "443", StatusCode: HTTP_301 }
            """),
        new("SB-ELB-003", """
            Resources:
              Https:
                Type: AWS::ElasticLoadBalancingV2::Listener
                Properties: { Port: 443, Protocol: HTTPS, SslPolicy: ELBSecurityPolicy-2016-08 }
            """, "Https", """
            Resources:
              Https:
                Type: AWS::ElasticLoadBalancingV2::Listener
                Properties: { Port: 443, Protocol: HTTPS, SslPolicy: ELBSecurityPolicy-TLS13-1-2-2021-06 }
              Tls:
                Type: AWS::ElasticLoadBalancingV2::Listener
                Properties: { Port: 443, Protocol: TLS, SslPolicy: ELBSecurityPolicy-FS-1-2-Res-2020-10 }
            """),
        new("SB-ELB-004", """
            Resources:
              Lb:
                Type: AWS::ElasticLoadBalancingV2::LoadBalancer
                Properties:
                  LoadBalancerAttributes: [{ Key: deletion_protection.enabled, Value: "false" }]
            """, "Lb", """
            Resources:
              Lb:
                Type: AWS::ElasticLoadBalancingV2::LoadBalancer
                Properties:
                  LoadBalancerAttributes: [{ Key: deletion_protection.enabled, Value: "true" }]
            """),
        new("SB-ELB-005", """
            Resources:
              Targets:
                Type: AWS::ElasticLoadBalancingV2::TargetGroup
                Properties: { Port: 8080, Protocol: HTTP }
            """, "Targets", """
            Resources:
              Targets:
                Type: AWS::ElasticLoadBalancingV2::TargetGroup
                Properties: { Port: 8080, Protocol: HTTP, HealthCheckPath: /health }
              Functions:
                Type: AWS::ElasticLoadBalancingV2::TargetGroup
                Properties: { TargetType: lambda }
            """),

        new("SB-ELB-006", OriginCheck("""
                  Conditions: [{ Field: path-pattern, PathPatternConfig: { Values: ["/api/*"] } }]
            """), "Alb", OriginCheck("""
                  Conditions:
                    - { Field: path-pattern, PathPatternConfig: { Values: ["/api/*"] } }
                    - { Field: http-header, HttpHeaderConfig: { HttpHeaderName: x-origin-verify, Values: ["{{resolve:secretsmanager:origin:SecretString:v1}}"] } }
            """)),

        // ---------------- IAM
        new("SB-IAM-001", """
            Resources:
              Role:
                Type: AWS::IAM::Role
                Properties:
                  AssumeRolePolicyDocument:
                    Statement: [{ Effect: Allow, Principal: { Service: ec2.amazonaws.com }, Action: "sts:AssumeRole" }]
                  Policies:
                    - PolicyName: admin
                      PolicyDocument:
                        Statement: [{ Effect: Allow, Action: "*", Resource: !GetAtt Queue.Arn }]
            """, "Role", """
            Resources:
              Role:
                Type: AWS::IAM::Role
                Properties:
                  Policies:
                    - PolicyName: send
                      PolicyDocument:
                        Statement:
                          - { Effect: Allow, Action: ["sqs:SendMessage"], Resource: !GetAtt Queue.Arn }
                          - { Effect: Deny, Action: "*", Resource: "*" }
            """),
        new("SB-IAM-002", """
            Resources:
              Policy:
                Type: AWS::IAM::ManagedPolicy
                Properties:
                  PolicyDocument:
                    Statement: [{ Effect: Allow, Action: ["s3:GetObject"], Resource: "*" }]
            """, "Policy", """
            Resources:
              Policy:
                Type: AWS::IAM::ManagedPolicy
                Properties:
                  PolicyDocument:
                    Statement: [{ Effect: Allow, Action: ["s3:GetObject"], Resource: !Sub "${Bucket.Arn}/*" }]
            """),

        // ---------------- logs
        new("SB-LOG-001", """
            Resources:
              Logs: { Type: AWS::Logs::LogGroup, Properties: { RetentionInDays: 30 } }
            """, "Logs", """
            Resources:
              Logs: { Type: AWS::Logs::LogGroup, Properties: { RetentionInDays: 30, KmsKeyId: !GetAtt Key.Arn } }
            """),
        new("SB-LOG-002", """
            Resources:
              Logs: { Type: AWS::Logs::LogGroup, Properties: { KmsKeyId: k } }
            """, "Logs", """
            Resources:
              Logs: { Type: AWS::Logs::LogGroup, Properties: { KmsKeyId: k, RetentionInDays: 30 } }
            """),

        // ---------------- OpenSearch
        new("SB-OS-001", Domain("EncryptionAtRestOptions: { Enabled: false }"), "Search", Domain()),
        new("SB-OS-002", Domain("DomainEndpointOptions: { EnforceHTTPS: true }"), "Search", Domain()),
        new("SB-OS-003", Domain("NodeToNodeEncryptionOptions: {}"), "Search", Domain()),

        // ---------------- RDS
        new("SB-RDS-001", Db("StorageEncrypted: false"), "Db", Db()),
        new("SB-RDS-002", """
            Resources:
              Params:
                Type: AWS::RDS::DBParameterGroup
                Properties: { Family: postgres14, Parameters: { rds.force_ssl: 0 } }
              Db:
                Type: AWS::RDS::DBInstance
                Properties: { Engine: postgres, EngineVersion: "14.10", DBParameterGroupName: !Ref Params }
            """, "Db", """
            Resources:
              Params:
                Type: AWS::RDS::DBParameterGroup
                Properties: { Family: postgres14, Parameters: { rds.force_ssl: 1 } }
              Db:
                Type: AWS::RDS::DBInstance
                Properties: { Engine: postgres, EngineVersion: "14.10", DBParameterGroupName: !Ref Params }
            """),
        new("SB-RDS-003", Db("PubliclyAccessible: true"), "Db", Db()),
        new("SB-RDS-004", Db("MultiAZ: false"), "Db", Db()),
        new("SB-RDS-005", Db("DeletionProtection: false"), "Db", Db()),
        new("SB-RDS-006", Db("BackupRetentionPeriod: 1"), "Db", Db()),
        new("SB-RDS-007", """
            Resources:
              Db:
                Type: AWS::RDS::DBInstance
                DeletionPolicy: Snapshot
                Properties: { Engine: postgres }
            """, "Db", """
            Resources:
              Db:
                Type: AWS::RDS::DBInstance
                DeletionPolicy: Snapshot
                UpdateReplacePolicy: Snapshot
                Properties: { Engine: postgres }
            """),

        // ---------------- S3
        new("SB-S3-001", """
            Resources:
              Bucket: { Type: AWS::S3::Bucket }
            """, "Bucket", """
            Resources:
              Bucket:
                Type: AWS::S3::Bucket
                Properties:
                  BucketEncryption:
                    ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: AES256 } }]
            """),
        new("SB-S3-002", """
            Resources:
              Bucket: { Type: AWS::S3::Bucket }
              Policy:
                Type: AWS::S3::BucketPolicy
                Properties:
                  Bucket: !Ref Bucket
                  PolicyDocument:
                    Statement: [{ Effect: Allow, Principal: "*", Action: s3:GetObject, Resource: !Sub "${Bucket.Arn}/*" }]
            """, "Bucket", """
            Resources:
              Bucket: { Type: AWS::S3::Bucket }
              Policy:
                Type: AWS::S3::BucketPolicy
                Properties:
                  Bucket: !Ref Bucket
                  PolicyDocument:
                    Statement:
                      - Effect: Deny
                        Principal: { AWS: "*" }
                        Action: "s3:*"
                        Resource: [!GetAtt Bucket.Arn, !Sub "${Bucket.Arn}/*"]
                        Condition: { Bool: { "aws:SecureTransport": "false" } }
            """),
        new("SB-S3-003", """
            Resources:
              Bucket:
                Type: AWS::S3::Bucket
                Properties:
                  PublicAccessBlockConfiguration: { BlockPublicAcls: false, BlockPublicPolicy: false, IgnorePublicAcls: true, RestrictPublicBuckets: true }
            """, "Bucket", """
            Resources:
              Bucket:
                Type: AWS::S3::Bucket
                Properties:
                  PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true }
            """),

        // ---------------- secrets
        new("SB-SEC-001", """
            Parameters:
              Visible: { Type: String }
            Resources:
              Db:
                Type: AWS::RDS::DBInstance
                Properties: { MasterUsername: admin, MasterUserPassword: hunter2hunter2 }
              Cache:
                Type: AWS::ElastiCache::ReplicationGroup
                Properties: { AuthToken: !Ref Visible }
            """, "Db,Cache", """
            Parameters:
              Hidden: { Type: String, NoEcho: true }
            Resources:
              Db:
                Type: AWS::RDS::DBInstance
                Properties:
                  MasterUsername: admin
                  MasterUserPassword: "{{resolve:secretsmanager:DbSecret:SecretString:password}}"
                  ManageMasterUserPassword: false
              Cache:
                Type: AWS::ElastiCache::ReplicationGroup
                Properties: { AuthToken: !Ref Hidden }
              Function:
                Type: AWS::Lambda::Function
                Properties:
                  Environment: { Variables: { DB_PASSWORD_SECRET_ARN: !Ref Secret } }
            """),

        // ---------------- SNS
        new("SB-SNS-001", """
            Resources:
              Topic: { Type: AWS::SNS::Topic }
            """, "Topic", """
            Resources:
              Topic: { Type: AWS::SNS::Topic, Properties: { KmsMasterKeyId: alias/aws/sns } }
            """),
        new("SB-SNS-002", """
            Resources:
              Topic: { Type: AWS::SNS::Topic }
            """, "Topic", """
            Resources:
              Topic: { Type: AWS::SNS::Topic }
              TopicPolicy:
                Type: AWS::SNS::TopicPolicy
                Properties:
                  Topics: [!Ref Topic]
                  PolicyDocument:
                    Statement:
                      - { Effect: Deny, Principal: "*", Action: "sns:Publish", Resource: !Ref Topic, Condition: { Bool: { aws:SecureTransport: false } } }
            """),

        new("SB-SNS-003", AlarmTopic("""
                    - { Sid: DenyPublishWithoutTls, Effect: Deny, Principal: { AWS: "*" }, Action: sns:Publish, Resource: !Ref Alarms, Condition: { Bool: { aws:SecureTransport: false } } }
            """), "AlarmsPolicy", AlarmTopic("""
                    - { Sid: DenyPublishWithoutTls, Effect: Deny, Principal: { AWS: "*" }, Action: sns:Publish, Resource: !Ref Alarms, Condition: { Bool: { aws:SecureTransport: false } } }
                    - Sid: AllowCloudWatchAlarmsToPublish
                      Effect: Allow
                      Principal: { Service: cloudwatch.amazonaws.com }
                      Action: sns:Publish
                      Resource: !Ref Alarms
                      Condition: { StringEquals: { aws:SourceAccount: !Ref AWS::AccountId }, ArnLike: { aws:SourceArn: !Sub "arn:${AWS::Partition}:cloudwatch:${AWS::Region}:${AWS::AccountId}:alarm:*" } }
            """)),

        // ---------------- IAM managed policies
        new("SB-IAM-003", """
            Resources:
              Role:
                Type: AWS::IAM::Role
                Properties:
                  AssumeRolePolicyDocument: { Statement: [{ Effect: Allow, Principal: { Service: lambda.amazonaws.com }, Action: sts:AssumeRole }] }
                  ManagedPolicyArns:
                    - arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole
                    - !Sub arn:${AWS::Partition}:iam::aws:policy/AmazonS3FullAccess
            """, "Role", """
            Resources:
              Role:
                Type: AWS::IAM::Role
                Properties:
                  AssumeRolePolicyDocument: { Statement: [{ Effect: Allow, Principal: { Service: lambda.amazonaws.com }, Action: sts:AssumeRole }] }
                  ManagedPolicyArns:
                    - arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole
                    - !Ref CustomerPolicy
              CustomerPolicy:
                Type: AWS::IAM::ManagedPolicy
                Properties:
                  PolicyDocument: { Statement: [{ Effect: Allow, Action: s3:GetObject, Resource: arn:aws:s3:::bucket/* }] }
            """),

        new("SB-IAM-004", """
            Resources:
              Role:
                Type: AWS::IAM::Role
                Properties:
                  AssumeRolePolicyDocument: { Statement: [{ Effect: Allow, Principal: { Service: ec2.amazonaws.com }, Action: sts:AssumeRole }] }
                  ManagedPolicyArns: [!Sub "arn:${AWS::Partition}:iam::aws:policy/AmazonSSMManagedInstanceCore"]
            """, "Role", """
            Resources:
              Role:
                Type: AWS::IAM::Role
                Properties:
                  AssumeRolePolicyDocument: { Statement: [{ Effect: Allow, Principal: { Service: ec2.amazonaws.com }, Action: sts:AssumeRole }] }
                  Policies:
                    - PolicyName: parameters
                      PolicyDocument:
                        Statement: [{ Effect: Allow, Action: [ssm:GetParameter, ssm:GetParameters], Resource: !Sub "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/backend/prod/api/*" }]
            """),

        // ---------------- KMS
        new("SB-KMS-001", """
            Resources:
              DataKey: { Type: AWS::KMS::Key, Properties: { KeyPolicy: {} } }
              OffKey: { Type: AWS::KMS::Key, Properties: { KeyPolicy: {}, EnableKeyRotation: false, KeySpec: SYMMETRIC_DEFAULT } }
            """, "DataKey,OffKey", """
            Resources:
              DataKey: { Type: AWS::KMS::Key, Properties: { KeyPolicy: {}, EnableKeyRotation: true } }
              SigningKey: { Type: AWS::KMS::Key, Properties: { KeyPolicy: {}, KeySpec: ECC_NIST_P256, KeyUsage: SIGN_VERIFY } }
              MacKey: { Type: AWS::KMS::Key, Properties: { KeyPolicy: {}, KeySpec: HMAC_256, KeyUsage: GENERATE_VERIFY_MAC } }
              Imported: { Type: AWS::KMS::Key, Properties: { KeyPolicy: {}, Origin: EXTERNAL } }
            """),

        // ---------------- SQS
        new("SB-SQS-001", """
            Resources:
              Queue: { Type: AWS::SQS::Queue, Properties: { SqsManagedSseEnabled: false } }
            """, "Queue", """
            Resources:
              Queue: { Type: AWS::SQS::Queue }
              Keyed: { Type: AWS::SQS::Queue, Properties: { SqsManagedSseEnabled: false, KmsMasterKeyId: alias/aws/sqs } }
            """),
        new("SB-SQS-002", """
            Resources:
              Queue: { Type: AWS::SQS::Queue }
              QueuePolicy:
                Type: AWS::SQS::QueuePolicy
                Properties:
                  Queues: [!Ref Queue]
                  PolicyDocument:
                    Statement: [{ Effect: Allow, Principal: { Service: sns.amazonaws.com }, Action: sqs:SendMessage, Resource: !GetAtt Queue.Arn }]
            """, "Queue", """
            Resources:
              Queue: { Type: AWS::SQS::Queue }
              QueuePolicy:
                Type: AWS::SQS::QueuePolicy
                Properties:
                  Queues: [!Ref Queue]
                  PolicyDocument:
                    Statement:
                      - { Effect: Deny, Principal: "*", Action: "sqs:*", Resource: !GetAtt Queue.Arn, Condition: { Bool: { aws:SecureTransport: "false" } } }
            """),
        new("SB-SQS-003", """
            Resources:
              Queue: { Type: AWS::SQS::Queue }
            """, "Queue", """
            Resources:
              Queue:
                Type: AWS::SQS::Queue
                Properties:
                  RedrivePolicy: { deadLetterTargetArn: !GetAtt DeadLetters.Arn, maxReceiveCount: 5 }
              DeadLetters: { Type: AWS::SQS::Queue, Properties: { MessageRetentionPeriod: 1209600 } }
            """),
    ];

    public static TheoryData<string> Ids() => new(All.Select(c => c.RuleId));

    public static RuleCase Get(string ruleId) => All.Single(c => c.RuleId == ruleId);

    /// <summary>
    /// An internet-facing load balancer that a REST API method calls by its DNS name (adding the x-origin-verify
    /// header), with an HTTPS listener answering 403 by default and one forwarding rule whose Conditions are
    /// <paramref name="conditions"/> (property lines, indented for the rule's Properties).
    /// </summary>
    internal static string OriginCheck(string conditions) => """
        Resources:
          Alb:
            Type: AWS::ElasticLoadBalancingV2::LoadBalancer
            Properties: { Scheme: internet-facing, Subnets: [a, b] }
          Https:
            Type: AWS::ElasticLoadBalancingV2::Listener
            Properties:
              LoadBalancerArn: !Ref Alb
              Port: 443
              Protocol: HTTPS
              SslPolicy: ELBSecurityPolicy-TLS13-1-2-2021-06
              DefaultActions: [{ Type: fixed-response, FixedResponseConfig: { StatusCode: "403" } }]
          Targets: { Type: AWS::ElasticLoadBalancingV2::TargetGroup, Properties: { Port: 80, Protocol: HTTP, HealthCheckPath: /health } }
          Rule:
            Type: AWS::ElasticLoadBalancingV2::ListenerRule
            Properties:
              ListenerArn: !Ref Https
              Priority: 10
              Actions: [{ Type: forward, TargetGroupArn: !Ref Targets }]
        CONDITIONS
          Api: { Type: AWS::ApiGateway::RestApi, Properties: { Name: api } }
          Orders:
            Type: AWS::ApiGateway::Method
            Properties:
              RestApiId: !Ref Api
              ResourceId: !GetAtt Api.RootResourceId
              HttpMethod: GET
              AuthorizationType: NONE
              Integration:
                Type: HTTP_PROXY
                IntegrationHttpMethod: GET
                Uri: !Sub "https://${Alb.DNSName}/api/orders"
                RequestParameters: { integration.request.header.x-origin-verify: "'{{resolve:secretsmanager:origin:SecretString:v1}}'" }
        """.Replace("CONDITIONS", conditions, StringComparison.Ordinal);

    /// <summary>
    /// An alarm topic that a CloudWatch alarm notifies, with a topic policy whose statements are
    /// <paramref name="statements"/> (list items, indented for the document's Statement).
    /// </summary>
    internal static string AlarmTopic(string statements) => """
        Resources:
          Alarms: { Type: AWS::SNS::Topic, Properties: { KmsMasterKeyId: alias/aws/sns } }
          AlarmsPolicy:
            Type: AWS::SNS::TopicPolicy
            Properties:
              Topics: [!Ref Alarms]
              PolicyDocument:
                Statement:
        STATEMENTS
          Errors:
            Type: AWS::CloudWatch::Alarm
            Properties:
              MetricName: Errors
              Namespace: App
              Statistic: Sum
              Period: 60
              EvaluationPeriods: 1
              Threshold: 1
              ComparisonOperator: GreaterThanOrEqualToThreshold
              AlarmActions: [!Ref Alarms]
        """.Replace("STATEMENTS", statements, StringComparison.Ordinal);

    /// <summary>A compliant production replication group, with one property overridden.</summary>
    private static string Cache(string? overrideLine = null) => WithOverride("""
        Resources:
          Cache:
            Type: AWS::ElastiCache::ReplicationGroup
            Properties:
              ReplicationGroupDescription: sessions
              AtRestEncryptionEnabled: true
              TransitEncryptionEnabled: true
              MultiAZEnabled: true
              AutomaticFailoverEnabled: true
        """, overrideLine);

    /// <summary>A compliant production OpenSearch domain, with one property overridden.</summary>
    private static string Domain(string? overrideLine = null) => WithOverride("""
        Resources:
          Search:
            Type: AWS::OpenSearchService::Domain
            Properties:
              EncryptionAtRestOptions: { Enabled: true }
              NodeToNodeEncryptionOptions: { Enabled: true }
              DomainEndpointOptions: { EnforceHTTPS: true, TLSSecurityPolicy: Policy-Min-TLS-1-2-PFS-2023-10 }
        """, overrideLine);

    /// <summary>A compliant production PostgreSQL instance, with one property overridden.</summary>
    private static string Db(string? overrideLine = null) => WithOverride("""
        Resources:
          Db:
            Type: AWS::RDS::DBInstance
            DeletionPolicy: Snapshot
            UpdateReplacePolicy: Snapshot
            Properties:
              Engine: postgres
              EngineVersion: "16.4"
              StorageEncrypted: true
              PubliclyAccessible: false
              MultiAZ: true
              DeletionProtection: true
              BackupRetentionPeriod: 7
              MasterUserPassword: "{{resolve:secretsmanager:DbSecret:SecretString:password}}"
        """, overrideLine);

    /// <summary>Replaces the property line named in <paramref name="overrideLine"/> (same key), or adds it.</summary>
    private static string WithOverride(string yaml, string? overrideLine)
    {
        if (overrideLine is null)
        {
            return yaml;
        }

        var key = overrideLine.Split(':')[0];
        var lines = yaml.Split('\n').ToList();
        var index = lines.FindIndex(l => l.TrimStart().StartsWith(key + ":", StringComparison.Ordinal));
        var indent = new string(' ', lines[^1].Length - lines[^1].TrimStart().Length);
        if (index >= 0)
        {
            lines[index] = indent + overrideLine;
        }
        else
        {
            lines.Add(indent + overrideLine);
        }

        return string.Join('\n', lines);
    }
}
