// cdk-nag's AwsSolutions pack over a plain template, for the timing comparison in the README's policy section.
// Needs aws-cdk-lib (2.27x), constructs and cdk-nag 3 from npm; run it where they are installed.
// Usage: node nag.mjs generated.template.json   (time it with /usr/bin/time)
import { App, Stack, Validations } from 'aws-cdk-lib';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';
import { AwsSolutionsChecks } from 'cdk-nag';

const templateFile = process.argv[2];
// The generated template has 1,000 resources; CDK's 500-per-stack check would stop synthesis before cdk-nag runs.
const app = new App({ outdir: `${process.env.TMPDIR ?? '/tmp'}/nag.out`, context: { '@aws-cdk/core:stackResourceLimit': 0 } });
const stack = new Stack(app, 'Generated');
new CfnInclude(stack, 'Template', { templateFile });
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
try {
  app.synth();
  console.log('cdk-nag AwsSolutions: no violations');
} catch {
  // the validation report (printed above, one entry per violation) ends synthesis with an error
  console.log('cdk-nag AwsSolutions: violations reported');
}
