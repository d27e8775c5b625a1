import { type CfnStage, CorsHttpMethod, HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/**
 * The HTTP API every capability adds its routes to: throttled, with access logs that record the
 * route template — never the raw path (it carries the outbound secret) and never bodies.
 */
export class RoutingApi extends Construct {
  readonly httpApi: HttpApi;

  constructor(scope: Construct, id: string, props: { rateLimit: number; burstLimit: number }) {
    super(scope, id);
    this.httpApi = new HttpApi(this, 'HttpApi', {
      description: 'Territory Router: outbound messages, approvals, reassignment requests',
      corsPreflight: { allowMethods: [CorsHttpMethod.POST], allowOrigins: [] },
    });
    const accessLogs = new LogGroup(this, 'AccessLogs', { retention: RetentionDays.THREE_MONTHS });
    const stage = this.httpApi.defaultStage?.node.defaultChild as CfnStage;
    stage.defaultRouteSettings = {
      throttlingRateLimit: props.rateLimit,
      throttlingBurstLimit: props.burstLimit,
    };
    stage.accessLogSettings = {
      destinationArn: accessLogs.logGroupArn,
      format: JSON.stringify({
        requestId: '$context.requestId',
        routeKey: '$context.routeKey',
        status: '$context.status',
        latencyMs: '$context.responseLatency',
        integrationError: '$context.integrationErrorMessage',
        sourceIp: '$context.identity.sourceIp',
        userAgent: '$context.identity.userAgent',
        time: '$context.requestTime',
      }),
    };
  }
}
