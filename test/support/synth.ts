import { App, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { TerritoryRouterStack } from '../../infra/stack.js';

export interface Synthesized {
  app: App;
  stack: TerritoryRouterStack;
  template: Template;
}

/**
 * The stack for template assertions (`nag: true` attaches cdk-nag like `infra/app.ts`). Bundling is
 * skipped: esbuild plus an `npm install` per function took minutes on a busy machine, and the
 * template doesn't depend on the bundle's bytes. The CLI synth test bundles every function for real.
 * Synthesize once per file in `beforeAll`, never per test.
 */
export function synthesize(
  context: Record<string, unknown> = {},
  { stackId = 'Test', nag = false }: { stackId?: string; nag?: boolean } = {},
): Synthesized {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [], ...context } });
  const stack = new TerritoryRouterStack(app, stackId);
  if (nag) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack, template: Template.fromStack(stack) };
}

/** Vitest timeout for a hook that synthesizes the stack once: 30–300 s on a heavily loaded two-core machine. */
export const SYNTH_TIMEOUT_MS = 600_000;
