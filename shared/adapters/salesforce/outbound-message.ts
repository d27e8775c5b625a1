import { createHash } from 'node:crypto';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import * as z from 'zod';

/**
 * Salesforce Outbound Messages: a SOAP envelope holding 1 to 100 `Notification`s, each with an
 * sObject whose `xsi:type` names its type. Real senders vary namespace prefixes, indentation and
 * may send `SessionId` as `xsi:nil` (Salesforce stopped sending it in 2026), so parsing is by local
 * element names and tolerant of both.
 */
export const MAX_NOTIFICATIONS = 100;

export interface OutboundNotification {
  /** Notification id: stable across redeliveries of the same notification. */
  notificationId: string;
  /** sObject type from `xsi:type` (`sf:Lead` → `Lead`), or undefined when absent. */
  objectType: string | undefined;
  /** Field name → text value (`null` for `xsi:nil`); standard and custom (`__c`) fields alike. */
  fields: Record<string, string | null>;
}

export interface OutboundMessage {
  organizationId: string;
  actionId: string | undefined;
  notifications: OutboundNotification[];
}

/** A notification that is structurally present but cannot be used, kept so it can be quarantined. */
export interface RejectedNotification {
  /** The notification's Id, or a content fingerprint when it has none, so quarantine stays idempotent. */
  notificationId: string;
  index: number;
  reason: string;
}

export type ParseResult =
  | { ok: true; message: OutboundMessage; rejected: RejectedNotification[] }
  | { ok: false; reason: string };

const parser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  isArray: (name) => name === 'Notification',
});

const textNode = z.union([z.string(), z.number()]).transform(String);
const nilNode = z.object({ '@nil': z.literal('true') }).loose();

const envelopeSchema = z.object({
  Envelope: z.object({
    Body: z.object({
      notifications: z
        .object({
          OrganizationId: textNode,
          ActionId: textNode.optional(),
          Notification: z.array(z.unknown()).min(1).max(MAX_NOTIFICATIONS),
        })
        .loose(),
    }),
  }),
});

const notificationSchema = z.object({
  Id: textNode.pipe(z.string().min(1)),
  sObject: z.record(z.string(), z.unknown()),
});

export function parseOutboundMessage(xml: string): ParseResult {
  // Salesforce never sends a DTD; refusing one rules out entity-expansion and external-entity tricks.
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) return { ok: false, reason: 'DOCTYPE declarations are not accepted' };
  const valid = XMLValidator.validate(xml);
  if (valid !== true)
    return { ok: false, reason: `Malformed XML: ${valid.err.msg} (line ${valid.err.line})` };

  let parsed: unknown;
  try {
    parsed = parser.parse(xml);
  } catch (error) {
    return { ok: false, reason: `Malformed XML: ${error instanceof Error ? error.message : 'parse error'}` };
  }
  const envelope = envelopeSchema.safeParse(parsed);
  if (!envelope.success) {
    const issue = envelope.error.issues[0];
    const where = issue ? issue.path.join('.') : '';
    return {
      ok: false,
      reason: `Not a Salesforce outbound message: ${where} ${issue?.message ?? ''}`.trim(),
    };
  }
  const body = envelope.data.Envelope.Body.notifications;
  const notifications: OutboundNotification[] = [];
  const rejected: RejectedNotification[] = [];
  body.Notification.forEach((raw, index) => {
    const n = notificationSchema.safeParse(raw);
    if (!n.success) {
      const id = typeof raw === 'object' && raw && 'Id' in raw ? String((raw as { Id: unknown }).Id) : '';
      const fingerprint = createHash('sha256').update(JSON.stringify(raw)).digest('hex').slice(0, 24);
      rejected.push({
        notificationId: id || `unidentified-${fingerprint}`,
        index,
        reason: 'Notification without an Id or sObject',
      });
      return;
    }
    notifications.push(toNotification(n.data.Id, n.data.sObject));
  });
  return {
    ok: true,
    message: { organizationId: body.OrganizationId.trim(), actionId: body.ActionId, notifications },
    rejected,
  };
}

function toNotification(notificationId: string, sObject: Record<string, unknown>): OutboundNotification {
  const fields: Record<string, string | null> = {};
  let objectType: string | undefined;
  for (const [name, value] of Object.entries(sObject)) {
    if (name === '@type') {
      objectType = String(value).split(':').pop();
      continue;
    }
    if (name.startsWith('@')) continue;
    if (nilNode.safeParse(value).success) fields[name] = null;
    else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      fields[name] = String(value);
    } else if (Array.isArray(value)) {
      // A repeated element is not something Salesforce sends for a scalar field; keep the first.
      fields[name] = value.length ? String(value[0]) : null;
    } else if (value && typeof value === 'object' && '#text' in value) {
      fields[name] = String((value as Record<string, unknown>)['#text']);
    } else {
      fields[name] = null;
    }
  }
  return { notificationId, objectType, fields };
}

/** Salesforce's acknowledgement: it stops retrying the message once it reads `<Ack>true</Ack>`. */
export const OUTBOUND_ACK = `<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<soapenv:Body>
<notificationsResponse xmlns="http://soap.sforce.com/2005/09/outbound">
<Ack>true</Ack>
</notificationsResponse>
</soapenv:Body>
</soapenv:Envelope>`;

/** A SOAP 1.1 fault; Salesforce treats it as not acknowledged and retries. */
export function soapFault(faultCode: 'soapenv:Client' | 'soapenv:Server', message: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">
<soapenv:Body>
<soapenv:Fault>
<faultcode>${faultCode}</faultcode>
<faultstring>${escapeXml(message)}</faultstring>
</soapenv:Fault>
</soapenv:Body>
</soapenv:Envelope>`;
}

function escapeXml(text: string): string {
  return text.replace(
    /[<>&'"]/g,
    (c) => `&${{ '<': 'lt', '>': 'gt', '&': 'amp', "'": 'apos', '"': 'quot' }[c]};`,
  );
}
