using ScalableBackend.Components.Data;
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
    public void AdmitsAmqpsOnlyFromGrantedServicesAndHttpsOnlyFromItsUserProvisioner()
    {
        // Every rule into the broker's group is created under the client's group: the granted service's (5671) and the
        // user provisioner's (443); the broker's group itself holds none.
        var ingress = fixture.Result.OfType("AWS::EC2::SecurityGroupIngress")
            .Where(i => i.Resource["Properties"]!["GroupId"]!.ToJsonString().Contains("RabbitSecurityGroup")).ToList();
        Assert.Equal(2, ingress.Count);
        var amqps = Assert.Single(ingress, i => i.Id.StartsWith("ApiSecurityGroupRabbitIngress", StringComparison.Ordinal)).Resource["Properties"]!;
        Assert.Equal(5671, (int)amqps["FromPort"]!);
        Assert.Equal(5671, (int)amqps["ToPort"]!);
        Assert.StartsWith("ApiSecurityGroup", (string?)amqps["SourceSecurityGroupId"]!["Fn::GetAtt"]![0]);
        var https = Assert.Single(ingress, i => i.Id.StartsWith("RabbitUserProvisionerSecurityGroupBrokerIngress", StringComparison.Ordinal)).Resource["Properties"]!;
        Assert.Equal(443, (int)https["FromPort"]!);
        Assert.StartsWith("RabbitUserProvisionerSecurityGroup", (string?)https["SourceSecurityGroupId"]!["Fn::GetAtt"]![0]);
        Assert.Null(fixture.Result.Properties("AWS::EC2::SecurityGroup", "RabbitSecurityGroup")["SecurityGroupIngress"]);
    }

    [Fact]
    public void GrantedServicesReadExactlyTheirOwnUsersSecretNeverTheAdministrators()
    {
        var statements = fixture.Result.Statements("ApiRole");
        var read = statements.Single(s => s!.Actions().Contains("secretsmanager:GetSecretValue"))!;
        Assert.StartsWith("RabbitUserApiCredentials", (string?)read["Resource"]!["Ref"]);
        Assert.DoesNotContain(statements, s => s!["Resource"]!.ToJsonString().Contains("RabbitCredentials"));
        Assert.DoesNotContain(statements, s => s!["Resource"]!.ToJsonString().Contains("RabbitUserShipping"));
        Assert.DoesNotContain(statements, s => s!["Resource"]!.ToJsonString() == "\"*\"");
    }

    [Fact]
    public void EachUserHasItsOwnGeneratedSecretUnderTheBrokersKey()
    {
        foreach (var (id, name) in new[] { ("RabbitUserApiCredentials", "api"), ("RabbitUserShippingCredentials", "shipping") })
        {
            var secret = fixture.Result.Properties("AWS::SecretsManager::Secret", id);
            Assert.Equal($"{{\"username\":\"{name}\"}}", (string?)secret["GenerateSecretString"]!["SecretStringTemplate"]);
            Assert.Equal("password", (string?)secret["GenerateSecretString"]!["GenerateStringKey"]);
            Assert.StartsWith("RabbitKey", (string?)secret["KmsKeyId"]!["Fn::GetAtt"]![0]);
        }
        Assert.Equal(3, fixture.Result.OfType("AWS::SecretsManager::Secret").Count(s => s.Id.StartsWith("Rabbit", StringComparison.Ordinal)));
    }

    [Fact]
    public void EachUserIsCreatedOnTheBrokerByACustomResourceWithItsOwnPermissions()
    {
        var users = fixture.Result.OfType("Custom::RabbitMqUser").ToList();
        Assert.Equal(2, users.Count);
        var api = fixture.Result.Properties("Custom::RabbitMqUser", "RabbitUserApi");
        Assert.Equal("api", (string?)api["Username"]);
        Assert.StartsWith("RabbitUserProvisioner", (string?)api["ServiceToken"]!["Fn::GetAtt"]![0]);
        Assert.StartsWith("RabbitCredentials", (string?)api["AdminSecretArn"]!["Ref"]);
        Assert.StartsWith("RabbitUserApiCredentials", (string?)api["UserSecretArn"]!["Ref"]);
        Assert.Contains("AmqpEndpoints", api["AmqpEndpoint"]!.ToJsonString());
        Assert.Equal("/", (string?)api["VirtualHost"]);
        Assert.Equal("^api\\.", (string?)api["Configure"]);
        Assert.Equal("^(api\\..*|amq\\.default)$", (string?)api["Write"]);
        Assert.Equal("^api\\.", (string?)api["Read"]);
        Assert.DoesNotContain(fixture.Result.OfType("Custom::RabbitMqUser"), u => u.Id.StartsWith("Small", StringComparison.Ordinal));
        Assert.DoesNotContain(fixture.Result.OfType("AWS::Lambda::Function"), u => u.Id.StartsWith("Small", StringComparison.Ordinal));
    }

    [Fact]
    public void TheProvisionerRunsInTheEgressSubnetsAndReadsExactlyTheAdministratorsAndTheUsersSecrets()
    {
        var function = fixture.Result.Properties("AWS::Lambda::Function", "RabbitUserProvisioner");
        Assert.Equal(RabbitMqBroker.UserProvisionerSource, (string?)function["Code"]!["ZipFile"]);
        Assert.All(function["VpcConfig"]!["SubnetIds"]!.AsArray(), s => Assert.Contains("Private", s!.ToJsonString()));
        Assert.StartsWith("RabbitUserProvisionerLogs", (string?)function["LoggingConfig"]!["LogGroup"]!["Ref"]);
        Assert.Equal(30, (int)fixture.Result.Properties("AWS::Logs::LogGroup", "RabbitUserProvisionerLogs")["RetentionInDays"]!);
        var statements = fixture.Result.Properties("AWS::IAM::Policy", "RabbitUserProvisionerPolicy")["PolicyDocument"]!["Statement"]!.AsArray();
        var read = statements.Single(s => (string?)s!["Sid"] == "ReadTheAdministratorAndUserSecrets")!;
        Assert.Equal(["RabbitCredentials", "RabbitUserApiCredentials", "RabbitUserShippingCredentials"],
            read["Resource"]!.AsArray().Select(r => ((string)r!["Ref"]!)[..^8]));
        var egress = fixture.Result.OfType("AWS::EC2::SecurityGroupEgress").Where(e => e.Id.StartsWith("RabbitUserProvisionerSecurityGroup", StringComparison.Ordinal)).ToList();
        Assert.All(egress, e => Assert.Equal(443, (int)e.Resource["Properties"]!["FromPort"]!));
        Assert.DoesNotContain("\"-1\"", fixture.Result.Properties("AWS::EC2::SecurityGroup", "RabbitUserProvisionerSecurityGroup")["SecurityGroupEgress"]?.ToJsonString() ?? "", StringComparison.Ordinal);
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

    public static TheoryData<string[], string> UserRows => new()
    {
        { ["api", "a:b"], "Users[1] = a:b must be 2-100 letters, digits, '-', '.', '_' or '~'" },
        { ["broker-admin"], "Users[0] = broker-admin is the administrator's user name" },
        { ["api", "api"], "Users[1] = api is listed twice" },
    };

    [Theory]
    [MemberData(nameof(UserRows))]
    public void RejectsUserNamesAmazonMqDoesNotAccept(string[] users, string expected) =>
        Assert.Equal(expected, Assert.Throws<PropsValidationException>(() => RabbitMqBroker.ValidateUsers("broker-admin", users)).Detail);

    [Fact]
    public void GrantsOnlyItsOwnUsers()
    {
        var (stack, network) = TestStacks.WithNetwork();
        var broker = new RabbitMqBroker(stack, "Rabbit", new RabbitMqBrokerProps { Vpc = network.Vpc, InstanceType = "mq.m5.large", Users = ["api"] });
        var (sg, role) = MessagingTestStacks.Service(stack, network.Vpc, "Web");
        Assert.Equal("user = web is not a user of the broker; its users: api",
            Assert.Throws<PropsValidationException>(() => broker.GrantConnect(new DataClient(sg, role), "web")).Detail);
    }

    [Fact]
    public void AcceptsTheDefaultsAndASmallSingleInstance()
    {
        RabbitMqBroker.Validate(Valid);
        RabbitMqBroker.Validate(Valid with { InstanceType = "mq.t3.micro", DeploymentMode = BrokerDeploymentMode.SingleInstance });
    }
}
