import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { generateInstance } from '../../../shared/adapters/planning/generate.js';
import { type MOVES_COLUMNS, renderMovesCsv } from '../../../shared/adapters/planning/moves-csv.js';
import {
  guardrailsJson,
  planJsonSchema,
  stringifyPlan,
  toPlanJson,
} from '../../../shared/adapters/planning/plan-json.js';
import { renderHtml } from '../../../shared/adapters/planning/report-html.js';
import { renderMarkdown } from '../../../shared/adapters/planning/report-md.js';
import { parseMovesFile } from '../../../shared/adapters/reassign/moves-file.js';
import { repLabels } from '../../../shared/domain/planning/cards.js';
import { planTerritories } from '../../../shared/domain/planning/plan.js';
import { balanceRating } from '../../../shared/domain/planning/rating.js';
import { parseMoveRows } from '../../../shared/domain/reassign/moves.js';
import { planOptions } from './fixtures.js';

const instance = generateInstance({ accounts: 400, reps: 5, seed: 11, unownedShare: 0.02 });
const plan = planTerritories(
  instance,
  planOptions({ mode: 'replan', maxMoves: 60, defaultMinAccounts: 30, defaultMaxAccounts: 150 }),
);

describe('plan.json', () => {
  it('keeps the contract: assignments, current and proposed metrics, transition, gaps', () => {
    const json = JSON.parse(stringifyPlan(toPlanJson(plan)));
    const parsed = planJsonSchema.parse(json);
    expect(parsed.assignments).toHaveLength(400);
    for (const key of [
      'revenuePotential',
      'accountCount',
      'workload',
      'growthPotential',
      'composite',
    ] as const) {
      expect(Object.keys(parsed.metrics.proposed[key]).sort()).toEqual([
        'balanceScore',
        'coefficientOfVariation',
        'max',
        'mean',
        'min',
        'range',
        'stdDev',
      ]);
    }
    expect(parsed.transition.totalMoves).toBe(plan.transition.totalMoves);
  });
});

describe('moves.csv', () => {
  it('has the columns bulk reassign reads and one row per move', () => {
    const csv = renderMovesCsv(plan);
    expect(csv.split('\n')[0]).toBe('recordId,objectType,fromOwnerId,toOwnerId,reason,effectiveDate');
    const rows = parse(csv, { columns: true }) as Record<(typeof MOVES_COLUMNS)[number], string>[];
    expect(rows).toHaveLength(plan.transition.totalMoves);
    expect(rows[0]).toMatchObject({
      objectType: 'Account',
      effectiveDate: plan.transition.effectiveDate,
      reason: expect.stringMatching(/^Territory plan 2026-03-01: /),
    });
    expect(rows.map((r) => r.recordId)).toEqual(plan.transition.moves.map((m) => m.accountId));
  });
});

describe('report.md', () => {
  const markdown = renderMarkdown(plan, instance.reps);

  it('follows the territory plan summary layout', () => {
    const headings = markdown.split('\n').filter((line) => /^##? /.test(line));
    expect(headings).toEqual([
      '# Territory Plan Summary',
      '## Executive summary',
      '## Territory breakdown',
      '## Balance analysis',
      '## Coverage gaps',
      '## Transition plan',
      '## Implementation timeline',
      '## Recommendations',
      '## Territory cards',
    ]);
  });

  it('has a card per territory with its top accounts and industry mix', () => {
    expect(markdown.match(/^### .+ — /gm)).toHaveLength(5);
    expect(markdown).toContain('| Top account | Industry | Revenue potential |');
    expect(markdown).toContain('Specialisation alignment:');
  });
});

describe('report.html', () => {
  const html = renderHtml(plan, instance);

  it('holds both charts', () => {
    expect(html).toContain('<svg id="balance-chart"');
    expect(html).toContain('<svg id="account-map"');
    expect(html.match(/<circle /g)?.length).toBeGreaterThanOrEqual(400);
  });

  it('loads nothing from elsewhere', () => {
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(|src=/i);
    const urls = html.match(/https?:\/\/[^\s"']+/g) ?? [];
    expect(urls.every((u) => u === 'http://www.w3.org/2000/svg')).toBe(true);
  });

  it('escapes names from the data', () => {
    const tricky = {
      ...instance,
      reps: instance.reps.map((r, i) => (i === 0 ? { ...r, name: '<b>Rep & Co</b>' } : r)),
    };
    const page = renderHtml(planTerritories(tricky, planOptions()), tricky);
    expect(page).toContain('&lt;b&gt;Rep &amp; Co&lt;/b&gt;');
    expect(page).not.toContain('<b>Rep');
  });
});

describe('rep labels', () => {
  it('keeps unique names and tells repeated ones apart by the id', () => {
    const labels = repLabels([
      { id: '005TR0000000001AAA', name: 'Alex Chen' },
      { id: '005TR0000000002AAA', name: 'alex chen ' },
      { id: '005TR0000000003AAA', name: 'Priya Sharma' },
      { id: '005TR0000000004AAA', name: '' },
    ]);
    expect([...labels.values()]).toEqual([
      'Alex Chen (005…1AAA)',
      'alex chen (005…2AAA)',
      'Priya Sharma',
      '005TR0000000004AAA',
    ]);
  });
});

describe('recommendations and rating', () => {
  it('give the same verdict from the same thresholds, whatever the move cap', () => {
    const verdicts = new Set<string>();
    for (const maxMoves of [10, 20, 40, 80, 400]) {
      const p = planTerritories(
        instance,
        planOptions({ mode: 'replan', maxMoves, defaultMinAccounts: 30, defaultMaxAccounts: 150 }),
      );
      const first = p.recommendations[0] ?? '';
      const all = p.recommendations.join('\n');
      expect(p.rating.proposed).toBe(balanceRating(p.metrics.proposed.composite));
      if (p.rating.proposed === 'Needs rebalancing') {
        expect(first).toMatch(
          /^Rebalance further before adopting: .* rates Needs rebalancing, above the 0\.20 target/,
        );
        expect(all).not.toContain('Adopt the plan');
        verdicts.add('rebalance');
      } else {
        expect(first).toMatch(new RegExp(`^Adopt the plan: balance rates ${p.rating.proposed} `));
        expect(all).not.toMatch(/Rebalance further|above the 0\.20 target/);
        verdicts.add('adopt');
      }
      expect(renderMarkdown(p, instance.reps)).toContain(`Rating: **${p.rating.proposed}**`);
    }
    expect([...verdicts].sort()).toEqual(['adopt', 'rebalance']);
  });

  it('rates by one scale', () => {
    expect(
      [0.01, 0.05, 0.099, 0.1, 0.19, 0.2, 0.9].map((cv) => balanceRating({ coefficientOfVariation: cv })),
    ).toEqual([
      'Excellent',
      'Good',
      'Good',
      'Acceptable',
      'Acceptable',
      'Needs rebalancing',
      'Needs rebalancing',
    ]);
  });
});

describe('row numbers', () => {
  it('are the same in the plan (moves.csv, guardrails.json) and in reassign', () => {
    const file = parseMovesFile(renderMovesCsv(plan), 'csv');
    const parsed = parseMoveRows(file.rows, file.lineOf);
    if (!parsed.ok) throw new Error(parsed.problems.join('; '));
    expect(parsed.moves.map((m) => m.row)).toEqual(plan.transition.moves.map((m) => m.row));
    expect(parsed.moves.map((m) => m.recordId.slice(0, 15))).toEqual(
      plan.transition.moves.map((m) => m.accountId.slice(0, 15)),
    );
    // Row 1 is the line after the header: the file line is row + 1.
    expect(plan.transition.moves.map((_, i) => file.lineOf?.(i))).toEqual(
      plan.transition.moves.map((m) => m.row + 1),
    );
    const guardrails = guardrailsJson(plan) as {
      blocked: Array<{ row: number; move: { recordId: string } }>;
    };
    for (const b of guardrails.blocked)
      expect(plan.transition.moves[b.row - 1]?.accountId).toBe(b.move.recordId);
  });

  it('reports growth potential in points, not dollars', () => {
    const markdown = renderMarkdown(plan, instance.reps);
    expect(markdown).toContain('| Growth potential (points) |');
    expect(markdown).not.toMatch(/growth potential \$/i);
  });
});
