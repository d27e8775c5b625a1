import { LogFormatter, Logger, LogItem } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import type { APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../shared/runtime/config.js';
import { lambdaHandler, type Observability } from '../../../shared/runtime/lambda.js';
import { parseSalesforceCredentials } from '../../../shared/runtime/salesforce.js';

type Attributes = Parameters<LogFormatter['formatAttributes']>[0];

/** Keeps what the logger would print, so a test can read the Lambda context it carried. */
class RecordingFormatter extends LogFormatter {
  readonly records: Attributes[] = [];
  formatAttributes(attributes: Attributes, additional: Record<string, unknown>): LogItem {
    this.records.push({ ...attributes, ...additional });
    return new LogItem({ attributes: { message: attributes.message } });
  }
}

/** Counts flushes and whether anything was stored when each happened; prints nothing. */
class RecordingMetrics extends Metrics {
  readonly flushes: boolean[] = [];
  override publishStoredMetrics(): this {
    this.flushes.push(this.hasStoredMetrics());
    this.clearMetrics();
    return this;
  }
}

function fakes() {
  const formatter = new RecordingFormatter();
  const logger = new Logger({ serviceName: 'test', logFormatter: formatter, logLevel: 'INFO' });
  const metrics = new RecordingMetrics({ namespace: 'Test', serviceName: 'test' });
  const tracer = new Tracer({ serviceName: 'test', enabled: false });
  return { formatter, metrics, observability: { logger, metrics, tracer } satisfies Observability };
}

function context(requestId: string): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'fn',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:fn',
    memoryLimitInMB: '128',
    awsRequestId: requestId,
    logGroupName: 'g',
    logStreamName: 's',
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

const ARN = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:sf-AbCdEf';

/** Secrets Manager as the middleware calls it: counts GetSecretValue calls per secret id. */
function fakeSecretsManager(secrets: Record<string, string>) {
  const calls: string[] = [];
  class FakeClient {
    async send(command: { input: { SecretId?: string } }) {
      const id = command.input.SecretId ?? '';
      calls.push(id);
      return { SecretString: secrets[id] };
    }
  }
  return { calls, AwsClient: FakeClient };
}

describe('the Lambda wrapper', () => {
  it('puts the request id and cold start on every log line of the invocation', async () => {
    const { formatter, observability } = fakes();
    const handler = lambdaHandler({ cfg: parseConfig({}), observability }, async () => {
      observability.logger.info('inside');
      return 'done';
    });
    await handler({}, context('req-1'));
    await handler({}, context('req-2'));
    const inside = formatter.records.filter((r) => r.message === 'inside');
    expect(inside.map((r) => r.lambdaContext?.awsRequestId)).toEqual(['req-1', 'req-2']);
    // Powertools reports a cold start only under Lambda's on-demand initialization; never twice.
    expect(inside.map((r) => typeof r.lambdaContext?.coldStart)).toEqual(['boolean', 'boolean']);
    expect(inside[1]?.lambdaContext?.coldStart).toBe(false);
    expect(inside[0]?.lambdaContext?.functionName).toBe('fn');
  });

  it('flushes metrics after each invocation, also when the handler throws', async () => {
    const { metrics, observability } = fakes();
    let fail = false;
    const handler = lambdaHandler({ cfg: parseConfig({}), observability }, async () => {
      metrics.addMetric('Things', MetricUnit.Count, 1);
      if (fail) throw new Error('boom');
      return 'ok';
    });
    await handler({}, context('a'));
    fail = true;
    await expect(handler({}, context('b'))).rejects.toThrow('boom');
    expect(metrics.flushes).toEqual([true, true]);
    expect(metrics.hasStoredMetrics()).toBe(false);
  });

  it('maps HTTP errors once: a client error keeps its message, anything else is a generic 500', async () => {
    const { observability } = fakes();
    let error: Error = new Error('unused');
    const handler = lambdaHandler<unknown, APIGatewayProxyResultV2>(
      { cfg: parseConfig({}), http: true, observability },
      async () => {
        throw error;
      },
    );
    error = Object.assign(new Error('Moves file has 3 problems'), { statusCode: 422 });
    expect(await handler({}, context('a'))).toMatchObject({
      statusCode: 422,
      body: 'Moves file has 3 problems',
    });
    error = new Error('connect ECONNREFUSED 10.0.0.7 with lead 00Q…');
    const generic = (await handler({}, context('b'))) as { statusCode: number; body: string };
    expect(generic).toMatchObject({ statusCode: 500, body: 'Internal Server Error' });
    error = Object.assign(new Error('upstream said no'), { statusCode: 502 });
    expect(await handler({}, context('c'))).toMatchObject({ statusCode: 500, body: 'Internal Server Error' });
  });

  it('lets a non-HTTP handler fail so Lambda retries it', async () => {
    const { observability } = fakes();
    const handler = lambdaHandler({ cfg: parseConfig({}), observability }, async () => {
      throw new Error('throttled');
    });
    await expect(handler({}, context('a'))).rejects.toThrow('throttled');
  });

  it('hands secrets from the configuration locally, on the context of each invocation', async () => {
    const { observability } = fakes();
    const seen: Array<string | undefined> = [];
    const handler = lambdaHandler(
      {
        cfg: parseConfig({ OUTBOUND_SECRET: 'a-local-secret-of-24-chars' }),
        observability,
        secrets: { OUTBOUND_SECRET: 'required', SLACK_WEBHOOK_URL: 'optional' },
      },
      async (_event, { secrets }) => {
        seen.push(secrets.OUTBOUND_SECRET, secrets.SLACK_WEBHOOK_URL);
      },
    );
    await handler({}, context('a'));
    expect(seen).toEqual(['a-local-secret-of-24-chars', undefined]);
  });

  it('refuses to build when a required secret is neither in Secrets Manager nor local', () => {
    expect(() =>
      lambdaHandler(
        { cfg: parseConfig({}), secrets: { SALESFORCE_CREDENTIALS: 'required' } },
        async () => undefined,
      ),
    ).toThrow('Missing secret: set SALESFORCE_CREDENTIALS_ARN (AWS) or SALESFORCE_CREDENTIALS (local)');
  });

  it('reads a Secrets Manager secret through the cache and hands JSON over as text', async () => {
    const { observability } = fakes();
    const json = JSON.stringify({
      loginUrl: 'https://example.my.salesforce.com',
      clientId: 'id',
      clientSecret: 's',
    });
    const sm = fakeSecretsManager({ [ARN]: json });
    const seen: string[] = [];
    const handler = lambdaHandler(
      {
        cfg: parseConfig({ SALESFORCE_CREDENTIALS_ARN: ARN }),
        observability,
        secrets: { SALESFORCE_CREDENTIALS: 'required' },
        secretsOptions: { AwsClient: sm.AwsClient },
      },
      async (_event, { secrets }) => {
        seen.push(secrets.SALESFORCE_CREDENTIALS);
      },
    );
    await handler({}, context('a'));
    await handler({}, context('b'));
    expect(sm.calls).toEqual([ARN]);
    expect(seen).toEqual([json, json]);
    expect(parseSalesforceCredentials(seen[0] ?? '').clientId).toBe('id');
  });

  it('picks up a rotated secret once the cached value has expired', async () => {
    const { observability } = fakes();
    const stored: Record<string, string> = { [ARN]: 'before-rotation' };
    const sm = fakeSecretsManager(stored);
    const handler = lambdaHandler(
      {
        cfg: parseConfig({ OUTBOUND_SECRET_ARN: ARN }),
        observability,
        secrets: { OUTBOUND_SECRET: 'required' },
        secretsOptions: { AwsClient: sm.AwsClient, cacheMs: 5 },
      },
      async (_event, { secrets }) => secrets.OUTBOUND_SECRET,
    );
    expect(await handler({}, context('a'))).toBe('before-rotation');
    stored[ARN] = 'after-rotation';
    await new Promise((r) => setTimeout(r, 50));
    expect(await handler({}, context('b'))).toBe('after-rotation');
  });
});
