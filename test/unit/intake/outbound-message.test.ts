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
    ['not XML', 'hello'],
    ['XML that is not SOAP', '<a><b/></a>'],
    ['a SOAP body without notifications', '<Envelope><Body><other/></Body></Envelope>'],
    ['unclosed tags', '<Envelope><Body><notifications>'],
    ['a DOCTYPE with entities', '<!DOCTYPE x [<!ENTITY a "aaaa">]><Envelope/>'],
    ['no notifications', outboundEnvelope([])],
  ])('refuses %s with a reason', (_name, xml) => {
    const result = parseOutboundMessage(xml);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason.length).toBeGreaterThan(5);
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

describe('SOAP responses', () => {
  it('acknowledges with Salesforce notificationsResponse Ack true', () => {
    expect(OUTBOUND_ACK).toContain('<notificationsResponse xmlns="http://soap.sforce.com/2005/09/outbound">');
    expect(OUTBOUND_ACK).toContain('<Ack>true</Ack>');
  });

  it('escapes the fault message', () => {
    expect(soapFault('soapenv:Client', 'bad <input> & more')).toContain('bad &lt;input&gt; &amp; more');
  });
});
