import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  capacityConfigSchema,
  headroom,
  headroomForRun,
  newLimitByRatio,
  ratioRulePasses,
  DEFAULT_CAPACITY_RULES as rules,
  rulesFor,
  statusCategory,
} from '../../../shared/domain/capacity/capacity.js';

const counts = (open: number, fresh: number) => ({ open, new: fresh, inProgress: open - fresh });

describe('headroom', () => {
  it.each([
    ['no open leads', counts(0, 0), 40],
    ['ratio exactly 55%', counts(20, 9), 31],
    ['ratio just under 55%', counts(20, 10), 0],
    ['new at 40', { open: 100, new: 40, inProgress: 60 }, 0],
    ['total at 250', { open: 250, new: 10, inProgress: 240 }, 0],
    ['open nearly full', { open: 245, new: 0, inProgress: 245 }, 5],
    ['new nearly full', { open: 100, new: 38, inProgress: 62 }, 2],
  ])('%s', (_name, c, expected) => {
    expect(headroom(c, rules)).toBe(expected);
  });

  it('applies per-rep overrides over the defaults', () => {
    const config = capacityConfigSchema.parse({ overrides: { '005A': { maxNew: 10 } } });
    expect(rulesFor(config, '005A')).toEqual({ maxOpen: 250, maxNew: 10, minInProgressRatio: 0.55 });
    expect(headroom(counts(0, 0), rulesFor(config, '005A'))).toBe(10);
    expect(rulesFor(config, '005B').maxNew).toBe(40);
  });
});

describe('newLimitByRatio', () => {
  it('agrees with the ratio rule for every count', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 300 }),
        fc.integer({ min: 0, max: 300 }),
        fc.double({ min: 0.05, max: 0.95, noNaN: true }),
        (fresh, inProgress, r) => {
          const custom = { ...rules, minInProgressRatio: Math.round(r * 100) / 100 };
          const passes = ratioRulePasses({ open: fresh + inProgress, new: fresh, inProgress }, custom);
          expect(fresh <= newLimitByRatio(inProgress, custom)).toBe(passes);
        },
      ),
    );
  });
});

describe('statusCategory', () => {
  it('maps configured statuses case-insensitively', () => {
    const config = capacityConfigSchema.parse({});
    expect(statusCategory(config, 'open - not contacted')).toBe('new');
    expect(statusCategory(config, 'Working - Contacted')).toBe('inProgress');
    expect(statusCategory(config, 'Closed - Converted')).toBe('closed');
    expect(statusCategory(config, 'Nurture')).toBe('unknown');
  });
});

describe('per-rep overrides at the edges', () => {
  const config = capacityConfigSchema.parse({
    overrides: {
      '005SENIOR': { maxOpen: 300, maxNew: 60 },
      '005RAMP': { maxNew: 10, minInProgressRatio: 0.3 },
    },
  });
  it.each([
    ['default rep, 0 open', 'x', counts(0, 0), 40],
    ['default rep, exactly 55% in progress', 'x', counts(20, 9), 31],
    ['default rep, new = 40', 'x', { open: 100, new: 40, inProgress: 60 }, 0],
    ['default rep, total = 250', 'x', { open: 250, new: 0, inProgress: 250 }, 0],
    ['senior, new = 40 is under their 60', '005SENIOR', { open: 100, new: 40, inProgress: 60 }, 20],
    ['senior, total = 250 is under their 300', '005SENIOR', { open: 250, new: 0, inProgress: 250 }, 50],
    ['ramping rep, 0 open', '005RAMP', counts(0, 0), 10],
    ['ramping rep, 45% in progress passes their 30%', '005RAMP', counts(11, 6), 4],
  ])('%s', (_name, repId, c, expected) => {
    expect(headroom(c, rulesFor(config, repId))).toBe(expected);
  });
});

describe('headroomForRun', () => {
  const stored = (fresh: number, inProgress: number) => ({
    ...counts(fresh + inProgress, fresh),
    newLimitByRatio: newLimitByRatio(inProgress, rules),
  });
  it.each([
    // With nothing open the ratio rule lets the first lead through, then blocks until it is worked.
    ['0 open', stored(0, 0), 1],
    ['exactly 55% in progress: one more, as the database condition allows', stored(9, 11), 1],
    ['working well: the new cap binds', stored(0, 200), 40],
    ['12 new, 60 in progress: 28 of headroom, ratio bound 38', stored(12, 60), 28],
    ['new = 40', stored(40, 100), 0],
    ['total = 250', stored(0, 250), 0],
    ['ratio below 55%', stored(10, 10), 0],
  ])('%s', (_name, c, expected) => {
    expect(headroomForRun(c, rules)).toBe(expected);
  });

  it('is never more than headroom', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 300 }), (fresh, inProgress) => {
        const c = stored(fresh, inProgress);
        expect(headroomForRun(c, rules)).toBeLessThanOrEqual(headroom(c, rules));
      }),
    );
  });
});
