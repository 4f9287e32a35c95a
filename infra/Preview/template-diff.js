#!/usr/bin/env node
// Compares CloudFormation templates with @aws-cdk/cloudformation-diff (the library behind `cdk diff`).
// Usage: node template-diff.js BASE HEAD [BASE HEAD ...]   ("-" means an empty template: as BASE a new stack, as HEAD a removed one)
// Prints one JSON array on stdout: per pair, the readable diff (as `cdk diff` prints it, without colours) and every
// changed resource with the change impact the library derives from the CloudFormation resource specification.
'use strict';
const fs = require('fs');

let cfnDiff;
try {
  cfnDiff = require('@aws-cdk/cloudformation-diff');
} catch (e) {
  process.stderr.write(`cannot load @aws-cdk/cloudformation-diff (${e.code || e.message}); run "npm ci" in the repository root\n`);
  process.exit(3);
}

function read(file) {
  if (file === '-') return { Resources: {} };
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

const args = process.argv.slice(2);
if (args.length === 0 || args.length % 2 !== 0) {
  process.stderr.write('usage: node template-diff.js BASE HEAD [BASE HEAD ...]\n');
  process.exit(2);
}

const results = [];
for (let i = 0; i < args.length; i += 2) {
  const [base, head] = [args[i], args[i + 1]];
  const diff = cfnDiff.fullDiff(read(base), read(head));
  let formatted = '';
  const stream = { write: (chunk) => { formatted += chunk; return true; }, columns: 160 };
  cfnDiff.formatDifferences(stream, diff);
  const changes = [];
  diff.resources.forEachDifference((logicalId, change) => {
    if (!change.isDifferent) return;
    const properties = Object.entries(change.propertyUpdates)
      .map(([name, p]) => ({ name, impact: p.changeImpact || 'WILL_UPDATE' }));
    changes.push({
      logicalId,
      oldType: change.oldResourceType || null,
      newType: change.newResourceType || null,
      impact: change.changeImpact,
      isAddition: change.isAddition,
      isRemoval: change.isRemoval,
      typeChanged: change.resourceTypeChanged,
      properties,
    });
  });
  results.push({ base, head, differenceCount: diff.differenceCount, formatted, changes });
}
process.stdout.write(JSON.stringify(results));
