import { describe, expect, it } from 'vitest';
import { catchUpDeficits } from '../../../shared/domain/territory/catch-up.js';
import type { CompiledModel } from '../../../shared/domain/territory/compile-model.js';
import { distribute } from '../../../shared/domain/territory/distribution.js';
import {
  applyStateChange,
  type DistributionSnapshot,
  EMPTY_SNAPSHOT,
} from '../../../shared/domain/territory/distribution-state.js';
import type { CatchUp } from '../../../shared/domain/territory/model.js';
import { compiled, config, repId } from '../territory/fixtures.js';

/**
 * A rep (even) or group (weighted) away for a while, then back: how many of the next leads it gets
 * under each catch-up policy. Rep 1 / group A is out of office Dec 1–10; leads arrive every hour.
 */
const AWAY = { outOfOffice: [{ from: '2026-12-01', to: '2026-12-10', timeZone: 'UTC' }] };

function model(method: 'even' | 'weighted', catchUp: CatchUp | undefined) {
  const reps = [1, 2, 3, 4].map((n) => ({
    key: `rep0${n}`,
    id: repId(n),
    name: `Rep ${n}`,
    ...(n === 1 ? AWAY : {}),
  }));
  const territory =
    method === 'even'
      ? { participants: ['rep01', 'rep02', 'rep03', 'rep04'] }
      : {
          distribution: { method: 'weighted' },
          groups: [
            { id: 'A', participants: ['rep01'], weight: 50 },
            { id: 'B', participants: ['rep02', 'rep03', 'rep04'], weight: 50 },
          ],
        };
  return compiled(
    config({
      timeZone: 'UTC',
      reps,
      territories: [{ id: 'T', name: 'Test', priority: 1, ...territory, ...(catchUp ? { catchUp } : {}) }],
    }),
  );
}

/** Leads every hour from `fromIso`; the share rep 1 got of each day's leads after its return. */
function run(m: CompiledModel, fromIso: string, hours: number, start: DistributionSnapshot = EMPTY_SNAPSHOT) {
  let snapshot = start;
  const perDay = new Map<string, number>();
  for (let h = 0; h < hours; h++) {
    const at = Date.parse(fromIso) + h * 3_600_000;
    const decision = distribute(m, m.match({}), {}, snapshot, { now: at });
    snapshot = applyStateChange(snapshot, decision.stateChange!);
    const day = new Date(at).toISOString().slice(0, 10);
    if (decision.ownerId === repId(1)) perDay.set(day, (perDay.get(day) ?? 0) + 1);
  }
  return { snapshot, perDay };
}

describe('catch-up for a rep or group back from vacation', () => {
  it.each([
    // [method, policy, rep 1's leads on its first day back (24 leads), on the second day]
    ['even', undefined, 6, 6], // the default is none: back in the rotation, a quarter of the leads
    ['even', 'none', 6, 6],
    ['even', 'full', 24, 24], // every lead until even (60 owed after 10 days away)
    ['weighted', undefined, 14, 12], // group A back at its 50% after at most two leads of rounding
    ['weighted', 'none', 14, 12],
    ['weighted', 'full', 24, 24], // the behaviour before catch-up existed: every lead until even
  ] as const)(
    '%s with catch-up %j gives the returning rep %i then %i leads a day',
    (method, policy, day1, day2) => {
      const m = model(method, policy as CatchUp | undefined);
      // Ten days away with 24 leads a day, then two days back.
      const away = run(m, '2026-12-01T00:00:00Z', 240);
      expect(away.perDay.size).toBe(0);
      const back = run(m, '2026-12-11T00:00:00Z', 48, away.snapshot);
      expect([back.perDay.get('2026-12-11') ?? 0, back.perDay.get('2026-12-12') ?? 0]).toEqual([day1, day2]);
    },
  );

  it('keeps steady-state shares untouched: nothing is forgiven or owed when nobody is away', () => {
    for (const weights of [
      [70, 30],
      [50, 30, 20],
      [1, 1, 98],
      [17, 23, 29, 31],
    ]) {
      const total = weights.reduce((a, b) => a + b, 0);
      const given = weights.map(() => 0);
      for (let n = 0; n < 500; n++) {
        const results = catchUpDeficits(
          'none',
          n,
          weights.map((w, i) => ({
            id: String(i),
            share: w / total,
            given: given[i]!,
            offset: 0,
          })),
        );
        expect(results.every((r) => r.addOffset === 0)).toBe(true);
        const best = results.reduce((b, r, i) => (r.deficit > results[b]!.deficit + 1e-9 ? i : b), 0);
        given[best]!++;
      }
      weights.forEach((w, i) => {
        expect(Math.abs(given[i]! - (w / total) * 500)).toBeLessThan(2);
      });
    }
  });

  it('refuses an unknown catch-up and names the policy in the selection', () => {
    expect(() => model('even', 'some' as CatchUp)).toThrow();
    const decision = distribute(model('even', 'full'), model('even', 'full').match({}), {}, EMPTY_SNAPSHOT, {
      now: Date.parse('2026-12-11T00:00:00Z'),
    });
    expect(decision.trace.selection).toBe('Even share, catch-up full');
  });
});
