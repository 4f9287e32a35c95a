using System.Text.Json.Nodes;

namespace ScalableBackend.Policies;

/// <summary>One entry of a template's <c>Resources</c> map.</summary>
public sealed class TemplateResource
{
    private static readonly JsonObject EmptyProperties = new();

    internal TemplateResource(TemplateDocument template, string logicalId, string type, JsonObject node, int index)
    {
        Template = template;
        LogicalId = logicalId;
        Type = type;
        Node = node;
        Index = index;
        Properties = node["Properties"] as JsonObject ?? EmptyProperties;
    }

    /// <summary>The template that declares this resource.</summary>
    public TemplateDocument Template { get; }

    /// <summary>The logical ID (the key in <c>Resources</c>).</summary>
    public string LogicalId { get; }

    /// <summary>The resource type, e.g. <c>AWS::RDS::DBInstance</c>.</summary>
    public string Type { get; }

    /// <summary>The whole resource entry (Type, Properties, Metadata, DeletionPolicy, …).</summary>
    public JsonObject Node { get; }

    /// <summary>The <c>Properties</c> object; an empty object when the resource declares none. Do not modify.</summary>
    public JsonObject Properties { get; }

    /// <summary>Position of the resource in the template, used to order findings.</summary>
    public int Index { get; }

    /// <summary>The <c>Metadata</c> object, or null.</summary>
    public JsonObject? Metadata => Node["Metadata"] as JsonObject;

    /// <summary>The <c>DeletionPolicy</c> attribute as written, or null (CloudFormation's default is Delete).</summary>
    public string? DeletionPolicy => Values.AsString(Node["DeletionPolicy"]);

    /// <summary>The <c>UpdateReplacePolicy</c> attribute as written, or null (default Delete).</summary>
    public string? UpdateReplacePolicy => Values.AsString(Node["UpdateReplacePolicy"]);

    /// <summary>A property by name, or null when absent.</summary>
    public JsonNode? this[string property] => Properties[property];

    /// <inheritdoc />
    public override string ToString() => $"{LogicalId} ({Type})";
}
