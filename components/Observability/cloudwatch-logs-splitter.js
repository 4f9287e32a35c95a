'use strict';
// Firehose data transformation of CentralLogging's delivery stream into OpenSearch (inline code of its function).
// CloudWatch Logs puts several log events into one gzip'd record, and Firehose indexes each record as one document,
// so it cannot deliver subscription data to OpenSearch as it comes (Firehose developer guide, "Writing to Firehose
// using CloudWatch Logs"). A transformed record must keep its recordId (one record out per record in), so this
// function returns the first event of each record as its document and puts the others back into the same stream as
// records of one document each (as AWS's kinesis-firehose-cloudwatch-logs-processor blueprint re-ingests what does
// not fit); those come back through here as plain JSON and pass unchanged. CONTROL_MESSAGE records are dropped.
const zlib = require('zlib');

const MAX_BATCH_RECORDS = 500; // PutRecordBatch: 500 records
const MAX_BATCH_BYTES = 4 * 1024 * 1024; // and 4 MiB per call
const ATTEMPTS = 5;

/** The OpenSearch documents of one decoded CloudWatch Logs DATA_MESSAGE: one per log event. */
function documents(payload) {
  return (payload.logEvents || []).map((event) => ({
    '@timestamp': new Date(event.timestamp).toISOString(),
    id: event.id,
    message: event.message,
    logGroup: payload.logGroup,
    logStream: payload.logStream,
    owner: payload.owner,
  }));
}

/** Transforms a Firehose invocation; reingest(buffers) puts extra documents back into the stream. */
async function transform(event, reingest) {
  const records = [];
  const extra = [];
  for (const record of event.records) {
    const raw = Buffer.from(record.data, 'base64');
    if (raw.length < 2 || raw[0] !== 0x1f || raw[1] !== 0x8b) {
      records.push({ recordId: record.recordId, result: 'Ok', data: record.data }); // one document already
      continue;
    }
    let payload;
    try {
      payload = JSON.parse(zlib.gunzipSync(raw).toString('utf8'));
    } catch (e) {
      records.push({ recordId: record.recordId, result: 'ProcessingFailed', data: record.data });
      continue;
    }
    const docs = payload.messageType === 'DATA_MESSAGE' ? documents(payload) : [];
    if (docs.length === 0) {
      records.push({ recordId: record.recordId, result: 'Dropped', data: record.data });
      continue;
    }
    const encoded = docs.map((d) => Buffer.from(JSON.stringify(d), 'utf8'));
    records.push({ recordId: record.recordId, result: 'Ok', data: encoded[0].toString('base64') });
    extra.push(...encoded.slice(1));
  }
  if (extra.length > 0) await reingest(extra);
  return { records };
}

/** Splits documents into PutRecordBatch calls within its record and size limits. */
function batches(buffers) {
  const out = [];
  let current = [];
  let bytes = 0;
  for (const b of buffers) {
    if (current.length > 0 && (current.length === MAX_BATCH_RECORDS || bytes + b.length > MAX_BATCH_BYTES)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(b);
    bytes += b.length;
  }
  if (current.length > 0) out.push(current);
  return out;
}

/** Puts documents into the stream, retrying the records PutRecordBatch reports failed; throws when some never go in. */
async function putAll(send, streamName, buffers) {
  for (const batch of batches(buffers)) {
    let pending = batch;
    for (let attempt = 1; pending.length > 0; attempt++) {
      const response = await send(streamName, pending);
      const failed = response.FailedPutCount
        ? pending.filter((_, i) => response.RequestResponses[i] && response.RequestResponses[i].ErrorCode)
        : [];
      if (failed.length > 0 && attempt >= ATTEMPTS)
        throw new Error(`${failed.length} of ${batch.length} documents could not be put back into ${streamName}`);
      if (failed.length > 0) await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
      pending = failed;
    }
  }
}

exports.handler = async (event) => {
  const { FirehoseClient, PutRecordBatchCommand } = require('@aws-sdk/client-firehose');
  const client = new FirehoseClient({ region: event.region });
  const streamName = event.deliveryStreamArn.split('/').pop();
  const send = (name, buffers) =>
    client.send(new PutRecordBatchCommand({ DeliveryStreamName: name, Records: buffers.map((Data) => ({ Data })) }));
  return transform(event, (buffers) => putAll(send, streamName, buffers));
};
exports.transform = transform;
exports.putAll = putAll;
exports.batches = batches;
