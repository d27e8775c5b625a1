import { describe, expect, it } from 'vitest';
import {
  OUTBOUND_ACK,
  parseOutboundMessage,
  soapFault,
} from '../../../shared/adapters/salesforce/outbound-message.js';
import { leadId, outboundEnvelope } from '../../support/outbound-messages.js';

const lead = (n: number) => ({
  Id: leadId(n),
  Company: 'Acme & Sons Ltd.',
  PostalCode: 'm5v 3l9',
  Industry: 'Finance',
  Product_Interest__c: 'Routing Pro',
  OwnerId: '00GTR0000000001',
});

describe('parseOutboundMessage', () => {
  it.each([
    ['soapenv prefixes, indented', {}],
    ['soap prefix, single line', { envPrefix: 'soap', singleLine: true }],
    ['s prefix with ns2 field prefix', { envPrefix: 's', fieldPrefix: 'ns2' }],
    ['SessionId present', { nilSession: false }],
  ])('reads a message with %s', (_name, options) => {
    const result = parseOutboundMessage(outboundEnvelope([lead(1), lead(2)], options));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.message.organizationId).toBe('00DTR0000000001');
    expect(result.message.notifications).toHaveLength(2);
    const first = result.message.notifications[0]!;
    expect(first.objectType).toBe('Lead');
    expect(first.fields).toMatchObject({
      Id: leadId(1),
      Company: 'Acme & Sons Ltd.',
      Product_Interest__c: 'Routing Pro',
    });
  });

  it('reads 100 notifications and rejects 101', () => {
    const hundred = Array.from({ length: 100 }, (_, i) => lead(i));
    const ok = parseOutboundMessage(outboundEnvelope(hundred));
    expect(ok.ok && ok.message.notifications.length).toBe(100);
    const tooMany = parseOutboundMessage(outboundEnvelope([...hundred, lead(100)]));
    expect(tooMany.ok).toBe(false);
  });

  it('turns xsi:nil fields into null and keeps empty custom fields', () => {
    const result = parseOutboundMessage(outboundEnvelope([{ Id: leadId(1), Email: null, Foo__c: '' }]));
    expect(result.ok && result.message.notifications[0]?.fields).toMatchObject({ Email: null, Foo__c: '' });
  });

  it('keeps 15-character ids as sent', () => {
    const result = parseOutboundMessage(
      outboundEnvelope([{ Id: '00QTR0000000001' }], { orgId: '00DTR0000000001' }),
    );
    expect(result.ok && result.message.notifications[0]?.fields.Id).toBe('00QTR0000000001');
  });

  it('names the sObject type from xsi:type', () => {
    const result = parseOutboundMessage(
      outboundEnvelope([{ Id: '003TR0000000001' }], { objectType: 'Contact' }),
    );
    expect(result.ok && result.message.notifications[0]?.objectType).toBe('Contact');
  });

  it.each([
    ['not XML', 'hello', /^Malformed XML: .*line 1/],
    ['XML that is not SOAP', '<a><b/></a>', /^Not a Salesforce outbound message: Envelope\b/],
    [
      'a SOAP body without notifications',
      '<Envelope><Body><other/></Body></Envelope>',
      /^Not a Salesforce outbound message: Envelope\.Body\.notifications\b/,
    ],
    ['unclosed tags', '<Envelope><Body><notifications>', /^Malformed XML: /],
    [
      'a DOCTYPE with entities',
      '<!DOCTYPE x [<!ENTITY a "aaaa">]><Envelope/>',
      /^DOCTYPE declarations are not accepted$/,
    ],
    [
      'no notifications',
      outboundEnvelope([]),
      /^Not a Salesforce outbound message: Envelope\.Body\.notifications\.Notification\b/,
    ],
  ])('refuses %s with a reason that says what is wrong', (_name, xml, reason) => {
    const result = parseOutboundMessage(xml);
    expect(result).toEqual({ ok: false, reason: expect.stringMatching(reason) });
  });

  it('sets aside a notification without an Id and keeps the others', () => {
    const xml = outboundEnvelope([lead(1), lead(2)], {
      notificationIds: ['04l000000000001AAA', 'DROP'],
    }).replace('<Id>DROP</Id>', '');
    const result = parseOutboundMessage(xml);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.message.notifications).toHaveLength(1);
    expect(result.rejected).toHaveLength(1);
    expect(result.rejected[0]?.notificationId).toMatch(/^unidentified-[0-9a-f]{24}$/);
  });
});

/** A message whose one notification carries `fieldsXml` verbatim inside its sObject. */
function rawMessage(fieldsXml: string, notificationIdXml = '<Id>04l000000000001AAA</Id>'): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
 <soapenv:Body>
  <notifications xmlns="http://soap.sforce.com/2005/09/outbound">
   <OrganizationId>00DTR0000000001</OrganizationId>
   <Notification>
    ${notificationIdXml}
    <sObject xsi:type="sf:Lead" xmlns:sf="urn:sobject.enterprise.soap.sforce.com">
     <sf:Id>${leadId(1)}</sf:Id>
     ${fieldsXml}
    </sObject>
   </Notification>
  </notifications>
 </soapenv:Body>
</soapenv:Envelope>`;
}

describe('reading field values', () => {
  it('reads the text of an element that carries attributes (xsi:type on Id)', () => {
    const result = parseOutboundMessage(
      rawMessage(
        '<sf:Company xsi:type="xsd:string">Acme</sf:Company>',
        '<Id xsi:type="xsd:ID">04l000000000001AAA</Id>',
      ),
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.rejected).toEqual([]);
    expect(result.message.notifications[0]).toMatchObject({
      notificationId: '04l000000000001AAA',
      fields: { Company: 'Acme' },
    });
  });

  it('quarantines a notification whose field holds child elements instead of text, naming the field', () => {
    const result = parseOutboundMessage(rawMessage('<sf:Company><b>Acme</b></sf:Company>'));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.message.notifications).toHaveLength(0);
    expect(result.rejected).toEqual([
      {
        notificationId: '04l000000000001AAA',
        leadId: leadId(1),
        index: 0,
        reason: 'Field Company holds child elements where Salesforce sends text',
      },
    ]);
  });

  it('quarantines a notification whose Id holds child elements, under a content fingerprint', () => {
    const result = parseOutboundMessage(rawMessage('', '<Id><x>04l000000000001AAA</x></Id>'));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.rejected).toHaveLength(1);
    expect(result.rejected[0]?.notificationId).toMatch(/^unidentified-[0-9a-f]{24}$/);
    expect(result.rejected[0]?.reason).toMatch(/Id holds child elements/);
    expect(JSON.stringify(result)).not.toContain('[object Object]');
  });

  it('quarantines a notification with a repeated field rather than guessing which value is meant', () => {
    const result = parseOutboundMessage(rawMessage('<sf:Company>A</sf:Company><sf:Company>B</sf:Company>'));
    expect(result.ok && result.rejected[0]?.reason).toBe('Field Company appears 2 times');
  });

  it('decodes numeric character references and the predefined entities, once', () => {
    const result = parseOutboundMessage(
      rawMessage(
        '<sf:Company>Caf&#233; &#x2014; Cr&#xE8;me &amp; Co &amp;#233; &lt;ok&gt; &#x1F600;</sf:Company>',
      ),
    );
    expect(result.ok && result.message.notifications[0]?.fields.Company).toBe(
      'Café — Crème & Co &#233; <ok> 😀',
    );
  });

  it.each([
    ['a NUL character reference', '&#0;'],
    ['a reference beyond Unicode', '&#x110000;'],
    ['a surrogate code point', '&#xD800;'],
  ])('refuses %s as malformed XML', (_name, reference) => {
    const result = parseOutboundMessage(rawMessage(`<sf:Company>a${reference}b</sf:Company>`));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(/character reference/);
  });

  it('keeps values exactly as Salesforce sends them, spaces included', () => {
    const result = parseOutboundMessage(
      rawMessage('<sf:Company>  Acme  Ltd </sf:Company><sf:Description>line 1\n  line 2\n</sf:Description>'),
    );
    expect(result.ok && result.message.notifications[0]?.fields).toMatchObject({
      Company: '  Acme  Ltd ',
      Description: 'line 1\n  line 2\n',
    });
  });

  it('reads an empty element as an empty value and an element with only attributes as empty', () => {
    const result = parseOutboundMessage(
      rawMessage('<sf:Company></sf:Company><sf:State xsi:type="xsd:string"/>'),
    );
    expect(result.ok && result.message.notifications[0]?.fields).toMatchObject({ Company: '', State: '' });
  });

  it('reads the organization id with attributes and surrounding whitespace', () => {
    const xml = rawMessage('').replace(
      '<OrganizationId>00DTR0000000001</OrganizationId>',
      '<OrganizationId xsi:type="xsd:ID">\n 00DTR0000000001\n</OrganizationId>',
    );
    const result = parseOutboundMessage(xml);
    expect(result.ok && result.message.organizationId).toBe('00DTR0000000001');
  });

  it('refuses a message whose organization id holds child elements', () => {
    const xml = rawMessage('').replace(
      '<OrganizationId>00DTR0000000001</OrganizationId>',
      '<OrganizationId><x>00DTR0000000001</x></OrganizationId>',
    );
    const result = parseOutboundMessage(xml);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(/OrganizationId/);
  });
});

describe('SOAP responses', () => {
  it('acknowledges with Salesforce notificationsResponse Ack true', () => {
    expect(OUTBOUND_ACK).toContain('<notificationsResponse xmlns="http://soap.sforce.com/2005/09/outbound">');
    expect(OUTBOUND_ACK).toContain('<Ack>true</Ack>');
  });

  it('escapes the fault message', () => {
    expect(soapFault('soapenv:Client', 'bad <input> & more')).toContain('bad &lt;input&gt; &amp; more');
  });
});
