using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ScalableBackend.Policies;

/// <summary>
/// The machine-readable report:
/// <c>{"findings":[{"file"[,"stack"],"rule","severity","resource","type","message","acknowledged"[,"reason"]}]}</c>,
/// where <c>stack</c> appears only on findings of a <see cref="TemplateSet"/> check and <c>reason</c> only on
/// acknowledged findings.
/// </summary>
public static class FindingsJson
{
    /// <summary>Serializes findings, in the given order, as indented JSON.</summary>
    public static string Serialize(IEnumerable<Finding> findings)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteStartArray("findings");
            foreach (var f in findings)
            {
                json.WriteStartObject();
                json.WriteString("file", f.File);
                if (f.Stack is not null)
                {
                    json.WriteString("stack", f.Stack);
                }

                json.WriteString("rule", f.RuleId);
                json.WriteString("severity", f.Severity.ToName());
                json.WriteString("resource", f.LogicalId);
                json.WriteString("type", f.ResourceType);
                json.WriteString("message", f.Message);
                json.WriteBoolean("acknowledged", f.Acknowledged);
                if (f.Acknowledged && f.Reason is not null)
                {
                    json.WriteString("reason", f.Reason);
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    internal static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
