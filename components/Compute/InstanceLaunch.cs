using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.IAM;
using Constructs;
using ScalableBackend.Components.Security;

namespace ScalableBackend.Components.Compute;

/// <summary>What <see cref="InstanceLaunch.Create"/> builds: the role, the security group and the launch template.</summary>
internal sealed record LaunchParts(IRole Role, ISecurityGroup SecurityGroup, LaunchTemplate LaunchTemplate);

/// <summary>
/// The hardened instance launch shared by the Auto Scaling tiers (<see cref="WebService"/>, <see cref="WorkerService"/>):
/// an instance role with only Session Manager (a scoped policy, not AWS's AmazonSSMManagedInstanceCore) and the CloudWatch agent, a security group without ingress and with egress only on HTTPS (and each granted store's port), and a launch
/// template requiring IMDSv2 (hop limit 1), with an encrypted gp3 root volume, no public IP and detailed monitoring.
/// Children keep the ids <c>InstanceRole</c>, <c>SecurityGroup</c> and <c>LaunchTemplate</c> under <c>scope</c>.
/// </summary>
internal static class InstanceLaunch
{
    /// <summary>Creates the role, security group and launch template under <paramref name="scope"/>.</summary>
    /// <remarks>
    /// With <paramref name="attachAgentPolicy"/> the role gets AWS's managed <c>CloudWatchAgentServerPolicy</c> (logs
    /// and metrics on any resource); without it, whoever configures the agent grants exactly what it needs.
    /// </remarks>
    public static LaunchParts Create(Construct scope, IVpc vpc, InstanceType instanceType, IMachineImage? machineImage, UserData? userData, int? rootVolumeSizeGiB, bool attachAgentPolicy = true)
    {
        var managed = new List<IManagedPolicy>();
        if (attachAgentPolicy)
            managed.Add(ManagedPolicy.FromAwsManagedPolicyName("CloudWatchAgentServerPolicy"));
        var role = new Role(scope, "InstanceRole", new RoleProps
        {
            AssumedBy = new ServicePrincipal("ec2.amazonaws.com"),
            Description = $"Instances of {scope.Node.Path}: Session Manager and the CloudWatch agent only",
            ManagedPolicies = managed.Count > 0 ? managed.ToArray() : null,
        });
        // Instead of AWS's AmazonSSMManagedInstanceCore, which also allows ssm:GetParameter(s) on every parameter of the
        // account (the shard map, every other service's configuration): exactly what Session Manager needs (Systems
        // Manager user guide, "Create a custom IAM role for Session Manager"). Each role reads only the parameters its
        // own grants name.
        var sessionManager = new Policy(scope, "SessionManagerPolicy", new PolicyProps
        {
            Statements =
            [
                new PolicyStatement(new PolicyStatementProps
                {
                    Sid = "SessionManager",
                    Actions =
                    [
                        "ssm:UpdateInstanceInformation",
                        "ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel",
                        "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel",
                    ],
                    Resources = ["*"],
                }),
            ],
        });
        sessionManager.AttachToRole(role);
        PolicyAcknowledgement.Apply(sessionManager, PolicyAcknowledgement.ForRules(
            "Session Manager's actions (ssm:UpdateInstanceInformation and the ssmmessages channel actions) support no resource-level permissions; the role reads no parameter through this policy.",
            "SB-IAM-002", "AwsSolutions-IAM5[Resource::*]"));
        var securityGroup = new SecurityGroup(scope, "SecurityGroup", new SecurityGroupProps
        {
            Vpc = vpc,
            Description = $"Instances of {scope.Node.Path}",
            AllowAllOutbound = false,
        });
        // Egress is what the tier needs, not every port: HTTPS (AWS APIs through the VPC's interface endpoints or the
        // NAT gateway, ECR and the image registries, S3 through its gateway endpoint), and each granted store's port to
        // exactly that store's security group (DataClientIngress.Admit adds those with its ingress). The Amazon DNS
        // server, the instance metadata service and the Time Sync service are not filtered by security groups (VPC user
        // guide, "Security group rules"), so they need no rule.
        securityGroup.AddEgressRule(Peer.AnyIpv4(), Port.Tcp(443), "HTTPS to AWS APIs, ECR and image registries");
        var launchTemplate = new LaunchTemplate(scope, "LaunchTemplate", new LaunchTemplateProps
        {
            InstanceType = instanceType,
            MachineImage = machineImage ?? MachineImage.LatestAmazonLinux2023(),
            UserData = userData ?? UserData.ForLinux(),
            Role = role,
            SecurityGroup = securityGroup,
            RequireImdsv2 = true,
            HttpTokens = LaunchTemplateHttpTokens.REQUIRED,
            HttpPutResponseHopLimit = 1,
            AssociatePublicIpAddress = false,
            DetailedMonitoring = true,
            BlockDevices = new IBlockDevice[]
            {
                new BlockDevice
                {
                    DeviceName = "/dev/xvda",
                    Volume = BlockDeviceVolume.Ebs(rootVolumeSizeGiB ?? 20, new EbsDeviceOptions
                    {
                        VolumeType = EbsDeviceVolumeType.GP3,
                        Encrypted = true,
                        DeleteOnTermination = true,
                    }),
                },
            },
        });
        return new LaunchParts(role, securityGroup, launchTemplate);
    }
}
