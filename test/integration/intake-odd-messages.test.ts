import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toId18 } from '../../shared/domain/salesforce-id.js';
import { EMULATOR_ORG_ID } from '../../shared/local-stack/demo-org-ids.js';
import { useDynamoDbLocal } from '../support/dynamodb.js';
import { INTAKE_QUEUE, type IntakeServer, itemsWithPrefix, serveIntake } from '../support/intake-gateway.js';
import { leadId, outboundEnvelope } from '../support/outbound-messages.js';

/**
 * Odd but valid outbound messages over real HTTP on DynamoDB Local: whatever Salesforce (or a proxy
 * in between) sends, an ACK means every notification has a durable record.
 */
const t = useDynamoDbLocal();
let table: string;
let intake: IntakeServer;

beforeAll(async () => {
  table = await t.newTable();
  intake = await serveIntake(t, table);
});
afterAll(async () => {
  await intake?.close();
});

const lead = (n: number, extra: Record<string, string> = {}) => ({
  Id: leadId(n),
  Company: `Company ${n}`,
  PostalCode: 'M5V 3L9',
  OwnerId: INTAKE_QUEUE,
  ...extra,
});
const notificationId = (n: number) => `04lODD${String(n).padStart(9, '0')}AAA`;

async function notificationRecord(id: string) {
  const [item] = await itemsWithPrefix(t, table, `NOTIFICATION#${id}`);
  return item;
}

describe('intake of odd but valid messages', () => {
  it('records every lead whose Id and fields carry xsi:type attributes', async () => {
    const ns = [101, 102, 103];
    const xml = outboundEnvelope(
      ns.map((n) => lead(n)),
      { notificationIds: ns.map(notificationId) },
    )
      .replace(/<Id>/g, '<Id xsi:type="xsd:ID">')
      .replace(/<sf:Company>/g, '<sf:Company xsi:type="xsd:string">');
    const res = await intake.post(xml);
    expect(res.status).toBe(200);
    expect(res.body).toContain('<Ack>true</Ack>');
    for (const n of ns) {
      expect(await notificationRecord(notificationId(n))).toMatchObject({
        outcome: 'assigned',
        leadId: leadId(n),
      });
      const [assignment] = await itemsWithPrefix(t, table, `LEAD#${leadId(n)}`);
      expect(assignment).toMatchObject({ ownerKind: 'rep', notificationId: notificationId(n) });
    }
    expect(JSON.stringify(await itemsWithPrefix(t, table, ''))).not.toContain('[object Object]');
  });

  it('quarantines each notification whose field holds elements, under its own id, and assigns the rest', async () => {
    const xml = outboundEnvelope([lead(111), lead(112), lead(113)], {
      notificationIds: [notificationId(111), notificationId(112), notificationId(113)],
    })
      .replace('<sf:Company>Company 111</sf:Company>', '<sf:Company><b>Company</b> 111</sf:Company>')
      .replace('<sf:Company>Company 113</sf:Company>', '<sf:Company><i>Company 113</i></sf:Company>');
    const res = await intake.post(xml);
    expect(res.status).toBe(200);
    for (const n of [111, 113]) {
      expect(await notificationRecord(notificationId(n))).toMatchObject({
        outcome: 'quarantined',
        reason: 'Field Company holds child elements where Salesforce sends text',
        GSI1PK: 'QUARANTINE',
      });
      expect(await itemsWithPrefix(t, table, `LEAD#${leadId(n)}`)).toHaveLength(0);
    }
    expect(await notificationRecord(notificationId(112))).toMatchObject({ outcome: 'assigned' });
  });

  it('decodes character references in what it routes and audits', async () => {
    const xml = outboundEnvelope([lead(121)], { notificationIds: [notificationId(121)] }).replace(
      '<sf:Company>Company 121</sf:Company>',
      '<sf:Company>Caf&#233; Cr&#xE8;me</sf:Company>',
    );
    expect((await intake.post(xml)).status).toBe(200);
    const [audit] = await itemsWithPrefix(t, table, `AUDIT#${leadId(121)}`);
    expect(audit?.routedLead).toMatchObject({ Company: 'Café Crème' });
  });

  it('audits only the routing attributes: no names, phones, street, full e-mail or unread custom fields', async () => {
    const xml = outboundEnvelope(
      [
        lead(131, {
          FirstName: 'Jane',
          LastName: 'Doe',
          Phone: '+1 416 555 0100',
          Street: '1 King St W',
          Email: 'jane.doe@acme.com',
          Home_Phone__c: '+1 416 555 0199',
          Birthday__c: '1980-05-01',
          Country: 'Canada',
        }),
      ],
      { notificationIds: [notificationId(131)] },
    );
    expect((await intake.post(xml)).status).toBe(200);
    const [audit] = await itemsWithPrefix(t, table, `AUDIT#${leadId(131)}`);
    expect(audit?.routedLead).toEqual({
      Id: leadId(131),
      OwnerId: INTAKE_QUEUE,
      Company: 'Company 131',
      PostalCode: 'M5V 3L9',
      Country: 'Canada',
      Email: '@acme.com',
    });
    expect(JSON.stringify(audit)).not.toMatch(/Jane|Doe|555|King St|1980/);
  });

  it.each([
    ['the 15-character form', EMULATOR_ORG_ID, 200],
    ['the 18-character form', toId18(EMULATOR_ORG_ID), 200],
    [
      'the 18-character form with a lower-case suffix',
      `${EMULATOR_ORG_ID}${toId18(EMULATOR_ORG_ID).slice(15).toLowerCase()}`,
      200,
    ],
    [
      'an 18-character id with a wrong suffix',
      `${EMULATOR_ORG_ID}${toId18(EMULATOR_ORG_ID).slice(15) === 'AAA' ? 'AAB' : 'AAA'}`,
      403,
    ],
  ])('checks the organization id: %s', async (_name, orgId, status) => {
    const n = 140 + Math.floor(Math.random() * 1000);
    const res = await intake.post(
      outboundEnvelope([lead(n)], { orgId, notificationIds: [notificationId(n)] }),
    );
    expect(res.status).toBe(status);
    expect(res.body).toContain(status === 200 ? '<Ack>true</Ack>' : '<soapenv:Fault>');
  });
});
