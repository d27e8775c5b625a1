import { fileURLToPath } from 'node:url';
import { type CfnElement, Duration, Stack, TimeZone, Validations } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Architecture, LoggingFormat, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, type NodejsFunctionProps, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { lambdaBundling, lambdaNodeModules } from './bundling.js';

const functionsDir = fileURLToPath(new URL('../../functions/', import.meta.url));
const lockFile = fileURLToPath(new URL('../../package-lock.json', import.meta.url));

export interface RoutingFunctionProps
  extends Omit<NodejsFunctionProps, 'entry' | 'runtime' | 'architecture'> {
  /** File name in functions/, e.g. `intake.ts`. */
  entryFile: string;
}

/**
 * Every Lambda of the project with the same defaults: Node.js 22 on arm64, minified ESM bundles
 * with source maps, JSON logs kept for a month, X-Ray tracing. The bind helpers set the env var
 * and grant the matching least privilege in one call, so config and permission can't drift apart.
 */
export class RoutingFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: RoutingFunctionProps) {
    const { entryFile, environment, bundling, ...rest } = props;
    const logGroup = new LogGroup(scope, `${id}Logs`, { retention: RetentionDays.ONE_MONTH });
    super(scope, id, {
      entry: `${functionsDir}${entryFile}`,
      depsLockFilePath: lockFile,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: 512,
      timeout: Duration.seconds(30),
      tracing: Tracing.ACTIVE,
      loggingFormat: LoggingFormat.JSON,
      logGroup,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: 'territory-router',
        ...environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        minify: lambdaBundling.minify,
        sourceMap: true,
        target: lambdaBundling.target,
        mainFields: [...lambdaBundling.mainFields],
        externalModules: [...lambdaBundling.externalModules],
        banner: lambdaBundling.banner,
        nodeModules: lambdaNodeModules[entryFile] ?? [],
        ...bundling,
      },
      ...rest,
    });
    acknowledgeFunctionDefaults(this);
  }

  bindTable(table: ITableV2, access: 'read' | 'readWrite', envName = 'TABLE_NAME'): this {
    this.addEnvironment(envName, table.tableName);
    if (access === 'read') table.grantReadData(this);
    else table.grantReadWriteData(this);
    const tableId = Stack.of(this).getLogicalId(table.node.defaultChild as CfnElement);
    Validations.of(this).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${tableId}.Arn>/index/*]`,
      reason: "The grant covers the table's own secondary indexes (GSI1), which queries by index need.",
    });
    return this;
  }

  /** The function reads the secret through middy's secrets middleware; only its ARN is in env. */
  bindSecret(secret: ISecret, envName: string): this {
    this.addEnvironment(`${envName}_ARN`, secret.secretArn);
    secret.grantRead(this);
    return this;
  }

  /**
   * EventBridge Scheduler invokes the function with `{}` on the expression, read in `timeZone`. A
   * missed run is not retried: scheduled work here is idempotent and the next run is minutes away.
   */
  invokeOnSchedule(
    scope: Construct,
    id: string,
    props: { expression: string; timeZone?: string; description: string },
  ): Schedule {
    return new Schedule(scope, id, {
      description: props.description,
      schedule: ScheduleExpression.expression(
        props.expression,
        props.timeZone ? TimeZone.of(props.timeZone) : undefined,
      ),
      target: new LambdaInvoke(this, { input: ScheduleTargetInput.fromObject({}), retryAttempts: 0 }),
    });
  }
}

/** The findings every function of this shape raises, each acknowledged with why it is acceptable. */
function acknowledgeFunctionDefaults(fn: RoutingFunction): void {
  const v = Validations.of(fn);
  v.acknowledge({
    id: 'AwsSolutions-L1',
    reason:
      'Pinned to Node.js 22 on purpose: the code and its tests target Node 22; moving to 24 is a tested upgrade.',
  });
  v.acknowledge({
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    reason: 'AWSLambdaBasicExecutionRole only allows writing CloudWatch Logs, which every Lambda needs.',
  });
  v.acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: 'X-Ray PutTraceSegments/PutTelemetryRecords have no resource-level permissions.',
  });
  // An EventBridge Scheduler role that invokes this function is granted the function ARN and its
  // versions (`arn:…:*`), nothing else.
  const fnId = Stack.of(fn).getLogicalId(fn.node.defaultChild as CfnElement);
  Validations.of(Stack.of(fn)).acknowledge({
    id: `AwsSolutions-IAM5[Resource::<${fnId}.Arn>:*]`,
    reason: 'A scheduler role may invoke this function and its versions only.',
  });
}
