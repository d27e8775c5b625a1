import { InMemoryAccountIndex } from '../../shared/domain/accounts/account-index.js';
import { emailDomain } from '../../shared/domain/accounts/web-domain.js';
import { type EvaluationSet, generateEvaluationSet, scoreMatches } from '../support/accounts-data.js';
import { bench } from './harness.js';

/**
 * Lead-to-account matching: precision and recall on the labelled evaluation set (test/support/accounts-data.ts),
 * and throughput on one core against a million accounts in memory. Throughput is leads per second of this
 * process's CPU time, because the shared machine's wall clock mostly measures other people's work; the
 * baseline is the cheapest possible matcher (one exact e-mail-domain lookup a lead) timed the same way.
 */

const EVAL = { accounts: 3000, leads: 5000 };
const LARGE = { accounts: 1_000_000, leads: 100_000 };

interface Loaded {
  set: EvaluationSet;
  index: InMemoryAccountIndex;
  buildCpuMs: number;
}

const cache = new Map<number, Loaded>();

function load(spec: { accounts: number; leads: number }): Loaded {
  const hit = cache.get(spec.accounts);
  if (hit) return hit;
  const set = generateEvaluationSet(spec);
  const start = cpuMs();
  const index = new InMemoryAccountIndex(set.accounts);
  const loaded = { set, index, buildCpuMs: cpuMs() - start };
  cache.set(spec.accounts, loaded);
  return loaded;
}

function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

function evaluate({ set, index }: Loaded) {
  return scoreMatches(
    set.leads,
    set.leads.map((lead) => index.match(lead).match?.account.id),
  );
}

const large = `${LARGE.leads}-leads-${LARGE.accounts}-accounts`;
const small = `${EVAL.leads}-leads-${EVAL.accounts}-accounts`;

export const benches = [
  bench({
    name: `accounts/eval/precision/${small}`,
    unit: 'ratio',
    runs: 1,
    warmup: 0,
    notes: 'goal ≥ 0.97; matches that are right / all matches made',
    setup: () => load(EVAL),
    run: (loaded) => evaluate(loaded).precision,
  }),
  bench({
    name: `accounts/eval/recall/${small}`,
    unit: 'ratio',
    runs: 1,
    warmup: 0,
    notes: 'goal ≥ 0.90; matches that are right / leads that have an account',
    setup: () => load(EVAL),
    run: (loaded) => evaluate(loaded).recall,
  }),
  bench({
    name: `accounts/eval/precision/${large}`,
    unit: 'ratio',
    runs: 1,
    warmup: 0,
    notes: 'the same lead mix against a million accounts, where more look-alike names exist',
    setup: () => load(LARGE),
    run: (loaded) => evaluate(loaded).precision,
  }),
  bench({
    name: `accounts/eval/recall/${large}`,
    unit: 'ratio',
    runs: 1,
    warmup: 0,
    setup: () => load(LARGE),
    run: (loaded) => evaluate(loaded).recall,
  }),
  bench({
    name: `accounts/index-build/${LARGE.accounts}-accounts`,
    unit: 'ms',
    runs: 1,
    warmup: 0,
    notes: 'CPU time to normalise and file a million accounts under their lookup keys',
    setup: () => load(LARGE),
    run: (loaded) => loaded.buildCpuMs,
  }),
  bench({
    name: `accounts/match-domain-only/${large}`,
    unit: 'leads/s',
    runs: 3,
    notes: 'baseline: one exact e-mail-domain lookup per lead, CPU time',
    setup: () => load(LARGE),
    run: ({ set, index }) => {
      const start = cpuMs();
      let found = 0;
      for (const lead of set.leads) {
        const domain = emailDomain(lead.email);
        if (domain && index.lookup([`d:${domain.domain}`])[0]?.length) found++;
      }
      return found >= 0 ? (set.leads.length / (cpuMs() - start)) * 1000 : 0;
    },
  }),
  bench({
    name: `accounts/match/${large}`,
    unit: 'leads/s',
    runs: 3,
    baseline: `accounts/match-domain-only/${large}`,
    notes: 'goal ≥ 20,000 leads/s on one core (CPU time); in-memory index',
    setup: () => load(LARGE),
    run: ({ set, index }) => {
      const start = cpuMs();
      for (const lead of set.leads) index.match(lead);
      return (set.leads.length / (cpuMs() - start)) * 1000;
    },
  }),
];
