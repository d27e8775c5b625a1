import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { generateInstance } from '../../../shared/adapters/planning/generate.js';
import { type MOVES_COLUMNS, renderMovesCsv } from '../../../shared/adapters/planning/moves-csv.js';
import { planJsonSchema, stringifyPlan, toPlanJson } from '../../../shared/adapters/planning/plan-json.js';
import { renderHtml } from '../../../shared/adapters/planning/report-html.js';
import { renderMarkdown } from '../../../shared/adapters/planning/report-md.js';
import { planTerritories } from '../../../shared/domain/planning/plan.js';
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
