using Amazon.CDK;
using Amazon.CDK.AWS.CertificateManager;
using Amazon.CDK.AWS.EC2;
using Constructs;
using ScalableBackend.Components.Data;
using ScalableBackend.Components.Caching;
using ScalableBackend.Components.Compute;
using ScalableBackend.Components.Messaging;
using ScalableBackend.Components.Networking;

namespace ScalableBackend.Examples.OrdersBackend;

/// <summary>
/// An orders backend built straight from the components: a network, an HTTPS load balancer with an autoscaling
/// API, a cache the API may use, and a queue drained by workers scaled on backlog per instance. Both tiers run the
/// team's images (pinned by tag or digest) on a pinned machine image, and roll out only when the new instances signal.
/// </summary>
public sealed class OrdersBackendStack : Stack
{
    /// <summary>The API tier.</summary>
    public WebService Api { get; }

    /// <summary>The job queue between the API and the workers.</summary>
    public MessageQueue Jobs { get; }

    /// <summary>The machine images the instances boot (Amazon Linux 2023 in the stack's region; refresh as README says).</summary>
    public static readonly MachineImagePins MachineImages = new() { X86_64 = "ami-0e2c8caa4b6378d8c", Arm64 = "ami-0c4e709339fa8521a" };

    /// <summary>Builds the stack in <paramref name="scope"/> for <paramref name="region"/> over <paramref name="zones"/>.</summary>
    public OrdersBackendStack(Construct scope, string id, string region, string[] zones, string certificateArn)
        : base(scope, id, new StackProps { Env = new Amazon.CDK.Environment { Region = region } })
    {
        var network = new Network(this, "Network", new NetworkProps { AvailabilityZones = zones, NatGateways = 1 });
        var loadBalancer = new ServiceLoadBalancer(this, "LoadBalancer", new ServiceLoadBalancerProps
        {
            Vpc = network.Vpc,
            Certificate = Certificate.FromCertificateArn(this, "Certificate", certificateArn),
        });

        var cache = new RedisCluster(this, "Cache", new RedisClusterProps
        {
            Vpc = network.Vpc,
            NodeType = "cache.t4g.small",
            ReplicasPerShard = 1,
            Users = ["api"],
            UserIdPrefix = "orders-",
        });
        Jobs = new MessageQueue(this, "Jobs", new MessageQueueProps { ConsumerTimeout = Duration.Minutes(2) });

        Api = new WebService(this, "Api", new WebServiceProps
        {
            Container = new ContainerSettings { Image = "orders-api:1.4.2", Environment = new Dictionary<string, string> { ["LOG_LEVEL"] = "info" } },
            // The same names an environment file's relationships hand a container (ContainerContract).
            ContainerEnvironment = new Dictionary<string, string>
            {
                [ContainerContract.CacheEndpoint] = $"{cache.ReplicationGroup.AttrConfigurationEndPointAddress}:{cache.ReplicationGroup.AttrConfigurationEndPointPort}",
                [ContainerContract.CacheUser] = cache.UserId("api"),
                [ContainerContract.CacheReplicationGroupId] = cache.ReplicationGroup.Ref,
                [ContainerContract.QueueUrl("jobs")] = Jobs.Queue.QueueUrl,
            },
            MachineImage = MachineImages.ImageFor(region, "t3.small"),
            Vpc = network.Vpc,
            Listener = loadBalancer.ServiceListener,
            Routing = new ServiceRouting { Priority = 10, PathPatterns = ["/*"] },
            InstanceType = new InstanceType("t3.small"),
            MinCapacity = 2,
            MaxCapacity = 6,
            LoadBalancingAlgorithm = LoadBalancingAlgorithm.LeastOutstandingRequests,
            Scaling = new ServiceScaling { CpuTargetPercent = 60, RequestsPerTarget = 800 },
        });

        cache.GrantConnect(new DataClient(Api.SecurityGroup, Api.Role), "api");

        Jobs.GrantSend(Api.Role);
        _ = new WorkerService(this, "Workers", new WorkerServiceProps
        {
            Container = new ContainerSettings { Image = "orders-worker:1.4.2", Command = ["worker"] },
            ContainerEnvironment = new Dictionary<string, string> { [ContainerContract.WorkerQueueUrl] = Jobs.Queue.QueueUrl },
            MachineImage = MachineImages.ImageFor(region, "t3.small"),
            Vpc = network.Vpc,
            Queue = Jobs.Queue,
            InstanceType = new InstanceType("t3.small"),
            MinCapacity = 1,
            MaxCapacity = 4,
            AcceptableLatency = Duration.Minutes(5),
            AverageProcessingTime = Duration.Seconds(15),
        });
    }
}
