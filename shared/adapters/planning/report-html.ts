import type { TerritoryTotals } from '../../domain/planning/metrics.js';
import type { PlanningInput, Rep } from '../../domain/planning/model.js';
import { DIMENSIONS, type Dimension } from '../../domain/planning/model.js';
import type { TerritoryPlan } from '../../domain/planning/plan.js';
import { RATING_SCALE } from '../../domain/planning/rating.js';
import { blockedTransitionMoves } from '../../domain/planning/transition.js';
import {
  DIMENSION_LABELS,
  DIMENSION_UNITS,
  dimensionValue,
  integer,
  km,
  money,
  percent,
  points,
} from './format.js';

const BLOCKED_SHOWN = 50;

const MAP_WIDTH = 900;
const MAP_HEIGHT = 620;
const CHART_PANEL_HEIGHT = 120;

/**
 * report.html: one self-contained page (inline CSS and SVG; no scripts, fonts, tiles or CDNs)
 * with the balance chart (composite and each dimension per territory) and the account map.
 */
export function renderHtml(plan: TerritoryPlan, input: PlanningInput): string {
  const reps = plan.cards.map((c) => input.reps.find((r) => r.id === c.repId)).filter((r): r is Rep => !!r);
  const colour = new Map(reps.map((rep, r) => [rep.id, territoryColour(r)]));
  const label = new Map(plan.cards.map((c) => [c.repId, c.repLabel]));
  const nameOf = (id: string | null) =>
    id === null ? '(unowned)' : (label.get(id) ?? input.reps.find((r) => r.id === id)?.name ?? id);
  const blocked = blockedTransitionMoves(plan.transition);
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
  ${kpi('Rating', plan.rating.proposed, 'rating')}
  ${kpi('Mean travel', `${km(current.meanTravelKm)} → ${km(proposed.meanTravelKm)}`)}
  ${kpi('Accounts moving', integer(plan.transition.totalMoves))}
  ${kpi('Go-live', plan.transition.effectiveDate)}
</div>
<h2>Balance by territory</h2>
<p class="muted">Rating by composite CV: ${escapeHtml(RATING_SCALE)}.</p>
${balanceChart(plan, colour)}
<table>
<tr><th>Dimension (unit)</th><th>Mean</th><th>Std dev</th><th>CV now</th><th>CV proposed</th><th>Min</th><th>Max</th><th>Balance score</th></tr>
${[...DIMENSIONS, 'composite' as const]
  .map((d) => {
    const p = proposed[d];
    return `<tr><td>${DIMENSION_LABELS[d]} (${escapeHtml(DIMENSION_UNITS[d])})</td><td>${dimensionValue(d, p.mean)}</td><td>${dimensionValue(d, p.stdDev)}</td><td>${current[d].coefficientOfVariation.toFixed(3)}</td><td>${p.coefficientOfVariation.toFixed(3)}</td><td>${dimensionValue(d, p.min)}</td><td>${dimensionValue(d, p.max)}</td><td>${p.balanceScore.toFixed(0)}</td></tr>`;
  })
  .join('\n')}
</table>
<h2>Account map</h2>
${accountMap(plan, input, reps, colour, label)}
<h2>Coverage gaps</h2>
${plan.gaps.length === 0 ? '<p>No gaps in the proposed alignment.</p>' : `<ul>${plan.gaps.map((g) => `<li>${escapeHtml(g.message)}</li>`).join('')}</ul>`}
<h2>Transition plan</h2>
<p>${integer(plan.transition.totalMoves)} moves (${integer(plan.transition.movesBetweenReps)} between reps), ${plan.transition.affectedReps} reps affected,
${plan.transition.openDealsMoving.accounts} accounts with ${money(plan.transition.openDealsMoving.amount)} in open deals (the deals stay with their owners), ${money(plan.transition.arrMoving)} ARR moving.
Guardrails: ${integer(plan.transition.guardrails.allowed.length)} allowed, ${integer(plan.transition.guardrails.blocked.length)} blocked;
approvals: ${plan.transition.guardrails.requiredApprovals.map((a) => `${escapeHtml(a.role)} (${a.recordIds.length} accounts)`).join(', ') || 'none'}.</p>
${blockedTable(blocked, nameOf)}
<h2>Implementation timeline</h2>
<table><tr><th>Milestone</th><th>Date</th><th>What happens</th></tr>
${plan.timeline.map((m) => `<tr><td>${escapeHtml(m.name)}</td><td>${escapeHtml(m.date)}</td><td style="text-align:left">${escapeHtml(m.detail)}</td></tr>`).join('\n')}
</table>
<h2>Recommendations</h2>
<ol id="recommendations">${plan.recommendations.map((r) => `<li>${escapeHtml(r)}</li>`).join('')}</ol>
<h2>Territories</h2>
<table id="territories"><tr><th>Rep</th><th>Accounts</th><th>Revenue potential ($)</th><th>Workload (units)</th><th>Growth potential (points)</th><th>Composite (1.0 = average)</th><th>Travel</th><th>Specialisation</th><th>Change</th></tr>
${plan.cards
  .map(
    (c) =>
      `<tr><td><span style="color:${colour.get(c.repId)}">■</span> ${escapeHtml(c.repLabel)}</td><td>${c.accountCount}</td><td>${money(c.revenuePotential)}</td><td>${integer(c.workload)}</td><td>${points(c.growthPotential)}</td><td>${c.composite.toFixed(3)}</td><td>${km(c.meanTravelKm)}</td><td>${c.specializationAlignment === null ? '–' : percent(c.specializationAlignment)}</td><td>+${c.gained} / −${c.lost}</td></tr>`,
  )
  .join('\n')}
</table>
</body>
</html>
`;
}

function kpi(label: string, value: string, id?: string): string {
  return `<div class="kpi"${id ? ` id="${id}"` : ''}><span class="muted">${escapeHtml(label)}</span><b>${escapeHtml(value)}</b></div>`;
}

/** The moves the guardrails block, by moves.csv row (1 = the first line after the header, as `reassign` counts). */
function blockedTable(
  blocked: ReturnType<typeof blockedTransitionMoves>,
  nameOf: (id: string | null) => string,
): string {
  if (blocked.length === 0) return '';
  const rows = blocked
    .slice(0, BLOCKED_SHOWN)
    .map(
      (b) =>
        `<tr><td>${b.row}</td><td style="text-align:left">${escapeHtml(b.accountName || b.accountId)}</td><td style="text-align:left">${escapeHtml(nameOf(b.fromRepId))}</td><td style="text-align:left">${escapeHtml(nameOf(b.toRepId))}</td><td style="text-align:left">${escapeHtml(b.reasons.join(' '))}</td></tr>`,
    )
    .join('\n');
  const more =
    blocked.length > BLOCKED_SHOWN
      ? `<p>…and ${integer(blocked.length - BLOCKED_SHOWN)} more in guardrails.json.</p>`
      : '';
  return `<p>Blocked moves by moves.csv row (row 1 is the first line after the header, as <code>reassign</code> counts):</p>
<table id="blocked-moves"><tr><th>Row</th><th>Account</th><th>From</th><th>To</th><th>Why</th></tr>
${rows}
</table>${more}`;
}

const CHART_LEFT = 78;
const LABEL_BAND = 130;

interface ChartPanel {
  title: string;
  value: (t: TerritoryTotals) => number;
  format: (v: number) => string;
  /** A dashed reference line and what it means. */
  reference: { value: number; label: string };
}

/**
 * One panel per measure — composite, then each dimension in its own unit — with a labelled
 * y axis (0, half, top), each bar's value above it when there is room, and the reps' labels
 * under the last panel (every panel's bars share those columns).
 */
function balanceChart(plan: TerritoryPlan, colour: Map<string, string>): string {
  const territories = plan.territories.proposed;
  const label = new Map(plan.cards.map((c) => [c.repId, c.repLabel]));
  const before = new Map(plan.territories.current.map((t) => [t.repId, t]));
  const step = Math.max(6, Math.min(72, 900 / Math.max(1, territories.length)));
  const width = CHART_LEFT + step * territories.length + 16;
  const showValues = step >= 40;
  const showLabels = territories.length <= 80;
  const mean = (d: Dimension) => plan.metrics.proposed[d].mean;
  const panels: ChartPanel[] = [
    {
      title: `${DIMENSION_LABELS.composite} (${DIMENSION_UNITS.composite}; bars proposed, dots today)`,
      value: (t) => t.composite,
      format: (v) => v.toFixed(2),
      reference: { value: 1, label: 'average' },
    },
    ...DIMENSIONS.map(
      (d): ChartPanel => ({
        title: `${DIMENSION_LABELS[d]} (${DIMENSION_UNITS[d]})`,
        value: (t) => t[d],
        format: (v) => compactValue(d, v),
        reference: { value: mean(d), label: 'mean' },
      }),
    ),
  ];
  const panelGap = 46;
  const top = (p: number) => 26 + p * (CHART_PANEL_HEIGHT + panelGap);
  const height = top(panels.length) - panelGap + 26 + (showLabels ? LABEL_BAND : 0);
  const body = panels
    .map((panel, p) => {
      const panelTop = top(p);
      const currentMax = p === 0 ? Math.max(0, ...plan.territories.current.map((t) => t.composite)) : 0;
      const axisMax = niceCeiling(Math.max(p === 0 ? 1.2 : 0, currentMax, ...territories.map(panel.value)));
      const y = (v: number) =>
        panelTop + CHART_PANEL_HEIGHT - (Math.min(v, axisMax) / axisMax) * CHART_PANEL_HEIGHT;
      const bottom = panelTop + CHART_PANEL_HEIGHT;
      const ticks = [0, axisMax / 2, axisMax]
        .map(
          (v) =>
            `<line x1="${CHART_LEFT - 4}" x2="${CHART_LEFT}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#9aa5b1"/><text class="tick" x="${CHART_LEFT - 6}" y="${(y(v) + 4).toFixed(1)}" font-size="10" text-anchor="end">${escapeHtml(panel.format(v))}</text>`,
        )
        .join('');
      const bars = territories
        .map((t, i) => {
          const v = panel.value(t);
          const x = CHART_LEFT + i * step;
          const who = label.get(t.repId) ?? t.repId;
          const valueText = showValues
            ? `<text class="value" x="${(x + step / 2).toFixed(1)}" y="${(y(v) - 3).toFixed(1)}" font-size="9" text-anchor="middle">${escapeHtml(panel.format(v))}</text>`
            : '';
          return `<rect x="${(x + 1).toFixed(1)}" y="${y(v).toFixed(1)}" width="${Math.max(2, step - 2).toFixed(1)}" height="${(bottom - y(v)).toFixed(1)}" fill="${colour.get(t.repId)}"><title>${escapeHtml(who)}: ${escapeHtml(panel.format(v))}</title></rect>${valueText}`;
        })
        .join('');
      const dots =
        p === 0
          ? territories
              .map((t, i) => {
                const now = before.get(t.repId)?.composite ?? 0;
                return `<circle cx="${(CHART_LEFT + i * step + step / 2).toFixed(1)}" cy="${y(now).toFixed(1)}" r="2.5" fill="#102a43"><title>${escapeHtml(label.get(t.repId) ?? t.repId)} today: ${now.toFixed(2)}</title></circle>`;
              })
              .join('')
          : '';
      const ref = y(panel.reference.value);
      return `<g class="panel">
<text class="axis-title" x="${CHART_LEFT}" y="${panelTop - 10}" font-size="12" font-weight="600">${escapeHtml(panel.title)}</text>
<line x1="${CHART_LEFT}" x2="${CHART_LEFT}" y1="${panelTop}" y2="${bottom}" stroke="#9aa5b1"/>
<line x1="${CHART_LEFT}" x2="${width - 8}" y1="${bottom}" y2="${bottom}" stroke="#9aa5b1"/>${ticks}${bars}${dots}
<line x1="${CHART_LEFT}" x2="${width - 8}" y1="${ref.toFixed(1)}" y2="${ref.toFixed(1)}" stroke="#334e68" stroke-dasharray="4 3"/>
<text class="reference" x="${width - 8}" y="${panelTop - 10}" font-size="10" text-anchor="end" fill="#334e68">dashed line: ${escapeHtml(`${panel.reference.label} ${panel.format(panel.reference.value)}`)}</text>
</g>`;
    })
    .join('\n');
  const labelTop = top(panels.length) - panelGap + 12;
  const repLabelsSvg = showLabels
    ? territories
        .map((t, i) => {
          const x = CHART_LEFT + i * step + step / 2;
          return `<text class="rep-label" x="${x.toFixed(1)}" y="${labelTop}" font-size="10" text-anchor="end" transform="rotate(-40 ${x.toFixed(1)} ${labelTop})">${escapeHtml(label.get(t.repId) ?? t.repId)}</text>`;
        })
        .join('')
    : `<text x="${CHART_LEFT}" y="${labelTop}" font-size="11" fill="#616e7c">${territories.length} territories: point at a bar for its rep; the table below lists every one.</text>`;
  return `<svg id="balance-chart" xmlns="http://www.w3.org/2000/svg" width="${width.toFixed(0)}" height="${height}" viewBox="0 0 ${width.toFixed(0)} ${height}" role="img" aria-label="Composite, revenue potential, accounts, workload and growth potential per territory">
${body}
${repLabelsSvg}
</svg>`;
}

/** Short bar and tick labels: $1.25M, 1,234, 2.50M pts. */
function compactValue(dimension: Dimension, value: number): string {
  if (dimension === 'revenuePotential') return money(value);
  const n =
    Math.abs(value) >= 1e6
      ? `${(value / 1e6).toFixed(Math.abs(value) < 1e7 ? 2 : 1)}M`
      : Math.abs(value) >= 1e4
        ? `${(value / 1e3).toFixed(0)}K`
        : integer(value);
  return dimension === 'growthPotential' ? `${n} pts` : n;
}

/** The smallest round number (1, 1.2, 1.5, 2 … 8 × 10^k) at or above `value`: axis tops. */
function niceCeiling(value: number): number {
  if (!(value > 0)) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  const step =
    [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10].find((m) => m * magnitude >= value * (1 - 1e-9)) ?? 10;
  return step * magnitude;
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
  label: ReadonlyMap<string, string>,
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
      return `<path d="M${cx} ${cy - 7}L${cx + 7} ${cy}L${cx} ${cy + 7}L${cx - 7} ${cy}Z" fill="${colour.get(rep.id)}" stroke="#102a43" stroke-width="1.5"><title>${escapeHtml(label.get(rep.id) ?? rep.id)} (home ${escapeHtml(rep.postalCode)})</title></path>`;
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
