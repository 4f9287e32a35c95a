'use strict';
// A CloudFormation custom resource: one RabbitMQ user of an Amazon MQ broker, created, updated and deleted through the
// RabbitMQ management HTTP API (CloudFormation's AWS::AmazonMQ::Broker sets only the administrator of a RabbitMQ
// broker). Properties: Username, AmqpEndpoint (amqps://host:5671; the API is https://host), AdminSecretArn and
// UserSecretArn (JSON {"username", "password"}), VirtualHost, Configure, Write, Read (permission regexes), and, for
// tests only, ManagementUrl. Only Node's built-in http/https; the secrets come through the runtime's AWS SDK.
const http = require('http');
const https = require('https');

function call(url, method, path, auth, body) {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const headers = { authorization: 'Basic ' + Buffer.from(auth).toString('base64') };
  if (payload !== undefined) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = Buffer.byteLength(payload);
  }
  return new Promise((resolve, reject) => {
    const request = (url.protocol === 'http:' ? http : https).request(
      { hostname: url.hostname, port: url.port || (url.protocol === 'http:' ? 80 : 443), method, path, headers },
      response => {
        let text = '';
        response.on('data', chunk => { text += chunk; });
        response.on('end', () => resolve({ status: response.statusCode, text }));
      });
    request.on('error', reject);
    request.setTimeout(20000, () => request.destroy(new Error(`${method} ${path}: no answer in 20 s`)));
    if (payload !== undefined) request.write(payload);
    request.end();
  });
}

async function management(url, admin, method, path, body) {
  const answer = await call(url, method, path, `${admin.username}:${admin.password}`, body);
  if (answer.status >= 300 && !(method === 'DELETE' && answer.status === 404))
    throw new Error(`${method} ${path}: HTTP ${answer.status} ${answer.text.slice(0, 200)}`);
}

// Creates or updates (PUT is idempotent) the user and its permissions, or deletes the user; returns the physical id.
async function provision(event, getSecret) {
  const p = event.ResourceProperties;
  const name = p.Username;
  const url = new URL(p.ManagementUrl || `https://${new URL(p.AmqpEndpoint).hostname}`);
  const admin = JSON.parse(await getSecret(p.AdminSecretArn));
  const user = '/api/users/' + encodeURIComponent(name);
  if (event.RequestType === 'Delete') {
    await management(url, admin, 'DELETE', user);
    return name;
  }
  const secret = JSON.parse(await getSecret(p.UserSecretArn));
  if (secret.username !== name) throw new Error(`the secret of ${name} names user ${secret.username}`);
  await management(url, admin, 'PUT', user, { password: secret.password, tags: '' });
  await management(url, admin, 'PUT', `/api/permissions/${encodeURIComponent(p.VirtualHost || '/')}/${encodeURIComponent(name)}`,
    { configure: p.Configure, write: p.Write, read: p.Read });
  // A renamed user is a new physical id: CloudFormation then deletes the old user.
  return name;
}

async function getSecret(arn) {
  const { SecretsManagerClient, GetSecretValueCommand } = require('@aws-sdk/client-secrets-manager');
  const answer = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: arn }));
  return answer.SecretString;
}

// The custom resource protocol: PUT the outcome to the pre-signed ResponseURL (signed with an empty content type).
function respond(event, status, reason, id) {
  const body = JSON.stringify({
    Status: status, Reason: reason, PhysicalResourceId: id,
    StackId: event.StackId, RequestId: event.RequestId, LogicalResourceId: event.LogicalResourceId,
  });
  const url = new URL(event.ResponseURL);
  return new Promise((resolve, reject) => {
    const request = (url.protocol === 'http:' ? http : https).request(
      { hostname: url.hostname, port: url.port || undefined, method: 'PUT', path: url.pathname + url.search,
        headers: { 'content-type': '', 'content-length': Buffer.byteLength(body) } },
      response => { response.resume(); response.on('end', resolve); });
    request.on('error', reject);
    request.end(body);
  });
}

exports.provision = provision;
exports.handler = async event => {
  let status = 'SUCCESS';
  let reason = 'done';
  let id = event.PhysicalResourceId || event.ResourceProperties.Username;
  try {
    id = await provision(event, exports.getSecret);
  } catch (e) {
    console.error(e);
    // A user that cannot be deleted (the broker is gone or unreachable) must not block the stack's deletion.
    if (event.RequestType !== 'Delete') {
      status = 'FAILED';
      reason = String((e && e.message) || e).slice(0, 500);
    }
  }
  await respond(event, status, reason, id);
};
exports.getSecret = getSecret;
