import { Duration, Validations } from 'aws-cdk-lib';
import { type HttpApi, HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { keyPrefix } from '../../shared/adapters/dynamodb/keys.js';
import { JOB_TIMEOUT_MINUTES } from '../../shared/runtime/job-timeouts.js';
import type { Observability } from './observability.js';
import { RoutingFunction } from './routing-function.js';
import { externallyRotatedSecret } from './secret.js';

export interface IntakeProps {
  table: TableV2;
  /** Accepted Salesforce org id(s), comma-separated (not secret). */
  salesforceOrgIds: string;
  api: HttpApi;
  observability: Observability;
  /** Routing settings (intake queues, reason field, capacity rules) for the intake and write-back Lambdas. */
  routingEnvironment: Record<string, string>;
}

/**
 * Lead intake and its write-back: the outbound-message route on the HTTP API, the intake Lambda
 * (no jsforce: small and fast), and the write-back Lambda fed by the table stream's new outbox
 * items plus a sweeper schedule that re-drives items whose retry is due.
 */
export class Intake extends Construct {
  readonly intakeFunction: RoutingFunction;
  readonly writeBackFunction: RoutingFunction;
  readonly outboundSecret: Secret;
  readonly salesforceCredentials: Secret;
  readonly writeBackDlq: Queue;

  constructor(scope: Construct, id: string, props: IntakeProps) {
    super(scope, id);
    this.outboundSecret = externallyRotatedSecret(this, 'OutboundSecret', {
      description: 'Path secret of the Salesforce outbound-message endpoint',
      generatedLength: 40,
      rotation:
        'Rotating the path secret needs the Salesforce outbound message URL changed with it: a documented manual step.',
    });
    this.salesforceCredentials = externallyRotatedSecret(this, 'SalesforceCredentials', {
      description: 'Connected app credentials JSON: {loginUrl, clientId, clientSecret | privateKey+username}',
      rotation:
        'The connected app secret or certificate is rotated in Salesforce, then stored here (documented in the README).',
    });
    this.intakeFunction = new RoutingFunction(this, 'IntakeFunction', {
      entryFile: 'intake.ts',
      description: 'Salesforce Outbound Messages → durable lead assignments',
      environment: { SALESFORCE_ORG_ID: props.salesforceOrgIds, ...props.routingEnvironment },
    })
      .bindTable(props.table, 'readWrite')
      .bindSecret(this.outboundSecret, 'OUTBOUND_SECRET');
    // Any method and any path below the prefix reach the handler, so every answer Salesforce gets there is a SOAP fault or an ACK.
    const [outboundRoute] = props.api.addRoutes({
      path: '/salesforce/outbound/{secret+}',
      methods: [HttpMethod.ANY],
      integration: new HttpLambdaIntegration('OutboundMessages', this.intakeFunction),
    });
    if (outboundRoute) {
      Validations.of(outboundRoute).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason:
          'Salesforce outbound messages cannot sign requests or send IAM/JWT credentials; the handler authenticates the unguessable path secret (timing-safe) and the OrganizationId.',
      });
    }

    this.writeBackDlq = new Queue(this, 'WriteBackDlq', {
      retentionPeriod: Duration.days(14),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    Validations.of(this.writeBackDlq).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter destination of the write-back stream mapping.',
    });
    this.writeBackFunction = new RoutingFunction(this, 'WriteBackFunction', {
      entryFile: 'write-back.ts',
      description: 'Owners and routing reasons to Salesforce from the outbox',
      timeout: Duration.minutes(JOB_TIMEOUT_MINUTES.writeBack),
      reservedConcurrentExecutions: 2,
      environment: props.routingEnvironment,
    })
      .bindTable(props.table, 'readWrite')
      .bindSecret(this.salesforceCredentials, 'SALESFORCE_CREDENTIALS');
    this.writeBackFunction.addEventSource(
      new DynamoEventSource(props.table, {
        startingPosition: StartingPosition.LATEST,
        batchSize: 200,
        maxBatchingWindow: Duration.seconds(5),
        retryAttempts: 3,
        bisectBatchOnError: true,
        onFailure: new SqsDlq(this.writeBackDlq),
        // Only new outbox items wake the write-back; every other table write is ignored.
        filters: [
          FilterCriteria.filter({
            eventName: FilterRule.isEqual('INSERT'),
            // Bulk top-up runs insert items as `bulk` and write them themselves.
            dynamodb: {
              Keys: { PK: { S: FilterRule.beginsWith(keyPrefix.outbox) } },
              NewImage: { status: { S: FilterRule.isEqual('pending') } },
            },
          }),
        ],
      }),
    );
    const { observability } = props;
    observability.functionAlarms(this.intakeFunction, 'Intake');
    observability.functionAlarms(this.writeBackFunction, 'WriteBack');
    observability.dlqAlarm(this.writeBackDlq, 'WriteBackDlq');
    // Published by the write-back (Powertools metrics): an owner change waiting over 30 minutes
    // means Salesforce has been refusing or unreachable for a while.
    observability.alarm(
      'OutboxBacklogAge',
      observability.customMetric('OutboxOldestPendingAgeSeconds', 'Maximum'),
      30 * 60,
      'Owner changes have waited over 30 minutes for the Salesforce write-back',
    );
    observability.alarm(
      'WriteBackFailures',
      observability.customMetric('OwnerWritesFailed', 'Sum'),
      1,
      'Owner changes failed permanently in Salesforce: see the outbox items with status failed',
    );
    new Schedule(this, 'WriteBackSweeper', {
      description: 'Re-drive outbox items whose retry is due',
      schedule: ScheduleExpression.rate(Duration.minutes(5)),
      target: new LambdaInvoke(this.writeBackFunction, {}),
    });
  }
}
