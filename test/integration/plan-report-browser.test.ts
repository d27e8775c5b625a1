import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateInstance } from '../../shared/adapters/planning/generate.js';
import { renderHtml } from '../../shared/adapters/planning/report-html.js';
import { planTerritories } from '../../shared/domain/planning/plan.js';
import { launchChromium } from '../support/browser.js';
import { planOptions } from '../unit/planning/fixtures.js';

let browser: Browser;
let dir: string;
let reportUrl: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'plan-report-'));
  const instance = generateInstance({ accounts: 800, reps: 8, seed: 5 });
  const plan = planTerritories(instance, planOptions({ defaultMinAccounts: 30, defaultMaxAccounts: 150 }));
  const file = join(dir, 'report.html');
  await writeFile(file, renderHtml(plan, instance));
  reportUrl = pathToFileURL(file).href;
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
});
