using System.Text.Json.Nodes;
using ScalableBackend.Components.Compute;
using ScalableBackend.Stacks.Config;

namespace ScalableBackend.Stacks.Tests;

/// <summary>
/// Every service and worker of every environment runs its declared image on a pinned machine image, waits for its
/// instances' signals on creation and on every update, is granted exactly its repository and secrets, and is handed
/// its relationships by the contract's variable names.
/// </summary>
[Collection(EnvironmentCollection.Name)]
public sealed class ContainerTemplateTests(EnvironmentFixture environments)
{
    private static JsonObject Props(JsonObject resource) => resource["Properties"]!.AsObject();

    private static IEnumerable<(EnvironmentTemplates Env, StackTemplate Stack, IMemberConfig Member)> Members(EnvironmentFixture f) =>
        f.All.SelectMany(env => env.Members.Select(stack => (env, stack, stack.Identity.Role == StackRole.Service
            ? (IMemberConfig)env.Definition.Config.Services[stack.Identity.Key!]
            : env.Definition.Config.Workers![stack.Identity.Key!])));

    private static string UserData(StackTemplate stack) =>
        Props(stack.OfType("AWS::EC2::LaunchTemplate").Single().Resource)["LaunchTemplateData"]!["UserData"]!.ToJsonString();

    [Fact]
    public void EveryMemberOfEveryEnvironmentDeclaresAnImage()
    {
        var members = Members(environments).ToArray();
        Assert.Equal(12, members.Length); // 2 services and 2 workers in each of dev, staging and prod
        Assert.All(members, m => Assert.NotNull(m.Member.Container));
    }

    [Fact]
    public void EveryGroupWaitsForSignalsOnCreationAndEveryUpdate()
    {
        foreach (var (_, stack, member) in Members(environments))
        {
            var group = stack.OfType("AWS::AutoScaling::AutoScalingGroup").Single().Resource;
            var signal = group["CreationPolicy"]!["ResourceSignal"]!;
            Assert.True((int)signal["Count"]! >= 1, stack.Name);
            Assert.StartsWith("PT", (string)signal["Timeout"]!);
            var rolling = group["UpdatePolicy"]!["AutoScalingRollingUpdate"]!;
            Assert.True((bool)rolling["WaitOnResourceSignals"]!, stack.Name);
            Assert.Equal(100, (int)rolling["MinSuccessfulInstancesPercent"]!);
            Assert.Equal(1, (int)rolling["MaxBatchSize"]!);
            var suspended = rolling["SuspendProcesses"]!.AsArray().Select(p => (string)p!).ToArray();
            Assert.Contains("HealthCheck", suspended);
            Assert.Contains("ReplaceUnhealthy", suspended);
            Assert.Contains("ScheduledActions", suspended);
        }
    }

    [Fact]
    public void EveryLaunchTemplateRunsItsImageAndSignals()
    {
        foreach (var (_, stack, member) in Members(environments))
        {
            var userData = UserData(stack);
            var image = ContainerImageReference.Parse(member.Container!.Image);
            Assert.Contains(image.Pinned, userData, StringComparison.Ordinal);
            Assert.Contains("cfn-signal", userData, StringComparison.Ordinal);
            Assert.Contains("--log-driver awslogs", userData, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void NoTemplateResolvesTheLatestImageOrKeepsAnUnusedParameter()
    {
        foreach (var env in environments.All)
            foreach (var stack in env.Stacks)
            {
                Assert.DoesNotContain("AWS::EC2::Image::Id", stack.Json.ToJsonString(), StringComparison.Ordinal);
                // Issue 11's W2001: parameters the template never reads (the SSM parameters are granted by ARN).
                foreach (var (name, _) in stack.Json["Parameters"]?.AsObject() ?? [])
                    Assert.True(name == "BootstrapVersion", $"{stack.Name} has template parameter {name}");
            }
    }

    [Fact]
    public void EveryLaunchTemplateBootsThePinForItsArchitecture()
    {
        foreach (var (env, stack, member) in Members(environments))
        {
            var imageId = (string)Props(stack.OfType("AWS::EC2::LaunchTemplate").Single().Resource)["LaunchTemplateData"]!["ImageId"]!;
            Assert.Equal(env.Definition.Config.MachineImages!.X86_64, imageId);
        }
    }

    [Fact]
    public void EcrPullsAreScopedToTheMembersOwnRepository()
    {
        foreach (var (_, stack, member) in Members(environments))
        {
            var repository = ContainerImageReference.Parse(member.Container!.Image).Repository;
            var statements = stack.OfType("AWS::IAM::Policy").SelectMany(p => Props(p.Resource)["PolicyDocument"]!["Statement"]!.AsArray()).ToArray();
            foreach (var statement in statements)
            {
                var actions = statement!["Action"] is JsonArray many ? many.Select(a => (string)a!).ToArray() : [(string)statement["Action"]!];
                if (!actions.Any(a => a.StartsWith("ecr:", StringComparison.Ordinal)))
                    continue;
                var resource = statement["Resource"]!.ToJsonString();
                if (actions.SequenceEqual(["ecr:GetAuthorizationToken"]))
                    Assert.Equal("\"*\"", resource);
                else
                    Assert.Matches($":repository/{System.Text.RegularExpressions.Regex.Escape(repository)}\"\\]+\\}}$", resource);
            }
            Assert.Contains(statements, s => s!["Sid"]?.GetValue<string>() == "PullItsImage");
        }
    }

    [Fact]
    public void OnlyTheDeclaredSecretIsReadAndOnlyByItsUser()
    {
        foreach (var (env, stack, member) in Members(environments))
        {
            var boot = stack.OfType("AWS::IAM::Policy").Single(p => p.Id.Contains("BootPolicy", StringComparison.Ordinal)).Resource;
            var text = Props(boot)["PolicyDocument"]!.ToJsonString();
            var declared = member.Container!.Secrets?.Values.Select(n => env.Definition.Config.Secrets![n]).ToArray() ?? [];
            Assert.Equal(declared.Count(s => s.SecretsManager is not null), CountOf(text, "secretsmanager:GetSecretValue"));
            Assert.Equal(declared.Count(s => s.SsmParameter is not null), CountOf(text, "ssm:GetParameter"));
            foreach (var secret in declared)
                Assert.Contains(secret.SecretsManager ?? secret.SsmParameter!.TrimStart('/'), text, StringComparison.Ordinal);
        }
    }

    private static int CountOf(string text, string what) => (text.Length - text.Replace(what, "", StringComparison.Ordinal).Length) / what.Length;

    [Fact]
    public void ProdsApiIsHandedEveryRelationshipByItsContractName()
    {
        var userData = UserData(environments.Prod.Service("api"));
        var config = environments.Prod.Definition.Config;
        string[] expected =
        [
            ContainerContract.Environment, ContainerContract.Member, ContainerContract.Port,
            ContainerContract.CacheEndpoint, ContainerContract.CacheUser, ContainerContract.CacheReplicationGroupId, ContainerContract.DatabaseShardMapParameter,
            ContainerContract.DatabaseUser,
            ..config.Database!.Shards.Where(s => s.Value.EnableProxy == true).Select(s => ContainerContract.DatabaseShardProxyEndpoint(s.Key)),
            ..config.Queues!.Where(q => q.Value.Producers?.Contains("api") == true).Select(q => ContainerContract.QueueUrl(q.Key)),
            ..config.Events!.Where(e => e.Value.Publishers?.Contains("api") == true).Select(e => ContainerContract.TopicArn(e.Key)),
        ];
        foreach (var name in expected)
            Assert.Contains(name + "=", userData, StringComparison.Ordinal);
        Assert.Contains("/backend/prod/database/shard-map", userData, StringComparison.Ordinal);
        // The member's own database user, and no shard's master secret.
        Assert.Contains($"{ContainerContract.DatabaseUser}=svc_api", userData, StringComparison.Ordinal);
        Assert.DoesNotContain("DatabaseShard1SecretArn", userData, StringComparison.Ordinal);
        Assert.Contains("Backend-Prod-Data:CacheEndpoint", userData, StringComparison.Ordinal);
        Assert.Contains($"{ContainerContract.CacheUser}=backend-prod-api", userData, StringComparison.Ordinal);
        // Names and ARNs only: the secrets' values are read at boot.
        Assert.DoesNotContain("resolve:secretsmanager", userData, StringComparison.Ordinal);
    }

    [Fact]
    public void AWorkerIsHandedItsQueueAndNothingItIsNotGranted()
    {
        var userData = UserData(environments.Dev.Worker("billing"));
        Assert.Contains(ContainerContract.WorkerQueueUrl + "=", userData, StringComparison.Ordinal);
        Assert.Contains(ContainerContract.QueueUrl("billing") + "=", userData, StringComparison.Ordinal);
        Assert.DoesNotContain(ContainerContract.QueueUrl("shipping") + "=", userData, StringComparison.Ordinal);
        Assert.DoesNotContain(ContainerContract.CacheEndpoint, userData, StringComparison.Ordinal);
        Assert.DoesNotContain(ContainerContract.DatabaseShardMapParameter, userData, StringComparison.Ordinal);
    }
}
