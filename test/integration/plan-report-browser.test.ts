import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateInstance } from '../../shared/adapters/planning/generate.js';
import { renderMovesCsv } from '../../shared/adapters/planning/moves-csv.js';
import { renderHtml } from '../../shared/adapters/planning/report-html.js';
import { parseMovesFile } from '../../shared/adapters/reassign/moves-file.js';
import type { PlanOptions } from '../../shared/domain/planning/model.js';
import { planTerritories, type TerritoryPlan } from '../../shared/domain/planning/plan.js';
import { parseMoveRows } from '../../shared/domain/reassign/moves.js';
import { launchChromium } from '../support/browser.js';
import { planOptions } from '../unit/planning/fixtures.js';

let browser: Browser;
let dir: string;
let reportUrl: string;

// Two reps share a name, as happens in real orgs; the report must tell them apart.
const generated = generateInstance({ accounts: 800, reps: 8, seed: 5 });
const instance = {
  ...generated,
  reps: generated.reps.map((r, i) => (i < 2 ? { ...r, name: 'Alex Chen' } : r)),
};
const limits = { defaultMinAccounts: 30, defaultMaxAccounts: 150 };
/** A balanced greenfield plan, a replan that may not move anything, and one in between. */
const variants: Record<string, Partial<PlanOptions>> = {
  greenfield: {},
  frozen: { mode: 'replan', maxMoves: 0 },
  capped: { mode: 'replan', maxMoves: 40 },
};
const plans = new Map<string, { plan: TerritoryPlan; url: string }>();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'plan-report-'));
  for (const [name, overrides] of Object.entries(variants)) {
    const plan = planTerritories(instance, planOptions({ ...limits, ...overrides }));
    const file = join(dir, `${name}.html`);
    await writeFile(file, renderHtml(plan, instance));
    plans.set(name, { plan, url: pathToFileURL(file).href });
  }
  reportUrl = plans.get('greenfield')!.url;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await rm(dir, { recursive: true, force: true });
});

/**
 * Browser-side script counting distinct colours in a PNG (every 7th pixel). A string, because
 * the project compiles without DOM types.
 */
function distinctColours(pngBase64: string): string {
  return `(async () => {
    const bytes = Uint8Array.from(atob('${pngBase64}'), (c) => c.charCodeAt(0));
    const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
    const context = new OffscreenCanvas(bitmap.width, bitmap.height).getContext('2d');
    context.drawImage(bitmap, 0, 0);
    const { data } = context.getImageData(0, 0, bitmap.width, bitmap.height);
    const seen = new Set();
    for (let i = 0; i < data.length; i += 28) seen.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
    return seen.size;
  })()`;
}

describe('report.html in headless Chromium', () => {
  it('renders both charts with nothing fetched from elsewhere', async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(reportUrl);

    for (const id of ['balance-chart', 'account-map']) {
      const box = await page.locator(`svg#${id}`).boundingBox();
      expect(box?.width).toBeGreaterThan(300);
      expect(box?.height).toBeGreaterThan(200);
    }
    expect(await page.locator('svg#balance-chart rect').count()).toBeGreaterThanOrEqual(16);
    expect(await page.locator('svg#account-map circle').count()).toBe(800);
    expect(requests).toEqual([reportUrl]);
    await page.close();
  });

  it('draws a screenshot that is not blank', async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    await page.goto(reportUrl);
    const shot = await page.locator('svg#account-map').screenshot();
    // Colour variety across the PNG bytes: a blank image compresses to a few hundred bytes.
    expect(shot.byteLength).toBeGreaterThan(10_000);
    const colours = await page.evaluate(distinctColours(shot.toString('base64')));
    expect(colours).toBeGreaterThan(8);
    await page.close();
  });

  it("labels each bar panel with its measure and unit, axis values and every bar's value", async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    await page.goto(reportUrl);
    const chart = page.locator('svg#balance-chart');
    expect(await chart.locator('text.axis-title').allTextContents()).toEqual([
      'Composite (1.0 = average territory; bars proposed, dots today)',
      'Revenue potential ($)',
      'Account count (accounts)',
      'Workload (workload units)',
      'Growth potential (growth points)',
    ]);
    const panels = chart.locator('g.panel');
    for (let p = 0; p < 5; p++) {
      const ticks = await panels.nth(p).locator('text.tick').allTextContents();
      expect(ticks).toHaveLength(3);
      const values = await panels.nth(p).locator('text.value').allTextContents();
      expect(values).toHaveLength(8);
      expect(await panels.nth(p).locator('text.reference').textContent()).toMatch(
        /^dashed line: (average|mean) /,
      );
    }
    expect(await panels.nth(1).locator('text.tick').allTextContents()).toEqual(
      expect.arrayContaining(['$0']),
    );
    // Growth potential is points on the org's scale, never dollars.
    const growth = [
      ...(await panels.nth(4).locator('text.tick').allTextContents()),
      ...(await panels.nth(4).locator('text.value').allTextContents()),
    ];
    for (const text of growth) {
      expect(text).toMatch(/ pts$/);
      expect(text).not.toContain('$');
    }
    // Each value label sits over its own bar: drawn inside the chart, none on top of another.
    const svgBox = (await chart.boundingBox())!;
    const boxes = await panels
      .nth(1)
      .locator('text.value')
      .evaluateAll((nodes) =>
        nodes.map((n) => {
          const r = (
            n as unknown as { getBoundingClientRect(): { x: number; y: number; width: number } }
          ).getBoundingClientRect();
          return { x: r.x, y: r.y, width: r.width };
        }),
      );
    boxes.forEach((b, i) => {
      expect(b.x).toBeGreaterThanOrEqual(svgBox.x);
      expect(b.x + b.width).toBeLessThanOrEqual(svgBox.x + svgBox.width);
      if (i > 0) expect(b.x).toBeGreaterThan(boxes[i - 1]!.x + boxes[i - 1]!.width);
    });
    await page.close();
  });

  it('tells reps with the same name apart under the bars and in the table', async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    await page.goto(reportUrl);
    const labels = await page.locator('svg#balance-chart text.rep-label').allTextContents();
    expect(labels).toHaveLength(8);
    expect(new Set(labels).size).toBe(8);
    const alex = labels.filter((l) => l.startsWith('Alex Chen'));
    expect(alex).toEqual([
      `Alex Chen (005…${instance.reps[0]!.id.slice(-4)})`,
      `Alex Chen (005…${instance.reps[1]!.id.slice(-4)})`,
    ]);
    for (const label of labels)
      expect(await page.getByText(label, { exact: false }).count()).toBeGreaterThan(0);
    const tableNames = await page.locator('table#territories tr td:first-child').allTextContents();
    expect(new Set(tableNames).size).toBe(8);
    // Unique names stay plain.
    expect(labels.some((l) => l === instance.reps[2]!.name)).toBe(true);
    // The growth column is in points too.
    const growthCells = await page.locator('table#territories tr td:nth-child(5)').allTextContents();
    for (const cell of growthCells) expect(cell).toMatch(/^[\d,]+ pts$/);
    await page.close();
  });

  it('gives recommendations that agree with the rating shown', async () => {
    const seen = new Set<string>();
    for (const [name, { plan, url }] of plans) {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      await page.goto(url);
      const rating = (await page.locator('#rating b').textContent())!;
      expect(rating, name).toBe(plan.rating.proposed);
      seen.add(rating === 'Needs rebalancing' ? 'rebalance' : 'adopt');
      const recommendations = await page.locator('#recommendations li').allTextContents();
      if (rating === 'Needs rebalancing') {
        expect(recommendations[0], name).toMatch(
          /^Rebalance further before adopting: .* rates Needs rebalancing/,
        );
        expect(recommendations.join('\n'), name).not.toMatch(/Adopt the plan/);
      } else {
        expect(recommendations[0], name).toMatch(new RegExp(`^Adopt the plan: balance rates ${rating} `));
        expect(recommendations.join('\n'), name).not.toMatch(/Rebalance further|above the 0\.20 target/);
      }
      await page.close();
    }
    // The variants cover both verdicts, so neither branch above is vacuous.
    expect([...seen].sort()).toEqual(['adopt', 'rebalance']);
  });

  it('names blocked moves by the row reassign gives them in moves.csv', async () => {
    const { plan, url } = plans.get('greenfield')!;
    expect(plan.transition.guardrails.blocked.length).toBeGreaterThan(0);
    const file = parseMovesFile(renderMovesCsv(plan), 'csv');
    const parsed = parseMoveRows(file.rows, file.lineOf);
    if (!parsed.ok) throw new Error(parsed.problems.join('; '));
    const reassignRowOf = new Map(parsed.moves.map((m) => [m.recordId.slice(0, 15), m.row]));
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    await page.goto(url);
    const rows = page.locator('table#blocked-moves tr');
    const shown = Math.min(50, plan.transition.guardrails.blocked.length);
    expect(await rows.count()).toBe(shown + 1);
    for (let i = 1; i <= Math.min(shown, 10); i++) {
      const [row, account] = await rows.nth(i).locator('td').allTextContents();
      const move = plan.transition.moves.find((m) => m.row === Number(row))!;
      expect(account).toBe(move.accountName);
      expect(reassignRowOf.get(move.accountId.slice(0, 15))).toBe(Number(row));
    }
    await page.close();
  });
});
