import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy, { type MiddyfiedHandler } from '@middy/core';
import httpErrorHandler from '@middy/http-error-handler';
import type { Context } from 'aws-lambda';
import type { Config } from './config.js';
import { logger } from './logger.js';
import { metrics } from './metrics.js';
import { type SecretRequest, type SecretsOptions, type SecretValues, secretsToContext } from './secrets.js';
import { tracer } from './tracer.js';

/** Logs, metrics and traces of a handler; tests and the local stack pass their own. */
export interface Observability {
  logger: Logger;
  metrics: Metrics;
  tracer: Tracer;
}

export const observability: Observability = { logger, metrics, tracer };

export interface LambdaOptions<S extends SecretRequest> {
  cfg: Config;
  /** Secrets the handler needs, read per invocation (see secrets.ts). */
  secrets?: S;
  /** An HTTP API route: an uncaught error becomes a response (message shown only below 500). */
  http?: boolean;
  observability?: Observability | undefined;
  secretsOptions?: SecretsOptions | undefined;
}

export type LambdaContext<S extends SecretRequest> = Context & { secrets: SecretValues<S> };

/**
 * The one Lambda wrapper: the logger gets the request id and cold start, metrics are flushed
 * after every invocation (also a failed one), the tracer wraps the handler without recording
 * responses or errors as metadata (they can carry lead data), secrets arrive on the context,
 * and HTTP handlers map errors once. Middleware first, handler last.
 */
export function lambdaHandler<TEvent, TResult, S extends SecretRequest = Record<never, never>>(
  options: LambdaOptions<S>,
  handler: (event: TEvent, context: LambdaContext<S>) => Promise<TResult>,
): MiddyfiedHandler<TEvent, TResult, Error, Context> {
  const o11y = options.observability ?? observability;
  const wrapped = middy<TEvent, TResult, Error, Context>();
  // Used first so its onError runs last: the tracer and metrics see the original error.
  if (options.http) {
    wrapped.use(
      httpErrorHandler({
        fallbackMessage: 'Internal Server Error',
        logger: (error: unknown) =>
          o11y.logger.error('request failed', error instanceof Error ? error : String(error)),
      }),
    );
  }
  return (
    wrapped
      .use(injectLambdaContext(o11y.logger, { resetKeys: true }))
      .use(logMetrics(o11y.metrics))
      .use(captureLambdaHandler(o11y.tracer, { captureResponse: false }))
      .use(secretsToContext(options.cfg, options.secrets ?? {}, options.secretsOptions))
      // secretsToContext has put `secrets` on the context by now.
      .handler((event, context) => handler(event, context as LambdaContext<S>))
  );
}
