import { ArnFormat, Duration, Stack, Validations } from 'aws-cdk-lib';
import { type HttpApi, HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke as ScheduleLambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import {
  Choice,
  Condition,
  DefinitionBody,
  Errors,
  IntegrationPattern,
  JitterType,
  JsonPath,
  LogLevel,
  Map as MapState,
  StateMachine,
  StateMachineType,
  Succeed,
  TaskInput,
  Timeout,
  Wait,
  WaitTime,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { WORKFLOW_ERRORS } from '../../shared/application/reassign/errors.js';
import type { WorkflowStepName } from '../../shared/application/reassign/workflow-steps.js';
import type { Observability } from './observability.js';
import { RoutingFunction } from './routing-function.js';
import { externallyRotatedSecret } from './secret.js';

/** State names: the local runner and the flow tests address states by these. */
export const REASSIGN_STATES = {
  validate: 'Validate',
  approvalNeeded: 'Approval needed?',
  notifyApprovers: 'Notify approvers',
  approvals: 'Approvals',
  awaitApproval: 'Await approval',
  waitForEffectiveDate: 'Wait for effective date',
  prepareApply: 'Prepare apply',
  applyBatches: 'Apply batches',
  applyBatch: 'Apply batch',
  recordBatchFailure: 'Record batch failure',
  finalize: 'Finalize',
  close: 'Close',
  closed: 'Closed',
  done: 'Done',
} as const;

/** Typed Salesforce errors that a later attempt may get past (rate limit, row lock, outage). */
const SALESFORCE_RETRYABLE = [
  'SalesforceRateLimitedError',
  'SalesforceLockedError',
  'SalesforceUnavailableError',
  WORKFLOW_ERRORS.retryable,
];

export interface ReassignProps {
  table: TableV2;
  api: HttpApi;
  salesforceCredentials: ISecret;
  observability: Observability;
  /** How long an approval waits for a decision before the request expires (default 72 h). */
  approvalTimeout?: Duration;
  /** Approval tasks fail when no heartbeat arrives this long (default 2 h; the sweeper beats every 30 min). */
  approvalHeartbeat?: Duration;
  /** Batches written in parallel (default 4): enough to finish 10k moves in minutes, few enough for Salesforce's locks. */
  applyConcurrency?: number;
  /** Slack channel for chat.postMessage (with the bot token secret). */
  slackChannel?: string;
}

/**
 * Bulk reassignment: the request and approval routes, and a Standard workflow — validate →
 * approval needed? → one `.waitForTaskToken` approval per approver (timeout + heartbeat) → wait
 * for the effective date → apply batches (Map, bounded concurrency, Retry on retryable Salesforce
 * errors, Catch that records the failure) → finalize. Rejected or expired → closed with a notice.
 */
export class Reassign extends Construct {
  readonly stateMachine: StateMachine;
  readonly workflowFunction: RoutingFunction;
  readonly requestsFunction: RoutingFunction;
  readonly approvalsFunction: RoutingFunction;
  readonly heartbeatFunction: RoutingFunction;
  readonly approvalSigningSecret: Secret;
  readonly slackSigningSecret: Secret;
  readonly slackBotToken: Secret;

  constructor(scope: Construct, id: string, props: ReassignProps) {
    super(scope, id);
    const apiUrl = props.api.apiEndpoint;

    const bySlack = 'Issued and rotated by Slack; stored here after rotating in the Slack app (README).';
    this.approvalSigningSecret = externallyRotatedSecret(this, 'ApprovalSigningSecret', {
      description: 'HMAC key of approval links',
      generatedLength: 48,
      rotation:
        'Rotating it invalidates links already sent; links expire in 72 h, so rotate between requests (README).',
    });
    this.slackSigningSecret = externallyRotatedSecret(this, 'SlackSigningSecret', {
      description: "Slack app signing secret (set it from the app's Basic Information page)",
      rotation: bySlack,
    });
    this.slackBotToken = externallyRotatedSecret(this, 'SlackBotToken', {
      description: 'Slack bot token (xoxb-…) for chat.postMessage',
      rotation: bySlack,
    });

    this.workflowFunction = new RoutingFunction(this, 'WorkflowFunction', {
      entryFile: 'reassign-workflow.ts',
      description: 'Bulk reassignment workflow steps: validate, notify, approvals, apply, finalize',
      // A Bulk API 2.0 job of tens of thousands of rows is polled for up to 10 minutes.
      timeout: Duration.minutes(15),
      memorySize: 1024,
      environment: {
        APPROVAL_BASE_URL: apiUrl,
        ...(props.slackChannel ? { SLACK_CHANNEL: props.slackChannel } : {}),
      },
    })
      .bindTable(props.table, 'readWrite')
      .bindSecret(props.salesforceCredentials, 'SALESFORCE_CREDENTIALS')
      .bindSecret(this.approvalSigningSecret, 'APPROVAL_SIGNING_SECRET')
      .bindSecret(this.slackBotToken, 'SLACK_BOT_TOKEN');

    // Named, so the workflow Lambda's grant can spell the ARN instead of referencing the state
    // machine (which references the Lambda): that would be a dependency cycle.
    const stateMachineName = `${Stack.of(this).stackName}-reassign`;
    this.stateMachine = this.workflow(props, stateMachineName);
    this.workflowFunction.addToRolePolicy(
      new PolicyStatement({
        actions: ['states:SendTaskSuccess', 'states:SendTaskFailure', 'states:SendTaskHeartbeat'],
        resources: [
          Stack.of(this).formatArn({
            service: 'states',
            resource: 'stateMachine',
            resourceName: stateMachineName,
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        ],
      }),
    );

    this.requestsFunction = new RoutingFunction(this, 'RequestsFunction', {
      entryFile: 'reassign-requests.ts',
      description: 'POST /reassignments and GET /reassignments/{id}',
      environment: {
        APPROVAL_BASE_URL: apiUrl,
        REASSIGN_STATE_MACHINE_ARN: this.stateMachine.stateMachineArn,
      },
    }).bindTable(props.table, 'readWrite');
    this.stateMachine.grantStartExecution(this.requestsFunction);

    this.approvalsFunction = new RoutingFunction(this, 'ApprovalsFunction', {
      entryFile: 'approvals.ts',
      description: 'Approval links (GET page, POST decision) and Slack interactive buttons',
      environment: { REASSIGN_STATE_MACHINE_ARN: this.stateMachine.stateMachineArn },
    })
      .bindTable(props.table, 'readWrite')
      .bindSecret(this.approvalSigningSecret, 'APPROVAL_SIGNING_SECRET')
      .bindSecret(this.slackSigningSecret, 'SLACK_SIGNING_SECRET');
    this.stateMachine.grantTaskResponse(this.approvalsFunction);

    this.heartbeatFunction = new RoutingFunction(this, 'HeartbeatFunction', {
      entryFile: 'approval-heartbeat.ts',
      description: 'Heartbeats for approval tasks still waiting',
      environment: { REASSIGN_STATE_MACHINE_ARN: this.stateMachine.stateMachineArn },
    }).bindTable(props.table, 'read');
    this.stateMachine.grantTaskResponse(this.heartbeatFunction);
    new Schedule(this, 'ApprovalHeartbeat', {
      description: 'Heartbeat every approval task still waiting',
      schedule: ScheduleExpression.rate(Duration.minutes(30)),
      target: new ScheduleLambdaInvoke(this.heartbeatFunction, {}),
    });

    this.routes(props.api);
    for (const [fn, name] of [
      [this.workflowFunction, 'ReassignWorkflow'],
      [this.requestsFunction, 'ReassignRequests'],
      [this.approvalsFunction, 'Approvals'],
      [this.heartbeatFunction, 'ApprovalHeartbeat'],
    ] as const) {
      props.observability.functionAlarms(fn, name);
    }
    props.observability.alarm(
      'ReassignExecutionsFailed',
      this.stateMachine.metricFailed({ period: Duration.minutes(5) }),
      1,
      'A bulk reassignment workflow failed outside its own error handling: inspect the execution',
    );
  }

  private routes(api: HttpApi): void {
    const requests = new HttpLambdaIntegration('ReassignRequests', this.requestsFunction);
    // Requests change owners in bulk: only IAM principals allowed to invoke the API may submit.
    api.addRoutes({
      path: '/reassignments',
      methods: [HttpMethod.POST],
      integration: requests,
      authorizer: new HttpIamAuthorizer(),
    });
    api.addRoutes({
      path: '/reassignments/{id}',
      methods: [HttpMethod.GET],
      integration: requests,
      authorizer: new HttpIamAuthorizer(),
    });
    const approvals = new HttpLambdaIntegration('Approvals', this.approvalsFunction);
    const open = [
      ...api.addRoutes({
        path: '/approvals/{id}',
        methods: [HttpMethod.GET, HttpMethod.POST],
        integration: approvals,
      }),
      ...api.addRoutes({ path: '/slack/interactions', methods: [HttpMethod.POST], integration: approvals }),
    ];
    for (const route of open) {
      Validations.of(route).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason:
          'Approvers open links from Slack and Slack calls back without AWS credentials: links carry an HMAC-signed, expiring, single-use token and Slack requests are verified with its signing secret.',
      });
    }
  }

  private workflow(props: ReassignProps, stateMachineName: string): StateMachine {
    const fn = this.workflowFunction;
    const step = (
      name: string,
      stepName: WorkflowStepName,
      fields: Record<string, unknown>,
      output: 'replace' | 'discard' = 'replace',
    ) =>
      new LambdaInvoke(this, name, {
        stateName: name,
        lambdaFunction: fn,
        payload: TaskInput.fromObject({ step: stepName, ...fields }),
        // A step answers with a small object (ids, counts) that becomes the state, or leaves the state as it was.
        ...(output === 'replace' ? { outputPath: '$.Payload' } : { resultPath: JsonPath.DISCARD }),
        retryOnServiceExceptions: true,
      });
    const requestId = JsonPath.stringAt('$.requestId');
    const salesforceRetry = {
      errors: SALESFORCE_RETRYABLE,
      interval: Duration.seconds(30),
      backoffRate: 2,
      maxAttempts: 6,
      jitterStrategy: JitterType.FULL,
    };

    const validate = step(REASSIGN_STATES.validate, 'validate', { requestId }).addRetry(salesforceRetry);

    const close = step(REASSIGN_STATES.close, 'close', { requestId, error: JsonPath.objectAt('$.error') })
      .addRetry({ errors: [Errors.ALL], interval: Duration.seconds(5), maxAttempts: 3 })
      .next(new Succeed(this, REASSIGN_STATES.closed));

    const notify = step(REASSIGN_STATES.notifyApprovers, 'notify-approvers', { requestId }, 'discard')
      .addRetry({ errors: [Errors.ALL], interval: Duration.seconds(10), backoffRate: 2, maxAttempts: 4 })
      .addCatch(close, { errors: [Errors.ALL], resultPath: '$.error' });

    const awaitApproval = new LambdaInvoke(this, REASSIGN_STATES.awaitApproval, {
      stateName: REASSIGN_STATES.awaitApproval,
      lambdaFunction: fn,
      integrationPattern: IntegrationPattern.WAIT_FOR_TASK_TOKEN,
      // The Lambda stores the token under the approval's opaque id; links and buttons carry only that id.
      payload: TaskInput.fromObject({
        step: 'register-approval' satisfies WorkflowStepName,
        approvalId: JsonPath.stringAt('$.approvalId'),
        taskToken: JsonPath.taskToken,
      }),
      taskTimeout: Timeout.duration(props.approvalTimeout ?? Duration.hours(72)),
      heartbeatTimeout: Timeout.duration(props.approvalHeartbeat ?? Duration.hours(2)),
    });
    const approvals = new MapState(this, REASSIGN_STATES.approvals, {
      stateName: REASSIGN_STATES.approvals,
      itemsPath: '$.approvals',
      itemSelector: { 'approvalId.$': '$$.Map.Item.Value.approvalId', 'requestId.$': '$.requestId' },
      // Every approval waits at once; all must approve.
      maxConcurrency: 0,
      resultPath: JsonPath.DISCARD,
    })
      .itemProcessor(awaitApproval)
      // Rejected, timed out, heartbeat lost or anything else: close tells which from the error name.
      .addCatch(close, { errors: [Errors.ALL], resultPath: '$.error' });

    const applyBatch = step(REASSIGN_STATES.applyBatch, 'apply-batch', {
      requestId,
      batchId: JsonPath.stringAt('$.batchId'),
    })
      .addRetry(salesforceRetry)
      .addRetry({ errors: [WORKFLOW_ERRORS.batchBusy], interval: Duration.minutes(2), maxAttempts: 10 })
      .addCatch(
        step(REASSIGN_STATES.recordBatchFailure, 'record-batch-failure', {
          requestId,
          batchId: JsonPath.stringAt('$.batchId'),
          error: JsonPath.objectAt('$.error'),
        }).addRetry({ errors: [Errors.ALL], interval: Duration.seconds(5), maxAttempts: 5 }),
        { errors: [Errors.ALL], resultPath: '$.error' },
      );
    const applyBatches = new MapState(this, REASSIGN_STATES.applyBatches, {
      stateName: REASSIGN_STATES.applyBatches,
      itemsPath: '$.batchIds',
      itemSelector: { 'batchId.$': '$$.Map.Item.Value', 'requestId.$': '$.requestId' },
      maxConcurrency: props.applyConcurrency ?? 4,
      resultPath: JsonPath.DISCARD,
    }).itemProcessor(applyBatch);

    const finalize = step(REASSIGN_STATES.finalize, 'finalize', { requestId })
      .addRetry({ errors: [Errors.ALL], interval: Duration.seconds(10), backoffRate: 2, maxAttempts: 4 })
      .next(new Succeed(this, REASSIGN_STATES.done));

    const waitForEffectiveDate = new Wait(this, REASSIGN_STATES.waitForEffectiveDate, {
      stateName: REASSIGN_STATES.waitForEffectiveDate,
      time: WaitTime.timestampPath('$.applyAt'),
    });
    waitForEffectiveDate
      .next(step(REASSIGN_STATES.prepareApply, 'prepare-apply', { requestId }).addRetry(salesforceRetry))
      .next(applyBatches)
      .next(finalize);

    const definition = validate.next(
      new Choice(this, REASSIGN_STATES.approvalNeeded)
        .when(Condition.stringEquals('$.status', 'nothing-to-apply'), finalize)
        .when(
          Condition.booleanEquals('$.approvalNeeded', true),
          notify.next(approvals).next(waitForEffectiveDate),
        )
        .otherwise(waitForEffectiveDate),
    );

    const logGroup = new LogGroup(this, 'WorkflowLogs', { retention: RetentionDays.THREE_MONTHS });
    const machine = new StateMachine(this, 'Workflow', {
      stateMachineName,
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromChainable(definition),
      comment: 'Bulk reassignment with guardrails and approvals',
      tracingEnabled: true,
      // Execution data stays out of the logs: payloads are ids, but task tokens would be in them.
      logs: { destination: logGroup, level: LogLevel.ALL, includeExecutionData: false },
    });
    const fnId = Stack.of(this).getLogicalId(fn.node.defaultChild as never);
    Validations.of(machine).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${fnId}.Arn>:*]`,
      reason: 'Step Functions invokes the workflow Lambda by any version or alias of that one function.',
    });
    Validations.of(machine).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray and CloudWatch Logs delivery actions have no resource-level permissions.',
    });
    return machine;
  }
}
