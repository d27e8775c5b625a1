import { describe, expect, it } from 'vitest';
import { longestProcessingTime, roundRobin } from '../../../shared/domain/planning/baselines.js';
import { account, rep } from './fixtures.js';

const reps = [rep('R1'), rep('R2')];
const accounts = [
  account('A', { revenuePotential: 10 }),
  account('B', { revenuePotential: 40 }),
  account('C', { revenuePotential: 30 }),
  account('D', { revenuePotential: 20, named: true, currentOwnerId: 'R2' }),
];
const spec = { accounts, reps, maxAccounts: [3, 3] };

describe('baselines', () => {
  it('round robin deals free accounts in turn and keeps named accounts', () => {
    expect([...roundRobin(spec)]).toEqual([0, 1, 0, 1]);
  });

  it('LPT gives the largest account to the rep with the least revenue so far', () => {
    // R2 starts with D (20): B (40) → R1, C (30) → R2 (20 < 40), A (10) → R1 (40 < 50).
    expect([...longestProcessingTime(spec)]).toEqual([0, 0, 1, 1]);
  });

  it('never fills a rep past its maximum', () => {
    const owner = longestProcessingTime({ ...spec, maxAccounts: [1, 3] });
    expect([...owner].filter((r) => r === 0)).toHaveLength(1);
  });
});
