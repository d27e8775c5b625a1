import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import {
  buildOutboundMessage,
  type OutboundEnvelopeOptions,
  type OutboundRecord,
} from '../../shared/adapters/salesforce/outbound-message-builder.js';
import { toId18 } from '../../shared/domain/salesforce-id.js';
import { EMULATOR_ORG_ID } from '../../shared/local-stack/demo-org-ids.js';
import { httpEvent } from './http-events.js';

export type TestLead = OutboundRecord;

/** An outbound message for the emulator's org unless the test says otherwise. */
export function outboundEnvelope(leads: TestLead[], options: Partial<OutboundEnvelopeOptions> = {}): string {
  return buildOutboundMessage(leads, { orgId: EMULATOR_ORG_ID, ...options });
}

/** A lead id of the Lead key prefix, 18 characters, from a number. */
export function leadId(n: number): string {
  return toId18(`00QTR${String(n).padStart(10, '0')}`);
}

/** The HTTP API event Salesforce's outbound message becomes at `/salesforce/outbound/{secret}`. */
export function outboundEvent(
  body: string,
  secret: string,
  method: 'GET' | 'POST' = 'POST',
): APIGatewayProxyEventV2 {
  return httpEvent({
    method,
    path: `/salesforce/outbound/${secret}`,
    routeKey: 'POST /salesforce/outbound/{secret}',
    headers: { 'content-type': 'text/xml', 'user-agent': 'Jakarta Commons-HttpClient/3.1' },
    pathParameters: { secret },
    body,
  });
}
