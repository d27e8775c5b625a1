import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { assignNotifications, type IntakeDeps } from '../../application/intake/assign-notifications.js';
import { isSalesforceId, toId18 } from '../../domain/salesforce-id.js';
import type { NotificationOutcome } from '../../ports/assignment-ledger.js';
import { logger } from '../../runtime/logger.js';
import { OUTBOUND_ACK, parseOutboundMessage, soapFault } from '../salesforce/outbound-message.js';
import { secretsMatch } from './secret-compare.js';

/** Salesforce outbound messages are small; anything above this is not one. */
export const MAX_OUTBOUND_BODY_BYTES = 1024 * 1024;

export interface OutboundEndpointDeps extends IntakeDeps {
  /** Accepted org ids, 18-character form. */
  acceptedOrgIds: string[];
}

const xml = (statusCode: number, body: string): APIGatewayProxyStructuredResultV2 => ({
  statusCode,
  headers: { 'content-type': 'text/xml; charset=utf-8' },
  body,
});

/**
 * `POST /salesforce/outbound/{secret}`: authenticate, parse, record every notification durably,
 * and only then acknowledge. Any storage failure answers 500 so Salesforce redelivers.
 */
export function outboundMessageEndpoint(deps: OutboundEndpointDeps) {
  /** `outboundSecret`: the unguessable path secret (Secrets Manager in AWS, env locally). */
  return async (
    event: APIGatewayProxyEventV2,
    outboundSecret: string,
  ): Promise<APIGatewayProxyStructuredResultV2> => {
    if (event.requestContext.http.method !== 'POST') return xml(405, soapFault('soapenv:Client', 'Use POST'));
    const raw = event.body ?? '';
    const body = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
    if (Buffer.byteLength(body, 'utf8') > MAX_OUTBOUND_BODY_BYTES) {
      return xml(413, soapFault('soapenv:Client', 'Message larger than 1 MB'));
    }
    if (!secretsMatch(event.pathParameters?.secret ?? '', outboundSecret)) {
      logger.warn('outbound message rejected: wrong path secret');
      return xml(403, soapFault('soapenv:Client', 'Forbidden'));
    }
    const parsed = parseOutboundMessage(body);
    if (!parsed.ok) {
      logger.warn('outbound message rejected: not parseable', { reason: parsed.reason });
      return xml(400, soapFault('soapenv:Client', parsed.reason));
    }
    if (!orgAccepted(parsed.message.organizationId, deps.acceptedOrgIds)) {
      logger.warn('outbound message rejected: unexpected organization');
      return xml(403, soapFault('soapenv:Client', 'Forbidden'));
    }

    let outcomes: NotificationOutcome[];
    try {
      outcomes = await assignNotifications(parsed.message.notifications, parsed.rejected, deps);
    } catch (error) {
      logger.error('outbound message not recorded; Salesforce will redeliver', {
        error: error instanceof Error ? error.name : 'unknown',
        message: error instanceof Error ? error.message : undefined,
      });
      return xml(500, soapFault('soapenv:Server', 'Temporarily unable to record the message; retry later'));
    }
    logger.info('outbound message recorded', summarize(outcomes));
    return xml(200, OUTBOUND_ACK);
  };
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
    duplicate: count('duplicate'),
    quarantined: count('quarantined'),
  };
}
