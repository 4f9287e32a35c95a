namespace ScalableBackend.Policies.Tests.Rules;

/// <summary>SB-IAM-004: which actions read parameters, which resources mean every parameter, and the managed policies.</summary>
public sealed class SsmReadRuleTests
{
    private const string Rule = "SB-IAM-004";

    private static IReadOnlyList<Finding> Statement(string action, string resource, string effect = "Allow", string type = "AWS::IAM::ManagedPolicy") =>
        TestTemplates.Check($$"""
            Parameters:
              Prefix: { Type: String }
            Resources:
              Reader:
                Type: {{type}}
                Properties:
                  PolicyName: reader
                  Roles: [role]
                  PolicyDocument:
                    Statement: [{ Sid: Read, Effect: {{effect}}, Action: {{action}}, Resource: {{resource}} }]
            """).Only(Rule);

    [Theory]
    [InlineData("ssm:GetParameter")]
    [InlineData("ssm:GetParameters")]
    [InlineData("ssm:GetParametersByPath")]
    [InlineData("\"ssm:GetParameter*\"")]
    [InlineData("\"ssm:Get*\"")]
    [InlineData("\"ssm:*\"")]
    [InlineData("SSM:getparameters")]
    [InlineData("[ssm:DescribeParameters, ssm:GetParameter]")]
    public void Each_read_action_on_star_is_reported(string action)
    {
        var finding = Assert.Single(Statement(action, "\"*\""));

        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.StartsWith("PolicyDocument statement Read allows ", finding.Message, StringComparison.Ordinal);
        Assert.EndsWith(" on every parameter (Resource \"*\")", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_message_lists_only_the_reading_actions()
    {
        Assert.Equal("PolicyDocument statement Read allows ssm:GetParameter, ssm:GetParametersByPath on every parameter (Resource \"*\")",
            Assert.Single(Statement("[ssm:DescribeParameters, ssm:GetParameter, ssm:PutParameter, ssm:GetParametersByPath]", "\"*\"")).Message);
    }

    [Theory]
    [InlineData("ssm:GetParameterHistory")]
    [InlineData("ssm:DescribeParameters")]
    [InlineData("\"ssm:Put*\"")]
    [InlineData("\"*\"")]
    [InlineData("\"s3:*\"")]
    [InlineData("!Ref Action")]
    public void Other_actions_are_not_this_rule(string action)
    {
        Assert.Empty(Statement(action, "\"*\""));
    }

    [Theory]
    [InlineData("\"arn:aws:ssm:*:*:parameter/*\"")]
    [InlineData("!Sub \"arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/*\"")]
    [InlineData("\"arn:aws:ssm:us-east-1:111122223333:*\"")]
    [InlineData("\"arn:aws:*:us-east-1:111122223333:parameter*\"")]
    [InlineData("[\"arn:aws:ssm:us-east-1:111122223333:parameter/app/x\", \"*\"]")]
    public void Resources_that_match_every_parameter_are_reported(string resource)
    {
        Assert.Single(Statement("ssm:GetParameter", resource));
    }

    [Theory]
    [InlineData("\"arn:aws:ssm:us-east-1:111122223333:parameter/backend/prod/api/*\"")]
    [InlineData("!Sub \"arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/${Prefix}/*\"")]
    [InlineData("!Sub \"arn:aws:ssm:us-east-1:111122223333:parameter${Prefix}\"")]
    [InlineData("!Sub \"arn:aws:ssm:us-east-1:111122223333:parameter/${Prefix}*\"")]
    [InlineData("\"arn:aws:s3:::*\"")]
    [InlineData("\"arn:aws:ssm:us-east-1:111122223333:document/*\"")]
    [InlineData("\"ssm:*:*:parameter/*\"")]
    [InlineData("\"arn:aws:ssm:*:*\"")]
    [InlineData("!ImportValue Parameters")]
    public void Scoped_or_unknown_resources_pass(string resource)
    {
        Assert.Empty(Statement("ssm:GetParameter", resource));
    }

    [Fact]
    public void Deny_statements_are_not_judged()
    {
        Assert.Empty(Statement("\"ssm:*\"", "\"*\"", effect: "Deny"));
    }

    [Theory]
    [InlineData("AWS::IAM::Policy")]
    [InlineData("AWS::IAM::ManagedPolicy")]
    [InlineData("AWS::IAM::RolePolicy")]
    public void Policy_resources_are_judged(string type)
    {
        Assert.Single(Statement("ssm:GetParameters", "\"*\"", type: type));
    }

    [Fact]
    public void Inline_policies_of_a_role_are_judged_and_named()
    {
        var findings = TestTemplates.Check("""
            Resources:
              Role:
                Type: AWS::IAM::Role
                Properties:
                  AssumeRolePolicyDocument: { Statement: [{ Effect: Allow, Principal: { Service: ec2.amazonaws.com }, Action: sts:AssumeRole }] }
                  Policies:
                    - PolicyName: params
                      PolicyDocument: { Statement: [{ Effect: Allow, Action: "ssm:GetParameter*", Resource: "*" }] }
            """).Only(Rule);

        Assert.Equal("Policies[params] statement 0 allows ssm:GetParameter* on every parameter (Resource \"*\")", Assert.Single(findings).Message);
    }

    [Theory]
    [InlineData("AWS::IAM::Role", "!Sub \"arn:${AWS::Partition}:iam::aws:policy/AmazonSSMManagedInstanceCore\"", "ManagedPolicyArns attaches AWS managed AmazonSSMManagedInstanceCore (ssm:GetParameter and ssm:GetParameters on *)")]
    [InlineData("AWS::IAM::User", "arn:aws:iam::aws:policy/AmazonSSMReadOnlyAccess", "ManagedPolicyArns attaches AWS managed AmazonSSMReadOnlyAccess (ssm:Get* on *)")]
    [InlineData("AWS::IAM::Group", "arn:aws:iam::aws:policy/service-role/AmazonSSMManagedInstanceCore", "ManagedPolicyArns attaches AWS managed AmazonSSMManagedInstanceCore (ssm:GetParameter and ssm:GetParameters on *)")]
    public void Attaching_a_managed_policy_that_reads_every_parameter_is_reported(string type, string arn, string message)
    {
        var findings = TestTemplates.Check($$"""
            Resources:
              Principal:
                Type: {{type}}
                Properties: { ManagedPolicyArns: [{{arn}}] }
            """).Only(Rule);

        Assert.Equal(message, Assert.Single(findings).Message);
    }

    [Theory]
    [InlineData("arn:aws:iam::111122223333:policy/AmazonSSMManagedInstanceCore")]
    [InlineData("arn:aws:iam::aws:policy/AmazonSSMManagedEC2InstanceDefaultPolicy")]
    [InlineData("!Ref PolicyArn")]
    public void Customer_managed_unlisted_and_unknown_policies_pass(string arn)
    {
        Assert.Empty(TestTemplates.Check($$"""
            Resources:
              Role:
                Type: AWS::IAM::Role
                Properties: { ManagedPolicyArns: [{{arn}}] }
            """).Only(Rule));
    }
}
