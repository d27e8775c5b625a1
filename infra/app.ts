import { App } from 'aws-cdk-lib';
import { TerritoryRouterStack } from './stack.js';

const app = new App();
new TerritoryRouterStack(app, 'TerritoryRouter', {
  description:
    'Territory Router: lead routing, top-up, bulk reassignment and territory planning for Salesforce',
});
app.synth();
