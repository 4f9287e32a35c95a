namespace ScalableBackend.Policies.Tests;

/// <summary>What building a <see cref="TemplateSet"/> refuses, and how it says so.</summary>
public sealed class TemplateSetValidationTests
{
    private static TemplateDocument Template(string file) =>
        TemplateDocument.Parse("Resources:\n  Q: { Type: AWS::SQS::Queue }\n", file);

    [Fact]
    public void A_null_list_of_stacks_is_refused()
    {
        var error = Assert.Throws<ArgumentNullException>(() => new TemplateSet(null!));

        Assert.Equal("stacks", error.ParamName);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void A_blank_stack_name_is_refused(string name)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => new TemplateSet().Add(name, Template("a.yaml")));

        Assert.Equal("stackName", error.ParamName);
    }

    [Fact]
    public void A_null_template_is_refused_by_name()
    {
        var error = Assert.Throws<ArgumentNullException>(() => new TemplateSet().Add("Stack", null!));

        Assert.Equal("template", error.ParamName);
    }

    [Fact]
    public void A_stack_name_added_twice_is_refused_naming_it()
    {
        var set = new TemplateSet().Add("Backend-Prod-Data", Template("a.yaml"));

        var error = Assert.Throws<ArgumentException>(() => set.Add("Backend-Prod-Data", Template("b.yaml")));

        Assert.StartsWith("stack Backend-Prod-Data is already in the set", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_template_added_twice_is_refused_naming_its_file_and_first_stack()
    {
        var template = Template("cdk.out/data.yaml");
        var set = new TemplateSet().Add("Backend-Prod-Data", template);

        var error = Assert.Throws<ArgumentException>(() => set.Add("Backend-Prod-Other", template));

        Assert.StartsWith("template cdk.out/data.yaml is already in the set as Backend-Prod-Data", error.Message, StringComparison.Ordinal);
        Assert.Equal("template", error.ParamName);
    }
}
