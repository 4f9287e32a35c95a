using System.Text.Json.Nodes;
using ScalableBackend.Components.Messaging;
using ScalableBackend.Components.Tests.Support;

namespace ScalableBackend.Components.Tests.Messaging;

public sealed class RabbitMqBrokerTests(RabbitMqFixture fixture) : IClassFixture<RabbitMqFixture>
{
    private JsonObject Broker => fixture.Result.Properties("AWS::AmazonMQ::Broker", "RabbitBroker");
    private JsonObject Small => fixture.Result.Properties("AWS::AmazonMQ::Broker", "SmallBroker");

    [Fact]
    public void IsAPrivateMultiAzRabbitMqClusterByDefault()
    {
        Assert.Equal("RABBITMQ", (string?)Broker["EngineType"]);
        Assert.Equal("CLUSTER_MULTI_AZ", (string?)Broker["DeploymentMode"]);
        Assert.False((bool)Broker["PubliclyAccessible"]!);
        Assert.Equal("mq.m5.large", (string?)Broker["HostInstanceType"]);
        Assert.Equal("3.13", (string?)Broker["EngineVersion"]);
    }

    [Fact]
    public void ClusterRunsInTheIsolatedSubnetsOfEveryZone()
    {
        var subnets = Broker["SubnetIds"]!.AsArray();
        Assert.Equal(2, subnets.Count);
        Assert.All(subnets, s => Assert.Contains("Isolated", s!.ToJsonString()));
    }

    [Fact]
    public void SingleInstanceUsesOneSubnetAndItsMaintenanceWindow()
    {
        Assert.Equal("SINGLE_INSTANCE", (string?)Small["DeploymentMode"]);
        Assert.Single(Small["SubnetIds"]!.AsArray());
        Assert.Equal("WEDNESDAY", (string?)Small["MaintenanceWindowStartTime"]!["DayOfWeek"]);
        Assert.Equal("22:30", (string?)Small["MaintenanceWindowStartTime"]!["TimeOfDay"]);
    }

    [Fact]
    public void CredentialsComeFromSecretsManagerByDynamicReference()
    {
        var user = Broker["Users"]![0]!;
        Assert.Contains("{{resolve:secretsmanager:", user["Password"]!.ToJsonString());
        Assert.Contains(":SecretString:password::}}", user["Password"]!.ToJsonString());
        Assert.Contains(":SecretString:username::}}", user["Username"]!.ToJsonString());
        var secret = fixture.Result.Properties("AWS::SecretsManager::Secret", "RabbitCredentials");
        Assert.Equal("password", (string?)secret["GenerateSecretString"]!["GenerateStringKey"]);
        Assert.StartsWith("RabbitKey", (string?)secret["KmsKeyId"]!["Fn::GetAtt"]![0]);
    }

    [Fact]
    public void LogsToCloudWatchAndUpgradesMinorVersionsInTheMaintenanceWindow()
    {
        Assert.True((bool)Broker["Logs"]!["General"]!);
        Assert.True((bool)Broker["AutoMinorVersionUpgrade"]!);
        Assert.Equal("SUNDAY", (string?)Broker["MaintenanceWindowStartTime"]!["DayOfWeek"]);
        Assert.Equal("03:00", (string?)Broker["MaintenanceWindowStartTime"]!["TimeOfDay"]);
        Assert.Equal("UTC", (string?)Broker["MaintenanceWindowStartTime"]!["TimeZone"]);
    }

    [Fact]
    public void AdmitsOnlyAmqpsFromGrantedServices()
    {
        // The rule is the user's (under its security group); the broker's group gets none of its own.
        Assert.DoesNotContain(fixture.Result.OfType("AWS::EC2::SecurityGroupIngress"), i => i.Id.StartsWith("Rabbit", StringComparison.Ordinal));
        Assert.All(fixture.Result.OfType("AWS::EC2::SecurityGroupIngress").Where(i => i.Resource["Properties"]!["GroupId"]!.ToJsonString().Contains("RabbitSecurityGroup")),
            i => Assert.StartsWith("ApiSecurityGroupRabbitIngress", i.Id));
        var ingress = fixture.Result.OfType("AWS::EC2::SecurityGroupIngress")
            .Where(i => i.Resource["Properties"]!["GroupId"]!.ToJsonString().Contains("RabbitSecurityGroup")).Select(i => i.Resource["Properties"]!).ToList();
        var rule = Assert.Single(ingress)!;
        Assert.Equal(5671, (int)rule["FromPort"]!);
        Assert.Equal(5671, (int)rule["ToPort"]!);
        Assert.StartsWith("ApiSecurityGroup", (string?)rule["SourceSecurityGroupId"]!["Fn::GetAtt"]![0]);
        Assert.Null(fixture.Result.Properties("AWS::EC2::SecurityGroup", "RabbitSecurityGroup")["SecurityGroupIngress"]);
    }

    [Fact]
    public void GrantedServicesReadExactlyTheCredentials()
    {
        var statements = fixture.Result.Statements("ApiRole");
        var read = statements.Single(s => s!.Actions().Contains("secretsmanager:GetSecretValue"))!;
        Assert.StartsWith("RabbitCredentials", (string?)read["Resource"]!["Ref"]);
        Assert.DoesNotContain(statements, s => s!["Resource"]!.ToJsonString() == "\"*\"");
    }
}

/// <summary>The broker's validation messages; no synthesis.</summary>
public sealed class RabbitMqBrokerValidationTests
{
    private static readonly RabbitMqBrokerSettings Valid = new() { InstanceType = "mq.m5.large" };

    public static TheoryData<RabbitMqBrokerSettings, string> Rows => new()
    {
        { Valid with { InstanceType = "m5.large" }, "InstanceType = m5.large must be a broker instance type such as mq.m5.large" },
        { Valid with { InstanceType = "mq.t3.micro" }, "InstanceType = mq.t3.micro supports only deploymentMode: single_instance" },
        { Valid with { EngineVersion = "5.17.6" }, "EngineVersion = 5.17.6 must be a RabbitMQ 3 version such as 3.13" },
        { Valid with { MaintenanceWindowStart = "sunday 3am" }, "MaintenanceWindowStart = sunday 3am must be a UTC start ddd:hh:mm such as sun:03:00" },
        { Valid with { AdminUsername = "a:b" }, "AdminUsername = a:b must be 2-100 letters, digits, '-', '.', '_' or '~'" },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void RejectsOutOfRangeSettings(RabbitMqBrokerSettings settings, string expected) =>
        Assert.Equal(expected, Assert.Throws<PropsValidationException>(() => RabbitMqBroker.Validate(settings)).Detail);

    [Fact]
    public void AcceptsTheDefaultsAndASmallSingleInstance()
    {
        RabbitMqBroker.Validate(Valid);
        RabbitMqBroker.Validate(Valid with { InstanceType = "mq.t3.micro", DeploymentMode = BrokerDeploymentMode.SingleInstance });
    }
}
