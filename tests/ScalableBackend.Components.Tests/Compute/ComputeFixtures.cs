using Amazon.CDK;
using Amazon.CDK.AWS.CertificateManager;
using Amazon.CDK.AWS.EC2;
using ScalableBackend.Components.Compute;
using ScalableBackend.Components.Tests.Support;

namespace ScalableBackend.Components.Tests.Compute;

/// <summary>A network, a load balancer with a certificate and one service using every scaling trigger; synthesized once.</summary>
public sealed class HttpsServiceFixture
{
    public Synthesized Result { get; }

    public HttpsServiceFixture()
    {
        var (stack, network) = TestStacks.WithNetwork();
        var lb = new ServiceLoadBalancer(stack, "LoadBalancer", new ServiceLoadBalancerProps
        {
            Vpc = network.Vpc,
            Certificate = Certificate.FromCertificateArn(stack, "Cert", "arn:aws:acm:us-east-1:123456789012:certificate/abc"),
        });
        _ = new WebService(stack, "ServiceOrders", new WebServiceProps
        {
            Vpc = network.Vpc,
            Listener = lb.ServiceListener,
            Routing = new ServiceRouting { Priority = 42, PathPatterns = ["/orders/*"], HostHeaders = ["orders.example.com"] },
            InstanceType = new InstanceType("t3.micro"),
            MinCapacity = 2,
            MaxCapacity = 6,
            Port = 9000,
            LoadBalancingAlgorithm = LoadBalancingAlgorithm.LeastOutstandingRequests,
            Scaling = new ServiceScaling
            {
                CpuTargetPercent = 55,
                RequestsPerTarget = 500,
                CustomMetrics = new Dictionary<string, CustomMetricTarget>
                {
                    ["queue-latency"] = new() { Metric = new MetricSpec { Namespace = "Orders", MetricName = "LatencyMs", Dimensions = new Dictionary<string, string> { ["Service"] = "orders" } }, Target = 200, DisableScaleIn = true },
                },
                StepScaling = new Dictionary<string, StepScalingTrigger>
                {
                    ["backlog"] = new()
                    {
                        Metric = new MetricSpec { Namespace = "Orders", MetricName = "Backlog", Statistic = "Maximum" },
                        Steps = [new ScalingStep { Upper = 10, Change = -1 }, new ScalingStep { Lower = 100, Change = 3 }],
                        EvaluationPeriods = 2,
                    },
                },
                Schedules = new Dictionary<string, ScheduledCapacity>
                {
                    ["nightly-batch"] = new() { Cron = "0 1 * * *", Min = 4, Max = 6 },
                },
            },
        });
        Result = Synthesized.Of(stack);
    }
}

/// <summary>A service that takes TLS all the way to its instances; synthesized once.</summary>
public sealed class HttpsTargetsFixture
{
    public Synthesized Result { get; }

    public HttpsTargetsFixture()
    {
        var (stack, network) = TestStacks.WithNetwork();
        var lb = new ServiceLoadBalancer(stack, "LoadBalancer", new ServiceLoadBalancerProps
        {
            Vpc = network.Vpc,
            Certificate = Certificate.FromCertificateArn(stack, "Cert", "arn:aws:acm:us-east-1:123456789012:certificate/abc"),
        });
        _ = new WebService(stack, "ServicePayments", new WebServiceProps
        {
            Vpc = network.Vpc,
            Listener = lb.ServiceListener,
            Routing = new ServiceRouting { Priority = 7, PathPatterns = ["/pay/*"] },
            InstanceType = new InstanceType("t3.micro"),
            MinCapacity = 1,
            MaxCapacity = 2,
            Port = 8443,
            TargetProtocol = TargetProtocol.Https,
            AttachCloudWatchAgentPolicy = false,
        });
        Result = Synthesized.Of(stack);
    }
}

/// <summary>A load balancer without a certificate, explicitly allowed to serve plain HTTP; synthesized once.</summary>
public sealed class PlainHttpFixture
{
    public Synthesized Result { get; }

    public PlainHttpFixture()
    {
        var (stack, network) = TestStacks.WithNetwork();
        _ = new ServiceLoadBalancer(stack, "LoadBalancer", new ServiceLoadBalancerProps
        {
            Vpc = network.Vpc,
            AllowPlainHttp = true,
            DeletionProtection = false,
            AccessLogExpirationDays = 7,
        });
        Result = Synthesized.Of(stack);
    }
}
