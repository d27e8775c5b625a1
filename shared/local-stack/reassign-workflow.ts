import { randomUUID } from 'node:crypto';
import { App } from 'aws-cdk-lib';
import { type RunOptions, StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { REASSIGN_STATES } from '../../infra/constructs/reassign.js';
import { TerritoryRouterStack, type TerritoryRouterStackProps } from '../../infra/stack.js';
import type { ReassignmentWorkflow, TaskTokens } from '../ports/reassignment.js';

type Json = Parameters<StateMachine['run']>[0];
type TaskHandler = (input: Json) => Promise<Json>;

/** Fake ARNs stand in for CloudFormation references when the template runs outside AWS. */
const fakeArn = (logicalId: string) => `arn:aws:lambda:local:000000000000:function:${logicalId}`;

/**
 * The bulk-reassign state machine exactly as CDK synthesizes it (bundling skipped): the
 * DefinitionString's `Fn::Join` resolved with fake ARNs and parsed.
 */
export function synthesizedReassignDefinition(
  props: Pick<TerritoryRouterStackProps, 'reassign'> = {},
): StateMachineDefinition {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new TerritoryRouterStack(app, 'Local', props);
  const template = app.synth().getStackByName(stack.stackName).template as {
    Resources: Record<string, { Type: string; Properties: { DefinitionString?: unknown } }>;
  };
  const machine = Object.entries(template.Resources).find(
    ([id, r]) => r.Type === 'AWS::StepFunctions::StateMachine' && id.startsWith('Reassign'),
  );
  if (!machine) throw new Error('The stack has no reassign state machine');
  return JSON.parse(resolveIntrinsics(machine[1].Properties.DefinitionString)) as StateMachineDefinition;
}

function resolveIntrinsics(value: unknown): string {
  if (typeof value === 'string') return value;
  const v = value as Record<string, unknown>;
  if (Array.isArray(v['Fn::Join'])) {
    const [separator, parts] = v['Fn::Join'] as [string, unknown[]];
    return parts.map(resolveIntrinsics).join(separator);
  }
  if (typeof v.Ref === 'string')
    return v.Ref === 'AWS::Partition' ? 'aws' : v.Ref.startsWith('AWS::') ? 'local' : fakeArn(v.Ref);
  if (Array.isArray(v['Fn::GetAtt'])) return fakeArn(String((v['Fn::GetAtt'] as unknown[])[0]));
  throw new Error(
    `Unsupported intrinsic in the state machine definition: ${JSON.stringify(value).slice(0, 200)}`,
  );
}

export interface LocalWorkflowOptions {
  /** The workflow Lambda's handler, called with each task's payload (as Step Functions would invoke it). */
  invoke: (payload: unknown) => Promise<unknown>;
  /** Locally nobody waits 60 days: `skip` applies right after approval (the local stack's default). */
  effectiveDateWait?: 'skip' | 'honor';
  /** Milliseconds between retries of a batch (Step Functions waits 30 s and more). */
  retryIntervalMs?: number;
  log?: (line: string) => void;
}

interface Waiting {
  resolve: (output: Json) => void;
  reject: (error: Error) => void;
  requestId: string;
}

/**
 * The synthesized state machine run in-process by aws-local-stepfunctions, which has no
 * `.waitForTaskToken`: those states are overridden by a handler that registers a local task
 * token through the real Lambda handler and waits for `succeed`/`fail` — what SendTaskSuccess
 * and SendTaskFailure do in AWS. Both ports the application needs are implemented here.
 */
export class LocalReassignWorkflow implements ReassignmentWorkflow, TaskTokens {
  private readonly machine: StateMachine;
  private readonly waiting = new Map<string, Waiting>();
  private readonly runs = new Map<string, Promise<Json>>();

  constructor(
    private readonly definition: StateMachineDefinition,
    private readonly options: LocalWorkflowOptions,
  ) {
    this.machine = new StateMachine(definition, { validationOptions: { checkArn: false } });
  }

  async start(requestId: string): Promise<void> {
    if (this.runs.has(requestId)) return;
    const execution = this.machine.run({ requestId }, this.runOptions(requestId));
    const result = execution.result.finally(() => {
      for (const [token, w] of this.waiting) if (w.requestId === requestId) this.waiting.delete(token);
    });
    // An execution failing is reported by `result()`; nothing else may see it as unhandled.
    result.catch((error: unknown) =>
      this.options.log?.(`reassignment ${requestId} failed: ${(error as Error).message}`),
    );
    this.runs.set(requestId, result);
  }

  /** The execution's output (throws when it failed), for tests and the local stack's log. */
  result(requestId: string): Promise<Json> {
    const run = this.runs.get(requestId);
    if (!run) throw new Error(`No local execution for ${requestId}`);
    return run;
  }

  /** Task tokens of approval tasks still waiting. */
  waitingTokens(): string[] {
    return [...this.waiting.keys()];
  }

  async succeed(taskToken: string, output: Record<string, unknown>): Promise<void> {
    this.waiting.get(taskToken)?.resolve(output as Json);
  }

  async fail(taskToken: string, error: string, cause: string): Promise<void> {
    this.waiting.get(taskToken)?.reject(Object.assign(new Error(cause), { name: error }));
  }

  async heartbeat(taskToken: string): Promise<boolean> {
    return this.waiting.has(taskToken);
  }

  private runOptions(requestId: string): RunOptions {
    const handlers: Record<string, TaskHandler> = {};
    for (const [name, state] of taskStates(this.definition)) {
      handlers[name] = String(state.Resource).endsWith('.waitForTaskToken')
        ? (input) => {
            // When another approval already failed the execution, nothing awaits this task any
            // more; its later rejection must not surface as an unhandled one.
            const waiting = this.awaitCallback(requestId, input);
            waiting.catch(() => undefined);
            return waiting;
          }
        : async (input) => ({ Payload: (await this.options.invoke(payloadOf(input))) as Json });
    }
    const retry = this.options.retryIntervalMs ?? 1000;
    return {
      overrides: {
        taskResourceLocalHandlers: handlers,
        ...(this.options.effectiveDateWait === 'honor'
          ? {}
          : { waitTimeOverrides: { [REASSIGN_STATES.waitForEffectiveDate]: 0 } }),
        retryIntervalOverrides: Object.fromEntries(
          [...taskStates(this.definition)].map(([name]) => [name, retry]),
        ),
      },
      context: { Task: { Token: 'local' } },
    };
  }

  private async awaitCallback(requestId: string, input: Json): Promise<Json> {
    const token = `local-${randomUUID()}`;
    let waiting!: Pick<Waiting, 'resolve' | 'reject'>;
    const promise = new Promise<Json>((resolve, reject) => {
      waiting = { resolve, reject };
    });
    // The decision may arrive while the approval is still being registered (before `await promise`
    // below): mark the rejection handled now so it is not reported as unhandled in between.
    promise.catch(() => undefined);
    this.waiting.set(token, { ...waiting, requestId });
    try {
      await this.options.invoke({ ...(payloadOf(input) as object), taskToken: token });
      return await promise;
    } finally {
      this.waiting.delete(token);
    }
  }
}

function payloadOf(input: Json): unknown {
  return (input as { Payload?: unknown }).Payload;
}

/** Every Task state, including those inside Map item processors. */
function* taskStates(
  definition: Pick<StateMachineDefinition, 'States'>,
): Generator<[string, { Resource?: unknown }]> {
  for (const [name, state] of Object.entries(definition.States)) {
    if (state.Type === 'Task') yield [name, state];
    const nested =
      (state as { ItemProcessor?: StateMachineDefinition; Iterator?: StateMachineDefinition })
        .ItemProcessor ?? (state as { Iterator?: StateMachineDefinition }).Iterator;
    if (nested) yield* taskStates(nested);
  }
}
