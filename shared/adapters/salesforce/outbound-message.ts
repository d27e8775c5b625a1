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
  /** The sObject's Id when it could be read, so the quarantine names the lead. */
  leadId?: string;
  index: number;
  reason: string;
}

export type ParseResult =
  | { ok: true; message: OutboundMessage; rejected: RejectedNotification[] }
  | { ok: false; reason: string };

/** An XML character reference to a character XML 1.0 does not allow (§2.2 Char). */
class CharacterReferenceError extends Error {
  override name = 'CharacterReferenceError';
}

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', apos: "'", quot: '"' };

function xmlChar(codePoint: number, reference: string): string {
  const allowed =
    codePoint === 0x9 ||
    codePoint === 0xa ||
    codePoint === 0xd ||
    (codePoint >= 0x20 && codePoint <= 0xd7ff) ||
    (codePoint >= 0xe000 && codePoint <= 0xfffd) ||
    (codePoint >= 0x10000 && codePoint <= 0x10ffff);
  if (!allowed) throw new CharacterReferenceError(`character reference ${reference} is not an XML character`);
  return String.fromCodePoint(codePoint);
}

/**
 * XML's own entities only: the five predefined ones and numeric character references (`Caf&#233;`),
 * decoded in one pass so `&amp;#233;` stays the text `&#233;`. No DTD is accepted, so nothing else exists.
 */
const xmlEntities = {
  decode: (text: string) =>
    text.includes('&')
      ? text.replace(
          /&(?:#([0-9]{1,8})|#x([0-9a-fA-F]{1,7})|(lt|gt|amp|apos|quot));/g,
          (ref, dec, hex, name) =>
            name ? (PREDEFINED[name] as string) : xmlChar(dec ? Number(dec) : Number.parseInt(hex, 16), ref),
        )
      : text,
  setExternalEntities: () => undefined,
  addInputEntities: () => undefined,
  reset: () => undefined,
  setXmlVersion: () => undefined,
};

const parser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  parseAttributeValue: false,
  // Values are what Salesforce sent, spaces included; whitespace between elements is ignored below.
  trimValues: false,
  entityDecoder: xmlEntities,
  isArray: (name) => name === 'Notification',
});

/** An element's text: `null` for `xsi:nil`, or why it is not text (child elements, repeated). */
type TextRead = { ok: true; text: string | null } | { ok: false; problem: string };

function readText(node: unknown): TextRead {
  if (typeof node === 'string' || typeof node === 'number' || typeof node === 'boolean') {
    return { ok: true, text: String(node) };
  }
  if (Array.isArray(node)) return { ok: false, problem: `appears ${node.length} times` };
  if (node === null || typeof node !== 'object') return { ok: true, text: '' };
  const element = node as Record<string, unknown>;
  if (Object.keys(element).some((key) => key !== '#text' && !key.startsWith('@'))) {
    return { ok: false, problem: 'holds child elements where Salesforce sends text' };
  }
  if (element['@nil'] === 'true') return { ok: true, text: null };
  const text = element['#text'];
  return { ok: true, text: text === undefined ? '' : String(text) };
}

/** An id's text; ids never contain whitespace, so indentation around one is dropped. */
function readId(node: unknown): TextRead {
  const read = readText(node);
  return read.ok ? { ok: true, text: read.text?.trim() ?? null } : read;
}

const envelopeSchema = z.object({
  Envelope: z.object({
    Body: z.object({
      notifications: z
        .object({
          OrganizationId: z.unknown(),
          ActionId: z.unknown().optional(),
          Notification: z.array(z.unknown()).min(1).max(MAX_NOTIFICATIONS),
        })
        .loose(),
    }),
  }),
});

const notificationSchema = z.object({
  Id: z.unknown(),
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
  const org = readId(body.OrganizationId);
  if (!org.ok || !org.text) {
    return {
      ok: false,
      reason: `Not a Salesforce outbound message: OrganizationId ${org.ok ? 'is empty' : org.problem}`,
    };
  }
  const action = body.ActionId === undefined ? undefined : readId(body.ActionId);
  const notifications: OutboundNotification[] = [];
  const rejected: RejectedNotification[] = [];
  body.Notification.forEach((raw, index) => {
    const read = readNotification(raw);
    if ('reason' in read) rejected.push({ ...read, index });
    else notifications.push(read);
  });
  return {
    ok: true,
    message: {
      organizationId: org.text,
      actionId: action?.ok ? (action.text ?? undefined) : undefined,
      notifications,
    },
    rejected,
  };
}

function readNotification(raw: unknown): OutboundNotification | Omit<RejectedNotification, 'index'> {
  const n = notificationSchema.safeParse(raw);
  const id = n.success ? readId(n.data.Id) : undefined;
  if (!n.success || !id?.ok || !id.text) {
    // Without a usable Id, a fingerprint of the content keeps the quarantine idempotent across redeliveries.
    const fingerprint = createHash('sha256').update(JSON.stringify(raw)).digest('hex').slice(0, 24);
    const sObjectId = n.success ? readId(n.data.sObject.Id) : undefined;
    return {
      notificationId: `unidentified-${fingerprint}`,
      ...(sObjectId?.ok && sObjectId.text ? { leadId: sObjectId.text } : {}),
      reason: !n.success
        ? 'Notification without an Id or sObject'
        : id?.ok
          ? 'Notification Id is empty'
          : `Notification Id ${id?.problem ?? 'is missing'}`,
    };
  }
  const notificationId = id.text;
  const fields: Record<string, string | null> = {};
  let objectType: string | undefined;
  const problems: string[] = [];
  for (const [name, value] of Object.entries(n.data.sObject)) {
    if (name === '@type') {
      objectType = String(value).split(':').pop();
      continue;
    }
    // Attributes (namespace declarations) and the whitespace between fields are not fields.
    if (name.startsWith('@') || name === '#text') continue;
    const read = name === 'Id' ? readId(value) : readText(value);
    if (read.ok) fields[name] = read.text;
    else problems.push(`Field ${name} ${read.problem}`);
  }
  if (problems.length > 0) {
    return {
      notificationId,
      ...(fields.Id ? { leadId: fields.Id } : {}),
      reason: problems.join('; '),
    };
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
