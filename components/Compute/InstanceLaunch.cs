using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.IAM;
using Constructs;

namespace ScalableBackend.Components.Compute;

/// <summary>What <see cref="InstanceLaunch.Create"/> builds: the role, the security group and the launch template.</summary>
internal sealed record LaunchParts(IRole Role, ISecurityGroup SecurityGroup, LaunchTemplate LaunchTemplate);

/// <summary>
/// The hardened instance launch shared by the Auto Scaling tiers (<see cref="WebService"/>, <see cref="WorkerService"/>):
/// an instance role with only SSM management and the CloudWatch agent, a security group without ingress, and a launch
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
        var managed = new List<IManagedPolicy> { ManagedPolicy.FromAwsManagedPolicyName("AmazonSSMManagedInstanceCore") };
        if (attachAgentPolicy)
            managed.Add(ManagedPolicy.FromAwsManagedPolicyName("CloudWatchAgentServerPolicy"));
        var role = new Role(scope, "InstanceRole", new RoleProps
        {
            AssumedBy = new ServicePrincipal("ec2.amazonaws.com"),
            Description = $"Instances of {scope.Node.Path}: SSM management and the CloudWatch agent only",
            ManagedPolicies = managed.ToArray(),
        });
        var securityGroup = new SecurityGroup(scope, "SecurityGroup", new SecurityGroupProps
        {
            Vpc = vpc,
            Description = $"Instances of {scope.Node.Path}",
            AllowAllOutbound = true,
        });
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
