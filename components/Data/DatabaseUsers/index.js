'use strict';
// The database users of one shard of a ShardedDatabase, as a CloudFormation custom resource (ShardedDatabase's
// "DatabaseUsers"): connects to the shard's writer as the master user (its secret, read here and nowhere else) over
// verified TLS and makes every listed user a role that logs in through IAM database authentication only.
//
//   Create/Update: for each user, idempotently
//     CREATE ROLE <user> LOGIN (when missing; ALTER ROLE … LOGIN when it exists, e.g. re-added after a removal)
//     GRANT rds_iam TO <user>                       (IAM authentication; RDS then refuses passwords for it)
//     GRANT CONNECT ON DATABASE <database> TO <user>          (when PUBLIC's default CONNECT was revoked)
//     CREATE SCHEMA IF NOT EXISTS <user> AUTHORIZATION <user>   (its own schema, first on its default search_path)
//   Users dropped from the list (Update) and every user on Delete: ALTER ROLE … NOLOGIN. Nothing is dropped: the
//   role, its schema and its data stay, and adding the user back lets it log in again.
//
// Properties: SecretArn (the master secret: username, password), Host, Port, Database, Users (role names, validated
// by the component as lower-case identifiers; quoted here anyway).
// Bundled with the pg package by esbuild at build time; the AWS SDK comes with the Lambda runtime.

const { Client } = require('pg');

const quote = (name) => `"${String(name).replace(/"/g, '""')}"`;
const literal = (text) => `'${String(text).replace(/'/g, "''")}'`;

/** The statements that make `user` a role logging in through IAM with its own schema in `database`. */
function ensureStatements(user, database) {
  const role = quote(user);
  return [
    `DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = ${literal(user)}) THEN CREATE ROLE ${role} LOGIN; END IF; END $$`,
    `ALTER ROLE ${role} LOGIN`,
    `GRANT rds_iam TO ${role}`,
    // PUBLIC holds CONNECT by default; granting only when missing never needs the database's grant option.
    `DO $$ BEGIN IF NOT has_database_privilege(${literal(user)}, ${literal(database)}, 'CONNECT') THEN EXECUTE ${literal(`GRANT CONNECT ON DATABASE ${quote(database)} TO ${role}`)}; END IF; END $$`,
    // CREATE SCHEMA … AUTHORIZATION needs the creator to be able to act as the owner (PostgreSQL 16: SET ROLE).
    `GRANT ${role} TO CURRENT_USER`,
    `CREATE SCHEMA IF NOT EXISTS ${role} AUTHORIZATION ${role}`,
  ];
}

/** The statement that stops `user` from logging in, when the role exists. */
function revokeStatement(user) {
  return `DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = ${literal(user)}) THEN ALTER ROLE ${quote(user)} NOLOGIN; END IF; END $$`;
}

/**
 * Applies one request to a connected client: `users` ensured (Create, Update) and `revoked` losing their login
 * (Update: the ones dropped from the list; Delete: all). Each user in one transaction.
 */
async function apply(client, { database, users = [], revoked = [] }) {
  for (const user of users) {
    await client.query('BEGIN');
    try {
      for (const sql of ensureStatements(user, database)) await client.query(sql);
      await client.query('COMMIT');
    } catch (e) {
      await client.query('ROLLBACK').catch(() => {});
      throw new Error(`user ${user}: ${e.message}`);
    }
  }
  for (const user of revoked) await client.query(revokeStatement(user));
}

/** What a request does: the users to ensure and the ones to revoke. */
function plan(event) {
  const props = event.ResourceProperties || {};
  const users = [...new Set(props.Users || [])];
  if (event.RequestType === 'Delete') return { users: [], revoked: users };
  const old = (event.RequestType === 'Update' && event.OldResourceProperties && event.OldResourceProperties.Users) || [];
  return { users, revoked: old.filter((u) => !users.includes(u)) };
}

async function masterCredentials(secretArn) {
  // The SDK ships with the Lambda Node.js runtime (not bundled).
  const { SecretsManagerClient, GetSecretValueCommand } = require('@aws-sdk/client-secrets-manager');
  const out = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: secretArn }));
  const secret = JSON.parse(out.SecretString);
  return { user: secret.username, password: secret.password };
}

/** Sends the custom resource's response to CloudFormation's pre-signed URL (S3, HTTPS). */
function respond(event, status, reason, physicalId) {
  const body = JSON.stringify({
    Status: status,
    Reason: String(reason).slice(0, 3000),
    PhysicalResourceId: physicalId,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
    NoEcho: false,
    Data: {},
  });
  const url = new URL(event.ResponseURL);
  const transport = url.protocol === 'http:' ? require('http') : require('https');
  return new Promise((resolve, reject) => {
    const req = transport.request(
      { hostname: url.hostname, port: url.port || undefined, path: url.pathname + url.search, method: 'PUT', headers: { 'content-type': '', 'content-length': Buffer.byteLength(body) } },
      (res) => { res.resume(); res.on('end', resolve); });
    req.on('error', reject);
    req.end(body);
  });
}

/** The resource's physical id: stable across updates of the user list; a new host (a replaced instance) is a new resource. */
function physicalIdOf(event) {
  const props = event.ResourceProperties || {};
  return event.PhysicalResourceId || `database-users:${props.Host}:${props.Database}`;
}

/** Connects with `credentials` (and `ssl`) to the shard the event names and applies its plan; returns the plan. */
async function run(event, { credentials, ssl }) {
  const props = event.ResourceProperties || {};
  const work = plan(event);
  const client = new Client({
    host: props.Host,
    port: Number(props.Port || 5432),
    database: props.Database,
    user: credentials.user,
    password: credentials.password,
    ssl,
    connectionTimeoutMillis: 20000,
    statement_timeout: 60000,
  });
  await client.connect();
  try {
    await apply(client, { database: props.Database, ...work });
  } finally {
    await client.end().catch(() => {});
  }
  return work;
}

async function handler(event) {
  const props = event.ResourceProperties || {};
  const physicalId = physicalIdOf(event);
  try {
    let work;
    for (let attempt = 1; ; attempt++) {
      try {
        work = await run(event, {
          credentials: await masterCredentials(props.SecretArn),
          // rds.force_ssl: TLS, verified against the RDS certificate authorities the runtime loads (NODE_EXTRA_CA_CERTS).
          ssl: { rejectUnauthorized: true, servername: props.Host },
        });
        break;
      } catch (e) {
        // 28P01: the password changed under us (the first rotation runs when the secret's schedule is created).
        if (e.code !== '28P01' || attempt >= 4) throw e;
        await new Promise((r) => setTimeout(r, 15000 * attempt));
      }
    }
    console.log(JSON.stringify({ request: event.RequestType, ensured: work.users, revoked: work.revoked }));
    await respond(event, 'SUCCESS', 'ok', physicalId);
  } catch (e) {
    console.error(e);
    // Deleting never fails the stack: the shard may already be gone, and nothing is dropped anyway.
    await respond(event, event.RequestType === 'Delete' ? 'SUCCESS' : 'FAILED', e.message, physicalId);
  }
}

module.exports = { handler, run, apply, plan, respond, physicalIdOf, ensureStatements, revokeStatement };
