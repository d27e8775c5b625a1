import { addDays, toIsoDate } from '../../domain/guardrails/dates.js';
import type { ApproverRole } from '../../domain/guardrails/model.js';
import { evaluateReassignment } from '../../domain/reassign/evaluate.js';
import type {
  ReassignmentSnapshot,
  ReassignmentStatus,
  RecordSnapshot,
} from '../../domain/reassign/model.js';
import type { MoveRow } from '../../domain/reassign/moves.js';
import type { StoredReassignment } from '../../ports/reassignment.js';
import type { ReassignDeps } from './deps.js';
import { ReassignmentNotFoundError } from './errors.js';

/** What the workflow's Choice and Wait states read; small, whatever the request's size. */
export interface ValidationOutcome {
  requestId: string;
  status: ReassignmentStatus;
  approvalNeeded: boolean;
  approvals: Array<{ approvalId: string; role: ApproverRole }>;
  /** When to apply (the Wait state's timestamp): midnight UTC of the latest effective date. */
  applyAt: string;
}

type ValidateDeps = Pick<
  ReassignDeps,
  'store' | 'approvals' | 'audit' | 'crm' | 'guardrails' | 'approvers' | 'now' | 'newId'
>;

/**
 * The workflow's first step: snapshot the org, compute the real diff, run the guardrails and
 * create one approval per required approver. A re-run returns what the first run stored.
 */
export async function validateReassignment(
  requestId: string,
  deps: ValidateDeps,
): Promise<ValidationOutcome> {
  const request = await deps.store.get(requestId);
  if (!request) throw new ReassignmentNotFoundError(requestId);
  if (request.status !== 'submitted') return outcomeOf(request, deps);

  const rows = await deps.store.submittedMoves(requestId);
  const now = deps.now();
  const [snapshot, orgNotes] = await Promise.all([loadSnapshot(rows, deps, now), deps.crm.orgNotes()]);
  const evaluated = evaluateReassignment(
    {
      moves: rows,
      ...(request.namedAccountOverride ? { namedAccountOverride: request.namedAccountOverride } : {}),
    },
    snapshot,
    { config: deps.guardrails, approvers: deps.approvers, now, newId: deps.newId },
  );
  const evaluation = orgNotes.length
    ? { ...evaluated, report: { ...evaluated.report, notes: orgNotes } }
    : evaluated;
  const at = now.toISOString();
  const status: ReassignmentStatus =
    evaluation.report.counts.allowed === 0
      ? 'nothing-to-apply'
      : evaluation.approvals.length > 0
        ? 'awaiting-approval'
        : 'scheduled';
  const approvals = status === 'nothing-to-apply' ? [] : evaluation.approvals;
  // Approvals first: a crash in between leaves unused approvals, never an evaluation without its approvals.
  await deps.approvals.create(requestId, approvals, at);
  await deps.store.saveEvaluation(
    requestId,
    { moves: evaluation.moves, report: evaluation.report, approvalIds: approvals.map((a) => a.approvalId) },
    status,
    at,
  );
  const stored = await deps.store.get(requestId);
  return outcomeOf(stored!, deps);
}

async function outcomeOf(request: StoredReassignment, deps: ValidateDeps): Promise<ValidationOutcome> {
  const approvals = await deps.approvals.getMany(request.approvalIds ?? []);
  const applyOn = request.report?.applyOn ?? toIsoDate(deps.now());
  return {
    requestId: request.id,
    status: request.status,
    approvalNeeded: approvals.length > 0,
    approvals: approvals.map((a) => ({ approvalId: a.approvalId, role: a.role })),
    applyAt: `${applyOn}T00:00:00Z`,
  };
}

/** Read the org for these moves: records, open deals, the reps involved, their books and history. */
export async function loadSnapshot(
  rows: readonly MoveRow[],
  deps: Pick<ReassignDeps, 'crm' | 'audit' | 'guardrails'>,
  now: Date,
): Promise<ReassignmentSnapshot> {
  const idsOf = (type: MoveRow['objectType']) => [
    ...new Set(rows.filter((r) => r.objectType === type).map((r) => r.recordId)),
  ];
  const accountIds = idsOf('Account');
  const leadIds = idsOf('Lead');
  const [accounts, leads] = await Promise.all([
    accountIds.length ? deps.crm.records('Account', accountIds) : Promise.resolve([]),
    leadIds.length ? deps.crm.records('Lead', leadIds) : Promise.resolve([]),
  ]);
  const records = new Map<string, RecordSnapshot>([...accounts, ...leads].map((r) => [r.id, r]));
  const openOpportunities = accounts.length
    ? await deps.crm.openOpportunities(accounts.map((a) => a.id))
    : [];

  const owners = new Set<string>();
  for (const r of records.values()) if (r.ownerId) owners.add(r.ownerId);
  for (const row of rows) owners.add(row.toOwnerId);
  const users = [...new Set([...owners, ...openOpportunities.map((o) => o.ownerId)])].filter((id) =>
    id.startsWith('005'),
  );
  const losing = [...new Set(accounts.map((a) => a.ownerId).filter((id): id is string => id !== null))];
  const today = toIsoDate(now);
  const [userList, bookSizes, history] = await Promise.all([
    users.length ? deps.crm.users(users) : Promise.resolve([]),
    owners.size ? deps.crm.bookSizes([...owners].filter((id) => id.startsWith('005'))) : Promise.resolve({}),
    losing.length
      ? deps.audit.movesAwayFrom(losing, addDays(today, -deps.guardrails.bookChange.windowDays), today)
      : Promise.resolve([]),
  ]);
  return {
    records,
    openOpportunities,
    bookSizes,
    users: new Map(userList.map((u) => [u.id, u])),
    history,
  };
}
