/**
 * `explain`: every recorded decision about one lead or account, in order, from the decision
 * trail the ledger keeps — the audit record of each owner change (written in the same
 * transaction as the assignment; its `trace` says which territory matched on which values, the
 * candidates and why each was skipped, and for top-up the counters at that moment), the
 * write-back outcome with Salesforce's answer, and quarantined notifications. Later features add
 * fields to `trace`; this reads what is there and shows unknown fields as they are.
 */
import type { AccountAwareTrace } from '../../domain/accounts/existing-owner.js';
import {
  type CountersAgainstCaps,
  formatCounters,
  type RefusedCandidate,
} from '../../domain/audit/decision-trace.js';

export interface DecisionRecord {
  at: string;
  source: string;
  before: string | null;
  after: string;
  reason: string;
  runId?: string;
  requestId?: string;
  requestedBy?: string;
  approvedBy?: string[];
  effectiveOn?: string;
  trace?: Record<string, unknown>;
}

export interface WriteBackRecord {
  at: string;
  ownerId: string;
  status: string;
  errorCode?: string | null;
  detail?: string;
}

export interface QuarantineRecord {
  at: string;
  notificationId: string;
  reason: string;
}

export interface DecisionTrail {
  decisions(recordId: string): Promise<DecisionRecord[]>;
  writeBacks(recordId: string): Promise<WriteBackRecord[]>;
  quarantined(recordId: string): Promise<QuarantineRecord[]>;
}

export interface Explanation {
  recordId: string;
  decisions: Array<DecisionRecord & { ownerName: string; beforeName?: string }>;
  writeBacks: WriteBackRecord[];
  quarantined: QuarantineRecord[];
  /** The owner Salesforce has now, when it differs from the last decision (a person took it). */
  laterChange?: { ownerId: string; ownerName: string };
}

export async function explainRecord(
  recordId: string,
  deps: {
    trail: DecisionTrail;
    /** Names of users and queues by id (Salesforce, cached); unknown ids stay ids. */
    names: (ids: string[]) => Promise<Map<string, string>>;
    currentOwner?: (recordId: string) => Promise<string | undefined>;
  },
): Promise<Explanation> {
  const [decisions, writeBacks, quarantined, current] = await Promise.all([
    deps.trail.decisions(recordId),
    deps.trail.writeBacks(recordId),
    deps.trail.quarantined(recordId),
    deps.currentOwner?.(recordId) ?? Promise.resolve(undefined),
  ]);
  const ids = [...new Set([...decisions.flatMap((d) => [d.after, d.before ?? '']), current ?? ''])].filter(
    Boolean,
  );
  const names = await deps.names(ids).catch(() => new Map<string, string>());
  const name = (id: string) => names.get(id) ?? id;
  const last = decisions.at(-1);
  return {
    recordId,
    decisions: decisions.map((d) => ({
      ...d,
      ownerName: name(d.after),
      ...(d.before ? { beforeName: name(d.before) } : {}),
    })),
    writeBacks,
    quarantined,
    ...(current && last && current !== last.after
      ? { laterChange: { ownerId: current, ownerName: name(current) } }
      : {}),
  };
}

export function formatExplanation(e: Explanation): string {
  const lines = [`${e.recordId}`];
  if (e.decisions.length === 0 && e.quarantined.length === 0)
    lines.push('  no decision recorded for this record');
  e.decisions.forEach((d, i) => {
    lines.push(
      '',
      `${i + 1}. ${d.at}  ${d.source}${d.runId ? ` (run ${d.runId})` : ''}${d.requestId ? ` (request ${d.requestId})` : ''}`,
    );
    const before = d.before
      ? d.beforeName && d.beforeName !== d.before
        ? `${d.beforeName} (${d.before})`
        : d.before
      : '—';
    lines.push(`   owner      ${before} → ${d.ownerName} (${d.after})`);
    lines.push(`   reason     ${d.reason}`);
    const t = d.trace ?? {};
    const territory = t.territory as
      | { name?: string; priority?: number; matchedBy?: string[]; path?: string[] }
      | string
      | undefined;
    if (territory && typeof territory === 'object') {
      lines.push(
        `   territory  ${territory.name} (priority ${territory.priority}${territory.path?.length ? `; ${territory.path.join(' > ')}` : ''})`,
        `   matched    ${territory.matchedBy?.length ? territory.matchedBy.join(' and ') : '(no conditions)'}`,
      );
    } else if (typeof territory === 'string') lines.push(`   territory  ${territory}`);
    if (t.method)
      lines.push(`   method     ${String(t.method)}${t.selection ? ` — ${String(t.selection)}` : ''}`);
    lines.push(...accountRuleLines(t));
    for (const s of (t.skipped as
      | Array<{ repName: string; detail: string; headroom?: number }>
      | undefined) ?? [])
      lines.push(
        `   skipped    ${s.repName}: ${s.detail}${s.headroom === undefined ? '' : ` (headroom ${s.headroom})`}`,
      );
    for (const r of (t.refused as RefusedCandidate[] | undefined) ?? [])
      lines.push(`   refused    ${r.repName}: ${r.detail}`);
    for (const c of (t.counters as CountersAgainstCaps[] | undefined) ?? [])
      lines.push(`   counters   ${formatCounters(c)}`);
    if (typeof t.performance === 'number')
      lines.push(`   performance ${t.performance} (top-up order; never in the reason)`);
    // Top-up records written before counters were traced.
    if (t.newBefore !== undefined && !t.counters)
      lines.push(`   counters   ${String(t.newBefore)} new before, headroom ${String(t.headroomBefore)}`);
    if (t.fallback) lines.push(`   fallback   ${String(t.fallback)}`);
    const sla = t.sla as { summary?: string } | undefined;
    if (sla?.summary) lines.push(`   sla        ${sla.summary}`);
    if (t.held === true)
      lines.push(
        i === e.decisions.length - 1
          ? `   held       since ${d.at}, nobody on shift in the territory; assigned by its method when a rep comes on shift`
          : `   held       from ${d.at} until the next decision`,
      );
    if (d.requestedBy) lines.push(`   requested  ${d.requestedBy}`);
    if (d.approvedBy?.length) lines.push(`   approved   ${d.approvedBy.join(', ')}`);
    if (d.effectiveOn) lines.push(`   effective  ${d.effectiveOn}`);
  });
  if (e.writeBacks.length) {
    lines.push('', 'Write-back to Salesforce');
    for (const w of e.writeBacks)
      lines.push(
        `  ${w.at}  ${w.ownerId}: ${w.status}${w.errorCode ? ` ${w.errorCode}` : ''}${w.detail ? ` — ${w.detail}` : ''}`,
      );
  }
  if (e.quarantined.length) {
    lines.push('', 'Quarantined notifications');
    for (const q of e.quarantined) lines.push(`  ${q.at}  ${q.notificationId}: ${q.reason}`);
  }
  if (e.laterChange)
    lines.push(
      '',
      `Later: Salesforce now shows ${e.laterChange.ownerName} (${e.laterChange.ownerId}) — a person changed it`,
    );
  return lines.join('\n');
}

/** The lead's account match with its confidence, and the duplicate rule when it fired (traces that have them). */
function accountRuleLines(trace: Record<string, unknown>): string[] {
  const { accountMatch: m, existingOwner: e } = trace as Pick<
    AccountAwareTrace,
    'accountMatch' | 'existingOwner'
  >;
  const lines: string[] = [];
  if (m?.accountId) {
    const confidence = m.confidence === undefined ? '' : `, confidence ${m.confidence}`;
    lines.push(
      `   account    ${m.accountName ?? ''} (${m.accountId})${confidence}${m.rule ? `, ${m.rule}` : ''}${m.reason ? ` — ${m.reason}` : ''}`,
    );
  } else if (m?.reason) lines.push(`   account    no match — ${m.reason}`);
  if (e) {
    const who = `${e.ownerName ?? e.ownerId} (${e.ownerId})`;
    lines.push(
      e.routed
        ? `   duplicate  owns ${e.kind} ${e.recordId} with the same e-mail → ${who}`
        : `   duplicate  ${e.kind} ${e.recordId} has the same e-mail; its owner ${who} was skipped: ${e.skipped}`,
    );
  }
  return lines;
}
