import { describe, expect, it } from 'vitest';
import { toId18 } from '../../shared/domain/salesforce-id.js';
import {
  DEMO_AS_OF,
  type DemoRecord,
  demoData,
  INTAKE_QUEUE_ID,
  LEAD_STATUS,
  ONTARIO_FSAS,
} from '../../shared/local-stack/demo-data.js';
import { packageCustomFields } from '../../shared/local-stack/salesforce-emulator/package-fields.js';
import { OrgSchema } from '../../shared/local-stack/salesforce-emulator/schema.js';
import { RecordStore } from '../../shared/local-stack/salesforce-emulator/store.js';

const data = demoData();
const rep = (n: number) => toId18(`005TR00000000${String(n).padStart(2, '0')}`);

describe('demoData', () => {
  it('returns the same records on every call', () => {
    expect(demoData()).toEqual(data);
  });

  it('keeps the ids other code relies on', () => {
    expect(data.ids).toEqual({
      reps: Array.from({ length: 12 }, (_, i) => rep(i + 1)),
      integrationUser: toId18('005TR0000000099'),
      intakeQueue: toId18('00GTR0000000001'),
      reviewQueue: toId18('00GTR0000000002'),
    });
    expect(data.ids.reps[0]).toBe(toId18('005TR0000000001'));
    expect(data.queues).toEqual([
      expect.objectContaining({ Id: data.ids.intakeQueue, Name: 'Lead Intake', Type: 'Queue' }),
      expect.objectContaining({ Id: data.ids.reviewQueue, Name: 'Routing Review', Type: 'Queue' }),
    ]);
  });

  it('has 12 reps with reps 11 and 12 inactive, each with industry specializations', () => {
    const users = new Map(data.users.map((u) => [u.Id, u]));
    expect(data.users).toHaveLength(13);
    for (let n = 1; n <= 12; n++) {
      const user = users.get(rep(n))!;
      expect(user.IsActive).toBe(n <= 10);
      expect(user.Name).toMatch(/^\S+ \S+/);
      expect(String(user.PostalCode)).toMatch(/^[KLMNP]\d[A-Z] \d[A-Z]\d$/);
      expect(user.Latitude).toEqual(expect.any(Number));
      expect(user.Department).toMatch(/^Sales - /);
      expect(String(user.Industry_Specialization__c)).toMatch(/^[A-Z][A-Za-z ]+(;[A-Z][A-Za-z ]+)*$/);
    }
    expect(users.get(data.ids.integrationUser)?.IsActive).toBe(true);
  });

  it('spreads about 400 accounts over Ontario with ~5% named accounts', () => {
    expect(data.accounts).toHaveLength(400);
    const named = data.accounts.filter((a) => a.Named_Account__c);
    expect(named.length).toBe(20);
    expect(named).toContainEqual(
      expect.objectContaining({ Name: 'Acme Enterprises Inc.', OwnerId: rep(1), Named_Account__c: true }),
    );
    expect(new Set(data.accounts.map((a) => a.Name)).size).toBe(400);
    expect(new Set(data.accounts.map((a) => a.Industry)).size).toBe(8);
    const regions = new Set(data.accounts.map((a) => String(a.BillingPostalCode).charAt(0)));
    expect([...regions].sort()).toEqual(['K', 'L', 'M', 'N', 'P']);
    const owners = new Set(data.accounts.map((a) => a.OwnerId));
    expect([...owners].sort()).toEqual(Array.from({ length: 10 }, (_, i) => rep(i + 1)).sort());
  });

  it('has open opportunities, some over $100K, and some closed ones', () => {
    const open = data.opportunities.filter((o) => !o.IsClosed);
    expect(open).toHaveLength(250);
    expect(open.every((o) => !String(o.StageName).startsWith('Closed'))).toBe(true);
    expect(open.filter((o) => Number(o.Amount) > 100_000).length).toBeGreaterThan(10);
    expect(data.opportunities.length - open.length).toBeGreaterThan(50);
    const accountIds = new Set(data.accounts.map((a) => a.Id));
    expect(data.opportunities.every((o) => accountIds.has(String(o.AccountId)))).toBe(true);
  });

  it('puts about 300 untouched leads in the intake queue', () => {
    const intake = data.leads.filter((l) => l.OwnerId === INTAKE_QUEUE_ID);
    expect(intake).toHaveLength(300);
    for (const lead of intake) {
      expect(lead).toMatchObject({
        Status: LEAD_STATUS.new,
        Country: 'Canada',
        State: 'ON',
        Routing_Reason__c: null,
      });
      expect(Date.parse(String(lead.CreatedDate).replace('+0000', 'Z'))).toBeLessThanOrEqual(
        Date.parse(DEMO_AS_OF),
      );
    }
    expect(intake.filter((l) => l.Company === 'Acme Enterprises Inc.').length).toBeGreaterThanOrEqual(3);
    // Postal codes arrive as people type them, and a few are missing.
    expect(intake.some((l) => /^[A-Z]\d[A-Z]\d[A-Z]\d$/.test(String(l.PostalCode)))).toBe(true);
    expect(intake.some((l) => l.PostalCode === null)).toBe(true);
  });

  it('gives reps about 1,500 leads with loads near and over the capacity rules', () => {
    const owned = data.leads.filter((l) => l.OwnerId !== INTAKE_QUEUE_ID);
    expect(owned.length).toBeGreaterThan(1400);
    expect(owned.length).toBeLessThan(1700);
    const load = (n: number) => countByStatus(owned.filter((l) => l.OwnerId === rep(n)));
    expect(load(3).new).toBeGreaterThan(40);
    const rep4 = load(4);
    expect(rep4.inProgress / (rep4.new + rep4.inProgress)).toBeLessThan(0.55);
    const rep8 = load(8);
    expect(rep8.new + rep8.inProgress).toBeGreaterThan(230);
    expect(load(11).total + load(12).total).toBe(0);
  });

  it('uses unique 18-character ids with the right key prefixes', () => {
    const all = [...data.users, ...data.queues, ...data.accounts, ...data.opportunities, ...data.leads];
    expect(new Set(all.map((r) => r.Id)).size).toBe(all.length);
    const prefixOk = (records: DemoRecord[], prefix: string) =>
      records.every((r) => r.Id.startsWith(prefix) && r.Id.length === 18);
    expect(prefixOk(data.users, '005')).toBe(true);
    expect(prefixOk(data.queues, '00G')).toBe(true);
    expect(prefixOk(data.accounts, '001')).toBe(true);
    expect(prefixOk(data.opportunities, '006')).toBe(true);
    expect(prefixOk(data.leads, '00Q')).toBe(true);
  });

  it('loads into the emulator store field for field', () => {
    const store = new RecordStore(new OrgSchema(packageCustomFields()), () => new Date(DEMO_AS_OF));
    store.seed(data);
    expect(store.count('Lead')).toBe(data.leads.length);
    expect(store.count('User')).toBe(13);
    expect(store.get('Account', data.accounts[0]!.Id)).toMatchObject(data.accounts[0]!);
  });
});

describe('ONTARIO_FSAS', () => {
  it('lists Ontario FSAs with coordinates, Toronto M5V among them', () => {
    expect(ONTARIO_FSAS.length).toBeGreaterThan(400);
    expect(ONTARIO_FSAS.every((f) => /^[KLMNP]\d[A-Z]$/.test(f.fsa))).toBe(true);
    const m5v = ONTARIO_FSAS.find((f) => f.fsa === 'M5V');
    expect(m5v).toMatchObject({ city: 'Downtown Toronto', latitude: expect.closeTo(43.65, 1) });
  });
});

function countByStatus(leads: DemoRecord[]) {
  const count = (status: string) => leads.filter((l) => l.Status === status).length;
  return { new: count(LEAD_STATUS.new), inProgress: count(LEAD_STATUS.inProgress), total: leads.length };
}
