import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { runTopUp, type TopUpOutcome, type TopUpProgress } from '../../../application/topup/run-top-up.js';
import type { RepOutcome } from '../../../domain/topup/allocate.js';
import { describeLeft } from '../../../domain/topup/run.js';
import { topUpDeps } from '../../../runtime/top-up.js';
import { notifierFor } from '../../slack/notifier.js';
import { cliConfig } from '../cli-config.js';
import { openDynamoTarget, withDynamoTarget } from '../dynamodb-target.js';
import { cliSalesforceConnection } from '../salesforce-target.js';
import { table } from '../table.js';

interface TopUpCliOptions {
  dryRun?: boolean;
  json?: boolean;
  details?: boolean;
  endpoint?: string;
  aws?: boolean;
  table: string;
}

/**
 * `territory-router top-up [--dry-run]`: the same run the schedule makes, against the local stack
 * by default (DynamoDB Local on PORT + 2, the Salesforce emulator on PORT + 1), or the table and
 * org the options and SF_LOGIN_URL name. A dry run prints the allocation table and writes nothing.
 */
export function register(program: Command): void {
  withDynamoTarget(
    program
      .command('top-up')
      .description('refill reps from the unassigned lead pool by territory and performance')
      .option('--dry-run', 'compute and print the allocation table without writing anything')
      .option('--details', 'also list every allocation and every lead left in the pool')
      .option('--json', 'print the outcome as JSON'),
  ).action(async (options: TopUpCliOptions) => {
    const cfg = { ...cliConfig(), TABLE_NAME: options.table };
    const target = openDynamoTarget(options);
    const bar = new SingleBar({
      format: '{phase} |{bar}| {value}/{total}',
      hideCursor: true,
      clearOnComplete: true,
      noTTYOutput: false,
    });
    let barPhase: TopUpProgress['phase'] | undefined;
    const onProgress = (p: TopUpProgress) => {
      if (options.json) return;
      if (barPhase !== p.phase) {
        if (barPhase) bar.stop();
        barPhase = p.phase;
        bar.start(p.total, 0, { phase: p.phase === 'apply' ? 'recording ' : 'bulk write' });
      }
      bar.update(p.done, { phase: p.phase === 'apply' ? 'recording ' : 'bulk write' });
    };
    try {
      const deps = topUpDeps(cfg, {
        doc: target.doc,
        connection: cliSalesforceConnection,
        // The CLI prints the outcome itself; Slack only when a webhook is configured.
        ...(cfg.SLACK_WEBHOOK_URL ? { notifier: notifierFor(cfg.SLACK_WEBHOOK_URL) } : {}),
      });
      const outcome = await runTopUp({ dryRun: options.dryRun === true, onProgress }, deps);
      if (barPhase) bar.stop();
      if (options.json) console.log(JSON.stringify(jsonOutcome(outcome, options.details === true), null, 2));
      else console.log(formatOutcome(outcome, options.details === true));
      if (outcome.status === 'already-running') process.exitCode = 3;
      if (outcome.status === 'skipped') process.exitCode = 2;
    } finally {
      if (barPhase) bar.stop();
      target.close();
    }
  });
}

function jsonOutcome(outcome: TopUpOutcome, details: boolean): unknown {
  if (outcome.status !== 'completed' || details) return outcome;
  const { plan: _plan, ...rest } = outcome;
  return rest;
}

export function formatOutcome(outcome: TopUpOutcome, details: boolean): string {
  if (outcome.status === 'already-running') {
    return `Another top-up run is in progress (${outcome.heldBy}, lease until ${outcome.until}); nothing done.`;
  }
  if (outcome.status === 'skipped') return `Top-up skipped: ${outcome.reason}`;
  const s = outcome.summary;
  const lines = [
    `${s.dryRun ? 'Dry run — nothing written.' : 'Top-up run'} ${s.runId} · model v${s.modelVersion} · ` +
      `pool ${s.pool.read} (${s.pool.order} first)${s.pool.skippedRead ? ` — not read: ${s.pool.skippedRead}` : ''}`,
    '',
    table(
      ['rep', 'territory', 'open', 'new', 'headroom', 'given', 'reason'],
      s.reps.flatMap((rep) => repRows(rep)),
    ),
    '',
    `${s.dryRun ? 'Would allocate' : 'Allocated'} ${s.allocated} of ${s.pool.read}; left in pool: ${describeLeft(s.leftInPool)}`,
  ];
  if (s.writeBack.mode === 'bulk') {
    lines.push(
      `Bulk API 2.0: ${s.writeBack.written ?? 0} written, ${s.writeBack.failed ?? 0} failed, ${s.writeBack.retrying ?? 0} handed to the write-back to retry`,
    );
  } else if (s.writeBack.mode === 'outbox' && s.allocated > 0) {
    lines.push('Owners are queued in the outbox; the write-back sends them to Salesforce.');
  }
  // What the org lacks and how the run degraded (e.g. no lead score field: oldest first).
  for (const n of s.notes ?? []) lines.push(`note: ${n}`);
  for (const w of outcome.warnings) lines.push(`warning: ${w}`);
  if (details) {
    lines.push('', 'Allocations:');
    for (const a of outcome.plan.allocations) lines.push(`  ${a.leadId} → ${a.repName}: ${a.reason}`);
    lines.push('', 'Left in pool:');
    for (const l of outcome.plan.leftInPool) lines.push(`  ${l.leadId} ${l.reason}: ${l.detail}`);
  }
  return lines.join('\n');
}

function repRows(rep: RepOutcome): string[][] {
  const counts = (before: number, after: number) =>
    before === after ? String(before) : `${before}→${after}`;
  const base = [
    counts(rep.before.open, rep.after.open),
    counts(rep.before.new, rep.after.new),
    String(rep.headroom),
  ];
  if (rep.territories.length === 0) return [[rep.repName, '—', ...base, '0', rep.note ?? '']];
  return rep.territories.map((t, i) =>
    i === 0
      ? [rep.repName, t.territoryName, ...base, String(t.given), t.reason]
      : ['', t.territoryName, '', '', '', String(t.given), t.reason],
  );
}
