using System.Text.Json.Nodes;
using Amazon.CDK;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.Logs;
using ScalableBackend.Components;
using ScalableBackend.Components.Compute;
using ScalableBackend.Components.Messaging;
using ScalableBackend.Components.Tests.Support;

namespace ScalableBackend.Components.Tests.Compute;

/// <summary>A service and a worker that run container images (one from the account's ECR, one public); synthesized once.</summary>
public sealed class ContainerServiceFixture
{
    public Synthesized Result { get; }

    public ContainerServiceFixture()
    {
        var (stack, network) = TestStacks.WithNetwork();
        var lb = new ServiceLoadBalancer(stack, "LoadBalancer", new ServiceLoadBalancerProps { Vpc = network.Vpc, AllowPlainHttp = true });
        var logs = new LogGroup(stack, "ApiLogs", new LogGroupProps { LogGroupName = "/backend/test/api" });
        _ = new WebService(stack, "ServiceApi", new WebServiceProps
        {
            Vpc = network.Vpc,
            Listener = lb.ServiceListener,
            Routing = new ServiceRouting { Priority = 10, PathPatterns = ["/api/*"] },
            InstanceType = new InstanceType("t3.micro"),
            MinCapacity = 2,
            MaxCapacity = 4,
            LogGroup = logs,
            ContainerEnvironment = new Dictionary<string, string> { ["QUEUE_JOBS_URL"] = "https://queue" },
            Container = new ContainerSettings
            {
                Image = "orders-api:1.4.2",
                Command = ["./server"],
                Environment = new Dictionary<string, string> { ["LOG_LEVEL"] = "info" },
                Secrets = new Dictionary<string, ContainerSecret>
                {
                    ["STRIPE_KEY"] = new() { SecretsManager = "test/stripe" },
                    ["PAGER_KEY"] = new() { SsmParameter = "/backend/test/pager" },
                },
            },
        });
        var queue = new MessageQueue(stack, "Jobs");
        _ = new WorkerService(stack, "WorkerJobs", new WorkerServiceProps
        {
            Vpc = network.Vpc,
            Queue = queue.Queue,
            InstanceType = new InstanceType("t3.micro"),
            MinCapacity = 1,
            MaxCapacity = 3,
            AcceptableLatency = Duration.Minutes(1),
            AverageProcessingTime = Duration.Seconds(2),
            Container = new ContainerSettings { Image = "ghcr.io/acme/jobs@sha256:" + new string('a', 64), StartupCheck = Duration.Seconds(45) },
        });
        Result = Synthesized.Of(stack);
    }
}

public sealed class ContainerServiceTests(ContainerServiceFixture fixture) : IClassFixture<ContainerServiceFixture>
{
    private (string Id, JsonObject Resource) Group(string prefix) =>
        fixture.Result.OfType("AWS::AutoScaling::AutoScalingGroup").Single(r => r.Id.StartsWith(prefix, StringComparison.Ordinal));

    private static readonly System.Text.Json.JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private string UserData(string prefix)
    {
        var lt = fixture.Result.OfType("AWS::EC2::LaunchTemplate").Single(r => r.Id.StartsWith(prefix, StringComparison.Ordinal)).Resource;
        return lt["Properties"]!["LaunchTemplateData"]!["UserData"]!.ToJsonString(Relaxed);
    }

    [Theory]
    [InlineData("ServiceApi", 2)]
    [InlineData("WorkerJobs", 1)]
    public void Creation_waits_for_a_success_signal_from_every_initial_instance(string prefix, int count)
    {
        var signal = Group(prefix).Resource["CreationPolicy"]!["ResourceSignal"]!;
        Assert.Equal(count, (int)signal["Count"]!);
        // grace 300 s + warmup 120 s + boot allowance 600 s
        Assert.Equal("PT17M", (string?)signal["Timeout"]);
        Assert.Equal(100, (int)Group(prefix).Resource["CreationPolicy"]!["AutoScalingCreationPolicy"]!["MinSuccessfulInstancesPercent"]!);
    }

    [Theory]
    [InlineData("ServiceApi")]
    [InlineData("WorkerJobs")]
    public void Every_rolling_update_waits_for_signals_with_the_processes_that_fight_it_suspended(string prefix)
    {
        var update = Group(prefix).Resource["UpdatePolicy"]!["AutoScalingRollingUpdate"]!;
        Assert.True((bool)update["WaitOnResourceSignals"]!);
        Assert.Equal(100, (int)update["MinSuccessfulInstancesPercent"]!);
        Assert.Equal("PT17M", (string?)update["PauseTime"]);
        Assert.Equal(1, (int)update["MaxBatchSize"]!);
        Assert.Equal(["HealthCheck", "ReplaceUnhealthy", "AZRebalance", "AlarmNotification", "ScheduledActions"],
            update["SuspendProcesses"]!.AsArray().Select(p => (string)p!));
    }

    [Fact]
    public void The_user_data_writes_the_boot_script_with_the_pinned_image_and_runs_it_last()
    {
        var api = UserData("ServiceApi");
        Assert.Contains(".dkr.ecr.us-east-1.", api, StringComparison.Ordinal);
        Assert.Contains("/orders-api:1.4.2", api, StringComparison.Ordinal);
        Assert.Contains("LOG_LEVEL=info", api, StringComparison.Ordinal);
        Assert.Contains("QUEUE_JOBS_URL=https://queue", api, StringComparison.Ordinal);
        Assert.Contains("function exitTrap", api, StringComparison.Ordinal);
        Assert.Contains("bash /opt/scalable-backend/boot.sh", api, StringComparison.Ordinal);
        Assert.Contains("ghcr.io/acme/jobs@sha256:" + new string('a', 64), UserData("WorkerJobs"), StringComparison.Ordinal);
        Assert.Contains("STARTUP_CHECK=45", UserData("WorkerJobs"), StringComparison.Ordinal);
    }

    [Fact]
    public void Secret_names_are_in_the_template_but_never_a_value()
    {
        var api = UserData("ServiceApi");
        Assert.Contains("--secret-id 'test/stripe'", api, StringComparison.Ordinal);
        Assert.Contains("--name '/backend/test/pager'", api, StringComparison.Ordinal);
        Assert.DoesNotContain("{{resolve:", api, StringComparison.Ordinal);
    }

    private JsonArray BootStatements(string prefix) => fixture.Result.OfType("AWS::IAM::Policy")
        .Single(r => r.Id.StartsWith(prefix + "BootPolicy", StringComparison.Ordinal)).Resource["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray();

    [Fact]
    public void The_service_pulls_only_its_own_repository_and_reads_only_its_declared_secrets()
    {
        var statements = BootStatements("ServiceApi");
        var pull = statements.Single(s => (string?)s!["Sid"] == "PullItsImage")!;
        Assert.EndsWith(":repository/orders-api\"]]}", pull["Resource"]!.ToJsonString(), StringComparison.Ordinal);
        var secret = statements.Single(s => s!["Action"]!.ToJsonString().Contains("secretsmanager:GetSecretValue"))!;
        Assert.EndsWith(":secret:test/stripe-??????\"]]}", secret["Resource"]!.ToJsonString(), StringComparison.Ordinal);
        var parameter = statements.Single(s => s!["Action"]!.ToJsonString().Contains("ssm:GetParameter"))!;
        Assert.EndsWith(":parameter/backend/test/pager\"]]}", parameter["Resource"]!.ToJsonString(), StringComparison.Ordinal);
        var signal = statements.Single(s => (string?)s!["Sid"] == "SignalItsStack")!;
        Assert.Equal("cloudformation:SignalResource", (string?)signal["Action"]);
        Assert.Contains("stack/Test/*", signal["Resource"]!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_public_image_needs_no_ecr_permissions_and_a_worker_reads_no_target_health()
    {
        var statements = BootStatements("WorkerJobs");
        Assert.DoesNotContain(statements, s => s!["Action"]!.ToJsonString().Contains("ecr:"));
        Assert.DoesNotContain(statements, s => s!["Action"]!.ToJsonString().Contains("elasticloadbalancing:"));
    }

    [Fact]
    public void The_launch_template_waits_for_the_grants_its_boot_reads()
    {
        var lt = fixture.Result.OfType("AWS::EC2::LaunchTemplate").Single(r => r.Id.StartsWith("ServiceApi", StringComparison.Ordinal)).Resource;
        Assert.Contains(lt["DependsOn"]!.AsArray(), d => ((string)d!).StartsWith("ServiceApiBootPolicy", StringComparison.Ordinal));
    }

    [Fact]
    public void Wildcard_resources_the_boot_needs_are_acknowledged_with_reasons_for_every_checker()
    {
        var policy = fixture.Result.OfType("AWS::IAM::Policy").Single(r => r.Id.StartsWith("ServiceApiBootPolicy", StringComparison.Ordinal)).Resource;
        var ours = policy["Metadata"]!["ScalableBackend"]!["Acknowledgements"]!.AsArray();
        Assert.Contains(ours, a => (string?)a!["Rule"] == "SB-IAM-002" && ((string)a["Reason"]!).Contains("DescribeTargetHealth has no resource-level permissions"));
        Assert.Contains(policy["Metadata"]!["cdk_nag"]!["rules_to_suppress"]!.AsArray(), a => (string?)a!["id"] == "AwsSolutions-IAM5");
    }

    [Theory]
    [InlineData("orders-api", "must be pinned by a tag")]
    [InlineData("orders-api:latest", "must not use the tag latest")]
    [InlineData("Orders API:1", "must be an image reference")]
    [InlineData("orders-api@sha256:abc", "must be an image reference")]
    public void An_image_that_is_not_pinned_is_refused_naming_the_key(string image, string message)
    {
        var e = Assert.Throws<PropsValidationException>(() => ContainerSettings.Validate(new ContainerSettings { Image = image }));
        Assert.StartsWith("Container.Image", e.Message, StringComparison.Ordinal);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_secret_must_name_exactly_one_source_and_variables_must_be_names()
    {
        var both = new ContainerSettings { Image = "a:1", Secrets = new Dictionary<string, ContainerSecret> { ["X"] = new() { SecretsManager = "a", SsmParameter = "/b" } } };
        Assert.Contains("exactly one of secretsManager or ssmParameter", Assert.Throws<PropsValidationException>(() => ContainerSettings.Validate(both)).Message, StringComparison.Ordinal);
        var badName = new ContainerSettings { Image = "a:1", Environment = new Dictionary<string, string> { ["log-level"] = "x" } };
        Assert.Contains("must be an environment variable name", Assert.Throws<PropsValidationException>(() => ContainerSettings.Validate(badName)).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("orders-api:1.4.2", null, "orders-api:1.4.2", true)]
    [InlineData("123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/api@sha256:0000000000000000000000000000000000000000000000000000000000000000", "123456789012.dkr.ecr.eu-west-1.amazonaws.com", "team/api@sha256:0000000000000000000000000000000000000000000000000000000000000000", true)]
    [InlineData("ghcr.io/acme/api:2.0", "ghcr.io", "acme/api:2.0", false)]
    [InlineData("localhost:5000/api:dev", "localhost:5000", "api:dev", false)]
    public void Image_references_parse_into_registry_and_pinned_repository(string image, string? registry, string pinned, bool ecr)
    {
        var reference = ContainerImageReference.Parse(image);
        Assert.Equal((registry, pinned, ecr), (reference.Registry, reference.Pinned, reference.IsEcr));
    }

    [Theory]
    [InlineData("m7g.large", "ami-0000000000000000b")]
    [InlineData("t4g.micro", "ami-0000000000000000b")]
    [InlineData("m6i.large", "ami-0000000000000000a")]
    public void The_instance_types_architecture_picks_the_pinned_image(string type, string ami)
    {
        var pins = new MachineImagePins { X86_64 = "ami-0000000000000000a", Arm64 = "ami-0000000000000000b" };
        Assert.Equal(ami, pins.IdFor(type));
    }

    [Fact]
    public void A_graviton_type_with_only_an_x86_pin_is_refused()
    {
        var pins = new MachineImagePins { X86_64 = "ami-0000000000000000a" };
        var e = Assert.Throws<PropsValidationException>(() => pins.IdFor("c7g.xlarge", "services.api.instanceType"));
        Assert.Contains("is an arm64 (Graviton) type, but machineImages pins no arm64 image", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ami-123")]
    [InlineData("AMI-0000000000000000a")]
    [InlineData("ami-0000000000000000g")]
    public void An_ami_id_of_the_wrong_shape_is_refused(string id)
    {
        var e = Assert.Throws<PropsValidationException>(() => MachineImagePins.Validate(new MachineImagePins { X86_64 = id }));
        Assert.Contains("must be an AMI id", e.Message, StringComparison.Ordinal);
    }
}
