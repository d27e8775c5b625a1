import type { LeftInPool, LeftReason, PoolOrder, RepOutcome } from './allocate.js';

/** What one top-up run did, stored per run and posted to Slack. No lead data beyond ids. */
export interface TopUpRunSummary {
  readonly runId: string;
  readonly dryRun: boolean;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly durationMs: number;
  readonly modelVersion: number;
  readonly pool: { readonly read: number; readonly order: PoolOrder; readonly skippedRead?: string };
  /** Leads planned for a rep, and (real runs) how many the database accepted. */
  readonly planned: number;
  readonly allocated: number;
  readonly leftInPool: {
    readonly total: number;
    readonly byReason: Partial<Record<LeftReason, number>>;
    /** The first few, with their reasons; every allocation is in the audit trail anyway. */
    readonly examples: readonly LeftInPool[];
  };
  readonly reps: readonly RepOutcome[];
  readonly writeBack: {
    readonly mode: 'outbox' | 'bulk' | 'none';
    readonly written?: number;
    readonly failed?: number;
    readonly retrying?: number;
    /** Leads converted meanwhile: nothing to write, never retried. */
    readonly skipped?: number;
  };
  /** What this org lacks that the run would have used, and how the run did without it. */
  readonly notes?: readonly string[];
}

export const LEFT_EXAMPLES = 50;

const REASON_WORDS: Record<LeftReason, string> = {
  'no-territory': 'no territory',
  'no-eligible-rep': 'no eligible rep',
  'no-headroom': 'no headroom',
  duplicate: 'duplicate',
  'already-assigned': 'already assigned',
  'capacity-reached': 'capacity reached meanwhile',
  'not-recorded': 'not recorded',
};

export function summarizeLeft(left: readonly LeftInPool[]): TopUpRunSummary['leftInPool'] {
  const byReason: Partial<Record<LeftReason, number>> = {};
  for (const l of left) byReason[l.reason] = (byReason[l.reason] ?? 0) + 1;
  return { total: left.length, byReason, examples: left.slice(0, LEFT_EXAMPLES) };
}

export function describeLeft(left: TopUpRunSummary['leftInPool']): string {
  const parts = Object.entries(left.byReason).map(
    ([reason, n]) => `${REASON_WORDS[reason as LeftReason] ?? reason} ${n}`,
  );
  return parts.length ? `${left.total} (${parts.join(', ')})` : '0';
}

/** A few lines for Slack or a log: totals, then the reps who got leads. */
export function describeRun(summary: TopUpRunSummary): string {
  const seconds = (summary.durationMs / 1000).toFixed(1);
  const lines = [
    `${summary.dryRun ? 'Top-up dry run' : 'Top-up run'} ${summary.runId}: ${summary.allocated} of ${summary.pool.read} pool leads allocated in ${seconds} s (model v${summary.modelVersion})`,
    `Left in pool: ${describeLeft(summary.leftInPool)}`,
  ];
  if (summary.writeBack.mode === 'bulk') {
    lines.push(
      `Bulk API 2.0 write-back: ${summary.writeBack.written ?? 0} written, ${summary.writeBack.failed ?? 0} failed, ${summary.writeBack.retrying ?? 0} retrying${summary.writeBack.skipped ? `, ${summary.writeBack.skipped} skipped (converted)` : ''}`,
    );
  } else if (summary.writeBack.mode === 'outbox' && summary.allocated > 0) {
    lines.push('Owners queued for write-back (outbox)');
  }
  for (const note of summary.notes ?? []) lines.push(`Note: ${note}`);
  for (const rep of summary.reps.filter((r) => r.given > 0)) {
    const where = rep.territories.map((t) => `${t.territoryName} ×${t.given}`).join(', ');
    lines.push(
      `• ${rep.repName}: +${rep.given} (new ${rep.before.new}→${rep.after.new}, headroom ${rep.headroom}, performance ${rep.performance.toFixed(2)}; ${where})`,
    );
  }
  return lines.join('\n');
}
