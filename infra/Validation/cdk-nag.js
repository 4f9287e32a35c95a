// Runs cdk-nag's AwsSolutions pack (pinned in package.json) over plain CloudFormation templates: each template is
// included into an empty stack with CfnInclude and checked as cdk-nag checks a CDK app. Reads a JSON request on
// standard input,
//   [{ "file": "cdk.out/Backend-Prod-Data.template.json" }, ...]
// and prints {"version", "findings": [{ file, ruleId, rule, severity, logicalId, resourceType, message, suppressed, reason }]}.
// cdk-nag 3 reads acknowledgements from the construct tree (Validations.of(...).acknowledge), not from a template,
// so this script honours the template format cdk-nag writes, Metadata.cdk_nag.rules_to_suppress = [{ id, reason,
// applies_to? }], itself, with cdk-nag 2's meaning: an entry without applies_to covers every finding of that rule on
// the resource; with applies_to, only the findings RuleId[x] whose x it lists (as a string, or {regex: '/…/'} matching x).
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');

process.env.CDK_VALIDATION = 'false'; // aws-cdk-lib's built-in CloudFormation validation: `check` runs it on its own
const cdk = require('aws-cdk-lib');
const { CfnInclude } = require('aws-cdk-lib/cloudformation-include');
const nag = require('cdk-nag');

const request = JSON.parse(fs.readFileSync(0, 'utf8'));
const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-nag-'));
const app = new cdk.App({ outdir });
const stacks = new Map();
request.forEach(({ file }, i) => {
  const id = `Template${i}`;
  const stack = new cdk.Stack(app, id, {
    synthesizer: new cdk.DefaultStackSynthesizer({ generateBootstrapVersionRule: false }),
  });
  const template = JSON.parse(fs.readFileSync(file, 'utf8'));
  // The included template brings its own bootstrap parameter and rule; the wrapper stack must not add them twice.
  if (template.Parameters) delete template.Parameters.BootstrapVersion;
  if (template.Rules) delete template.Rules.CheckBootstrapVersion;
  const copy = path.join(outdir, `${id}.input.json`);
  fs.writeFileSync(copy, JSON.stringify(template));
  new CfnInclude(stack, 'Template', { templateFile: copy, preserveLogicalIds: true });
  stacks.set(id, { file, resources: template.Resources || {} });
});
cdk.Validations.of(app).addPlugins(new nag.AwsSolutionsChecks(app, { verbose: true }));
try {
  app.synth();
} catch (e) {
  if (!/Validation failed/.test(String(e))) throw e; // violations found: the report below has them
}

// cdk-nag's applies_to entries: a finding id as a string, or {regex: '/pattern/flags'} matched against the finding.
function applies(entry, finding) {
  if (typeof entry === 'string') return entry === finding;
  const m = /^\/(.*)\/([a-z]*)$/s.exec((entry && entry.regex) || '');
  return m !== null && new RegExp(m[1], m[2].replace('g', '')).test(finding);
}

function suppression(resource, ruleId) {
  const rule = ruleId.replace(/\[.*$/, '');
  const finding = ruleId.includes('[') ? ruleId.slice(rule.length + 1, -1) : null;
  const entries = (((resource || {}).Metadata || {}).cdk_nag || {}).rules_to_suppress || [];
  for (const entry of entries) {
    if (!entry || typeof entry.reason !== 'string' || entry.reason.trim() === '') continue;
    if (entry.id === ruleId) return entry.reason;
    if (entry.id !== rule) continue;
    if (!entry.applies_to) return entry.reason;
    if (finding !== null && entry.applies_to.some((a) => applies(a, finding))) return entry.reason;
  }
  return null;
}

const report = JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf8'));
const findings = [];
for (const plugin of report.pluginReports || []) {
  for (const violation of plugin.violations || []) {
    for (const where of violation.violatingConstructs || []) {
      const [stackId, , logicalId] = where.constructPath.split('/');
      const stack = stacks.get(stackId);
      if (!stack) continue;
      const resource = stack.resources[logicalId];
      const reason = suppression(resource, violation.ruleName);
      findings.push({
        file: stack.file,
        ruleId: violation.ruleName,
        rule: violation.ruleName.replace(/\[.*$/, ''),
        severity: violation.severity,
        logicalId: logicalId || '',
        resourceType: (resource && resource.Type) || '',
        message: violation.description.split('. ')[0],
        suppressed: reason !== null,
        reason: reason || '',
      });
    }
  }
}
fs.rmSync(outdir, { recursive: true, force: true });
process.stdout.write(JSON.stringify({ version: require('cdk-nag/package.json').version, findings }));
