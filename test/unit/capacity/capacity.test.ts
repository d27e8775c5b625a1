import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  capacityConfigSchema,
  headroom,
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
