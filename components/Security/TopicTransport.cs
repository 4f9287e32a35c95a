using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.SNS;

namespace ScalableBackend.Components.Security;

/// <summary>TLS-only publishing for SNS topics.</summary>
public static class TopicTransport
{
    /// <summary>
    /// Adds a statement to <paramref name="topic"/>'s policy denying <c>sns:Publish</c> without TLS
    /// (<c>aws:SecureTransport = false</c>). Written out rather than <c>TopicProps.EnforceSSL</c>: CDK 2.160 renders
    /// that only together with another policy statement, so a topic without grants would get no policy at all.
    /// </summary>
    public static void DenyPublishWithoutTls(ITopic topic) =>
        topic.AddToResourcePolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "DenyPublishWithoutTls",
            Effect = Effect.DENY,
            Principals = [new AnyPrincipal()],
            Actions = ["sns:Publish"],
            Resources = [topic.TopicArn],
            Conditions = new Dictionary<string, object>
            {
                ["Bool"] = new Dictionary<string, object> { ["aws:SecureTransport"] = "false" },
            },
        }));
}
