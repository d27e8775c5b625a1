import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { TerritoryRouterStack } from './stack.js';

const app = new App();
new TerritoryRouterStack(app, 'TerritoryRouter', {
  description:
    'Territory Router: lead routing, top-up, bulk reassignment and territory planning for Salesforce',
});
// cdk-nag's AWS Solutions rules run on every synth; each acknowledged finding carries its reason in code.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
