import type { PlanningInput, Rep } from '../../domain/planning/model.js';
import { DIMENSIONS } from '../../domain/planning/model.js';
import type { TerritoryPlan } from '../../domain/planning/plan.js';
import { DIMENSION_LABELS, dimensionValue, integer, km, money, percent, rating } from './format.js';

const MAP_WIDTH = 900;
const MAP_HEIGHT = 620;
const CHART_PANEL_HEIGHT = 180;

/**
 * report.html: one self-contained page (inline CSS and SVG; no scripts, fonts, tiles or CDNs)
 * with the balance chart (composite and revenue potential per territory) and the account map.
 */
export function renderHtml(plan: TerritoryPlan, input: PlanningInput): string {
  const reps = plan.cards.map((c) => input.reps.find((r) => r.id === c.repId)).filter((r): r is Rep => !!r);
  const colour = new Map(reps.map((rep, r) => [rep.id, territoryColour(r)]));
  const { current, proposed } = plan.metrics;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Territory Plan Summary — ${escapeHtml(plan.asOf)}</title>
<style>
  body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 24px auto; max-width: 1100px; color: #1f2933; padding: 0 16px; }
  h1 { font-size: 26px; margin-bottom: 4px; } h2 { margin-top: 32px; border-bottom: 1px solid #d9e2ec; padding-bottom: 4px; }
  table { border-collapse: collapse; margin: 8px 0 16px; } th, td { padding: 4px 10px; border-bottom: 1px solid #e4e7eb; text-align: right; }
  th:first-child, td:first-child { text-align: left; } th { background: #f5f7fa; }
  .muted { color: #616e7c; } .kpis { display: flex; flex-wrap: wrap; gap: 12px; }
  .kpi { background: #f5f7fa; border-radius: 8px; padding: 10px 14px; min-width: 150px; }
  .kpi b { display: block; font-size: 22px; } .warning { background: #fff3c4; padding: 8px 12px; border-radius: 6px; }
  svg { background: #fff; border: 1px solid #e4e7eb; border-radius: 6px; max-width: 100%; height: auto; }
</style>
</head>
<body>
<h1>Territory Plan Summary</h1>
<p class="muted">Plan date ${escapeHtml(plan.asOf)} · mode ${escapeHtml(plan.mode)} · ${plan.territories.proposed.length} territories · ${integer(plan.assignments.length)} accounts</p>
${plan.warnings.map((w) => `<p class="warning">${escapeHtml(w)}</p>`).join('\n')}
<div class="kpis">
  ${kpi('Composite CV', `${current.composite.coefficientOfVariation.toFixed(3)} → ${proposed.composite.coefficientOfVariation.toFixed(3)}`)}
  ${kpi('Balance score', `${current.composite.balanceScore.toFixed(0)} → ${proposed.composite.balanceScore.toFixed(0)}`)}
  ${kpi('Rating', rating(proposed.composite))}
  ${kpi('Mean travel', `${km(current.meanTravelKm)} → ${km(proposed.meanTravelKm)}`)}
  ${kpi('Accounts moving', integer(plan.transition.totalMoves))}
  ${kpi('Go-live', plan.transition.effectiveDate)}
</div>
<h2>Balance by territory</h2>
${balanceChart(plan, reps, colour)}
<table>
<tr><th>Dimension</th><th>Mean</th><th>Std dev</th><th>CV now</th><th>CV proposed</th><th>Min</th><th>Max</th><th>Balance score</th></tr>
${[...DIMENSIONS, 'composite' as const]
  .map((d) => {
    const p = proposed[d];
    return `<tr><td>${DIMENSION_LABELS[d]}</td><td>${dimensionValue(d, p.mean)}</td><td>${dimensionValue(d, p.stdDev)}</td><td>${current[d].coefficientOfVariation.toFixed(3)}</td><td>${p.coefficientOfVariation.toFixed(3)}</td><td>${dimensionValue(d, p.min)}</td><td>${dimensionValue(d, p.max)}</td><td>${p.balanceScore.toFixed(0)}</td></tr>`;
  })
  .join('\n')}
</table>
<h2>Account map</h2>
${accountMap(plan, input, reps, colour)}
<h2>Coverage gaps</h2>
${plan.gaps.length === 0 ? '<p>No gaps in the proposed alignment.</p>' : `<ul>${plan.gaps.map((g) => `<li>${escapeHtml(g.message)}</li>`).join('')}</ul>`}
<h2>Transition plan</h2>
<p>${integer(plan.transition.totalMoves)} moves (${integer(plan.transition.movesBetweenReps)} between reps), ${plan.transition.affectedReps} reps affected,
${plan.transition.openDealsMoving.accounts} accounts with ${money(plan.transition.openDealsMoving.amount)} in open deals (the deals stay with their owners), ${money(plan.transition.arrMoving)} ARR moving.
Guardrails: ${integer(plan.transition.guardrails.allowed.length)} allowed, ${integer(plan.transition.guardrails.blocked.length)} blocked;
approvals: ${plan.transition.guardrails.requiredApprovals.map((a) => `${escapeHtml(a.role)} (${a.recordIds.length} accounts)`).join(', ') || 'none'}.</p>
<h2>Implementation timeline</h2>
<table><tr><th>Milestone</th><th>Date</th><th>What happens</th></tr>
${plan.timeline.map((m) => `<tr><td>${escapeHtml(m.name)}</td><td>${escapeHtml(m.date)}</td><td style="text-align:left">${escapeHtml(m.detail)}</td></tr>`).join('\n')}
</table>
<h2>Recommendations</h2>
<ol>${plan.recommendations.map((r) => `<li>${escapeHtml(r)}</li>`).join('')}</ol>
<h2>Territories</h2>
<table><tr><th>Rep</th><th>Accounts</th><th>Revenue potential</th><th>Composite</th><th>Travel</th><th>Specialisation</th><th>Change</th></tr>
${plan.cards
  .map(
    (c) =>
      `<tr><td><span style="color:${colour.get(c.repId)}">■</span> ${escapeHtml(c.repName || c.repId)}</td><td>${c.accountCount}</td><td>${money(c.revenuePotential)}</td><td>${c.composite.toFixed(3)}</td><td>${km(c.meanTravelKm)}</td><td>${c.specializationAlignment === null ? '–' : percent(c.specializationAlignment)}</td><td>+${c.gained} / −${c.lost}</td></tr>`,
  )
  .join('\n')}
</table>
</body>
</html>
`;
}

function kpi(label: string, value: string): string {
  return `<div class="kpi"><span class="muted">${escapeHtml(label)}</span><b>${escapeHtml(value)}</b></div>`;
}

/** Two panels: composite per territory (with today's as dots and 1.0 marked), then revenue potential. */
function balanceChart(plan: TerritoryPlan, reps: readonly Rep[], colour: Map<string, string>): string {
  const territories = plan.territories.proposed;
  const before = new Map(plan.territories.current.map((t) => [t.repId, t]));
  const left = 56;
  const step = Math.max(6, Math.min(60, 900 / Math.max(1, territories.length)));
  const width = left + step * territories.length + 16;
  const height = CHART_PANEL_HEIGHT * 2 + 70;
  const maxComposite =
    1.1 *
    Math.max(
      1.2,
      ...territories.map((t) => t.composite),
      ...plan.territories.current.map((t) => t.composite),
    );
  const maxRevenue = 1.15 * Math.max(1, ...territories.map((t) => t.revenuePotential));
  const panel = (
    top: number,
    title: string,
    value: (i: number) => number,
    max: number,
    label: (v: number) => string,
    mean: number,
  ) => {
    const y = (v: number) => top + CHART_PANEL_HEIGHT - (v / max) * CHART_PANEL_HEIGHT;
    const bars = territories
      .map((t, i) => {
        const rep = reps[i];
        const v = value(i);
        return `<rect x="${(left + i * step + 1).toFixed(1)}" y="${y(v).toFixed(1)}" width="${Math.max(2, step - 2).toFixed(1)}" height="${(top + CHART_PANEL_HEIGHT - y(v)).toFixed(1)}" fill="${colour.get(t.repId)}"><title>${escapeHtml(rep?.name || t.repId)}: ${escapeHtml(label(v))}</title></rect>`;
      })
      .join('');
    return `<text x="${left}" y="${top - 6}" font-size="12" font-weight="600">${escapeHtml(title)}</text>
<line x1="${left}" x2="${width - 8}" y1="${y(mean).toFixed(1)}" y2="${y(mean).toFixed(1)}" stroke="#334e68" stroke-dasharray="4 3"/>
<text x="${left - 4}" y="${(y(mean) + 4).toFixed(1)}" font-size="10" text-anchor="end">${escapeHtml(label(mean))}</text>
<line x1="${left}" x2="${left}" y1="${top}" y2="${top + CHART_PANEL_HEIGHT}" stroke="#9aa5b1"/>
<line x1="${left}" x2="${width - 8}" y1="${top + CHART_PANEL_HEIGHT}" y2="${top + CHART_PANEL_HEIGHT}" stroke="#9aa5b1"/>${bars}`;
  };
  const compositeTop = 24;
  const revenueTop = compositeTop + CHART_PANEL_HEIGHT + 40;
  const meanRevenue =
    territories.reduce((s, t) => s + t.revenuePotential, 0) / Math.max(1, territories.length);
  const yComposite = (v: number) =>
    compositeTop + CHART_PANEL_HEIGHT - (v / maxComposite) * CHART_PANEL_HEIGHT;
  const currentDots = territories
    .map((t, i) => {
      const now = before.get(t.repId)?.composite ?? 0;
      return `<circle cx="${(left + i * step + step / 2).toFixed(1)}" cy="${yComposite(now).toFixed(1)}" r="2.5" fill="#102a43"><title>today: ${now.toFixed(3)}</title></circle>`;
    })
    .join('');
  return `<svg id="balance-chart" xmlns="http://www.w3.org/2000/svg" width="${width.toFixed(0)}" height="${height}" viewBox="0 0 ${width.toFixed(0)} ${height}" role="img" aria-label="Composite and revenue potential per territory">
${panel(
  compositeTop,
  'Composite per territory (bars proposed, dots today; dashed line = 1.0)',
  (i) => territories[i]?.composite ?? 0,
  maxComposite,
  (v) => v.toFixed(2),
  1,
)}${currentDots}
${panel(revenueTop, 'Revenue potential per territory (dashed line = mean)', (i) => territories[i]?.revenuePotential ?? 0, maxRevenue, money, meanRevenue)}
</svg>`;
}

/**
 * Accounts as dots coloured by proposed territory, rep homes as outlined diamonds; an
 * equirectangular projection framed on the central 98% of accounts (and every rep home) so a
 * few remote accounts do not shrink the rest; those beyond the frame sit on its edge.
 */
function accountMap(
  plan: TerritoryPlan,
  input: PlanningInput,
  reps: readonly Rep[],
  colour: Map<string, string>,
): string {
  const frame = mapFrame(input, reps);
  const squeeze = Math.cos((((frame.minLat + frame.maxLat) / 2) * Math.PI) / 180);
  const spanX = Math.max(1e-6, (frame.maxLon - frame.minLon) * squeeze);
  const spanY = Math.max(1e-6, frame.maxLat - frame.minLat);
  const pad = 20;
  const scale = Math.min((MAP_WIDTH - 2 * pad) / spanX, (MAP_HEIGHT - 2 * pad) / spanY);
  const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
  const x = (lon: number) =>
    (pad + (clamp(lon, frame.minLon, frame.maxLon) - frame.minLon) * squeeze * scale).toFixed(1);
  const y = (lat: number) =>
    (pad + (frame.maxLat - clamp(lat, frame.minLat, frame.maxLat)) * scale).toFixed(1);
  const ownerOf = new Map(plan.assignments.map((a) => [a.accountId, a.repId]));
  let outside = 0;
  const dots = input.accounts
    .map((a) => {
      const { latitude, longitude } = a.location;
      const beyond =
        latitude < frame.minLat ||
        latitude > frame.maxLat ||
        longitude < frame.minLon ||
        longitude > frame.maxLon;
      if (beyond) outside++;
      const fill = colour.get(ownerOf.get(a.id) ?? '') ?? '#9aa5b1';
      return `<circle cx="${x(longitude)}" cy="${y(latitude)}" r="${beyond ? 1.5 : 2.2}" fill="${fill}"/>`;
    })
    .join('');
  const homes = reps
    .map((rep) => {
      const cx = Number(x(rep.location.longitude));
      const cy = Number(y(rep.location.latitude));
      return `<path d="M${cx} ${cy - 7}L${cx + 7} ${cy}L${cx} ${cy + 7}L${cx - 7} ${cy}Z" fill="${colour.get(rep.id)}" stroke="#102a43" stroke-width="1.5"><title>${escapeHtml(rep.name || rep.id)} (home ${escapeHtml(rep.postalCode)})</title></path>`;
    })
    .join('');
  const note = outside > 0 ? ` · ${outside} remote accounts drawn at the edge` : '';
  return `<svg id="account-map" xmlns="http://www.w3.org/2000/svg" width="${MAP_WIDTH}" height="${MAP_HEIGHT}" viewBox="0 0 ${MAP_WIDTH} ${MAP_HEIGHT}" role="img" aria-label="Accounts coloured by territory with rep homes">
<g opacity="0.8">${dots}</g><g>${homes}</g>
<text x="${MAP_WIDTH - 12}" y="${MAP_HEIGHT - 10}" font-size="11" text-anchor="end" fill="#616e7c">dots: accounts by territory · diamonds: rep homes${note}</text>
</svg>`;
}

/** Latitude/longitude box holding the central 98% of accounts and every rep home. */
function mapFrame(input: PlanningInput, reps: readonly Rep[]) {
  const lats = input.accounts.map((a) => a.location.latitude).sort((a, b) => a - b);
  const lons = input.accounts.map((a) => a.location.longitude).sort((a, b) => a - b);
  const at = (sorted: number[], q: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  let [minLat, maxLat, minLon, maxLon] = [at(lats, 0.01), at(lats, 0.99), at(lons, 0.01), at(lons, 0.99)];
  for (const { location } of reps) {
    minLat = Math.min(minLat, location.latitude);
    maxLat = Math.max(maxLat, location.latitude);
    minLon = Math.min(minLon, location.longitude);
    maxLon = Math.max(maxLon, location.longitude);
  }
  return { minLat, maxLat, minLon, maxLon };
}

/** Distinct hues around the colour wheel (golden angle), alternating lightness. */
function territoryColour(index: number): string {
  const hue = (index * 137.508) % 360;
  const lightness = index % 2 === 0 ? 45 : 60;
  return `hsl(${hue.toFixed(1)} 70% ${lightness}%)`;
}

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );
}
