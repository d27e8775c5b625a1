import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { type HttpApi, HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { RoutingFunction } from './routing-function.js';

export interface IntakeProps {
  table: TableV2;
  /** Accepted Salesforce org id(s), comma-separated (not secret). */
  salesforceOrgIds: string;
  api: HttpApi;
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
    this.outboundSecret = new Secret(this, 'OutboundSecret', {
      description: 'Path secret of the Salesforce outbound-message endpoint',
      generateSecretString: { passwordLength: 40, excludePunctuation: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.salesforceCredentials = new Secret(this, 'SalesforceCredentials', {
      description: 'Connected app credentials JSON: {loginUrl, clientId, clientSecret | privateKey+username}',
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.intakeFunction = new RoutingFunction(this, 'IntakeFunction', {
      entryFile: 'intake.ts',
      description: 'Salesforce Outbound Messages → durable lead assignments',
      environment: { SALESFORCE_ORG_ID: props.salesforceOrgIds },
    })
      .bindTable(props.table, 'readWrite')
      .bindSecret(this.outboundSecret, 'OUTBOUND_SECRET');
    props.api.addRoutes({
      path: '/salesforce/outbound/{secret}',
      methods: [HttpMethod.POST],
      integration: new HttpLambdaIntegration('OutboundMessages', this.intakeFunction),
    });

    this.writeBackDlq = new Queue(this, 'WriteBackDlq', {
      retentionPeriod: Duration.days(14),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    this.writeBackFunction = new RoutingFunction(this, 'WriteBackFunction', {
      entryFile: 'write-back.ts',
      description: 'Owners and routing reasons to Salesforce from the outbox',
      timeout: Duration.minutes(5),
      reservedConcurrentExecutions: 2,
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
            dynamodb: { Keys: { PK: { S: FilterRule.beginsWith('OUTBOX#') } } },
          }),
        ],
      }),
    );
    new Schedule(this, 'WriteBackSweeper', {
      description: 'Re-drive outbox items whose retry is due',
      schedule: ScheduleExpression.rate(Duration.minutes(5)),
      target: new LambdaInvoke(this.writeBackFunction, {}),
    });
  }
}
