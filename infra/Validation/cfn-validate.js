// Runs AWS's offline CloudFormation validator (@aws/cloudformation-validate, the copy aws-cdk-lib ships; pinned by
// package.json through aws-cdk-lib) over templates. Reads a JSON request on standard input:
//   [{ "file": "cdk.out/Backend-Prod-Data.template.json", "region": "eu-central-1" }, ...]
// and prints one JSON array of diagnostics at WARN and above:
//   [{ "file", "ruleId", "severity", "logicalId", "resourceType", "propertyPath", "message", "documentationUrl" }]
// Offline: every rule and resource schema is bundled in the package; nothing is fetched, no credentials are read.
'use strict';
const fs = require('fs');
const path = require('path');

function loadValidator() {
  const cdkLib = path.dirname(require.resolve('aws-cdk-lib/package.json'));
  return require(require.resolve('@aws/cloudformation-validate', { paths: [cdkLib] }));
}

const request = JSON.parse(fs.readFileSync(0, 'utf8'));
const validate = loadValidator();
const engine = new validate.CompositeEngine();
const out = [];
try {
  for (const { file, region } of request) {
    const report = engine.validateTemplate(new validate.TemplateFile(file), {
      severityLevel: 'WARN',
      detailLevel: 'DETAILED',
      pseudoParameterOverrides: region ? { region } : {},
    });
    for (const d of report.diagnostics) {
      out.push({
        file,
        ruleId: d.ruleId,
        severity: d.severity,
        logicalId: d.entity ? d.entity.logicalId : '',
        entityType: d.entity ? d.entity.entityType : '',
        resourceType: (d.entity && d.entity.resourceType) || '',
        propertyPath: d.propertyPath || '',
        message: d.message,
        documentationUrl: d.documentationUrl || '',
      });
    }
    if (report.status !== 'OK') {
      out.push({ file, ruleId: 'F0000', severity: 'FATAL', logicalId: '', entityType: '', resourceType: '',
        propertyPath: '', message: `validator status ${report.status}: analysis incomplete`, documentationUrl: '' });
    }
  }
} finally {
  engine.free();
}
process.stdout.write(JSON.stringify({ version: validate.version ? validate.version() : '', diagnostics: out }));
