import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { localTimeAt } from '../../../shared/domain/availability/zoned-time.js';
import { distribute } from '../../../shared/domain/territory/distribution.js';
import {
  applyStateChange,
  catchUpKey,
  type DistributionSnapshot,
  EMPTY_SNAPSHOT,
} from '../../../shared/domain/territory/distribution-state.js';
import { compiled, config, repId } from '../territory/fixtures.js';

/**
 * Random away/return schedules under `partial: K`: reps (even) or one-rep groups (weighted) are away
 * on random days, leads arrive at random rates; then everyone is back long enough to catch up.
 */
const ZONES = ['UTC', 'America/Toronto', 'America/Vancouver', 'Asia/Kolkata'] as const;
const DAY = 86_400_000;
const START = Date.parse('2026-12-01T00:00:00Z');

const scenario = fc.record({
  method: fc.constantFrom('even' as const, 'weighted' as const),
  shares: fc.array(
    fc.record({
      weight: fc.integer({ min: 1, max: 60 }),
      zone: fc.constantFrom(...ZONES),
      awayDays: fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 4 }),
    }),
    { minLength: 2, maxLength: 5 },
  ),
  k: fc.integer({ min: 1, max: 5 }),
  modelZone: fc.constantFrom(...ZONES),
  leadsPerDay: fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 6, maxLength: 6 }),
});

describe('partial catch-up over random away and return schedules', () => {
  it('gives at most K extras a share a local day, in the end exactly what was forgiven, and nothing to shares never away', () => {
    fc.assert(
      fc.property(scenario, ({ method, shares, k, modelZone, leadsPerDay }) => {
        const n = shares.length;
        const reps = shares.map((s, i) => ({
          key: `rep0${i + 1}`,
          id: repId(i + 1),
          name: `Rep ${i + 1}`,
          timeZone: s.zone,
        }));
        // Percentages adding up to 100 (the model requires it).
        const total = shares.reduce((sum, s) => sum + s.weight, 0);
        const percent = shares.map((s) => Math.max(1, Math.round((100 * s.weight) / total)));
        const largest = percent.indexOf(Math.max(...percent));
        percent[largest]! += 100 - percent.reduce((a, b) => a + b, 0);
        const distribution =
          method === 'even'
            ? { participants: reps.map((r) => r.key) }
            : {
                distribution: { method: 'weighted' },
                groups: shares.map((_, i) => ({
                  id: `G${i + 1}`,
                  participants: [`rep0${i + 1}`],
                  weight: percent[i]!,
                })),
              };
        const m = compiled(
          config({
            timeZone: modelZone,
            reps,
            territories: [{ id: 'T', name: 'T', priority: 1, ...distribution, catchUp: { partial: k } }],
          }),
        );
        const ids = shares.map((_, i) => (method === 'even' ? repId(i + 1) : `G${i + 1}`));
        const zoneOf = (i: number) => (method === 'even' ? shares[i]!.zone : modelZone);
        // Away: the share's rep is skipped (as for any unavailability) on its away days (UTC days).
        const awayOn = (i: number, at: number) =>
          shares[i]!.awayDays.includes(Math.floor((at - START) / DAY));
        let snapshot: DistributionSnapshot = EMPTY_SNAPSHOT;
        const forgiven = ids.map(() => 0);
        const extrasByDay = new Map<string, number>();
        const decide = (at: number, withAway: boolean) => {
          const decision = distribute(m, m.match({}), {}, snapshot, {
            now: at,
            periodCapReached: (rep) => {
              const i = reps.findIndex((r) => r.id === rep);
              return withAway && awayOn(i, at) ? 'away' : undefined;
            },
          });
          if (!decision.stateChange) return; // everyone away: the default owner, nothing moves
          const add = decision.stateChange.addCounts;
          ids.forEach((id, i) => {
            forgiven[i]! += Math.max(0, add[catchUpKey.offset(id)] ?? 0);
            if (add[catchUpKey.extras(id)]) {
              const key = `${id} ${localTimeAt(at, zoneOf(i)).date}`;
              extrasByDay.set(key, (extrasByDay.get(key) ?? 0) + 1);
            }
          });
          snapshot = applyStateChange(snapshot, decision.stateChange);
          const extras = ids.map((id) => snapshot.counts[catchUpKey.extras(id)] ?? 0);
          // Never ahead of what was forgiven; what is owed is the rest.
          ids.forEach((id, i) => {
            expect(extras[i]).toBeLessThanOrEqual(forgiven[i]!);
            expect(snapshot.counts[catchUpKey.owed(id)] ?? 0).toBe(forgiven[i]! - extras[i]!);
          });
        };
        leadsPerDay.forEach((count, day) => {
          for (let j = 0; j < count; j++)
            decide(START + day * DAY + Math.floor(((j + 0.5) * DAY) / count), true);
        });
        // Everyone back: enough days, at 6·n leads a day, for every share to be paid at K a day.
        const owedMost = Math.max(...forgiven);
        const tailDays = Math.ceil(owedMost / k) + 2;
        const perDay = 6 * n;
        for (let day = 0; day < tailDays; day++) {
          for (let j = 0; j < perDay; j++)
            decide(START + (6 + day) * DAY + Math.floor(((j + 0.5) * DAY) / perDay), false);
        }
        for (const count of extrasByDay.values()) expect(count).toBeLessThanOrEqual(k);
        ids.forEach((id, i) => {
          expect(snapshot.counts[catchUpKey.owed(id)] ?? 0).toBe(0);
          expect(snapshot.counts[catchUpKey.extras(id)] ?? 0).toBe(forgiven[i]);
          // Paying one share back never makes another one owed.
          if (shares[i]!.awayDays.length === 0) expect(forgiven[i]).toBe(0);
        });
      }),
      { numRuns: 60 },
    );
  });
});
