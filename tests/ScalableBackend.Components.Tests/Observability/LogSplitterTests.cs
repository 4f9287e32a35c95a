using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using ScalableBackend.Components.Tests.Support;
using ScalableBackend.Components.Observability;

namespace ScalableBackend.Components.Tests.Observability;

/// <summary>
/// Runs <see cref="CentralLogging.SplitterSource"/> (the code the template inlines) with node on real CloudWatch Logs
/// subscription records — gzip'd <c>DATA_MESSAGE</c> envelopes with several <c>logEvents</c>, as CloudWatch Logs puts
/// them into Firehose — and checks what Firehose then hands OpenSearch: one JSON document per record, one record per
/// log event. Firehose's own second pass over the re-ingested records is simulated by invoking the code again with them.
/// </summary>
public sealed class LogSplitterTests
{
    private static string Envelope(string logGroup, string messageType, params (string Id, long Timestamp, string Message)[] events) =>
        new JsonObject
        {
            ["messageType"] = messageType,
            ["owner"] = "123456789012",
            ["logGroup"] = logGroup,
            ["logStream"] = "i-0abc/app.log",
            ["subscriptionFilters"] = new JsonArray("LoggingSubscriptionApi"),
            ["logEvents"] = new JsonArray(events.Select(e => (JsonNode)new JsonObject
            {
                ["id"] = e.Id, ["timestamp"] = e.Timestamp, ["message"] = e.Message,
            }).ToArray()),
        }.ToJsonString();

    private static string Gzip64(string text)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal))
            gzip.Write(Encoding.UTF8.GetBytes(text));
        return Convert.ToBase64String(buffer.ToArray());
    }

    /// <summary>Runs <paramref name="script"/> after the splitter's source (as <c>splitter</c>) and parses what it printed.</summary>
    private static JsonNode RunNode(string script) =>
        NodeScript.Run(CentralLogging.SplitterSource, "const splitter = require('./index.js');", script);

    /// <summary>
    /// Two Firehose invocations: the first with the given records, the second with what the first put back into the
    /// stream (as Firehose would deliver them to the function again).
    /// </summary>
    private static (JsonArray First, JsonArray Second) TwoPasses(JsonArray records)
    {
        var result = RunNode($$"""
            const reingested = [];
            const event = { invocationId: 'i1', deliveryStreamArn: 'arn:aws:firehose:us-east-1:123456789012:deliverystream/logs', region: 'us-east-1', records: {{records.ToJsonString()}} };
            const first = await splitter.transform(event, async buffers => { reingested.push(...buffers); });
            const again = { ...event, invocationId: 'i2', records: reingested.map((b, i) => ({ recordId: 'again' + i, approximateArrivalTimestamp: 0, data: b.toString('base64') })) };
            const second = await splitter.transform(again, async () => { throw new Error('documents must not be re-ingested twice'); });
            console.log(JSON.stringify({ first: first.records, second: second.records }));
            """);
        return (result["first"]!.AsArray(), result["second"]!.AsArray());
    }

    private static JsonObject Record(string id, string data) => new() { ["recordId"] = id, ["approximateArrivalTimestamp"] = 1700000000000, ["data"] = data };

    /// <summary>What OpenSearch receives: each record Firehose indexes (result Ok) is one document, parsed from its data.</summary>
    private static JsonObject[] Documents(params JsonArray[] passes) => passes.SelectMany(p => p)
        .Where(r => (string?)r!["result"] == "Ok")
        .Select(r => Encoding.UTF8.GetString(Convert.FromBase64String((string)r!["data"]!)))
        .Select(text => Assert.IsType<JsonObject>(JsonNode.Parse(text)))
        .ToArray();

    [Fact]
    public void ASubscriptionRecordOfThreeEventsBecomesThreeDocumentsOfOneEventEach()
    {
        var payload = Envelope("/backend/prod/api", "DATA_MESSAGE",
            ("3712", 1700000000000, "GET /api/orders 200 12ms"),
            ("3713", 1700000000500, "{\"level\":\"warn\",\"msg\":\"slow query\"}"),
            ("3714", 1700000001000, "POST /api/orders 201 40ms"));
        var (first, second) = TwoPasses([Record("r1", Gzip64(payload))]);

        Assert.Equal("Ok", (string?)Assert.Single(first)!["result"]);
        Assert.Equal("r1", (string?)first[0]!["recordId"]);
        Assert.Equal(2, second.Count);
        Assert.All(second, r => Assert.Equal("Ok", (string?)r!["result"]));
        var documents = Documents(first, second);
        Assert.Equal(["3712", "3713", "3714"], documents.Select(d => (string?)d["id"]));
        Assert.Equal(["GET /api/orders 200 12ms", "{\"level\":\"warn\",\"msg\":\"slow query\"}", "POST /api/orders 201 40ms"], documents.Select(d => (string?)d["message"]));
        Assert.All(documents, d => Assert.Equal("/backend/prod/api", (string?)d["logGroup"]));
        Assert.All(documents, d => Assert.Equal("i-0abc/app.log", (string?)d["logStream"]));
        Assert.Equal("2023-11-14T22:13:20.500Z", (string?)documents[1]["@timestamp"]);
        Assert.All(documents, d => Assert.Null(d["logEvents"]));
    }

    [Fact]
    public void RecordsOfSeveralLogGroupsInOneBatchKeepTheirOwnGroupAndStream()
    {
        var (first, second) = TwoPasses(
        [
            Record("a", Gzip64(Envelope("/backend/prod/api", "DATA_MESSAGE", ("1", 1, "a1"), ("2", 2, "a2")))),
            Record("b", Gzip64(Envelope("/backend/prod/billing", "DATA_MESSAGE", ("3", 3, "b1")))),
        ]);
        Assert.Equal(["a", "b"], first.Select(r => (string?)r!["recordId"]));
        var documents = Documents(first, second);
        Assert.Equal(3, documents.Length);
        Assert.Equal(["/backend/prod/api", "/backend/prod/billing", "/backend/prod/api"], documents.Select(d => (string?)d["logGroup"]));
        Assert.Equal(["a1", "b1", "a2"], documents.Select(d => (string?)d["message"]));
    }

    [Fact]
    public void ControlMessagesAreDroppedAndUndecodableRecordsFail()
    {
        var (first, second) = TwoPasses(
        [
            Record("control", Gzip64(Envelope("", "CONTROL_MESSAGE", ("0", 0, "CWL CONTROL MESSAGE: Checking health of destination Firehose.")))),
            Record("broken", Convert.ToBase64String([0x1f, 0x8b, 0x08, 0x00, 0x01])),
        ]);
        Assert.Equal(["Dropped", "ProcessingFailed"], first.Select(r => (string?)r!["result"]));
        Assert.Empty(second);
        Assert.Empty(Documents(first, second));
    }

    [Fact]
    public void PutsDocumentsBackInBatchesWithinPutRecordBatchLimitsAndRetriesFailedOnes()
    {
        var result = RunNode("""
            const calls = [];
            let failOnce = true;
            const send = async (name, buffers) => {
              calls.push({ name, count: buffers.length, bytes: buffers.reduce((n, b) => n + b.length, 0) });
              if (failOnce) { failOnce = false; return { FailedPutCount: 1, RequestResponses: buffers.map((_, i) => i === 7 ? { ErrorCode: 'ServiceUnavailableException' } : { RecordId: 'x' }) }; }
              return { FailedPutCount: 0, RequestResponses: buffers.map(() => ({ RecordId: 'x' })) };
            };
            const small = Array.from({ length: 1200 }, (_, i) => Buffer.from(JSON.stringify({ id: String(i) })));
            await splitter.putAll(send, 'logs', small);
            const large = Array.from({ length: 5 }, () => Buffer.alloc(1000 * 1024, 'a'));
            const sizes = splitter.batches(large).map(b => b.length);
            let failed = null;
            try { await splitter.putAll(async (n, b) => ({ FailedPutCount: b.length, RequestResponses: b.map(() => ({ ErrorCode: 'ServiceUnavailableException' })) }), 'logs', small.slice(0, 3)); }
            catch (e) { failed = e.message; }
            console.log(JSON.stringify({ calls, sizes, failed }));
            """);
        var calls = result["calls"]!.AsArray();
        Assert.Equal([500, 1, 500, 200], calls.Select(c => (int)c!["count"]!));
        Assert.All(calls, c => Assert.Equal("logs", (string?)c!["name"]));
        Assert.Equal([4, 1], result["sizes"]!.AsArray().Select(n => (int)n!));
        Assert.Equal("3 of 3 documents could not be put back into logs", (string?)result["failed"]);
    }
}
