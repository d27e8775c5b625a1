import { Tracer } from '@aws-lambda-powertools/tracer';

/**
 * X-Ray tracing for every Lambda (off outside Lambda). Responses and errors are not captured as
 * segment metadata: they can carry lead data.
 */
export const tracer = new Tracer({ serviceName: 'territory-router', captureHTTPsRequests: true });
