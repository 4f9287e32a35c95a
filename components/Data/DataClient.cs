using Amazon.CDK;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.SecretsManager;

namespace ScalableBackend.Components.Data;

/// <summary>
/// A user of a data store (cache, database, broker): the security group its instances use and the principal that
/// receives the grants. Every grant a store gives a client is created in the client's scope — the ingress rule under
/// the client's security group, the statements on its principal's policy — so the store never learns who uses it and
/// may live in another stack.
/// </summary>
public interface IDataClient
{
    /// <summary>The security group the client's instances use; the store admits its port from it.</summary>
    ISecurityGroup SecurityGroup { get; }

    /// <summary>The principal (an instance role) that receives the read grants.</summary>
    IGrantable Grantee { get; }
}

/// <summary>A data client from its two parts, e.g. a service's <c>SecurityGroup</c> and <c>Role</c>.</summary>
/// <param name="SecurityGroup">The security group the client's instances use.</param>
/// <param name="Grantee">The principal that receives the grants.</param>
public sealed record DataClient(ISecurityGroup SecurityGroup, IGrantable Grantee) : IDataClient;

/// <summary>The ingress and the reads a store gives a client, created in the client's scope.</summary>
public static class DataClientIngress
{
    /// <summary>
    /// Lets the client's principal read <paramref name="secret"/> (<c>secretsmanager:GetSecretValue</c> and
    /// <c>DescribeSecret</c> on exactly it) and decrypt it through Secrets Manager (<c>kms:Decrypt</c> on its key with
    /// <c>kms:ViaService</c>): statements on the client's own policy only. The key's policy must delegate to IAM (the
    /// account root), as the CDK's keys do; it never names the client.
    /// </summary>
    public static void ReadSecret(IDataClient client, ISecret secret)
    {
        var principal = client.Grantee.GrantPrincipal;
        principal.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Actions = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
            Resources = [secret.SecretArn],
        }));
        if (secret.EncryptionKey is { } key)
            principal.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
            {
                Actions = ["kms:Decrypt"],
                Resources = [key.KeyArn],
                Conditions = new Dictionary<string, object>
                {
                    ["StringEquals"] = new Dictionary<string, object> { ["kms:ViaService"] = $"secretsmanager.{Stack.Of(client.SecurityGroup).Region}.amazonaws.com" },
                },
            }));
    }

    /// <summary>
    /// Admits TCP <paramref name="port"/> into the store's security group <paramref name="storeSecurityGroupId"/> from
    /// the client's security group: an <c>AWS::EC2::SecurityGroupIngress</c> created as the child
    /// <paramref name="id"/> of the client's security group, so it lives in the client's stack. When the client's group
    /// limits its egress (<c>allowAllOutbound: false</c>, as the compute tiers' groups do), the matching
    /// <c>AWS::EC2::SecurityGroupEgress</c> to the store's group on the same port is created beside it (the child
    /// <paramref name="id"/> with <c>Ingress</c> replaced by <c>Egress</c>), so the client reaches exactly the stores it
    /// was granted.
    /// </summary>
    public static CfnSecurityGroupIngress Admit(IDataClient client, string id, string storeSecurityGroupId, int port, string description)
    {
        var group = client.SecurityGroup as Constructs.Construct
            ?? throw new ArgumentException($"{client.SecurityGroup.Node.Path} is not a construct this program created; give the client its own security group", nameof(client));
        var ingress = new CfnSecurityGroupIngress(group, id, new CfnSecurityGroupIngressProps
        {
            GroupId = storeSecurityGroupId,
            SourceSecurityGroupId = client.SecurityGroup.SecurityGroupId,
            IpProtocol = "tcp",
            FromPort = port,
            ToPort = port,
            Description = description,
        });
        if (!client.SecurityGroup.AllowAllOutbound)
            _ = new CfnSecurityGroupEgress(group, EgressId(id), new CfnSecurityGroupEgressProps
            {
                GroupId = client.SecurityGroup.SecurityGroupId,
                DestinationSecurityGroupId = storeSecurityGroupId,
                IpProtocol = "tcp",
                FromPort = port,
                ToPort = port,
                Description = EgressDescription(description),
            });
        return ingress;
    }

    // "Redis (TLS) from a granted user" → "Redis (TLS) to the granted store".
    private static string EgressDescription(string description) =>
        (description.IndexOf(" from ", StringComparison.Ordinal) is var at and > 0 ? description[..at] : description) + " to the granted store";

    private static string EgressId(string id) =>
        id.EndsWith("Ingress", StringComparison.Ordinal) ? id[..^"Ingress".Length] + "Egress" : id + "Egress";
}
