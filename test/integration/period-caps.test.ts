import { randomUUID } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DynamoAssignmentLedger } from '../../shared/adapters/dynamodb/assignment-ledger.js';
import { publicHolidays } from '../../shared/adapters/holidays/public-holidays.js';
import { assignNotifications } from '../../shared/application/intake/assign-notifications.js';
import { territoryRouter } from '../../shared/application/routing/territory-router.js';
import { availabilityAt } from '../../shared/domain/availability/availability.js';
import { periodCapsAt } from '../../shared/domain/availability/periods.js';
import { capacityConfigSchema, rulesFor } from '../../shared/domain/capacity/capacity.js';
import { compileModel } from '../../shared/domain/territory/compile-model.js';
import { useDynamoDbLocal } from '../support/dynamodb.js';
import { leadId } from '../support/outbound-messages.js';
import { config, REVIEW_QUEUE, repId, validModel } from '../unit/territory/fixtures.js';

/**
 * Period caps on DynamoDB Local: the day's counter is an item of its own whose condition carries the
 * cap, written in the assignment's transaction, so concurrent intakes cannot pass it between them.
 */
const t = useDynamoDbLocal();

async function scan(tableName: string, prefix: string) {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const out = await t.doc.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: 'begins_with(PK, :p)',
        ExpressionAttributeValues: { ':p': prefix },
        ExclusiveStartKey: startKey,
      }),
    );
    items.push(...(out.Items ?? []));
    startKey = out.LastEvaluatedKey;
  } while (startKey);
  return items;
}

function intake(
  tableName: string,
  model: ReturnType<typeof compileModel>,
  capacity: ReturnType<typeof capacityConfigSchema.parse>,
  at: Date,
) {
  const router = territoryRouter(model, capacity);
  return (from: number, count: number) =>
    assignNotifications(
      Array.from({ length: count }, (_, i) => ({
        notificationId: `N-${randomUUID()}`,
        objectType: 'Lead',
        fields: { Id: leadId(from + i), Company: `Company ${from + i}` },
      })),
      [],
      {
        ledger: new DynamoAssignmentLedger(t.doc, tableName),
        routing: async () => router,
        replaceableOwnerIds: [],
        now: () => at,
        newId: () => randomUUID(),
      },
    );
}

describe('period caps in the assignment transaction', () => {
  it('two messages at once never give a rep more than the day cap; the rest go on, then to the default owner', async () => {
    const table = await t.newTable();
    const model = compileModel(
      validModel(
        config({
          reps: [
            { key: 'rep01', id: repId(1), name: 'Toronto', timeZone: 'America/Toronto' },
            { key: 'rep02', id: repId(2), name: 'Ottawa', timeZone: 'America/Toronto' },
          ],
          territories: [{ id: 'T', name: 'Test', priority: 1, participants: ['rep01', 'rep02'] }],
        }),
      ),
    );
    const capacity = capacityConfigSchema.parse({ defaults: { maxPerDay: 5, minInProgressRatio: 0 } });
    const send = intake(table, model, capacity, new Date('2026-12-02T15:00:00Z'));
    // Two Lambdas, each with its own process lanes, 8 leads each: 16 leads for 10 places.
    const outcomes = (await Promise.all([send(1, 8), send(101, 8)])).flat();
    expect(outcomes.filter((o) => o.kind === 'assigned')).toHaveLength(16);
    const byOwner = new Map<string, number>();
    for (const a of await scan(table, 'LEAD#'))
      byOwner.set(String(a.ownerId), (byOwner.get(String(a.ownerId)) ?? 0) + 1);
    expect(byOwner.get(repId(1))).toBe(5);
    expect(byOwner.get(repId(2))).toBe(5);
    expect(byOwner.get(REVIEW_QUEUE)).toBe(6);
    const periods = await scan(table, 'REP#');
    expect(
      periods.filter((p) => String(p.SK).startsWith('PERIOD#')).map((p) => [p.PK, p.SK, p.given]),
    ).toEqual(
      expect.arrayContaining([
        [`REP#${repId(1)}`, 'PERIOD#day:2026-12-02', 5],
        [`REP#${repId(2)}`, 'PERIOD#day:2026-12-02', 5],
      ]),
    );
    // The default owner's reason names the caps reached.
    const audits = await scan(table, 'AUDIT#');
    const queued = audits.find((a) => a.after === REVIEW_QUEUE);
    expect(String(queued?.reason)).toContain('daily cap 5 reached (Wed 2026-12-02 America/Toronto)');
    // The next local day is a new counter: no sweep needed.
    const tomorrow = intake(table, model, capacity, new Date('2026-12-03T15:00:00Z'));
    const next = await tomorrow(201, 2);
    expect(next.map((o) => (o.kind === 'assigned' ? o.ownerKind : o.kind))).toEqual(['rep', 'rep']);
  }, 240_000);

  it('never assigns to an unavailable rep or past a period cap, whatever the calendars, caps and concurrent arrivals (property)', async () => {
    const zones = ['America/Toronto', 'America/Vancouver', 'Europe/Paris'] as const;
    const rep = fc.record({
      zone: fc.constantFrom(...zones),
      hours: fc.constantFrom(undefined, '09:00-17:00', '22:00-06:00', '00:00-24:00'),
      holidays: fc.constantFrom([], ['CA-ON'], ['FR']),
      maxPerDay: fc.integer({ min: 0, max: 4 }),
      maxPerWeek: fc.option(fc.integer({ min: 0, max: 6 }), { nil: undefined }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(rep, { minLength: 1, maxLength: 4 }),
        // Minutes into December 2026 (holidays and weekends included), and message sizes sent at once.
        fc.integer({ min: 0, max: 31 * 24 * 60 - 1 }),
        fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 3 }),
        fc.constantFrom('assign-anyway', 'queue') as fc.Arbitrary<'assign-anyway' | 'queue'>,
        async (specs, minute, messages, policy) => {
          const table = await t.newTable();
          const model = compileModel(
            validModel(
              config({
                reps: specs.map((s, i) => ({
                  key: `rep0${i + 1}`,
                  id: repId(i + 1),
                  name: `Rep ${i + 1}`,
                  timeZone: s.zone,
                  holidays: s.holidays,
                  ...(s.hours ? { workingHours: { 'mon-fri': s.hours } } : {}),
                })),
                territories: [
                  {
                    id: 'T',
                    name: 'Test',
                    priority: 1,
                    participants: specs.map((_, i) => `rep0${i + 1}`),
                    whenNobodyAvailable: { policy },
                  },
                ],
              }),
            ),
            { holidays: publicHolidays },
          );
          const capacity = capacityConfigSchema.parse({
            defaults: { minInProgressRatio: 0 },
            overrides: Object.fromEntries(
              specs.map((s, i) => [
                repId(i + 1),
                {
                  maxPerDay: s.maxPerDay,
                  ...(s.maxPerWeek === undefined ? {} : { maxPerWeek: s.maxPerWeek }),
                },
              ]),
            ),
          });
          const at = new Date(Date.parse('2026-12-01T00:00:00Z') + minute * 60_000);
          const send = intake(table, model, capacity, at);
          let next = 1;
          await Promise.all(
            messages.map((size) => {
              const from = next;
              next += size;
              return send(from, size);
            }),
          );
          const anyoneOn = [...model.reps.values()].some((r) => availabilityAt(r, at.getTime()).available);
          const given = new Map<string, number>();
          for (const a of await scan(table, 'LEAD#')) {
            if (a.ownerKind !== 'rep') continue;
            const owner = String(a.ownerId);
            given.set(owner, (given.get(owner) ?? 0) + 1);
            const available = availabilityAt(model.reps.get(owner)!, at.getTime()).available;
            // Off shift only when nobody was on shift and the territory assigns anyway.
            if (!available) expect(!anyoneOn && policy === 'assign-anyway').toBe(true);
          }
          for (const [owner, count] of given) {
            const rules = rulesFor(capacity, owner);
            for (const cap of periodCapsAt(rules, model.reps.get(owner)!.calendar.timeZone, at.getTime()))
              expect(count).toBeLessThanOrEqual(cap.max);
          }
        },
      ),
      { numRuns: 12 },
    );
  }, 600_000);
});
