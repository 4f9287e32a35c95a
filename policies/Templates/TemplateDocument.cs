using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Core;

namespace ScalableBackend.Policies;

/// <summary>
/// A CloudFormation template read from JSON or YAML into <see cref="System.Text.Json.Nodes"/>, with its resources
/// indexed by logical ID and by type. Immutable once loaded; rules must not modify the nodes.
/// </summary>
public sealed class TemplateDocument
{
    private static readonly JsonDocumentOptions JsonOptions = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
    };

    private readonly Dictionary<string, TemplateResource> _byId;
    private readonly Dictionary<string, List<TemplateResource>> _byType;

    private TemplateDocument(string file, JsonObject root, List<(string Id, string Type, JsonObject Node)> entries)
    {
        File = file;
        Root = root;
        var resources = new List<TemplateResource>(entries.Count);
        foreach (var (id, type, node) in entries)
        {
            resources.Add(new TemplateResource(this, id, type, node, resources.Count));
        }

        Resources = resources;
        _byId = resources.ToDictionary(r => r.LogicalId, StringComparer.Ordinal);
        _byType = resources.GroupBy(r => r.Type, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
    }

    /// <summary>The file name as given to <see cref="Load"/> or <see cref="Parse"/>; used in findings.</summary>
    public string File { get; }

    /// <summary>The whole template.</summary>
    public JsonObject Root { get; }

    /// <summary>All resources in template order.</summary>
    public IReadOnlyList<TemplateResource> Resources { get; }

    /// <summary>The <c>Parameters</c> object, or null.</summary>
    public JsonObject? Parameters => Root["Parameters"] as JsonObject;

    /// <summary>The <c>Outputs</c> object, or null.</summary>
    public JsonObject? Outputs => Root["Outputs"] as JsonObject;

    /// <summary>
    /// Reads a template file. JSON when the extension is <c>.json</c> or the text starts with <c>{</c>; YAML
    /// otherwise (<c>.yaml</c>, <c>.yml</c>, <c>.template</c>, …).
    /// </summary>
    /// <exception cref="TemplateLoadException">The file is missing, unreadable, malformed or not a template.</exception>
    public static TemplateDocument Load(string path)
    {
        string text;
        try
        {
            text = System.IO.File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new TemplateLoadException(path, $"cannot read file: {e.Message}", e);
        }

        return Parse(text, path);
    }

    /// <summary>Parses template text; <paramref name="file"/> names it in findings and errors.</summary>
    /// <exception cref="TemplateLoadException">The text is malformed or not a template.</exception>
    public static TemplateDocument Parse(string text, string file)
    {
        var trimmed = text.AsSpan().TrimStart();
        var isJson = file.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || trimmed.StartsWith("{");
        JsonNode? root;
        try
        {
            root = isJson ? JsonNode.Parse(text, documentOptions: JsonOptions) : YamlTemplateReader.Parse(text);
        }
        catch (JsonException e)
        {
            throw new TemplateLoadException(file, $"malformed JSON at line {(e.LineNumber ?? 0) + 1}: {FirstSentence(e.Message)}", e);
        }
        catch (YamlException e)
        {
            throw new TemplateLoadException(file, $"malformed YAML at line {e.Start.Line}, column {e.Start.Column}: {e.Message}", e);
        }

        return FromJson(root, file);
    }

    /// <summary>Wraps an already parsed template (for example one generated in memory).</summary>
    /// <exception cref="TemplateLoadException">The node is not a CloudFormation template.</exception>
    public static TemplateDocument FromJson(JsonNode? root, string file)
    {
        if (root is not JsonObject obj)
        {
            throw new TemplateLoadException(file, "not a CloudFormation template: the document is not an object");
        }

        try
        {
            Materialize(obj);
        }
        catch (ArgumentException e)
        {
            throw new TemplateLoadException(file, $"malformed JSON: {e.Message}", e);
        }

        if (obj["Resources"] is not JsonObject resources)
        {
            throw new TemplateLoadException(file, "not a CloudFormation template: no \"Resources\" object");
        }

        var list = new List<(string, string, JsonObject)>(resources.Count);
        foreach (var (id, node) in resources)
        {
            if (node is not JsonObject entry)
            {
                throw new TemplateLoadException(file, $"resource \"{id}\" is not an object");
            }

            var type = entry["Type"] is JsonValue t && t.TryGetValue<string>(out var s) ? s : null;
            if (string.IsNullOrEmpty(type))
            {
                throw new TemplateLoadException(file, $"resource \"{id}\" has no \"Type\" string");
            }

            list.Add((id, type, entry));
        }

        return new TemplateDocument(file, obj, list);
    }

    /// <summary>The resource with this logical ID, or null.</summary>
    public TemplateResource? GetResource(string logicalId) => _byId.GetValueOrDefault(logicalId);

    /// <summary>The resources of one type, in template order.</summary>
    public IReadOnlyList<TemplateResource> OfType(string type) =>
        _byType.TryGetValue(type, out var list) ? list : [];

    /// <summary>True when <paramref name="name"/> is a parameter declared with <c>NoEcho: true</c>.</summary>
    public bool IsNoEchoParameter(string name) => Values.IsTrue(Values.At(Parameters?[name], "NoEcho"));

    /// <summary>True when <paramref name="name"/> is a declared parameter.</summary>
    public bool HasParameter(string name) => Parameters?.ContainsKey(name) == true;

    /// <summary>Forces lazily parsed JSON objects to materialize, so duplicate keys fail here, not in a rule.</summary>
    private static void Materialize(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (_, child) in o)
                {
                    Materialize(child);
                }

                break;
            case JsonArray a:
                foreach (var child in a)
                {
                    Materialize(child);
                }

                break;
        }
    }

    private static string FirstSentence(string message)
    {
        // System.Text.Json's reader messages end in " LineNumber: n | BytePositionInLine: m." with a zero-based line;
        // the one-based line is already in the problem text.
        var end = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return end > 0 ? message[..end] : message;
    }
}
