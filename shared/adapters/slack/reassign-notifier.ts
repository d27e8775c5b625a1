import { ROLE_TITLES } from '../../domain/reassign/approvers.js';
import type { Approval, ReassignmentSummary, RepImpact } from '../../domain/reassign/model.js';
import { count } from '../../domain/words.js';
import type { Notifier } from '../../ports/notifier.js';
import type { ApproverLink, ReassignmentNotifier, StoredReassignment } from '../../ports/reassignment.js';

/** Slack interactive button ids; the Slack interactions endpoint maps them back to decisions. */
export const SLACK_ACTIONS = { approve: 'reassign_approve', reject: 'reassign_reject' } as const;

const REPS_SHOWN = 10;
const FAILURES_SHOWN = 10;
const VIOLATIONS_SHOWN = 8;
const PROBLEMS_SHOWN = 10;

type Block = Record<string, unknown>;

/**
 * Bulk-reassignment messages: the summary (moves per rep, guardrails triggered, ARR and open
 * deals affected) with a link per approver — links open a confirmation page, they never decide —
 * and Approve / Reject buttons carrying only the opaque approval id.
 */
export class SlackReassignmentNotifier implements ReassignmentNotifier {
  constructor(
    private readonly notifier: Notifier,
    /** Where the full report of a request can be read. */
    private readonly statusUrl: (requestId: string) => string,
  ) {}

  async approvalsRequested(
    request: StoredReassignment,
    approvals: ReadonlyArray<{ approval: Approval; links: ApproverLink[] }>,
  ): Promise<void> {
    const report = request.report;
    const title = `Bulk reassignment "${request.label}" from ${request.requestedBy} needs ${approvals.length} approval${approvals.length === 1 ? '' : 's'}`;
    const lines = [title, ...reportLines(request)];
    const blocks: Block[] = [
      section(`*${mrkdwn(title)}*`),
      section(reportLines(request).map(mrkdwn).join('\n')),
    ];
    const problems = problemLines(request);
    if (problems.length) {
      lines.push('Not moving:', ...problems.map((l) => `  ${l}`));
      blocks.push(section(`*Not moving*\n${problems.map(mrkdwn).join('\n')}`));
    }
    if (report?.violations.length) {
      const shown = report.violations
        .slice(0, VIOLATIONS_SHOWN)
        .map((v) => `• ${v.rule} (${v.outcome}): ${v.message}`);
      lines.push('Guardrails triggered:', ...shown.map((l) => `  ${l}`));
      blocks.push(section(`*Guardrails triggered*\n${shown.map(mrkdwn).join('\n')}`));
    }
    for (const { approval, links } of approvals) {
      const heading = `${ROLE_TITLES[approval.role]} — ${count(approval.recordCount, 'record')}`;
      lines.push(heading);
      if (links.length === 0) lines.push('  (no approver configured for this role: set REASSIGN_APPROVERS)');
      for (const link of links) lines.push(`  ${link.approver.name}: ${link.url}`);
      blocks.push(
        section(
          `*${mrkdwn(heading)}*\n${approval.reasons.slice(0, 3).map(mrkdwn).join('\n')}\n${links
            .map((l) => `<${l.url}|Review as ${mrkdwn(l.approver.name)}>`)
            .join(' · ')}`,
        ),
        {
          type: 'actions',
          block_id: `approval:${approval.approvalId}`,
          elements: [
            button('Approve', SLACK_ACTIONS.approve, approval.approvalId, 'primary'),
            button('Reject', SLACK_ACTIONS.reject, approval.approvalId, 'danger'),
          ],
        },
      );
    }
    lines.push(`Full report: ${this.statusUrl(request.id)}`);
    await this.notifier.notify({ text: lines.join('\n'), blocks });
  }

  async closed(request: StoredReassignment, because: string): Promise<void> {
    const text = `Bulk reassignment "${request.label}" from ${request.requestedBy} was ${request.status}: ${because}. Nothing was changed in Salesforce.`;
    await this.notifier.notify({ text, blocks: [section(mrkdwn(text))] });
  }

  async completed(request: StoredReassignment, summary: ReassignmentSummary): Promise<void> {
    const head =
      `Bulk reassignment "${request.label}" from ${request.requestedBy} finished: ${summary.applied} applied, ` +
      `${summary.failed} failed, ${summary.skipped} skipped (owner changed meanwhile), ${summary.blocked} blocked, ` +
      `${summary.noOps} already in place, ${summary.invalid} invalid.`;
    const lines = [head];
    if (summary.approvedBy.length) lines.push(`Approved by ${summary.approvedBy.join(', ')}.`);
    lines.push(`ARR moved: ${money(summary.arrMoved)}.`);
    if (summary.reps.length) lines.push(`Moves per rep: ${repLine(summary.reps)}`);
    const problems = problemLines(request);
    if (problems.length) lines.push('Not moved (blocked or invalid):', ...problems.map((l) => `  ${l}`));
    if (summary.failures.length) {
      lines.push(`Failures (${summary.failures.length}; every one is in the full report):`);
      for (const f of summary.failures.slice(0, FAILURES_SHOWN))
        lines.push(`  ${moveName(f)}: ${f.errorCode} ${f.message}`);
    }
    if (summary.skippedMoves.length) {
      lines.push(`Skipped (${summary.skippedMoves.length}; the owner changed meanwhile):`);
      for (const s of summary.skippedMoves.slice(0, FAILURES_SHOWN))
        lines.push(`  ${moveName(s)}: ${s.reason}`);
    }
    lines.push(`Full report: ${this.statusUrl(request.id)}`);
    await this.notifier.notify({ text: lines.join('\n'), blocks: [section(lines.map(mrkdwn).join('\n'))] });
  }
}

function reportLines(request: StoredReassignment): string[] {
  const report = request.report;
  if (!report) return [`${count(request.moveCount, 'move')} requested`];
  const c = report.counts;
  return [
    `${count(c.requested, 'move')} requested: ${c.allowed} allowed, ${c.blocked} blocked, ${c.noOps} already in place, ${c.invalid} invalid` +
      (report.applyOn ? `; applies on ${report.applyOn}` : ''),
    `ARR moving: ${money(report.arrMoving)}; open deals on moving accounts: ${report.openDeals.count} (${money(report.openDeals.amount)}), staying with their owners`,
    `Moves per rep: ${repLine(report.reps)}`,
  ];
}

/** Every blocked or invalid move the report lists, by row and name, with why; then how many more. */
function problemLines(request: StoredReassignment): string[] {
  const report = request.report;
  const problems = report?.problems ?? [];
  const total = (report?.counts.blocked ?? 0) + (report?.counts.invalid ?? 0);
  const lines = problems
    .slice(0, PROBLEMS_SHOWN)
    .map((p) => `row ${p.row} ${p.objectType} ${p.name} → ${p.to}: ${p.outcome} — ${p.why.join(' ')}`);
  if (total > lines.length)
    lines.push(`…and ${(total - lines.length).toLocaleString('en-US')} more in the full report`);
  return lines;
}

/** `row 3 Account Acme Corp → Priya Sharma`; ids only for summaries stored before names were kept. */
function moveName(m: {
  row: number;
  recordId: string;
  objectType?: string;
  name?: string;
  to?: string;
}): string {
  const what = [m.objectType, m.name ?? m.recordId].filter(Boolean).join(' ');
  return `row ${m.row} ${what}${m.to ? ` → ${m.to}` : ''}`;
}

function repLine(reps: readonly RepImpact[]): string {
  const shown = reps.slice(0, REPS_SHOWN).map((r) => `${r.repName} +${r.gains}/−${r.losses}`);
  return reps.length > REPS_SHOWN
    ? `${shown.join(', ')} and ${reps.length - REPS_SHOWN} more`
    : shown.join(', ');
}

function section(text: string): Block {
  // Slack caps a section's text at 3,000 characters.
  return { type: 'section', text: { type: 'mrkdwn', text: text.slice(0, 3000) } };
}

function button(label: string, actionId: string, approvalId: string, style: 'primary' | 'danger'): Block {
  return {
    type: 'button',
    text: { type: 'plain_text', text: label },
    action_id: actionId,
    value: approvalId,
    style,
    confirm: {
      title: { type: 'plain_text', text: `${label} this reassignment?` },
      text: { type: 'plain_text', text: 'Your Slack user must be a listed approver.' },
      confirm: { type: 'plain_text', text: label },
      deny: { type: 'plain_text', text: 'Cancel' },
    },
  };
}

/** Slack mrkdwn needs &, < and > escaped. */
function mrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function money(amount: number): string {
  return `$${Math.round(amount).toLocaleString('en-US')}`;
}
