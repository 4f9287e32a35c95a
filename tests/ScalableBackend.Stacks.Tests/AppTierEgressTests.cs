using System.Text.Json.Nodes;
using ScalableBackend.Stacks;

namespace ScalableBackend.Stacks.Tests;

/// <summary>
/// Issue 18.8 on every environment: a service's or worker's instances send HTTPS (AWS APIs, ECR, registries) and each
/// granted store's port to exactly that store's security group — no other egress.
/// </summary>
[Collection(EnvironmentCollection.Name)]
public sealed class AppTierEgressTests(EnvironmentFixture environments)
{
    private static (string Id, JsonObject Resource) InstanceGroup(StackTemplate stack) =>
        stack.OfType("AWS::EC2::SecurityGroup").Single(g => !((string?)g.Resource["Properties"]!["GroupDescription"])!.StartsWith("Load balancer", StringComparison.Ordinal));

    [Fact]
    public void InstancesSendOnlyHttpsToAddresses()
    {
        foreach (var env in environments.All)
            foreach (var stack in env.Members)
            {
                var egress = Assert.Single(InstanceGroup(stack).Resource["Properties"]!["SecurityGroupEgress"]!.AsArray())!;
                Assert.Equal(("0.0.0.0/0", "tcp", 443, 443), ((string?)egress["CidrIp"], (string?)egress["IpProtocol"], (int)egress["FromPort"]!, (int)egress["ToPort"]!));
                Assert.DoesNotContain(stack.OfType("AWS::EC2::SecurityGroupEgress"), r => r.Resource["Properties"]!["CidrIp"] is not null);
            }
    }

    [Fact]
    public void EveryStoreTheInstancesMayEnterTheyMayAlsoReachAndNothingElse()
    {
        var checkedRules = 0;
        foreach (var env in environments.All)
            foreach (var stack in env.Members)
            {
                var (groupId, _) = InstanceGroup(stack);
                string Ref(JsonNode? node) => node?.ToJsonString() ?? "";
                var own = $"{{\"Fn::GetAtt\":[\"{groupId}\",\"GroupId\"]}}";
                // The ingress rules the member adds to the stores' groups (DataClientIngress.Admit), by (store group, port).
                var admitted = stack.OfType("AWS::EC2::SecurityGroupIngress").Select(r => r.Resource["Properties"]!)
                    .Where(p => Ref(p["SourceSecurityGroupId"]) == own)
                    .Select(p => (Ref(p["GroupId"]), (int)p["FromPort"]!)).Order().ToArray();
                var reachable = stack.OfType("AWS::EC2::SecurityGroupEgress").Select(r => r.Resource["Properties"]!)
                    .Where(p => Ref(p["GroupId"]) == own)
                    .Select(p => (Ref(p["DestinationSecurityGroupId"]), (int)p["FromPort"]!)).Order().ToArray();
                Assert.Equal(admitted, reachable);
                Assert.All(reachable, r => Assert.Contains("Fn::ImportValue", r.Item1, StringComparison.Ordinal));
                checkedRules += reachable.Length;
            }
        // prod's api alone reaches the cache, the database, RabbitMQ and Kafka.
        Assert.True(checkedRules >= 4, $"only {checkedRules} store egress rules found");
    }
}
