import { describe, expect, it } from 'vitest';
import type { CompiledModel } from '../../../shared/domain/territory/compile-model.js';
import {
  type Decision,
  type DistributionContext,
  distribute,
} from '../../../shared/domain/territory/distribution.js';
import {
  applyStateChange,
  type DistributionSnapshot,
  EMPTY_SNAPSHOT,
  StaleSnapshotError,
} from '../../../shared/domain/territory/distribution-state.js';
import type { Lead } from '../../../shared/domain/territory/lead.js';
import { BUILT_IN_PLUGINS, type DistributionPlugins } from '../../../shared/domain/territory/plugins.js';
import { compiled, config, REVIEW_QUEUE, repId, reps } from './fixtures.js';

const NOW = new Date('2026-11-20T15:00:00Z');
const context: DistributionContext = { now: NOW };

/** A one-territory model that matches every lead. */
function territoryModel(
  territory: Record<string, unknown>,
  extra: Record<string, unknown> = {},
  plugins?: DistributionPlugins,
) {
  return compiled(
    config({ territories: [{ id: 'T', name: 'Test', priority: 1, ...territory }], ...extra }),
    plugins,
  );
}

function decide(
  model: CompiledModel,
  lead: Lead = {},
  snapshot: DistributionSnapshot = EMPTY_SNAPSHOT,
  ctx = context,
) {
  return distribute(model, model.match(lead), lead, snapshot, ctx);
}

/** Distribute `count` leads in a row, applying each state change as the store would. */
function run(model: CompiledModel, count: number, lead: Lead | ((i: number) => Lead) = {}, ctx = context) {
  let snapshot = EMPTY_SNAPSHOT;
  const decisions: Decision[] = [];
  for (let i = 0; i < count; i++) {
    const l = typeof lead === 'function' ? lead(i) : lead;
    const decision = decide(model, l, snapshot, ctx);
    if (decision.stateChange) snapshot = applyStateChange(snapshot, decision.stateChange);
    decisions.push(decision);
  }
  return { decisions, snapshot, owners: decisions.map((d) => d.ownerName) };
}

function tally(owners: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const owner of owners) counts[owner] = (counts[owner] ?? 0) + 1;
  return counts;
}

describe('Even', () => {
  const model = territoryModel({ participants: ['rep01', 'rep02', 'rep03'] });

  it('rotates through every participant in turn', () => {
    expect(run(model, 7).owners).toEqual(['Rep 1', 'Rep 2', 'Rep 3', 'Rep 1', 'Rep 2', 'Rep 3', 'Rep 1']);
  });

  it('returns the state change to store with the decision', () => {
    const decision = decide(model, {}, { version: 4, turns: { rotation: 5 }, counts: {} });
    expect(decision.stateChange).toEqual({
      territoryId: 'T',
      expectedVersion: 4,
      nextVersion: 5,
      setTurns: { rotation: 6 },
      addCounts: { total: 1, 'group:main': 1, [`rep:${repId(3)}`]: 1 },
    });
  });

  it('writes the reason in the documented shape, naming who was skipped and why', () => {
    const toronto = compiled(
      config({
        reps: reps(4, {
          1: { name: 'Jane Doe' },
          4: { name: 'Raj Patel', outOfOffice: [{ from: '2026-11-16', to: '2026-11-30' }] },
        }),
        categories: [
          { id: 'canada', name: 'Canada', expression: 'Country = "Canada"' },
          { id: 'ontario', name: 'Ontario', parent: 'canada' },
          { id: 'gta', name: 'GTA', parent: 'ontario' },
        ],
        territories: [
          {
            id: 'toronto-core',
            name: 'Toronto Core',
            category: 'gta',
            priority: 2,
            expression: 'PostalCode STARTS WITH ("M5", "M4")',
            participants: ['rep01', 'rep02', 'rep03', 'rep04'],
          },
        ],
      }),
    );
    const lead = { Country: 'Canada', PostalCode: 'M5V 3L9' };
    const decision = decide(toronto, lead, { version: 16, turns: { rotation: 15 }, counts: {} });
    expect(decision.reason).toBe(
      '→ Jane Doe, Toronto Core, even rotation; ' +
        'Territory "Toronto Core" (priority 2; Canada > Ontario > GTA) matched PostalCode starts with "M5"; ' +
        'Even rotation (turn 17, 4 participants); skipped Raj Patel: out of office until 2026-11-30',
    );
    expect(decision.trace).toMatchObject({
      territory: { id: 'toronto-core', priority: 2, path: ['Canada', 'Ontario', 'GTA'] },
      method: 'even',
      skipped: [
        {
          repId: repId(4),
          repName: 'Raj Patel',
          reason: 'out-of-office',
          detail: 'out of office until 2026-11-30',
        },
      ],
      chosen: { repId: repId(1), groupId: 'main', turn: 17 },
    });
  });
});

describe('skipping reps that cannot take a lead', () => {
  const team = (overrides: Record<number, Record<string, unknown>>) =>
    compiled(
      config({
        reps: reps(3, overrides),
        territories: [{ id: 'T', priority: 1, participants: ['rep01', 'rep02', 'rep03'] }],
      }),
    );

  it.each<[string, Record<number, Record<string, unknown>>, DistributionContext, string, string]>([
    ['inactive', { 1: { active: false } }, context, 'Rep 2', 'skipped Rep 1: inactive'],
    [
      'out of office (local dates in the model time zone)',
      { 1: { outOfOffice: [{ from: '2026-11-20', to: '2026-11-20' }] } },
      context,
      'Rep 2',
      'skipped Rep 1: out of office until 2026-11-20',
    ],
    [
      'out of office in its own time zone',
      {
        1: { outOfOffice: [{ from: '2026-11-20T09:00', to: '2026-11-20T17:00', timeZone: 'Europe/London' }] },
      },
      context,
      'Rep 2',
      'skipped Rep 1: out of office until 2026-11-20T17:00',
    ],
    [
      'at capacity (headroom map)',
      {},
      { now: NOW, headroom: new Map([[repId(1), 0]]) },
      'Rep 2',
      'skipped Rep 1: at capacity',
    ],
    [
      'at capacity (headroom function)',
      {},
      { now: NOW, headroom: (id) => (id === repId(2) ? 5 : -1) },
      'Rep 2',
      'skipped Rep 1: at capacity',
    ],
  ])('skips a rep who is %s', (_name, overrides, ctx, owner, skipped) => {
    const decision = decide(team(overrides), {}, EMPTY_SNAPSHOT, ctx);
    expect(decision.ownerName).toBe(owner);
    expect(decision.reason).toContain(skipped);
    // Another rep's counters stay in the trace; the reason reaches Salesforce, where reps read it.
    expect(decision.reason).not.toMatch(/headroom/);
  });

  it.each([
    ['before the window', '2026-11-19T23:00:00-05:00', 'Rep 1'],
    ['at its start', '2026-11-20T00:00:00-05:00', 'Rep 2'],
    ['on the last day', '2026-11-30T23:59:00-05:00', 'Rep 2'],
    ['after it', '2026-12-01T00:00:00-05:00', 'Rep 1'],
  ])('respects an out-of-office window %s', (_name, now, owner) => {
    const model = team({ 1: { outOfOffice: [{ from: '2026-11-20', to: '2026-11-30' }] } });
    expect(decide(model, {}, EMPTY_SNAPSHOT, { now: new Date(now) }).ownerName).toBe(owner);
  });

  it('treats a rep the headroom does not know as having room (the database enforces the cap)', () => {
    expect(decide(team({}), {}, EMPTY_SNAPSHOT, { now: NOW, headroom: new Map() }).ownerName).toBe('Rep 1');
  });

  it('sends the lead to the default owner when nobody is eligible, saying why', () => {
    const decision = decide(team({ 1: { active: false }, 2: { active: false } }), {}, EMPTY_SNAPSHOT, {
      now: NOW,
      headroom: new Map([[repId(3), 0]]),
    });
    expect(decision).toMatchObject({
      kind: 'default',
      ownerId: REVIEW_QUEUE,
      territoryId: 'T',
      candidates: [],
    });
    expect(decision.stateChange).toBeUndefined();
    expect(decision.reason).toBe(
      '→ Lead Review queue: no eligible rep in T; Territory "T" (priority 1) matched (no conditions); ' +
        'skipped Rep 1: inactive; skipped Rep 2: inactive; skipped Rep 3: at capacity',
    );
    expect(decision.trace.fallback).toBe('no-eligible-rep');
  });
});

describe('account owner first', () => {
  const team = (accountOwnerFirst: boolean, overrides: Record<number, Record<string, unknown>> = {}) =>
    compiled(
      config({
        reps: reps(4, overrides),
        territories: [
          { id: 'T', name: 'Test', priority: 1, participants: ['rep01', 'rep02'], accountOwnerFirst },
        ],
      }),
    );
  const ofAcme = (ownerId: string): Lead => ({
    'Account.OwnerId': ownerId,
    'Account.Name': 'Acme Corporation',
    'MatchedAccount.Confidence': 0.97,
  });

  it("gives the lead to the matched account's owner, even one outside the territory's groups", () => {
    const decision = decide(team(true), ofAcme(repId(4).slice(0, 15)));
    expect(decision.ownerName).toBe('Rep 4');
    expect(decision.reason).toContain('Account owner of "Acme Corporation" (match confidence 0.97)');
    // The rotation does not move: the owner took it outside the turn order.
    expect(decision.stateChange?.setTurns).toEqual({});
    expect(decision.trace.selection).toMatch(/^Account owner first, then Even rotation/);
  });

  it.each<[string, Record<number, Record<string, unknown>>, DistributionContext, string]>([
    ['inactive', { 4: { active: false } }, context, 'skipped Rep 4: inactive'],
    ['at capacity', {}, { now: NOW, headroom: new Map([[repId(4), 0]]) }, 'skipped Rep 4: at capacity'],
  ])(
    'falls back to the territory method when the owner is %s, saying so',
    (_name, overrides, ctx, skipped) => {
      const decision = decide(team(true, overrides), ofAcme(repId(4)), EMPTY_SNAPSHOT, ctx);
      expect(decision.ownerName).toBe('Rep 1');
      expect(decision.reason).toContain(skipped);
    },
  );

  it('uses the method when there is no matched account or its owner is not a rep of the model', () => {
    expect(decide(team(true), {}).trace.selection).toMatch(/account owner first: no matched account/);
    const stranger = decide(team(true), ofAcme('005000000000999AAA'));
    expect(stranger.ownerName).toBe('Rep 1');
    expect(stranger.trace.selection).toMatch(/owner 005000000000999AAA is not a rep of the model/);
  });

  it('ignores the account owner unless the territory asks for it', () => {
    expect(decide(team(false), ofAcme(repId(4))).ownerName).toBe('Rep 1');
  });
});

describe('no matching territory', () => {
  it('goes to the default owner with the reason', () => {
    const model = territoryModel({ expression: 'Country = "Canada"', participants: ['rep01'] });
    const decision = decide(model, { Country: 'USA' });
    expect(decision).toMatchObject({
      kind: 'default',
      ownerId: REVIEW_QUEUE,
      ownerName: 'Lead Review',
      candidates: [],
    });
    expect(decision.reason).toBe('→ Lead Review queue: no territory matched');
    expect(decision.trace.fallback).toBe('no-match');
  });

  it('may name a rep as the default owner', () => {
    const model = compiled(config({ defaultOwner: 'rep06', territories: [] }));
    expect(decide(model)).toMatchObject({ kind: 'default', ownerId: repId(6), ownerName: 'Rep 6' });
  });
});

describe('candidates for the caller to fall back on', () => {
  it('lists every eligible rep in order, each with its own state change', () => {
    const model = compiled(
      config({
        reps: reps(4, { 2: { active: false } }),
        territories: [{ id: 'T', priority: 1, participants: ['rep01', 'rep02', 'rep03', 'rep04'] }],
      }),
    );
    const decision = decide(model, {}, { version: 7, turns: { rotation: 1 }, counts: {} });
    expect(decision.candidates.map((c) => [c.repName, c.stateChange.setTurns.rotation])).toEqual([
      ['Rep 3', 3],
      ['Rep 4', 4],
      ['Rep 1', 5],
    ]);
    expect(decision.candidates.every((c) => c.stateChange.expectedVersion === 7)).toBe(true);
    expect(decision.candidates[1]!.reason).toContain(
      'Even rotation (turn 4, 4 participants); skipped Rep 2: inactive',
    );
    expect(decision.ownerId).toBe(decision.candidates[0]!.repId);
    // When the database refuses all of them for capacity, the caller falls back to the default owner.
    expect(decision.fallback).toEqual({
      ownerId: REVIEW_QUEUE,
      ownerName: 'Lead Review',
      reason:
        '→ Lead Review queue: no rep with capacity in T; ' +
        'Territory "T" (priority 1) matched (no conditions); every eligible rep was at capacity (Rep 3, Rep 4, Rep 1)',
    });
  });

  it('refuses to apply a change made from a stale snapshot', () => {
    const model = territoryModel({ participants: ['rep01'] });
    const change = decide(model, {}, { version: 3, turns: {}, counts: {} }).stateChange!;
    expect(() => applyStateChange({ version: 4, turns: {}, counts: {} }, change)).toThrow(StaleSnapshotError);
  });
});

describe('Weighted', () => {
  const groups = (a: number, b: number) => ({
    distribution: { method: 'weighted' },
    groups: [
      { id: 'senior', name: 'Senior', weight: a, participants: ['rep01', 'rep02'] },
      { id: 'junior', name: 'Junior', weight: b, participants: ['rep03'] },
    ],
  });

  it('gives each group its percentage of the leads', () => {
    const { decisions, snapshot } = run(territoryModel(groups(70, 30)), 100);
    expect(tally(decisions.map((d) => d.groupId!))).toEqual({ senior: 70, junior: 30 });
    expect(snapshot.counts).toMatchObject({ total: 100, 'group:senior': 70, 'group:junior': 30 });
    // Inside a group the participants rotate evenly.
    expect(snapshot.counts[`rep:${repId(1)}`]).toBe(35);
  });

  it('stays within one lead of the exact share at every point', () => {
    const { decisions } = run(territoryModel(groups(60, 40)), 50);
    let senior = 0;
    decisions.forEach((d, i) => {
      if (d.groupId === 'senior') senior++;
      expect(Math.abs(senior - 0.6 * (i + 1))).toBeLessThanOrEqual(1);
    });
  });

  it('breaks ties by rotation, preferring no group', () => {
    const { decisions } = run(territoryModel(groups(50, 50)), 100);
    // Ties come up at every other lead; their winner alternates.
    expect(
      decisions
        .filter((_, i) => i % 2 === 0)
        .slice(0, 4)
        .map((d) => d.groupId),
    ).toEqual(['senior', 'junior', 'senior', 'junior']);
    expect(tally(decisions.map((d) => d.groupId!))).toEqual({ senior: 50, junior: 50 });
  });

  it('moves to the next group when a group has nobody eligible', () => {
    const model = compiled(
      config({
        reps: reps(3, { 3: { active: false } }),
        territories: [{ id: 'T', priority: 1, ...groups(30, 70) }],
      }),
    );
    const decision = decide(model);
    expect(decision.groupId).toBe('senior');
    expect(decision.reason).toContain('skipped Rep 3: inactive');
  });

  it('explains the share in the reason', () => {
    expect(decide(territoryModel(groups(60, 40))).reason).toContain(
      'Weighted → group "Senior" (60%, 0 of 0 leads so far) (turn 1, 2 participants)',
    );
  });
});

describe('By product', () => {
  const products = [
    { name: 'RouteIQ Enterprise', category: 'Routing' },
    { name: 'RouteIQ Starter', category: 'Routing' },
    { name: 'Capacity Planner', category: 'Planning' },
  ];
  const model = territoryModel(
    {
      distribution: { method: 'by-product' },
      groups: [
        { id: 'enterprise', participants: ['rep01'], products: [{ product: 'RouteIQ Enterprise' }] },
        { id: 'routing', participants: ['rep02'], products: [{ category: 'Routing' }] },
        { id: 'planning-a', participants: ['rep03'], products: [{ category: 'Planning', priority: 1 }] },
        { id: 'planning-b', participants: ['rep04'], products: [{ category: 'Planning', priority: 1 }] },
        { id: 'planning-c', participants: ['rep05'], products: [{ category: 'Planning', priority: 2 }] },
        {
          id: 'near-toronto',
          participants: ['rep06'],
          location: { postalCode: 'M5V' },
          products: [{ product: 'Capacity Planner', radiusMiles: 30 }],
        },
      ],
    },
    { products },
  );

  it.each<[string, Lead, string, string]>([
    [
      'prefers the exact product over its category',
      { ProductInterest: 'routeiq enterprise' },
      'enterprise',
      '(product "RouteIQ Enterprise")',
    ],
    [
      'falls back to the category of the product',
      { ProductInterest: 'RouteIQ Starter' },
      'routing',
      '(product category "Routing")',
    ],
    [
      'uses a category given on the lead',
      { ProductCategory: 'routing' },
      'routing',
      '(product category "Routing")',
    ],
    [
      'lets a product radius qualify a nearby group first',
      { ProductInterest: 'Capacity Planner', PostalCode: 'M5V 1A1' },
      'near-toronto',
      '(product "Capacity Planner")',
    ],
    [
      'ignores a product radius the lead is outside of',
      { ProductInterest: 'Capacity Planner', PostalCode: 'K1P 1J1' },
      'planning-a',
      '(product category "Planning")',
    ],
  ])('%s', (_name, lead, groupId, label) => {
    const decision = decide(model, lead);
    expect(decision.groupId).toBe(groupId);
    expect(decision.reason).toContain(label);
  });

  it('rotates between groups of equal preference and keeps lower priorities as fallbacks', () => {
    const { decisions } = run(model, 4, { ProductInterest: 'Capacity Planner', PostalCode: 'K1P' });
    expect(decisions.map((d) => d.groupId)).toEqual(['planning-a', 'planning-b', 'planning-a', 'planning-b']);
    expect(decisions[0]!.candidates.map((c) => c.groupId)).toEqual([
      'planning-a',
      'planning-b',
      'planning-c',
    ]);
  });

  it('sends a lead no group takes to the default owner, unless there is a catch-all group', () => {
    const none = decide(model, { ProductInterest: 'Toaster' });
    expect(none.kind).toBe('default');
    expect(none.reason).toBe(
      '→ Lead Review queue: no group of Test takes this lead; ' +
        'Territory "Test" (priority 1) matched (no conditions); By product: no group takes product "Toaster"',
    );
    const withCatchAll = territoryModel(
      {
        distribution: { method: 'by-product' },
        groups: [
          { id: 'routing', participants: ['rep02'], products: [{ category: 'Routing' }] },
          { id: 'general', participants: ['rep06'] },
        ],
      },
      { products },
    );
    expect(decide(withCatchAll, { ProductInterest: 'Toaster' })).toMatchObject({
      kind: 'rep',
      groupId: 'general',
    });
    expect(decide(withCatchAll, { ProductInterest: 'RouteIQ Starter' })).toMatchObject({
      groupId: 'routing',
    });
  });
});

describe('Proximity: closest', () => {
  const model = territoryModel({
    distribution: { method: 'proximity', mode: 'closest' },
    groups: [
      { id: 'toronto-a', participants: ['rep01'], location: { postalCode: 'M5V' } },
      { id: 'toronto-b', participants: ['rep02'], location: { latitude: 43.6525, longitude: -79.3686 } },
      { id: 'ottawa', participants: ['rep03'], location: { postalCode: 'K1P' } },
      { id: 'kingston', participants: ['rep04'], location: { postalCode: 'K7L' } },
    ],
  });

  it('gives the lead to the nearest group', () => {
    const decision = decide(model, { PostalCode: 'K1P 1J1' });
    expect(decision.groupId).toBe('ottawa');
    expect(decision.reason).toContain('Closest group "ottawa" (0.0 mi)');
    expect(decision.candidates.map((c) => c.groupId)).toEqual([
      'ottawa',
      'kingston',
      'toronto-a',
      'toronto-b',
    ]);
  });

  it("uses the lead's own coordinates before its postal code", () => {
    expect(decide(model, { PostalCode: 'K1P 1J1', Latitude: 44.23, Longitude: -76.48 }).groupId).toBe(
      'kingston',
    );
  });

  it('shares evenly between groups at the same place', () => {
    const { decisions } = run(model, 4, { PostalCode: 'M5V 3L9' });
    expect(decisions.map((d) => d.groupId)).toEqual(['toronto-a', 'toronto-b', 'toronto-a', 'toronto-b']);
    expect(decisions[0]!.reason).toContain('2 groups at this distance share evenly');
  });

  it('shares evenly between all groups when the lead has no location', () => {
    const { decisions } = run(model, 4, { PostalCode: 'X9X' });
    expect(new Set(decisions.map((d) => d.groupId)).size).toBe(4);
    expect(decisions[0]!.reason).toContain('lead location unknown');
  });
});

describe('Proximity: radius', () => {
  const radius = (rule: string, plugin?: string) =>
    territoryModel(
      {
        distribution: {
          method: 'proximity',
          mode: 'radius',
          radiusMiles: 60,
          rule,
          ...(plugin ? { plugin } : {}),
        },
        groups: [
          { id: 'hamilton', participants: ['rep01'], location: { postalCode: 'L8P' }, factor: 2 },
          { id: 'kitchener', participants: ['rep02'], location: { postalCode: 'N2L' } },
          { id: 'ottawa', participants: ['rep03'], location: { postalCode: 'K1P' } },
        ],
      },
      {},
      BUILT_IN_PLUGINS,
    );
  const hamiltonLead = { PostalCode: 'L8P 4R5' };

  it('Least gets it: the group inside the radius with the fewest leads', () => {
    const decision = decide(radius('least-gets-it'), hamiltonLead, {
      version: 3,
      turns: {},
      counts: { 'group:hamilton': 5, 'group:kitchener': 2, 'group:ottawa': 0 },
    });
    expect(decision.groupId).toBe('kitchener');
    expect(decision.reason).toContain(
      'Radius 60 mi: 2 of 3 groups inside; Least gets it → group "kitchener" (2 leads)',
    );
    // Ottawa is outside the radius: not a candidate while someone is inside.
    expect(decision.candidates.map((c) => c.groupId)).toEqual(['kitchener', 'hamilton']);
  });

  it('Factored least gets it: a higher factor receives proportionally more', () => {
    const { decisions } = run(radius('factored-least-gets-it'), 30, hamiltonLead);
    expect(tally(decisions.map((d) => d.groupId!))).toEqual({ hamilton: 20, kitchener: 10 });
    expect(decisions[2]!.reason).toMatch(/Factored least gets it → group "\w+" \(\d+ leads ÷ \d = [\d.]+\)/);
  });

  it('decides among all groups when none is inside the radius', () => {
    const decision = decide(
      radius('least-gets-it'),
      { PostalCode: 'P3A 1A1' },
      {
        version: 1,
        turns: {},
        counts: { 'group:hamilton': 1, 'group:kitchener': 1 },
      },
    );
    expect(decision.groupId).toBe('ottawa');
    expect(decision.reason).toContain('no group inside, deciding among all 3');
  });

  it('runs a custom radius rule plug-in', () => {
    const decision = decide(radius('custom', 'nearest'), { PostalCode: 'N2L 3G1' });
    expect(decision.groupId).toBe('kitchener');
    expect(decision.reason).toContain('radius rule "nearest" (nearest group first) → group "kitchener"');
  });
});

describe('Custom plug-in', () => {
  const plugins: DistributionPlugins = {
    methods: {
      'by-rating': ({ participants, lead, options }) => ({
        order: participants
          .map((p) => p.repId)
          .filter((id) => lead.Rating !== 'Hot' || id === options.hotRep),
        explanation: lead.Rating === 'Hot' ? 'hot leads to the closer' : 'everyone',
        setTurns: { custom: 1 },
      }),
      'fewest-leads': BUILT_IN_PLUGINS.methods!['fewest-leads']!,
    },
  };
  const model = territoryModel(
    {
      distribution: { method: 'custom', plugin: 'by-rating', options: { hotRep: repId(3) } },
      participants: ['rep01', 'rep02', 'rep03'],
    },
    {},
    plugins,
  );

  it('lets the registered function rank the eligible participants', () => {
    const decision = decide(model, { Rating: 'Hot' });
    expect(decision.ownerId).toBe(repId(3));
    expect(decision.reason).toContain('→ Rep 3, Test, custom rule "by-rating"');
    expect(decision.stateChange?.setTurns).toEqual({ custom: 1 });
    expect(decision.candidates).toHaveLength(1);
  });

  it('never offers the plug-in a rep who is not eligible', () => {
    const seen: string[][] = [];
    const spy: DistributionPlugins = {
      methods: {
        spy: ({ participants }) => {
          seen.push(participants.map((p) => p.repName));
          return { order: participants.map((p) => p.repId), explanation: 'as given' };
        },
      },
    };
    const m = compiled(
      config({
        reps: reps(3, { 2: { active: false } }),
        territories: [
          {
            id: 'T',
            priority: 1,
            distribution: { method: 'custom', plugin: 'spy' },
            participants: ['rep01', 'rep02', 'rep03'],
          },
        ],
      }),
      spy,
    );
    expect(decide(m).reason).toContain('skipped Rep 2: inactive');
    expect(seen).toEqual([['Rep 1', 'Rep 3']]);
  });

  it('ships a fewest-leads plug-in', () => {
    const fewest = territoryModel(
      { distribution: { method: 'custom', plugin: 'fewest-leads' }, participants: ['rep01', 'rep02'] },
      {},
      plugins,
    );
    const decision = decide(
      fewest,
      {},
      { version: 1, turns: {}, counts: { [`rep:${repId(1)}`]: 3, [`rep:${repId(2)}`]: 1 } },
    );
    expect(decision.ownerName).toBe('Rep 2');
  });
});

describe('inactive groups', () => {
  it('are left out of distribution and noted in the trace', () => {
    const model = territoryModel({
      groups: [
        { id: 'a', participants: ['rep01'], active: false },
        { id: 'b', participants: ['rep02'] },
      ],
    });
    const decision = decide(model);
    expect(decision.ownerName).toBe('Rep 2');
    expect(decision.trace.groups).toContainEqual({
      groupId: 'a',
      groupName: 'a',
      qualified: false,
      note: 'inactive group',
    });
  });
});
