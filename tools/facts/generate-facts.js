#!/usr/bin/env node
// Writes the deploy-time facts the environment files are checked against at load time (components/Facts/*.json),
// from what maintained npm packages ship — nothing is fetched, no credentials are read:
//   - the regions, from aws-cdk-lib's region-info; their availability zones, from how AWS's offline CloudFormation
//     validator (@aws/cloudformation-validate, bundled in aws-cdk-lib) resolves Fn::GetAZs for each region;
//   - which EC2 instance types, ElastiCache node types, OpenSearch instance types and Amazon MQ broker types each
//     region offers: one template per region with one resource per candidate, and the validator's rules E3628,
//     E3647, E3653 and E3670 say which it rejects ("'x' is not valid for region 'r'"). Candidates: the EC2 API's
//     instance type enum (@aws-sdk/client-ec2), prefixed with cache. and mq. for ElastiCache and Amazon MQ, and the
//     OpenSearch API's instance type enum (@aws-sdk/client-opensearch);
//   - the RDS instance classes for PostgreSQL per region (rule E3025 lists them), and the PostgreSQL and Redis engine
//     versions (rule E9006 lists them);
//   - the architecture of each EC2 type, from aws-cdk-lib's own InstanceType.architecture;
//   - the time zones a scheduled action accepts, from aws-cdk-lib's TimeZone (canonical IANA names).
// What no package ships (MSK broker types, Kafka and RabbitMQ versions) is in components/Facts/manual.json, written
// by hand from AWS's documentation; this script does not touch it.
//
// Run by hand to refresh, from the repository root after `npm ci` (takes a few minutes):
//   node tools/facts/generate-facts.js
// then `git diff components/Facts` shows what AWS's data changed.
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..', '..');
const out = path.join(root, 'components', 'Facts');
const cdkLibDir = path.dirname(require.resolve('aws-cdk-lib/package.json', { paths: [root] }));
const validatorDir = path.dirname(require.resolve('@aws/cloudformation-validate/package.json', { paths: [cdkLibDir] }));
const validate = require(validatorDir);
const cdk = require(path.join(cdkLibDir));
const ec2 = require(path.join(cdkLibDir, 'aws-ec2'));
const { RegionInfo } = require(path.join(cdkLibDir, 'region-info'));
const ec2Sdk = require(require.resolve('@aws-sdk/client-ec2', { paths: [root] }));
const openSearchSdk = require(require.resolve('@aws-sdk/client-opensearch', { paths: [root] }));

const version = (dir) => JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).version;
const packageDir = (name) => path.dirname(require.resolve(`${name}/package.json`, { paths: [root] }));
const generated = new Date().toISOString().slice(0, 10);
const sources = {
  'aws-cdk-lib': version(cdkLibDir),
  '@aws/cloudformation-validate': version(validatorDir),
  '@aws-sdk/client-ec2': version(packageDir('@aws-sdk/client-ec2')),
  '@aws-sdk/client-opensearch': version(packageDir('@aws-sdk/client-opensearch')),
};
const validatorCore = validate.version ? validate.version() : '';

const engine = new validate.CompositeEngine();
const log = (...a) => process.stderr.write(a.join(' ') + '\n');

/** Diagnostics of rule `rule` for a template of `resources`, validated for `region` (none: any region). */
function diagnose(resources, rule, region) {
  const report = engine.validateTemplate(new validate.TemplateContent(JSON.stringify({ Resources: resources }), 'facts.json'), {
    severityLevel: 'ERROR',
    detailLevel: 'STANDARD',
    include: { ids: [rule] },
    pseudoParameterOverrides: region ? { region } : {},
  });
  if (report.status !== 'OK') throw new Error(`validator status ${report.status} for ${rule} in ${region || 'any region'}`);
  return report.diagnostics.filter((d) => d.ruleId === rule);
}

/** The candidates rule `rule` accepts in `region`: each candidate becomes one resource made by `resource`. */
function accepted(candidates, resource, rule, region) {
  const resources = {};
  candidates.forEach((c, i) => { resources[`R${i}`] = resource(c); });
  const rejected = new Set(diagnose(resources, rule, region).map((d) => Number(d.entity.logicalId.slice(1))));
  return candidates.filter((_, i) => !rejected.has(i));
}

/** The values listed by an "'x' is not one of ['a', 'b']" message. */
function listed(message) {
  const at = message.indexOf('is not one of');
  if (at < 0) throw new Error(`unexpected message: ${message}`);
  return [...message.slice(at).matchAll(/'([^']+)'/g)].map((m) => m[1]);
}

// Regions and zones.
const regionNames = RegionInfo.regions.map((r) => r.name).sort();
const model = new validate.TemplateModel(new validate.TemplateContent(JSON.stringify({
  Resources: { Zones: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16',
    Tags: regionNames.map((r) => ({ Key: r, Value: { 'Fn::Join': [',', { 'Fn::GetAZs': r }] } })) } } },
}), 'zones.json'));
const zones = {};
for (const item of model.resources().Zones.properties.Tags.List.items) {
  const tag = item.Concrete && item.Concrete.value;
  if (tag && typeof tag.Value === 'string' && tag.Value.length > 0) zones[tag.Key] = tag.Value.split(',');
}
model.free();
const regions = Object.keys(zones).sort();
log(`regions: ${regions.length} of ${regionNames.length} known to the validator`);

/** Which candidates each region offers: any-region pass first, then each region over what passed. */
function perRegion(label, candidates, resource, rule, bogus) {
  const anywhere = accepted(candidates, resource, rule, undefined).sort();
  const byRegion = {};
  const withoutData = [];
  for (const region of regions) {
    // A region for which the validator has no table accepts any value, even a made-up one: listed, not guessed at.
    const offered = accepted([...anywhere, bogus], resource, rule, region);
    log(`${label} ${region}: ${offered.length} of ${anywhere.length}`);
    if (offered.includes(bogus)) withoutData.push(region);
    else byRegion[region] = new Set(offered);
  }
  return { regionsWithoutData: withoutData, types: offeredIn(anywhere, byRegion) };
}

/** Per type: the regions (of those with data) that offer it, as the shorter of the list and its complement. */
function offeredIn(types, byRegion) {
  const known = Object.keys(byRegion).sort();
  const result = {};
  for (const type of types) {
    const offered = known.filter((r) => byRegion[r].has(type));
    if (offered.length === 0) continue;
    const missing = known.filter((r) => !byRegion[r].has(type));
    result[type] = missing.length === 0 ? { regions: 'all' } : offered.length <= missing.length ? { regions: offered } : { notIn: missing };
  }
  return result;
}

const header = (what, how) => ({
  description: what,
  source: how,
  generated,
  generator: 'tools/facts/generate-facts.js',
  packages: sources,
  validatorCore,
});

function write(file, body) {
  fs.writeFileSync(path.join(out, file), JSON.stringify(body, null, 1) + '\n');
  log(`wrote components/Facts/${file}`);
}

fs.mkdirSync(out, { recursive: true });
write('regions.json', {
  ...header('AWS regions and their availability zones (zone names as Fn::GetAZs returns them)',
    "regions: aws-cdk-lib region-info RegionInfo.regions; zones: @aws/cloudformation-validate's resolution of Fn::GetAZs per region (regions it cannot resolve are left out)"),
  regions: zones,
});

const ec2Candidates = [...new Set(Object.values(ec2Sdk._InstanceType))].sort();
const ec2Types = perRegion('ec2', ec2Candidates, (t) => ({ Type: 'AWS::EC2::Instance', Properties: { InstanceType: t } }), 'E3628', 'zz9.bogus');
for (const [type, entry] of Object.entries(ec2Types.types)) {
  // CDK's rule reads class, generation and capabilities from the name; names it cannot read (u-3tb1.56xlarge) get none.
  let arch = null;
  try { arch = new ec2.InstanceType(type).architecture === ec2.InstanceArchitecture.ARM_64 ? 'arm64' : 'x86_64'; } catch { /* unreadable name */ }
  ec2Types.types[type] = arch ? { architecture: arch, ...entry } : entry;
}
write('ec2-instance-types.json', {
  ...header('EC2 instance types, the regions that offer each, and the architecture CDK assigns it',
    "candidates: @aws-sdk/client-ec2 _InstanceType; offered: @aws/cloudformation-validate rule E3628 per region; architecture: aws-cdk-lib InstanceType.architecture"),
  ...ec2Types,
});

write('cache-node-types.json', {
  ...header('ElastiCache node types and the regions that offer each',
    'candidates: cache. + each @aws-sdk/client-ec2 _InstanceType; offered: @aws/cloudformation-validate rule E3647 (AWS::ElastiCache::CacheCluster CacheNodeType) per region'),
  ...perRegion('cache', ec2Candidates.map((t) => `cache.${t}`),
    (t) => ({ Type: 'AWS::ElastiCache::CacheCluster', Properties: { CacheNodeType: t, Engine: 'redis', NumCacheNodes: 1 } }), 'E3647', 'cache.zz9.bogus'),
});

write('mq-instance-types.json', {
  ...header('Amazon MQ for RabbitMQ broker instance types and the regions that offer each',
    'candidates: mq. + each @aws-sdk/client-ec2 _InstanceType; offered: @aws/cloudformation-validate rule E3670 (AWS::AmazonMQ::Broker HostInstanceType with EngineType RABBITMQ) per region'),
  ...perRegion('mq', ec2Candidates.map((t) => `mq.${t}`),
    (t) => ({ Type: 'AWS::AmazonMQ::Broker', Properties: { HostInstanceType: t, EngineType: 'RABBITMQ' } }), 'E3670', 'mq.zz9.bogus'),
});

const searchCandidates = [...new Set(Object.values(openSearchSdk.OpenSearchPartitionInstanceType))].sort();
write('opensearch-instance-types.json', {
  ...header('OpenSearch Service instance types (data and dedicated master nodes) and the regions that offer each',
    'candidates: @aws-sdk/client-opensearch OpenSearchPartitionInstanceType; offered: @aws/cloudformation-validate rule E3653 (AWS::OpenSearchService::Domain ClusterConfig.InstanceType) per region'),
  ...perRegion('search', searchCandidates,
    (t) => ({ Type: 'AWS::OpenSearchService::Domain', Properties: { ClusterConfig: { InstanceType: t } } }), 'E3653', 'zz9.bogus.search'),
});

// RDS PostgreSQL classes per region: rule E3025 lists the classes of the engine in the region.
const rdsByRegion = {};
for (const region of regions) {
  const [d] = diagnose({ Probe: { Type: 'AWS::RDS::DBInstance', Properties: { DBInstanceClass: 'db.none.none', Engine: 'postgres' } } }, 'E3025', region);
  if (d) rdsByRegion[region] = new Set(listed(d.message));
}
const rdsClasses = offeredIn([...new Set(Object.values(rdsByRegion).flatMap((s) => [...s]))].sort(), rdsByRegion);
log(`rds: ${Object.keys(rdsClasses).length} classes in ${Object.keys(rdsByRegion).length} regions`);
write('rds-instance-classes.json', {
  ...header('RDS DB instance classes for the postgres engine and the regions that offer each',
    '@aws/cloudformation-validate rule E3025 (the classes it lists for AWS::RDS::DBInstance with Engine postgres) per region'),
  regionsWithoutData: regions.filter((r) => !rdsByRegion[r]),
  types: rdsClasses,
});

// Engine versions: rule E9006 lists the versions CloudFormation accepts.
const [pg] = diagnose({ Probe: { Type: 'AWS::RDS::DBInstance', Properties: { DBInstanceClass: 'db.r6g.large', Engine: 'postgres', EngineVersion: '0.0' } } }, 'E9006');
const [redis] = diagnose({ Probe: { Type: 'AWS::ElastiCache::CacheCluster', Properties: { CacheNodeType: 'cache.r7g.large', Engine: 'redis', NumCacheNodes: 1, EngineVersion: '0.0' } } }, 'E9006');
const numeric = (a, b) => a.localeCompare(b, 'en', { numeric: true });
write('engine-versions.json', {
  ...header('Engine versions that exist (whether a version can still be created is another matter: see README)',
    '@aws/cloudformation-validate rule E9006: the EngineVersion values it lists for AWS::RDS::DBInstance (postgres) and AWS::ElastiCache::CacheCluster (redis)'),
  postgres: listed(pg.message).sort(numeric),
  redis: listed(redis.message).sort(numeric),
});

const timeZones = Object.getOwnPropertyNames(cdk.TimeZone).map((k) => cdk.TimeZone[k])
  .filter((v) => v instanceof cdk.TimeZone).map((v) => v.timezoneName).sort();
write('time-zones.json', {
  ...header('Time zones an Auto Scaling scheduled action accepts: the canonical names of the IANA time zone database',
    'aws-cdk-lib TimeZone (its static members)'),
  timeZones,
});

engine.free();
