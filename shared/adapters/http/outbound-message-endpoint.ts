import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import {
  assignNotifications,
  type IntakeDeps,
  TerritoryLanes,
} from '../../application/intake/assign-notifications.js';
import { isSalesforceId, toId18 } from '../../domain/salesforce-id.js';
import type { NotificationOutcome } from '../../ports/assignment-ledger.js';
import { logger } from '../../runtime/logger.js';
import { OUTBOUND_ACK, parseOutboundMessage, soapFault } from '../salesforce/outbound-message.js';
import { eventBody, httpResponse } from './body.js';
import { secretsMatch } from './secret-compare.js';

/** Salesforce outbound messages are small; anything above this is not one. */
export const MAX_OUTBOUND_BODY_BYTES = 1024 * 1024;

/**
 * Answer a retryable fault this long before the invocation's deadline, so Salesforce hears "retry"
 * instead of API Gateway's bare timeout; the recording goes on and a redelivery is deduplicated.
 */
export const TIMEOUT_MARGIN_MS = 2_000;

export interface OutboundEndpointDeps extends IntakeDeps {
  /** Accepted org ids, 18-character form. */
  acceptedOrgIds: string[];
  /** Told what a recorded message came to (metrics: leads held, say). */
  onRecorded?: (summary: ReturnType<typeof summarize>) => void;
}

/** Every answer of the outbound path is SOAP: an ACK, or a fault Salesforce reads (and retries). */
export const soapResponse = (statusCode: number, body: string): APIGatewayProxyStructuredResultV2 =>
  httpResponse(statusCode, 'text/xml', body);

/** A SOAP fault answer: `soapenv:Client` below 500 (don't resend as is), `soapenv:Server` from 500 (retry). */
export const outboundRefusal = (statusCode: number, message: string): APIGatewayProxyStructuredResultV2 =>
  soapResponse(statusCode, soapFault(statusCode >= 500 ? 'soapenv:Server' : 'soapenv:Client', message));

/**
 * `POST /salesforce/outbound/{secret}`: authenticate, parse, record every notification durably,
 * and only then acknowledge. A transient storage failure (or running out of time) answers 5xx so
 * Salesforce redelivers; what can never be stored is quarantined and acknowledged.
 */
export function outboundMessageEndpoint(endpointDeps: OutboundEndpointDeps) {
  const deps = { lanes: new TerritoryLanes(), ...endpointDeps };
  /**
   * `outboundSecret`: the unguessable path secret (Secrets Manager in AWS, env locally);
   * `timeLeftMs`: the invocation's remaining time (Lambda's context).
   */
  return async (
    event: APIGatewayProxyEventV2,
    outboundSecret: string,
    timeLeftMs?: () => number,
  ): Promise<APIGatewayProxyStructuredResultV2> => {
    if (event.requestContext.http.method !== 'POST') return outboundRefusal(405, 'Use POST');
    const read = eventBody(event, MAX_OUTBOUND_BODY_BYTES);
    if (!read.ok) return outboundRefusal(413, 'Message larger than 1 MB');
    if (!secretsMatch(event.pathParameters?.secret ?? '', outboundSecret)) {
      logger.warn('outbound message rejected: wrong path secret');
      return outboundRefusal(403, 'Forbidden');
    }
    const parsed = parseOutboundMessage(read.text);
    if (!parsed.ok) {
      logger.warn('outbound message rejected: not parseable', { reason: parsed.reason });
      return outboundRefusal(400, parsed.reason);
    }
    if (!orgAccepted(parsed.message.organizationId, deps.acceptedOrgIds)) {
      logger.warn('outbound message rejected: unexpected organization');
      return outboundRefusal(403, 'Forbidden');
    }

    const context = {
      actionId: parsed.message.actionId,
      notifications: parsed.message.notifications.length + parsed.rejected.length,
    };
    const recording = assignNotifications(parsed.message.notifications, parsed.rejected, deps);
    const outcome = await withDeadline(recording, timeLeftMs);
    if (outcome.kind === 'timed-out') {
      logger.error('outbound message not recorded in time; Salesforce will redeliver', context);
      // Whatever finishes later is durable; the redelivery finds it and is deduplicated.
      recording.catch((error: unknown) =>
        logger.error('outbound message recording failed after the timeout answer', {
          ...context,
          ...storageError(error),
        }),
      );
      return outboundRefusal(503, 'Timed out recording the message; retry later');
    }
    if (outcome.kind === 'failed') {
      logger.error('outbound message not recorded; Salesforce will redeliver', {
        ...context,
        ...storageError(outcome.error),
      });
      return outboundRefusal(500, 'Temporarily unable to record the message; retry later');
    }
    const summary = summarize(outcome.outcomes);
    logger.info('outbound message recorded', { ...context, ...summary });
    deps.onRecorded?.(summary);
    return soapResponse(200, OUTBOUND_ACK);
  };
}

/** The error's name and reason under keys the logger keeps (it drops a `message` key); no lead values. */
function storageError(error: unknown) {
  return error instanceof Error
    ? { errorName: error.name, reason: error.message }
    : { errorName: 'unknown', reason: String(error) };
}

type Recorded =
  | { kind: 'recorded'; outcomes: NotificationOutcome[] }
  | { kind: 'failed'; error: unknown }
  | { kind: 'timed-out' };

async function withDeadline(
  recording: Promise<NotificationOutcome[]>,
  timeLeftMs: (() => number) | undefined,
): Promise<Recorded> {
  const settled = recording.then(
    (outcomes): Recorded => ({ kind: 'recorded', outcomes }),
    (error: unknown): Recorded => ({ kind: 'failed', error }),
  );
  if (!timeLeftMs) return settled;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<Recorded>((resolve) => {
    timer = setTimeout(() => resolve({ kind: 'timed-out' }), Math.max(0, timeLeftMs() - TIMEOUT_MARGIN_MS));
  });
  try {
    return await Promise.race([settled, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * 15 or 18 characters; an 18-character id's suffix must be the checksum of the first 15, read
 * without case as Salesforce does (a wrong suffix is refused, never recomputed and accepted).
 */
function orgAccepted(org: string, accepted: string[]): boolean {
  try {
    if (!isSalesforceId(org)) return false;
    const id18 = toId18(org);
    if (org.length === 18 && org.slice(15).toUpperCase() !== id18.slice(15)) return false;
    return accepted.includes(id18);
  } catch {
    return false;
  }
}

function summarize(outcomes: NotificationOutcome[]) {
  const count = (kind: NotificationOutcome['kind']) => outcomes.filter((o) => o.kind === kind).length;
  return {
    notifications: outcomes.length,
    assigned: count('assigned'),
    held: count('held'),
    duplicate: count('duplicate'),
    quarantined: count('quarantined'),
  };
}
