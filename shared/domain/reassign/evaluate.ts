import type { GuardrailConfig } from '../guardrails/config.js';
import { evaluateGuardrails } from '../guardrails/evaluate.js';
import type { ProposedMove, RequiredApproval, SnapshotAccount, Violation } from '../guardrails/model.js';
import type { ApproverDirectory } from './approvers.js';
import type {
  ApprovalSpec,
  EvaluatedMove,
  MoveLine,
  ReassignmentReport,
  ReassignmentSnapshot,
  RepImpact,
  ReportedViolation,
} from './model.js';
import type { MoveRow } from './moves.js';

export interface Evaluation {
  moves: EvaluatedMove[];
  report: ReassignmentReport;
  approvals: ApprovalSpec[];
}

export interface EvaluationInput {
  moves: readonly MoveRow[];
  namedAccountOverride?: 'all' | readonly string[];
}

/** Violations list the records they concern; a report keeps this many and the full count. */
const REPORTED_RECORD_IDS = 25;
const REPORTED_REASONS = 10;
/** Moving records and problem moves a report lists by name; pages show these and a count of the rest. */
export const REPORTED_MOVES = 50;

/**
 * The real diff of a request against the org as it is now, through the one guardrail engine:
 * records or owners that don't exist are invalid, moves to the current owner are dropped as
 * no-ops, the rest are allowed or blocked, and each required approval gets its approvers.
 * Deal-owner approval is asked of each deal owner for their own accounts.
 */
export function evaluateReassignment(
  input: EvaluationInput,
  snapshot: ReassignmentSnapshot,
  options: { config: GuardrailConfig; approvers: ApproverDirectory; now: Date; newId: () => string },
): Evaluation {
  const proposals = new Map<ProposedMove, MoveRow>();
  const invalid = new Map<MoveRow, string>();
  for (const row of input.moves) {
    const problem = invalidReason(row, snapshot);
    if (problem) {
      invalid.set(row, problem);
      continue;
    }
    const record = snapshot.records.get(row.recordId)!;
    proposals.set(
      {
        recordId: row.recordId,
        objectType: row.objectType,
        fromOwnerId: record.ownerId,
        toOwnerId: row.toOwnerId,
        ...(row.effectiveDate ? { effectiveDate: row.effectiveDate } : {}),
      },
      row,
    );
  }

  const accounts: SnapshotAccount[] = [...snapshot.records.values()]
    .filter((r) => r.objectType === 'Account')
    .map((r) => ({ id: r.id, ownerId: r.ownerId, named: r.named }));
  const result = evaluateGuardrails(
    {
      moves: [...proposals.keys()],
      ...(input.namedAccountOverride ? { namedAccountOverride: input.namedAccountOverride } : {}),
    },
    {
      accounts,
      openOpportunities: snapshot.openOpportunities,
      bookSizes: snapshot.bookSizes,
      history: snapshot.history,
      names: namesOf(snapshot),
    },
    options.config,
    options.now,
  );

  const blocked = new Map(result.blocked.map((b) => [b.move, b]));
  const noOps = new Set(result.noOps);
  // Duplicates are blocked, so at most one allowed move per record.
  const allowed = new Map(result.allowed.map((m) => [m.recordId, m]));
  const dealsByAccount = new Map<string, { count: number; amount: number }>();
  for (const o of snapshot.openOpportunities) {
    const d = dealsByAccount.get(o.accountId) ?? { count: 0, amount: 0 };
    d.count += 1;
    d.amount += o.amount;
    dealsByAccount.set(o.accountId, d);
  }

  const moves: EvaluatedMove[] = [];
  const proposalOf = new Map([...proposals].map(([proposal, row]) => [row, proposal]));
  for (const row of input.moves) {
    const record = snapshot.records.get(row.recordId);
    const deals = row.objectType === 'Account' ? dealsByAccount.get(row.recordId) : undefined;
    const base = {
      ...row,
      ...(record?.name ? { recordName: record.name } : {}),
      fromOwnerId: record?.ownerId ?? null,
      parentId: record?.parentId ?? null,
      arr: record?.arr ?? 0,
      openDeals: deals?.count ?? 0,
      openDealAmount: deals?.amount ?? 0,
    };
    const reason = invalid.get(row);
    if (reason !== undefined) {
      moves.push({ ...base, outcome: 'invalid', notes: [reason] });
      continue;
    }
    const proposal = proposalOf.get(row)!;
    const block = blocked.get(proposal);
    const resolved = allowed.get(row.recordId);
    if (noOps.has(proposal))
      moves.push({ ...base, outcome: 'no-op', notes: ['already owned by the new owner'] });
    else if (block) moves.push({ ...base, outcome: 'blocked', notes: block.reasons });
    else if (resolved)
      moves.push({ ...base, outcome: 'allowed', notes: [], effectiveOn: resolved.effectiveDate });
    else moves.push({ ...base, outcome: 'blocked', notes: ['not allowed by the guardrails'] });
  }

  return {
    moves,
    report: buildReport(moves, result.violations, result.opportunitiesStaying.length, snapshot),
    approvals: approvalsFor(result.requiredApprovals, result.violations, snapshot, options),
  };
}

/** Records and users by name, for guardrail messages and report lines. */
function namesOf(snapshot: ReassignmentSnapshot): Map<string, string> {
  const names = new Map<string, string>();
  for (const r of snapshot.records.values()) if (r.name) names.set(r.id, r.name);
  for (const u of snapshot.users.values()) names.set(u.id, u.name);
  return names;
}

function moveLine(m: EvaluatedMove, names: ReadonlyMap<string, string>): MoveLine {
  return {
    row: m.row,
    recordId: m.recordId,
    objectType: m.objectType,
    name: names.get(m.recordId) ?? m.recordId,
    from: m.fromOwnerId ? (names.get(m.fromOwnerId) ?? m.fromOwnerId) : 'no owner',
    to: names.get(m.toOwnerId) ?? m.toOwnerId,
    ...(m.effectiveOn ? { effectiveOn: m.effectiveOn } : {}),
  };
}

function invalidReason(row: MoveRow, snapshot: ReassignmentSnapshot): string | undefined {
  const record = snapshot.records.get(row.recordId);
  if (!record || record.objectType !== row.objectType)
    return `${row.objectType} ${row.recordId} was not found in Salesforce`;
  if (row.toOwnerId.startsWith('005')) {
    const user = snapshot.users.get(row.toOwnerId);
    if (!user) return `new owner ${row.toOwnerId} is not a Salesforce user`;
    if (!user.active) return `new owner ${user.name} (${row.toOwnerId}) is inactive`;
  }
  return undefined;
}

function buildReport(
  moves: readonly EvaluatedMove[],
  violations: readonly Violation[],
  staying: number,
  snapshot: ReassignmentSnapshot,
): ReassignmentReport {
  const count = (outcome: EvaluatedMove['outcome']) => moves.filter((m) => m.outcome === outcome).length;
  const allowed = moves.filter((m) => m.outcome === 'allowed');
  const names = namesOf(snapshot);
  const applyOn = allowed.reduce<string | null>(
    (latest, m) => (m.effectiveOn && (!latest || m.effectiveOn > latest) ? m.effectiveOn : latest),
    null,
  );
  return {
    counts: {
      requested: moves.length,
      allowed: allowed.length,
      blocked: count('blocked'),
      noOps: count('no-op'),
      invalid: count('invalid'),
    },
    reps: repImpacts(allowed, snapshot),
    arrMoving: allowed.reduce((sum, m) => sum + m.arr, 0),
    openDeals: {
      count: staying,
      amount: allowed.reduce((sum, m) => sum + m.openDealAmount, 0),
    },
    violations: violations.map(reportedViolation),
    applyOn,
    moving: allowed.slice(0, REPORTED_MOVES).map((m) => moveLine(m, names)),
    problems: moves
      .filter((m) => m.outcome === 'blocked' || m.outcome === 'invalid')
      .slice(0, REPORTED_MOVES)
      .map((m) => ({
        ...moveLine(m, names),
        outcome: m.outcome as 'blocked' | 'invalid',
        why: m.notes,
      })),
  };
}

/** Gains and losses per rep, largest change first. */
export function repImpacts(
  moves: ReadonlyArray<{ fromOwnerId: string | null; toOwnerId: string; arr: number }>,
  snapshot: Pick<ReassignmentSnapshot, 'users'>,
): RepImpact[] {
  const byRep = new Map<string, RepImpact>();
  const impact = (repId: string) => {
    let entry = byRep.get(repId);
    if (!entry) {
      entry = {
        repId,
        repName: snapshot.users.get(repId)?.name ?? repId,
        gains: 0,
        losses: 0,
        arrGained: 0,
        arrLost: 0,
      };
      byRep.set(repId, entry);
    }
    return entry;
  };
  for (const m of moves) {
    const to = impact(m.toOwnerId);
    to.gains += 1;
    to.arrGained += m.arr;
    if (m.fromOwnerId) {
      const from = impact(m.fromOwnerId);
      from.losses += 1;
      from.arrLost += m.arr;
    }
  }
  return [...byRep.values()].sort(
    (a, b) => b.gains + b.losses - (a.gains + a.losses) || a.repName.localeCompare(b.repName),
  );
}

function reportedViolation(v: Violation): ReportedViolation {
  return {
    rule: v.rule,
    outcome: v.outcome,
    ...(v.repId ? { repId: v.repId } : {}),
    recordIds: v.recordIds.slice(0, REPORTED_RECORD_IDS),
    recordCount: v.recordIds.length,
    numbers: v.numbers,
    message: v.message,
    ...(v.approverRole ? { approverRole: v.approverRole } : {}),
  };
}

function approvalsFor(
  required: readonly RequiredApproval[],
  violations: readonly Violation[],
  snapshot: ReassignmentSnapshot,
  options: { approvers: ApproverDirectory; newId: () => string },
): ApprovalSpec[] {
  const specs: ApprovalSpec[] = [];
  for (const approval of required) {
    if (approval.role !== 'deal-owner') {
      specs.push({
        approvalId: options.newId(),
        role: approval.role,
        approvers: options.approvers[approval.role],
        reasons: approval.reasons.slice(0, REPORTED_REASONS),
        recordCount: approval.recordIds.length,
      });
      continue;
    }
    // Each deal owner approves the accounts carrying their deals.
    const byOwner = new Map<string, { records: Set<string>; reasons: string[] }>();
    for (const v of violations) {
      if (v.rule !== 'deal-owner-approval' || v.outcome !== 'approval-required') continue;
      for (const ownerId of v.approverIds ?? []) {
        const entry = byOwner.get(ownerId) ?? { records: new Set(), reasons: [] };
        for (const id of v.recordIds) entry.records.add(id);
        entry.reasons.push(v.message);
        byOwner.set(ownerId, entry);
      }
    }
    for (const [ownerId, entry] of [...byOwner].sort(([a], [b]) => a.localeCompare(b))) {
      specs.push({
        approvalId: options.newId(),
        role: 'deal-owner',
        approvers: [{ id: ownerId, name: snapshot.users.get(ownerId)?.name ?? ownerId }],
        reasons: entry.reasons.slice(0, REPORTED_REASONS),
        recordCount: entry.records.size,
      });
    }
  }
  return specs;
}
