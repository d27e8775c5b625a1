import fc from 'fast-check';
import { toId18 } from '../../shared/domain/salesforce-id.js';
import { EMULATOR_ORG_ID } from '../../shared/local-stack/demo-org-ids.js';

/**
 * Random outbound messages of every size and shape Salesforce — or something between it and us —
 * could send: 1 to 100 notifications; ids normal, 15-character, repeated, over DynamoDB's 2,048-byte
 * key limit or with attributes; leads repeated or not leads at all; values empty, nil, multi-byte,
 * escaped as entities or numeric references, with attributes, with child elements, repeated, or
 * large enough that the audit item would pass DynamoDB's 400 KB limit.
 */
export interface GeneratedField {
  name: string;
  shape: 'text' | 'nil' | 'attributes' | 'children' | 'repeated';
  value: string;
}

export interface GeneratedNotification {
  /** The notification id as sent (before XML escaping); undefined when the element is missing. */
  id: string | undefined;
  idShape: 'plain' | 'attributes' | 'padded';
  objectType: string;
  leadId: string | undefined;
  fields: GeneratedField[];
}

export interface GeneratedMessage {
  notifications: GeneratedNotification[];
  xml: string;
  bytes: number;
}

const LEAD_POOL = 400;
const leadIdOf = (n: number) => toId18(`00QPB${String(n).padStart(10, '0')}`);
const notificationIdOf = (n: number) => `04lPB${String(n).padStart(10, '0')}AAA`;

/** Only characters XML 1.0 can carry (no C0 controls but tab, LF, CR; no U+FFFE/U+FFFF). */
function xmlCharactersOnly(value: string): string {
  return [...value]
    .filter((c) => {
      const code = c.codePointAt(0) ?? 0;
      return (
        code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code !== 0xfffe && code !== 0xffff)
      );
    })
    .join('');
}

/** Text with what needs escaping (& < >), accents, emoji and spaces Salesforce keeps. */
const text = (maxLength: number) =>
  fc
    .oneof(
      { weight: 5, arbitrary: fc.string({ maxLength: Math.min(maxLength, 40) }) },
      { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: Math.min(maxLength, 40) }) },
      { weight: 2, arbitrary: fc.constantFrom('Café Crème', '  padded  ', 'R&D <lab>', 'Ünïcödé 😀', '') },
    )
    .map(xmlCharactersOnly);

/** A value that is large on purpose: a long text area near or past what one DynamoDB item holds. */
const large = fc
  .integer({ min: 100_000, max: 460_000 })
  .chain((size) => fc.constantFrom('a', 'é', '&').map((unit) => unit.repeat(size / unit.length)));

const fieldName = fc.oneof(
  fc.constantFrom(
    'Company',
    'Email',
    'Country',
    'State',
    'City',
    'PostalCode',
    'Industry',
    'Phone',
    'FirstName',
    'LastName',
    'Street',
    'Description',
    'Product_Interest__c',
  ),
  fc.integer({ min: 1, max: 30 }).map((n) => `Custom_${n}__c`),
);

const field: fc.Arbitrary<GeneratedField> = fc.record({
  name: fieldName,
  shape: fc.constantFrom<GeneratedField['shape']>(
    'text',
    'text',
    'text',
    'text',
    'nil',
    'attributes',
    'children',
    'repeated',
  ),
  value: text(200),
});

const notificationId = fc.oneof(
  { weight: 12, arbitrary: fc.integer({ min: 0, max: 5_000 }).map(notificationIdOf) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 5_000 }).map((n) => notificationIdOf(n).slice(0, 15)) },
  // Past DynamoDB's 2,048-byte partition key limit, in bytes rather than characters.
  { weight: 2, arbitrary: fc.integer({ min: 1_900, max: 4_000 }).map((n) => `04l${'x'.repeat(n)}`) },
  { weight: 1, arbitrary: fc.integer({ min: 700, max: 1_200 }).map((n) => `04l${'é'.repeat(n)}`) },
  { weight: 1, arbitrary: fc.constant(undefined) },
);

const leadOf = fc.oneof(
  { weight: 12, arbitrary: fc.integer({ min: 0, max: LEAD_POOL }).map(leadIdOf) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: LEAD_POOL }).map((n) => leadIdOf(n).slice(0, 15)) },
  { weight: 1, arbitrary: fc.constantFrom('001PB0000000001', 'not-an-id', '') },
  { weight: 1, arbitrary: fc.constant(undefined) },
);

const notification: fc.Arbitrary<GeneratedNotification> = fc.record({
  id: notificationId,
  idShape: fc.constantFrom<GeneratedNotification['idShape']>('plain', 'plain', 'attributes', 'padded'),
  objectType: fc.constantFrom('Lead', 'Lead', 'Lead', 'Lead', 'Lead', 'Contact'),
  leadId: leadOf,
  fields: fc.array(field, { maxLength: 8 }),
});

/** A message with 1 to `maxNotifications` notifications; some repeat an earlier one's id or lead. */
export function outboundMessages(
  options: { maxNotifications?: number; largeValues?: boolean; orgId?: string } = {},
): fc.Arbitrary<GeneratedMessage> {
  const max = options.maxNotifications ?? 100;
  const size = fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: 1, max: Math.min(max, 5) }) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max }) },
  );
  return size
    .chain((n) =>
      fc.tuple(
        fc.array(notification, { minLength: n, maxLength: n }),
        // Repeats: notification i takes the id (or lead) of notification j < i.
        fc.array(fc.tuple(fc.nat(), fc.nat(), fc.boolean()), { maxLength: Math.ceil(n / 4) }),
        options.largeValues === false
          ? fc.constant([] as Array<[number, string]>)
          : fc.array(fc.tuple(fc.nat(), large), { maxLength: 1 }),
      ),
    )
    .map(([notifications, repeats, larges]) => {
      const list = notifications.map((x) => ({ ...x, fields: [...x.fields] }));
      for (const [a, b, sameId] of repeats) {
        const i = a % list.length;
        const j = b % list.length;
        if (j >= i) continue;
        if (sameId) list[i]!.id = list[j]!.id;
        else list[i]!.leadId = list[j]!.leadId;
      }
      for (const [at, value] of larges) {
        list[at % list.length]!.fields.push({ name: 'Description', shape: 'text', value });
      }
      const xml = renderMessage(list, options.orgId ?? EMULATOR_ORG_ID);
      return { notifications: list, xml, bytes: Buffer.byteLength(xml, 'utf8') };
    });
}

function renderMessage(notifications: GeneratedNotification[], orgId: string): string {
  const body = notifications.map(renderNotification).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<soapenv:Body>
<notifications xmlns="http://soap.sforce.com/2005/09/outbound">
<OrganizationId>${orgId}</OrganizationId>
<ActionId>04k000000000001AAA</ActionId>
<SessionId xsi:nil="true"/>${body}
</notifications>
</soapenv:Body>
</soapenv:Envelope>`;
}

function renderNotification(n: GeneratedNotification): string {
  const id =
    n.id === undefined
      ? ''
      : n.idShape === 'attributes'
        ? `<Id xsi:type="xsd:ID">${xmlEscape(n.id)}</Id>`
        : n.idShape === 'padded'
          ? `<Id>\n  ${xmlEscape(n.id)}\n</Id>`
          : `<Id>${xmlEscape(n.id)}</Id>`;
  const leadIdXml = n.leadId === undefined ? '' : `<sf:Id>${xmlEscape(n.leadId)}</sf:Id>`;
  const fields = n.fields.map(renderField).join('');
  return `
<Notification>${id}<sObject xsi:type="sf:${n.objectType}" xmlns:sf="urn:sobject.enterprise.soap.sforce.com">${leadIdXml}${fields}</sObject></Notification>`;
}

function renderField(f: GeneratedField): string {
  const tag = `sf:${f.name}`;
  switch (f.shape) {
    case 'nil':
      return `<${tag} xsi:nil="true"/>`;
    case 'attributes':
      return `<${tag} xsi:type="xsd:string">${xmlEscape(f.value)}</${tag}>`;
    case 'children':
      return `<${tag}><b>${xmlEscape(f.value)}</b></${tag}>`;
    case 'repeated':
      return `<${tag}>${xmlEscape(f.value)}</${tag}><${tag}>${xmlEscape(f.value)}</${tag}>`;
    default:
      return `<${tag}>${xmlEscape(f.value)}</${tag}>`;
  }
}

/** XML escaping as Salesforce does it, plus numeric references for some non-ASCII characters. */
function xmlEscape(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\u{e9}\u{e8}]/gu, (c) => `&#${c.codePointAt(0)};`);
}

/** The notification ids an ACKed message must have a record for (as the parser reads them). */
export function expectedNotificationIds(message: GeneratedMessage): string[] {
  return [
    ...new Set(
      message.notifications
        .map((n) => n.id?.trim())
        .filter((id): id is string => id !== undefined && id !== ''),
    ),
  ];
}
