import {
  buildOutboundMessage,
  type OutboundEnvelopeOptions,
  type OutboundRecord,
} from '../../shared/adapters/salesforce/outbound-message-builder.js';
import { toId18 } from '../../shared/domain/salesforce-id.js';
import { EMULATOR_ORG_ID } from '../../shared/runtime/config.js';

export type TestLead = OutboundRecord;

/** An outbound message for the emulator's org unless the test says otherwise. */
export function outboundEnvelope(leads: TestLead[], options: Partial<OutboundEnvelopeOptions> = {}): string {
  return buildOutboundMessage(leads, { orgId: EMULATOR_ORG_ID, ...options });
}

/** A lead id of the Lead key prefix, 18 characters, from a number. */
export function leadId(n: number): string {
  return toId18(`00QTR${String(n).padStart(10, '0')}`);
}
