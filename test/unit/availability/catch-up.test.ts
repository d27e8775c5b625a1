import { describe, expect, it } from 'vitest';
import { catchUpDeficits } from '../../../shared/domain/territory/catch-up.js';
import type { CompiledModel } from '../../../shared/domain/territory/compile-model.js';
import { diffModels } from '../../../shared/domain/territory/diff.js';
import { distribute } from '../../../shared/domain/territory/distribution.js';
import {
  applyStateChange,
  catchUpKey,
  type DistributionSnapshot,
  EMPTY_SNAPSHOT,
} from '../../../shared/domain/territory/distribution-state.js';
import type { CatchUp } from '../../../shared/domain/territory/model.js';
import { formatProblem, validateTerritoryConfig } from '../../../shared/domain/territory/validate.js';
import { compiled, config, lookup, repId, validModel } from '../territory/fixtures.js';

/**
 * A rep (even) or group (weighted) away for a while, then back: how many of the next leads it gets
 * under each catch-up policy. Rep 1 / group A is out of office Dec 1–10; leads arrive every hour.
 */
const AWAY = { outOfOffice: [{ from: '2026-12-01', to: '2026-12-10', timeZone: 'UTC' }] };

function model(
  method: 'even' | 'weighted',
  catchUp: CatchUp | undefined,
  { away = AWAY as object, timeZone = 'UTC' } = {},
) {
  const reps = [1, 2, 3, 4].map((n) => ({
    key: `rep0${n}`,
    id: repId(n),
    name: `Rep ${n}`,
    ...(n === 1 ? away : {}),
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
      timeZone,
      reps,
      territories: [{ id: 'T', name: 'Test', priority: 1, ...territory, ...(catchUp ? { catchUp } : {}) }],
    }),
  );
}

/** Leads every hour from `fromIso`; the share rep 1 got of each day's leads after its return. */
function run(
  m: CompiledModel,
  fromIso: string,
  hours: number,
  start: DistributionSnapshot = EMPTY_SNAPSHOT,
  onDecision?: (before: DistributionSnapshot, after: DistributionSnapshot) => void,
) {
  let snapshot = start;
  const perDay = new Map<string, number>();
  for (let h = 0; h < hours; h++) {
    const at = Date.parse(fromIso) + h * 3_600_000;
    const decision = distribute(m, m.match({}), {}, snapshot, { now: at });
    const before = snapshot;
    snapshot = applyStateChange(snapshot, decision.stateChange!);
    onDecision?.(before, snapshot);
    const day = new Date(at).toISOString().slice(0, 10);
    if (decision.ownerId === repId(1)) perDay.set(day, (perDay.get(day) ?? 0) + 1);
  }
  return { snapshot, perDay };
}

const counted = (s: DistributionSnapshot, key: string) => s.counts[key] ?? 0;

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

describe('partial catch-up: what was forgiven, at most K extra leads a day', () => {
  // Rep 1 (even, a quarter) or group A (weighted, a half) away Dec 1–2: 48 leads go to the others.
  const TWO_DAYS = { outOfOffice: [{ from: '2026-12-01', to: '2026-12-02', timeZone: 'UTC' }] };

  it.each([
    // [method, K, owed when back, extras each day back, share of a day's 24 leads]
    ['even', 4, 11, [4, 4, 3, 0, 0], 6],
    ['even', 1, 11, [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0], 6],
    ['even', 20, 11, [11, 0, 0], 6],
    ['weighted', 4, 23, [4, 4, 4, 4, 4, 3, 0, 0], 12],
    ['weighted', 9, 23, [9, 9, 5, 0, 0], 12],
  ] as const)(
    '%s, partial %i: the returning share is owed %i and gets extras %j a day, then its plain share',
    (method, k, owedWhenBack, extrasByDay, plainShare) => {
      const m = model(method, { partial: k }, { away: TWO_DAYS });
      const id = method === 'even' ? repId(1) : 'A';
      const away = run(m, '2026-12-01T00:00:00Z', 48);
      let snapshot = away.snapshot;
      // Forgiven while away (the first decision back may forgive one more).
      let owedAtReturn: number | undefined;
      const extras: number[] = [];
      const plain: number[] = [];
      for (let day = 0; day < extrasByDay.length; day++) {
        const from = `2026-12-${String(3 + day).padStart(2, '0')}T00:00:00Z`;
        const before = snapshot;
        const back = run(m, from, 24, snapshot, (_, after) => {
          owedAtReturn ??= counted(after, catchUpKey.owed(id)) + counted(after, catchUpKey.extras(id));
        });
        snapshot = back.snapshot;
        const gotExtras = counted(snapshot, catchUpKey.extras(id)) - counted(before, catchUpKey.extras(id));
        extras.push(gotExtras);
        plain.push((back.perDay.get(from.slice(0, 10)) ?? 0) - gotExtras);
      }
      expect(owedAtReturn).toBe(owedWhenBack);
      expect(extras).toEqual(extrasByDay);
      // Nothing lost, nothing over-paid: every forgiven lead came back as an extra, and no more.
      expect(counted(snapshot, catchUpKey.extras(id))).toBe(owedWhenBack);
      expect(counted(snapshot, catchUpKey.owed(id))).toBe(0);
      // Besides the extras, its share of the other leads (within the slack of two leads, plus rounding).
      plain.forEach((p, day) => {
        const share = plainShare / 24;
        expect(Math.abs(p - share * (24 - extras[day]!))).toBeLessThanOrEqual(3);
      });
    },
  );

  it('never refills what it pays back: owed only falls while the rep is back, and nobody else is owed', () => {
    // The under-payment seen before: extras moved the deficit, the none clamp forgave them again.
    for (const method of ['even', 'weighted'] as const) {
      const m = model(method, { partial: 3 }, { away: TWO_DAYS });
      const ids = method === 'even' ? [1, 2, 3, 4].map(repId) : ['A', 'B'];
      const away = run(m, '2026-12-01T00:00:00Z', 49);
      const [returning, ...others] = ids;
      run(m, '2026-12-03T01:00:00Z', 24 * 12, away.snapshot, (before, after) => {
        expect(counted(after, catchUpKey.owed(returning!))).toBeLessThanOrEqual(
          counted(before, catchUpKey.owed(returning!)),
        );
        for (const other of others) {
          expect(counted(after, catchUpKey.owed(other))).toBe(0);
          expect(counted(after, catchUpKey.extras(other))).toBe(0);
        }
      });
    }
  });

  it('keeps every deficit where it was when a share gets an extra lead', () => {
    const inputs = [
      { id: 'a', share: 0.25, given: 10, offset: 3, extras: 2, owed: 7, extrasToday: 0 },
      { id: 'b', share: 0.75, given: 40, offset: -3 },
    ];
    const before = catchUpDeficits({ partial: 3 }, inputs);
    const after = catchUpDeficits({ partial: 3 }, [
      { ...inputs[0]!, given: 11, extras: 3, owed: 6, extrasToday: 1 },
      inputs[1]!,
    ]);
    expect(after.map((r) => r.deficit)).toEqual(before.map((r) => r.deficit));
    expect(after.every((r) => r.addOffset === 0)).toBe(true);
    expect(before[0]).toMatchObject({ catchingUp: true, owed: 7 });
    expect(catchUpDeficits({ partial: 1 }, [{ ...inputs[0]!, extrasToday: 1 }, inputs[1]!])[0]).toMatchObject(
      {
        catchingUp: false,
      },
    );
  });

  it('owes a rep new to the territory nothing for the leads before it joined', () => {
    const [fresh] = catchUpDeficits({ partial: 3 }, [
      { id: 'new', share: 0.5, given: 0, offset: 0 },
      { id: 'old', share: 0.5, given: 100, offset: 0, owed: 0 },
    ]);
    expect(fresh).toMatchObject({ addOffset: 49, addOwed: 0, owed: 0, catchingUp: false });
  });

  it('says in the reason and the trace who is catching up, how many today and how many are still owed', () => {
    const m = model('even', { partial: 3 }, { away: TWO_DAYS });
    const { snapshot } = run(m, '2026-12-01T00:00:00Z', 48);
    const first = distribute(m, m.match({}), {}, snapshot, { now: Date.parse('2026-12-03T00:00:00Z') });
    expect(first.ownerId).toBe(repId(1));
    expect(first.trace.selection).toBe(
      'Even share, catch-up partial (3 a day); catching up first: Rep 1 (11 owed, 0 of 3 extras today)',
    );
    const next = applyStateChange(snapshot, first.stateChange!);
    const second = distribute(m, m.match({}), {}, next, { now: Date.parse('2026-12-03T01:00:00Z') });
    expect(second.reason).toContain(
      'Even share, catch-up partial (3 a day): Rep 1 catching up, extra 2 of 3 today, 9 still owed',
    );
    const weighted = model('weighted', { partial: 2 }, { away: TWO_DAYS });
    const w = run(weighted, '2026-12-01T00:00:00Z', 48).snapshot;
    const decision = distribute(weighted, weighted.match({}), {}, w, {
      now: Date.parse('2026-12-03T00:00:00Z'),
    });
    expect(decision.reason).toContain(
      'Weighted, catch-up partial (2 a day): group "A" catching up, extra 1 of 2 today, 22 still owed',
    );
  });
});

describe('the day of partial catch-up is the rep’s own local day', () => {
  // Rep 1 owes 5 and already had its 2 extras on Wed Dec 2; all shares are even otherwise.
  const state = (id: string, ids: readonly string[], day: string): DistributionSnapshot => ({
    version: 40,
    turns: { [catchUpKey.day(id)]: Date.parse(day) / 86_400_000 },
    counts: {
      total: 40,
      ...Object.fromEntries(ids.flatMap((x) => [[catchUpKey.owed(x), 0]])),
      [catchUpKey.owed(id)]: 5,
      [catchUpKey.extrasToday(id)]: 2,
    },
  });

  it.each([
    // [method, zone of the day, instant, local time, a new day?]
    ['even', 'America/Toronto', '2026-12-03T00:00:00Z', 'Wed 19:00 Toronto (UTC midnight)', false],
    ['even', 'America/Toronto', '2026-12-03T04:59:59Z', 'Wed 23:59:59 Toronto', false],
    ['even', 'America/Toronto', '2026-12-03T05:00:00Z', 'Thu 00:00 Toronto', true],
    ['even', 'Asia/Kolkata', '2026-12-02T18:29:59Z', 'Wed 23:59:59 Kolkata', false],
    ['even', 'Asia/Kolkata', '2026-12-02T18:30:00Z', 'Thu 00:00 Kolkata', true],
    ['weighted', 'America/Toronto', '2026-12-03T04:59:00Z', 'Wed 23:59 Toronto (model zone)', false],
    ['weighted', 'America/Toronto', '2026-12-03T05:00:00Z', 'Thu 00:00 Toronto (model zone)', true],
    ['weighted', 'UTC', '2026-12-03T00:00:00Z', 'Thu 00:00 UTC', true],
  ] as const)('%s in %s at %s (%s): a new day of extras is %s', (method, zone, at, _local, newDay) => {
    // The rep's calendar zone counts for even; weighted groups count in the model's zone.
    const m =
      method === 'even'
        ? model('even', { partial: 2 }, { away: { timeZone: zone } })
        : model('weighted', { partial: 2 }, { away: {}, timeZone: zone });
    const id = method === 'even' ? repId(1) : 'A';
    const ids = method === 'even' ? [1, 2, 3, 4].map(repId) : ['A', 'B'];
    const snapshot = state(id, ids, '2026-12-02');
    const counts = { ...snapshot.counts };
    // Even counts so that without the extras lane the rotation prefers nobody.
    for (const x of ids) counts[method === 'even' ? `rep:${x}` : `group:${x}`] = 40 / ids.length;
    const decision = distribute(m, m.match({}), {}, { ...snapshot, counts }, { now: Date.parse(at) });
    const change = decision.stateChange!;
    if (newDay) {
      expect(decision.ownerId).toBe(repId(1));
      expect(change.setTurns[catchUpKey.day(id)]).toBe(Date.parse('2026-12-03') / 86_400_000);
      // The day's count starts again at 1: add 1 − 2.
      expect(change.addCounts).toMatchObject({
        [catchUpKey.extrasToday(id)]: -1,
        [catchUpKey.owed(id)]: -1,
        [catchUpKey.extras(id)]: 1,
      });
      expect(decision.reason).toContain('catching up, extra 1 of 2 today, 4 still owed');
    } else {
      expect(decision.trace.selection).not.toContain('catching up');
      expect(change.addCounts[catchUpKey.extras(id)]).toBeUndefined();
      expect(change.setTurns[catchUpKey.day(id)]).toBeUndefined();
    }
  });
});

describe('catchUp in the territory model', () => {
  const territory = (extra: Record<string, unknown>) =>
    config({
      territories: [{ id: 'T', name: 'Test', priority: 1, participants: ['rep01', 'rep02'], ...extra }],
    });
  const problems = (input: unknown) => {
    const result = validateTerritoryConfig(input, { postalCentroid: lookup });
    return result.ok ? [] : result.problems.map((p) => formatProblem(p));
  };

  it.each([
    ['none', 'none'],
    ['full', 'full'],
    [{ partial: 3 }, { partial: 3 }],
  ] as const)('accepts catchUp %j', (catchUp, stored) => {
    expect(validModel(territory({ catchUp })).territories[0]?.catchUp).toEqual(stored);
  });

  const expected = 'catchUp: expected none, full or { partial: K } with K a whole number from 1 to 1000';
  it.each([
    [{ partial: 0 }, 'catchUp.partial: Too small: expected number to be >=1'],
    [{ partial: 1.5 }, expected],
    [{ partial: -2 }, 'catchUp.partial: Too small'],
    [{ partial: '3' }, expected],
    [{ partial: 3, max: 4 }, 'catchUp: unknown field "max"'],
    ['some', expected],
    [{ full: true }, expected],
  ])('refuses catchUp %j: %s', (catchUp, message) => {
    expect(problems(territory({ catchUp })).join('\n')).toContain(`territories[0].${message}`);
  });

  it.each([[{ method: 'by-product' }], [{ method: 'proximity', mode: 'closest' }]])(
    'refuses catchUp on a territory distributed %j, saying why',
    (distribution) => {
      const input = config({
        territories: [
          {
            id: 'T',
            name: 'Test',
            priority: 1,
            distribution,
            groups: [{ id: 'g', participants: ['rep01'], location: { postalCode: 'M5V' } }],
            catchUp: { partial: 2 },
          },
        ],
      });
      expect(problems(input)).toContainEqual(
        expect.stringMatching(
          /^territories\[0\]\.catchUp: territory "T": catchUp applies to even and weighted distribution only, not (by-product|proximity)/,
        ),
      );
    },
  );

  it('shows a change of catch-up in words', () => {
    const before = validModel(territory({}));
    const after = validModel(territory({ catchUp: { partial: 3 } }));
    expect(diffModels(before, after).territories.changed[0]?.changes).toContain(
      'catch-up: none → partial (3 a day)',
    );
  });
});
