import { plural } from '../words.js';
import type { GuardrailConfig } from './config.js';
import { addDays, daysBetween, type IsoDate, toIsoDate } from './dates.js';
import type {
  ApproverRole,
  BlockedMove,
  GuardrailResult,
  GuardrailRule,
  GuardrailSnapshot,
  MoveRequest,
  OpenOpportunity,
  ProposedMove,
  RequiredApproval,
  ResolvedMove,
  SnapshotAccount,
  StayingOpportunity,
  Violation,
} from './model.js';

/** A move still in play, with its position in the request so duplicates stay distinguishable. */
interface Candidate {
  index: number;
  move: ProposedMove;
  effectiveDate: IsoDate;
}

/** A violation plus the request positions it applies to. */
interface Finding {
  violation: Violation;
  moveIndexes: number[];
}

interface Context {
  config: GuardrailConfig;
  today: IsoDate;
  accounts: Map<string, SnapshotAccount>;
  opportunitiesByAccount: Map<string, OpenOpportunity[]>;
  snapshot: GuardrailSnapshot;
  namedOverride: (recordId: string) => boolean;
  /** A record's or user's name for messages; the id when the snapshot has none. */
  name: (id: string) => string;
  /** A rep as the subject of a message: the name, else `Rep <id>`. */
  rep: (id: string) => string;
}

/**
 * Evaluates proposed owner changes against the guardrails (README "Bulk reassignment with guardrails and approvals"). Blocking rules run
 * first (duplicates, named accounts, notice period, rolling-year book cap); approval rules
 * (VP, deal owners, overrides) then count only the moves still allowed. Pure: `now` is passed in.
 */
export function evaluateGuardrails(
  request: MoveRequest,
  snapshot: GuardrailSnapshot,
  config: GuardrailConfig,
  now: Date,
): GuardrailResult {
  const context = buildContext(request, snapshot, config, now);
  const findings: Finding[] = [];
  const noOps: ProposedMove[] = [];
  let candidates: Candidate[] = [];
  const seen = new Set<string>();

  request.moves.forEach((move, index) => {
    if (move.fromOwnerId === move.toOwnerId) {
      noOps.push(move);
      return;
    }
    const duplicate = seen.has(move.recordId);
    seen.add(move.recordId);
    if (duplicate) {
      findings.push(duplicateFinding(move, index, context));
      return;
    }
    const { effectiveDate, finding } = checkEffectiveDate(move, index, context);
    if (finding) findings.push(finding);
    const named = checkNamedAccount(move, index, context);
    if (named) findings.push(named);
    candidates.push({ index, move, effectiveDate });
  });

  candidates = withoutBlocked(candidates, findings);
  findings.push(...checkBookChange(candidates, context));
  const allowed = withoutBlocked(candidates, findings);
  findings.push(...checkVpApproval(allowed, context), ...checkDealOwners(allowed, context));

  return {
    allowed: allowed.map(({ move, effectiveDate }): ResolvedMove => ({ ...move, effectiveDate })),
    blocked: blockedMoves(request.moves, findings),
    noOps,
    violations: findings.map((f) => f.violation),
    requiredApprovals: requiredApprovals(findings),
    opportunitiesStaying: config.openOpportunities.enabled ? staying(allowed, context) : [],
  };
}

function buildContext(
  request: MoveRequest,
  snapshot: GuardrailSnapshot,
  config: GuardrailConfig,
  now: Date,
): Context {
  const opportunitiesByAccount = new Map<string, OpenOpportunity[]>();
  for (const opportunity of snapshot.openOpportunities) {
    const list = opportunitiesByAccount.get(opportunity.accountId) ?? [];
    list.push(opportunity);
    opportunitiesByAccount.set(opportunity.accountId, list);
  }
  const override = request.namedAccountOverride;
  const overridden = new Set(override === 'all' || override === undefined ? [] : override);
  return {
    config,
    today: toIsoDate(now),
    accounts: new Map(snapshot.accounts.map((a) => [a.id, a])),
    opportunitiesByAccount,
    snapshot,
    namedOverride: (recordId) => override === 'all' || overridden.has(recordId),
    name: (id) => snapshot.names?.get(id) ?? id,
    rep: (id) => snapshot.names?.get(id) ?? `Rep ${id}`,
  };
}

/** A finding about these moves (by request position); the violation names their records. */
function findingFor(
  moves: ReadonlyArray<{ index: number; move: ProposedMove }>,
  violation: Omit<Violation, 'recordIds'>,
): Finding {
  return {
    moveIndexes: moves.map((m) => m.index),
    violation: { ...violation, recordIds: moves.map((m) => m.move.recordId) },
  };
}

function moveFinding(index: number, move: ProposedMove, violation: Omit<Violation, 'recordIds'>): Finding {
  return findingFor([{ index, move }], violation);
}

function duplicateFinding(move: ProposedMove, index: number, { name }: Context): Finding {
  return moveFinding(index, move, {
    rule: 'duplicate-move',
    outcome: 'blocked',
    numbers: { position: index + 1 },
    message: `${move.objectType} ${name(move.recordId)} appears more than once in the request; only its first move is kept.`,
  });
}

function checkEffectiveDate(
  move: ProposedMove,
  index: number,
  { config, today, name }: Context,
): { effectiveDate: IsoDate; finding?: Finding } {
  const rule = config.effectiveDate;
  const applies = rule.enabled && rule.appliesTo.includes(move.objectType);
  const earliest = applies ? addDays(today, rule.minNoticeDays) : today;
  const requested = move.effectiveDate;
  if (requested === undefined) return { effectiveDate: earliest };
  if (!applies || requested >= earliest) return { effectiveDate: requested };

  const daysOut = daysBetween(today, requested);
  const reschedule = rule.onTooEarly === 'reschedule';
  const consequence = reschedule ? `it moves to ${earliest}` : 'the move is blocked';
  return {
    effectiveDate: reschedule ? earliest : requested,
    finding: moveFinding(index, move, {
      rule: 'effective-date',
      outcome: reschedule ? 'rescheduled' : 'blocked',
      numbers: { daysOut, minNoticeDays: rule.minNoticeDays },
      message:
        `${move.objectType} ${name(move.recordId)} would take effect on ${requested}, ${daysOut} days out; ` +
        `territory changes need at least ${rule.minNoticeDays} days' notice (earliest ${earliest}), so ${consequence}.`,
    }),
  };
}

function checkNamedAccount(move: ProposedMove, index: number, context: Context): Finding | undefined {
  const rule = context.config.namedAccounts;
  if (!rule.enabled || move.objectType !== 'Account') return undefined;
  if (!context.accounts.get(move.recordId)?.named) return undefined;
  const from = move.fromOwnerId ? context.name(move.fromOwnerId) : 'no owner';
  const account = context.name(move.recordId);
  if (context.namedOverride(move.recordId)) {
    return moveFinding(index, move, {
      rule: 'named-account',
      outcome: 'approval-required',
      numbers: {},
      approverRole: rule.overrideApprover,
      message: `Named account ${account} moves from ${from} to ${context.name(move.toOwnerId)} under an override; a ${rule.overrideApprover} approves.`,
    });
  }
  return moveFinding(index, move, {
    rule: 'named-account',
    outcome: 'blocked',
    numbers: {},
    message: `Account ${account} is a named account of ${from}; it stays unless a manager override is given.`,
  });
}

/** Rolling-window cap on the share of a rep's book reassigned away, counting the ledger's history. */
function checkBookChange(candidates: readonly Candidate[], context: Context): Finding[] {
  const rule = context.config.bookChange;
  if (!rule.enabled) return [];
  const windowStart = addDays(context.today, -rule.windowDays);
  const movedBefore = new Map<string, number>();
  for (const past of context.snapshot.history) {
    if (past.objectType !== 'Account' || past.fromOwnerId === null) continue;
    if (past.effectiveDate <= windowStart || past.effectiveDate > context.today) continue;
    movedBefore.set(past.fromOwnerId, (movedBefore.get(past.fromOwnerId) ?? 0) + 1);
  }
  const proposedByRep = groupBy(
    candidates.filter((c) => c.move.objectType === 'Account' && c.move.fromOwnerId !== null),
    (c) => c.move.fromOwnerId as string,
  );

  const findings: Finding[] = [];
  for (const [repId, proposed] of proposedByRep) {
    const before = movedBefore.get(repId) ?? 0;
    const total = before + proposed.length;
    const book = Math.max(bookSize(repId, context), total);
    const cap = Math.floor(rule.maxShare * book);
    if (total <= cap) continue;

    const share = total / book;
    const summary =
      `${context.rep(repId)} would have ${total} of ${book} accounts (${percent(share)}) reassigned within ${rule.windowDays} days ` +
      `(${before} already, ${proposed.length} proposed); the cap is ${percent(rule.maxShare)} (${cap} accounts)`;
    const numbers = {
      bookSize: book,
      movedInWindow: before,
      proposed: proposed.length,
      share,
      maxShare: rule.maxShare,
      cap,
    };
    if (rule.onExceed === 'approval') {
      findings.push(
        findingFor(proposed, {
          rule: 'book-change',
          outcome: 'approval-required',
          repId,
          numbers,
          approverRole: rule.overrideApprover,
          message: `${summary}; a ${rule.overrideApprover} approves the override.`,
        }),
      );
      continue;
    }
    // Keep the earliest moves in request order up to the cap; block the rest.
    const over = proposed.slice(Math.max(0, cap - before));
    findings.push(
      findingFor(over, {
        rule: 'book-change',
        outcome: 'blocked',
        repId,
        numbers: { ...numbers, blocked: over.length },
        message: `${summary}: ${over.length} ${plural(over.length, 'move')} blocked.`,
      }),
    );
  }
  return findings;
}

function checkVpApproval(allowed: readonly Candidate[], { config, rep }: Context): Finding[] {
  const rule = config.vpApproval;
  if (!rule.enabled) return [];
  const accounts = allowed.filter((c) => c.move.objectType === 'Account');
  const gained = groupBy(accounts, (c) => c.move.toOwnerId);
  const lost = groupBy(
    accounts.filter((c) => c.move.fromOwnerId !== null),
    (c) => c.move.fromOwnerId as string,
  );
  const reps = [...new Set([...gained.keys(), ...lost.keys()])].sort();

  const findings: Finding[] = [];
  for (const repId of reps) {
    const gains = gained.get(repId) ?? [];
    const losses = lost.get(repId) ?? [];
    const limit = rule.maxAccountsGainedOrLost;
    if (gains.length <= limit && losses.length <= limit) continue;
    const involved = [...gains, ...losses].sort((a, b) => a.index - b.index);
    findings.push(
      findingFor(involved, {
        rule: 'vp-approval',
        outcome: 'approval-required',
        repId,
        numbers: { gained: gains.length, lost: losses.length, threshold: limit },
        approverRole: 'vp',
        message: `${rep(repId)} gains ${gains.length} and loses ${losses.length} ${plural(losses.length, 'account')}; more than ${limit} either way needs VP approval.`,
      }),
    );
  }
  return findings;
}

function checkDealOwners(allowed: readonly Candidate[], context: Context): Finding[] {
  const rule = context.config.dealOwnerApproval;
  if (!rule.enabled) return [];
  const findings: Finding[] = [];
  for (const candidate of allowed) {
    if (candidate.move.objectType !== 'Account') continue;
    const opportunities = context.opportunitiesByAccount.get(candidate.move.recordId) ?? [];
    const amount = opportunities.reduce((sum, o) => sum + o.amount, 0);
    if (amount <= rule.openDealAmountAbove) continue;
    const owners = [...new Set(opportunities.map((o) => o.ownerId))].sort();
    findings.push(
      findingFor([candidate], {
        rule: 'deal-owner-approval',
        outcome: 'approval-required',
        numbers: {
          openDealAmount: amount,
          opportunities: opportunities.length,
          threshold: rule.openDealAmountAbove,
        },
        approverRole: 'deal-owner',
        approverIds: owners,
        message:
          `Account ${context.name(candidate.move.recordId)} has ${money(amount)} in ${opportunities.length} open ` +
          `${opportunities.length === 1 ? 'opportunity' : 'opportunities'} (over ${money(rule.openDealAmountAbove)}); ` +
          `deal owner ${owners.map(context.name).join(', ')} approves.`,
      }),
    );
  }
  return findings;
}

function staying(allowed: readonly Candidate[], context: Context): StayingOpportunity[] {
  return allowed.flatMap(({ move }) =>
    move.objectType === 'Account'
      ? (context.opportunitiesByAccount.get(move.recordId) ?? []).map((o) => ({
          ...o,
          accountMovesTo: move.toOwnerId,
        }))
      : [],
  );
}

function withoutBlocked(candidates: readonly Candidate[], findings: readonly Finding[]): Candidate[] {
  const blocked = new Set(
    findings.filter((f) => f.violation.outcome === 'blocked').flatMap((f) => f.moveIndexes),
  );
  return candidates.filter((c) => !blocked.has(c.index));
}

function blockedMoves(moves: readonly ProposedMove[], findings: readonly Finding[]): BlockedMove[] {
  const byIndex = new Map<number, BlockedMove>();
  for (const { violation, moveIndexes } of findings) {
    if (violation.outcome !== 'blocked') continue;
    for (const index of moveIndexes) {
      const entry = byIndex.get(index) ?? { move: moves[index] as ProposedMove, rules: [], reasons: [] };
      entry.rules.push(violation.rule);
      entry.reasons.push(violation.message);
      byIndex.set(index, entry);
    }
  }
  return [...byIndex.entries()].sort(([a], [b]) => a - b).map(([, entry]) => entry);
}

function requiredApprovals(findings: readonly Finding[]): RequiredApproval[] {
  interface Pending {
    approverIds: Set<string>;
    rules: Set<GuardrailRule>;
    recordIds: Set<string>;
    reasons: string[];
  }
  const byRole = new Map<ApproverRole, Pending>();
  for (const { violation } of findings) {
    if (violation.outcome !== 'approval-required' || !violation.approverRole) continue;
    const pending = byRole.get(violation.approverRole) ?? {
      approverIds: new Set(),
      rules: new Set(),
      recordIds: new Set(),
      reasons: [],
    };
    for (const id of violation.approverIds ?? []) pending.approverIds.add(id);
    for (const id of violation.recordIds) pending.recordIds.add(id);
    pending.rules.add(violation.rule);
    pending.reasons.push(violation.message);
    byRole.set(violation.approverRole, pending);
  }
  const order: readonly ApproverRole[] = ['manager', 'deal-owner', 'vp'];
  return order.flatMap((role) => {
    const pending = byRole.get(role);
    if (!pending) return [];
    return [
      {
        role,
        approverIds: [...pending.approverIds].sort(),
        rules: [...pending.rules],
        recordIds: [...pending.recordIds],
        reasons: pending.reasons,
      },
    ];
  });
}

function bookSize(repId: string, { snapshot }: Context): number {
  const declared = snapshot.bookSizes?.[repId];
  if (declared !== undefined) return declared;
  return snapshot.accounts.filter((a) => a.ownerId === repId).length;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k) ?? [];
    list.push(item);
    groups.set(k, list);
  }
  return groups;
}

function percent(share: number): string {
  return `${Math.round(share * 1000) / 10}%`;
}

function money(amount: number): string {
  return `$${Math.round(amount).toLocaleString('en-US')}`;
}
