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
/// API, a cache the API may use, and a queue drained by workers scaled on backlog per instance.
/// </summary>
public sealed class OrdersBackendStack : Stack
{
    /// <summary>The API tier.</summary>
    public WebService Api { get; }

    /// <summary>The job queue between the API and the workers.</summary>
    public MessageQueue Jobs { get; }

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

        Api = new WebService(this, "Api", new WebServiceProps
        {
            Vpc = network.Vpc,
            Listener = loadBalancer.ServiceListener,
            Routing = new ServiceRouting { Priority = 10, PathPatterns = ["/*"] },
            InstanceType = new InstanceType("t3.small"),
            MinCapacity = 2,
            MaxCapacity = 6,
            LoadBalancingAlgorithm = LoadBalancingAlgorithm.LeastOutstandingRequests,
            Scaling = new ServiceScaling { CpuTargetPercent = 60, RequestsPerTarget = 800 },
        });

        var cache = new RedisCluster(this, "Cache", new RedisClusterProps
        {
            Vpc = network.Vpc,
            NodeType = "cache.t4g.small",
            ReplicasPerShard = 1,
        });
        cache.GrantConnect(new DataClient(Api.SecurityGroup, Api.Role));

        Jobs = new MessageQueue(this, "Jobs", new MessageQueueProps { ConsumerTimeout = Duration.Minutes(2) });
        Jobs.GrantSend(Api.Role);
        _ = new WorkerService(this, "Workers", new WorkerServiceProps
        {
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
