import type { CoverageReport } from '../../domain/planning/coverage.js';
import { DIMENSIONS, type Rep } from '../../domain/planning/model.js';
import type { TerritoryPlan } from '../../domain/planning/plan.js';
import { RATING_SCALE } from '../../domain/planning/rating.js';
import { blockedTransitionMoves } from '../../domain/planning/transition.js';
import { DIMENSION_LABELS, dimensionValue, integer, km, money, percent, points } from './format.js';

const FROM_TO_ROWS = 25;
const VIOLATION_ROWS = 20;
const BLOCKED_ROWS = 50;

/** report.md: a territory plan summary, current against proposed. */
export function renderMarkdown(plan: TerritoryPlan, reps: readonly Rep[]): string {
  const name = repNamer(reps);
  return [
    header(plan),
    executiveSummary(plan),
    territoryBreakdown(plan, name),
    balanceAnalysis(plan),
    coverageGaps(plan),
    transitionPlan(plan, name),
    timeline(plan),
    recommendations(plan),
    territoryCards(plan),
  ]
    .join('\n\n')
    .concat('\n');
}

function header(plan: TerritoryPlan): string {
  const w = plan.weights;
  const lines = [
    '# Territory Plan Summary',
    '',
    `Plan date ${plan.asOf} · mode **${plan.mode}** · weights: revenue potential ${percent(w.revenuePotential)}, account count ${percent(w.accountCount)}, workload ${percent(w.workload)}, growth potential ${percent(w.growthPotential)}`,
  ];
  if (plan.warnings.length > 0) lines.push('', ...plan.warnings.map((w) => `> **Warning:** ${w}`));
  return lines.join('\n');
}

function executiveSummary(plan: TerritoryPlan): string {
  const { current, proposed } = plan.metrics;
  const accounts = plan.assignments.length;
  const assignedNow = accounts - plan.coverage.current.unassignedAccountIds.length;
  const territoriesNow = plan.territories.current.filter((t) => t.accountCount > 0).length;
  const revenue = (totals: readonly { revenuePotential: number }[]) =>
    totals.reduce((s, t) => s + t.revenuePotential, 0);
  const ratio =
    plan.travelLowerBoundKm > 0
      ? ` (${(proposed.meanTravelKm / plan.travelLowerBoundKm).toFixed(2)}× the nearest-rep bound)`
      : '';
  const t = plan.transition;
  return [
    '## Executive summary',
    '',
    `The proposed alignment splits ${integer(accounts)} accounts across ${plan.territories.proposed.length} territories with a composite CV of ${proposed.composite.coefficientOfVariation.toFixed(3)} (**${plan.rating.proposed}**), against ${current.composite.coefficientOfVariation.toFixed(3)} today. ${integer(t.totalMoves)} accounts change owner; go-live is ${t.effectiveDate}.`,
    '',
    '| | Current | Proposed |',
    '|---|---:|---:|',
    `| Territories (reps with accounts) | ${territoriesNow} | ${plan.territories.proposed.length} |`,
    `| Accounts assigned | ${integer(assignedNow)} of ${integer(accounts)} | ${integer(accounts)} of ${integer(accounts)} |`,
    `| Total revenue potential assigned | ${money(revenue(plan.territories.current))} | ${money(revenue(plan.territories.proposed))} |`,
    `| Balance score (composite) | ${current.composite.balanceScore.toFixed(0)} | ${proposed.composite.balanceScore.toFixed(0)} |`,
    `| Composite CV | ${current.composite.coefficientOfVariation.toFixed(3)} | ${proposed.composite.coefficientOfVariation.toFixed(3)} |`,
    `| Mean travel to rep | ${km(current.meanTravelKm)} | ${km(proposed.meanTravelKm)}${ratio} |`,
    `| Accounts changing owner | | ${integer(t.totalMoves)} |`,
  ].join('\n');
}

function territoryBreakdown(plan: TerritoryPlan, name: (id: string | null) => string): string {
  const rows = plan.cards.map(
    (c) =>
      `| ${name(c.repId)} | ${c.homePostalCode} | ${c.accountCount} | ${money(c.revenuePotential)} | ${c.workload.toFixed(0)} | ${points(c.growthPotential)} | ${c.composite.toFixed(3)} | ${c.meanTravelKm.toFixed(1)} | ${c.specializationAlignment === null ? '–' : percent(c.specializationAlignment)} | +${c.gained} / −${c.lost} |`,
  );
  return [
    '## Territory breakdown',
    '',
    '| Rep | Home | Accounts | Revenue potential ($) | Workload (units) | Growth potential (points) | Composite (1.0 = average) | Travel km | Specialisation | Change |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
  ].join('\n');
}

function balanceAnalysis(plan: TerritoryPlan): string {
  const { current, proposed } = plan.metrics;
  const rows = [...DIMENSIONS, 'composite' as const].map((d) => {
    const p = proposed[d];
    return `| ${DIMENSION_LABELS[d]} | ${dimensionValue(d, p.mean)} | ${dimensionValue(d, p.stdDev)} | ${current[d].coefficientOfVariation.toFixed(3)} → **${p.coefficientOfVariation.toFixed(3)}** | ${dimensionValue(d, p.min)} | ${dimensionValue(d, p.max)} | ${dimensionValue(d, p.range)} | ${current[d].balanceScore.toFixed(0)} → **${p.balanceScore.toFixed(0)}** |`;
  });
  return [
    '## Balance analysis',
    '',
    `Rating: **${plan.rating.proposed}** (composite CV ${proposed.composite.coefficientOfVariation.toFixed(3)}; ${RATING_SCALE}). Balance score = max(0, 100 − 400·CV).`,
    '',
    '| Dimension | Mean | Std dev | CV (current → proposed) | Min | Max | Range | Balance score |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
  ].join('\n');
}

function coverageGaps(plan: TerritoryPlan): string {
  const { current, proposed, thresholds } = plan.coverage;
  const industryRows = proposed.industries.map((p) => {
    const before = current.industries.find((c) => c.industry === p.industry);
    return `| ${cell(p.industry)} | ${p.accounts} | ${p.specialists} | ${percent(before?.coverage ?? 0)} | ${percent(p.coverage)} | ${status(plan, 'industry', p.industry)} |`;
  });
  const regionRows = proposed.regions.map((p) => {
    const before = current.regions.find((c) => c.region === p.region);
    return `| ${p.label} | ${p.accounts} | ${percent(before?.coverage ?? 0)} | ${percent(p.coverage)} | ${status(plan, 'region', p.region)} |`;
  });
  const gapLines =
    plan.gaps.length === 0 ? ['No gaps in the proposed alignment.'] : plan.gaps.map((g) => `- ${g.message}`);
  return [
    '## Coverage gaps',
    '',
    `Unassigned accounts: ${unassigned(current)} today → ${unassigned(proposed)} proposed.`,
    '',
    `Industry coverage is the share of an industry's accounts owned by a rep specialised in it (target ${percent(thresholds.industry)}).`,
    '',
    '| Industry | Accounts | Specialists | Current | Proposed | Status |',
    '|---|---:|---:|---:|---:|---|',
    ...industryRows,
    '',
    `Region coverage is the share of a region's accounts whose rep lives within ${thresholds.radiusKm} km (target ${percent(thresholds.region)}); a region is a Canadian postal district (the postal code's first letter) or a US ZIP's first three digits.`,
    '',
    '| Region | Accounts | Current | Proposed | Status |',
    '|---|---:|---:|---:|---|',
    ...regionRows,
    '',
    ...gapLines,
  ].join('\n');
}

function transitionPlan(plan: TerritoryPlan, name: (id: string | null) => string): string {
  const t = plan.transition;
  const g = t.guardrails;
  const fromTo = t.fromTo
    .slice(0, FROM_TO_ROWS)
    .map(
      (row) =>
        `| ${name(row.fromRepId)} | ${name(row.toRepId)} | ${row.accounts} | ${money(row.revenuePotential)} | ${money(row.arr)} | ${money(row.openDealAmount)} |`,
    );
  const more =
    t.fromTo.length > FROM_TO_ROWS
      ? [`\n… ${t.fromTo.length - FROM_TO_ROWS} more pairs in plan.json; every move is in moves.csv.`]
      : [];
  const approvals =
    g.requiredApprovals.length === 0
      ? ['- No approvals required beyond the plan owner.']
      : g.requiredApprovals.map(
          (a) =>
            `- **${a.role}**${approverList(a.approverIds, name)}: ${a.recordIds.length} accounts — ${a.rules.join(', ')}`,
        );
  const violations = g.violations
    .slice(0, VIOLATION_ROWS)
    .map((v) => `| ${v.rule} | ${v.outcome} | ${cell(v.message)} |`);
  const staying = g.opportunitiesStaying.reduce((sum, o) => sum + o.amount, 0);
  const blocked = blockedTransitionMoves(t);
  const blockedRows = blocked
    .slice(0, BLOCKED_ROWS)
    .map(
      (b) =>
        `| ${b.row} | ${cell(b.accountName || b.accountId)} (${b.accountId}) | ${name(b.fromRepId)} | ${name(b.toRepId)} | ${cell(b.reasons.join(' '))} |`,
    );
  return [
    '## Transition plan',
    '',
    `- Total moves: **${integer(t.totalMoves)}** (${integer(t.movesBetweenReps)} between reps, ${integer(t.orphanAssignments)} accounts without an active owner assigned)`,
    `- Affected reps: ${t.affectedReps}`,
    `- Open deals moving: ${t.openDealsMoving.accounts} accounts with ${money(t.openDealsMoving.amount)} open — the opportunities stay with their current owners until close`,
    `- ARR moving: ${money(t.arrMoving)}; revenue potential moving: ${money(t.revenuePotentialMoving)}`,
    `- Effective date: ${t.effectiveDate}`,
    '',
    '### From → to',
    '',
    '| From | To | Accounts | Revenue potential | ARR | Open deals |',
    '|---|---|---:|---:|---:|---:|',
    ...fromTo,
    ...more,
    '',
    '### Guardrails',
    '',
    `${integer(g.allowed.length)} moves allowed, ${integer(g.blocked.length)} blocked; ${g.opportunitiesStaying.length} open opportunities (${money(staying)}) stay with their current owners.`,
    '',
    ...approvals,
    ...(blockedRows.length
      ? [
          '',
          'Blocked moves by moves.csv row (row 1 is the first line after the header, as `reassign` counts):',
          '',
          '| Row | Account | From | To | Why |',
          '|---:|---|---|---|---|',
          ...blockedRows,
          ...(blocked.length > BLOCKED_ROWS
            ? [`\n… ${blocked.length - BLOCKED_ROWS} more in guardrails.json.`]
            : []),
        ]
      : []),
    ...(violations.length
      ? [
          '',
          '| Rule | Outcome | Detail |',
          '|---|---|---|',
          ...violations,
          ...(g.violations.length > VIOLATION_ROWS
            ? [`\n… ${g.violations.length - VIOLATION_ROWS} more in plan.json.`]
            : []),
        ]
      : []),
  ].join('\n');
}

function timeline(plan: TerritoryPlan): string {
  return [
    '## Implementation timeline',
    '',
    '| Milestone | Date | What happens |',
    '|---|---|---|',
    ...plan.timeline.map((m) => `| ${m.name} | ${m.date} | ${cell(m.detail)} |`),
  ].join('\n');
}

function recommendations(plan: TerritoryPlan): string {
  const items = plan.recommendations.length ? plan.recommendations : ['No changes recommended.'];
  return ['## Recommendations', '', ...items.map((r, i) => `${i + 1}. ${r}`)].join('\n');
}

function territoryCards(plan: TerritoryPlan): string {
  const cards = plan.cards.map((c) => {
    const alignment =
      c.specializationAlignment === null
        ? 'no specialisation'
        : `${percent(c.specializationAlignment)} of accounts in ${c.specializations.join(', ')}`;
    const mix = c.industryMix.map((e) => `${e.industry} ${percent(e.share)}`).join(' · ');
    return [
      `### ${c.repName || c.repId} (${c.repId}) — ${c.homePostalCode}`,
      '',
      `${c.accountCount} accounts (${c.namedAccounts} named) · revenue potential ${money(c.revenuePotential)} · workload ${c.workload.toFixed(0)} · growth potential ${points(c.growthPotential)} · composite ${c.composite.toFixed(3)} · mean travel ${km(c.meanTravelKm)} · +${c.gained} / −${c.lost}`,
      '',
      `Specialisation alignment: ${alignment}.`,
      '',
      `Industry mix: ${mix || '–'}`,
      '',
      '| Top account | Industry | Revenue potential |',
      '|---|---|---:|',
      ...c.topAccounts.map(
        (a) =>
          `| ${cell(a.name || a.accountId)} (${a.accountId}) | ${cell(a.industry || '–')} | ${money(a.revenuePotential)} |`,
      ),
    ].join('\n');
  });
  return ['## Territory cards', ...cards].join('\n\n');
}

function approverList(ids: readonly string[], name: (id: string | null) => string): string {
  if (ids.length === 0) return '';
  const shown = ids.slice(0, 8).map(name).join(', ');
  return ` (${shown}${ids.length > 8 ? ` and ${ids.length - 8} more` : ''})`;
}

function status(plan: TerritoryPlan, kind: 'industry' | 'region', key: string): string {
  return plan.gaps.some((g) => g.kind === kind && g.key === key) ? '**gap**' : 'ok';
}

/** Text from the data inside a table cell: pipes and line breaks would break the table. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function unassigned(report: CoverageReport): string {
  return integer(report.unassignedAccountIds.length);
}

function repNamer(reps: readonly Rep[]): (id: string | null) => string {
  const names = new Map(reps.map((r) => [r.id, r.name]));
  return (id) => {
    if (id === null) return '(unowned)';
    const name = names.get(id);
    return cell(name ? `${name} (${id})` : id);
  };
}
