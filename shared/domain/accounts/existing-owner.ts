import { existingOwnerVerdict, reasonText } from '../audit/reason.js';
import { availabilityAt } from '../availability/availability.js';
import type { CompiledModel, MatchResult } from '../territory/compile-model.js';
import {
  type Candidate,
  type Decision,
  type DecisionTrace,
  type DistributionContext,
  distribute,
} from '../territory/distribution.js';
import type { DistributionSnapshot } from '../territory/distribution-state.js';
import type { Lead } from '../territory/lead.js';
import type { DuplicateRule, ExistingRecordKind } from '../territory/model.js';
import { normaliseRecordId } from '../territory/named-account.js';

/**
 * Duplicate detection before routing: a lead whose e-mail an open lead or a contact already has
 * goes to that record's owner, when the model asks for it and the owner is a rep of the model who
 * is active, available and within capacity; otherwise the territory's method decides and the reason
 * names the owner skipped and why. Intake adds the record it found as lead attributes (below).
 */

/** The lead attributes intake fills from the duplicate index (the record found, never the e-mail). */
export const EXISTING_RECORD_FIELDS = {
  ownerId: 'Duplicate.OwnerId',
  recordId: 'Duplicate.RecordId',
  kind: 'Duplicate.Kind',
} as const;

/** A lead or contact the duplicate index knows under an e-mail. */
export interface ExistingRecord {
  readonly recordId: string;
  readonly kind: ExistingRecordKind;
  readonly ownerId: string;
  /** Salesforce SystemModstamp (ISO 8601). */
  readonly systemModstamp: string;
}

/** The e-mail as the index keys it: trimmed and lower-cased; undefined when it is not an address. */
export function normaliseEmail(email: string | null | undefined): string | undefined {
  const e = email?.trim().toLowerCase();
  if (!e) return undefined;
  const at = e.lastIndexOf('@');
  return at > 0 && at < e.length - 1 && !/\s/.test(e) ? e : undefined;
}

/**
 * The record whose owner a lead goes to: never the lead itself; a contact before a lead (a
 * customer's person outranks a prospect), then the most recently changed, then the lowest id.
 */
export function pickExistingRecord(
  records: readonly ExistingRecord[],
  leadId: string | undefined,
  kinds: readonly ExistingRecordKind[],
): ExistingRecord | undefined {
  const self = normaliseRecordId(leadId);
  const rank = (r: ExistingRecord) => (r.kind === 'contact' ? 0 : 1);
  return records
    .filter((r) => kinds.includes(r.kind) && normaliseRecordId(r.recordId) !== self)
    .sort(
      (a, b) =>
        rank(a) - rank(b) ||
        b.systemModstamp.localeCompare(a.systemModstamp) ||
        a.recordId.localeCompare(b.recordId),
    )[0];
}

/** What the trace keeps of the duplicate rule: the record found, its owner, and whether they got the lead. */
export interface ExistingOwnerTrace {
  readonly recordId: string;
  readonly kind: string;
  readonly ownerId: string;
  readonly ownerName?: string;
  readonly routed: boolean;
  /** Why the owner did not get the lead. */
  readonly skipped?: string;
}

/** What the trace keeps of the lead's account match (confidence and evidence, no personal data). */
export interface AccountMatchTrace {
  readonly accountId?: string;
  readonly accountName?: string;
  readonly confidence?: number;
  readonly rule?: string;
  readonly reason?: string;
}

export type AccountAwareTrace = DecisionTrace & {
  readonly accountMatch?: AccountMatchTrace;
  readonly existingOwner?: ExistingOwnerTrace;
};

/**
 * The one routing decision intake and `simulate` make: the territory's distribution, then the
 * duplicate rule before it, with the account match and the rule's outcome in the trace.
 */
export function decideLead(
  model: CompiledModel,
  match: MatchResult,
  lead: Lead,
  snapshot: DistributionSnapshot,
  context: DistributionContext,
): Decision {
  const decision = distribute(model, match, lead, snapshot, context);
  const accountMatch = accountMatchOf(lead);
  const decided = existingOwnerFirst(model, model.model.duplicates, lead, decision, snapshot, context);
  return accountMatch
    ? { ...decided, trace: { ...decided.trace, accountMatch } as AccountAwareTrace }
    : decided;
}

function existingOwnerFirst(
  model: CompiledModel,
  rule: DuplicateRule | undefined,
  lead: Lead,
  decision: Decision,
  snapshot: DistributionSnapshot,
  context: DistributionContext,
): Decision {
  const ownerId = normaliseRecordId(lead[EXISTING_RECORD_FIELDS.ownerId]);
  const recordId = text(lead[EXISTING_RECORD_FIELDS.recordId]);
  const kind = text(lead[EXISTING_RECORD_FIELDS.kind]) as ExistingRecordKind | undefined;
  if (!rule || !ownerId || !recordId || !kind || !rule.match.includes(kind)) return decision;
  const rep = [...model.reps.values()].find((r) => normaliseRecordId(r.id) === ownerId);
  const record = { kind, id: recordId };
  const skipped = rep ? unavailable(rep, context) : 'not a rep of this model';
  if (skipped !== undefined) {
    const who = rep?.name ?? ownerId;
    const detail = `skipped existing owner ${who} (owns ${kind} ${recordId} with the same e-mail): ${skipped}`;
    const trace: AccountAwareTrace = {
      ...decision.trace,
      existingOwner: {
        recordId,
        kind,
        ownerId,
        ...(rep ? { ownerName: rep.name } : {}),
        routed: false,
        skipped,
      },
    };
    return {
      ...decision,
      reason: `${decision.reason}; ${detail}`,
      trace,
      candidates: decision.candidates.map((c) => withDetail(c, detail)),
      fallback: { ...decision.fallback, reason: `${decision.fallback.reason}; ${detail}` },
    };
  }
  const owner = rep!;
  const territory = decision.trace.territory;
  const reason = reasonText({
    verdict: existingOwnerVerdict(owner.name, record),
    details: [
      territory
        ? `duplicate rule before territory "${territory.name}"`
        : 'duplicate rule (no territory matched)',
    ],
  });
  const candidate: Candidate = {
    repId: owner.id,
    repName: owner.name,
    groupId: 'existing-owner',
    groupName: 'Existing owner',
    reason,
    skippedBefore: [],
    // The territory's rotation and counts are untouched: the lead was not distributed.
    stateChange: {
      territoryId: decision.territoryId ?? '',
      expectedVersion: snapshot.version,
      nextVersion: snapshot.version + 1,
      setTurns: {},
      addCounts: {},
    },
  };
  const { fallback: _, chosen: __, ...rest } = decision.trace;
  const trace: AccountAwareTrace = {
    ...rest,
    chosen: { repId: owner.id, groupId: candidate.groupId },
    existingOwner: { recordId, kind, ownerId: owner.id, ownerName: owner.name, routed: true },
  };
  return {
    kind: 'rep',
    ownerId: owner.id,
    ownerName: owner.name,
    ...(decision.territoryId
      ? { territoryId: decision.territoryId, stateChange: candidate.stateChange }
      : {}),
    reason,
    trace,
    candidates: [candidate, ...decision.candidates.filter((c) => c.repId !== owner.id)],
    fallback: decision.fallback,
  };
}

/** Why the rep cannot take a lead now (inactive, away, off shift, at capacity), or undefined. */
function unavailable(
  rep: Parameters<typeof availabilityAt>[0] & { id: string },
  context: DistributionContext,
): string | undefined {
  const now = typeof context.now === 'number' ? context.now : context.now.getTime();
  const availability = availabilityAt(rep, now);
  if (!availability.available) return availability.reason;
  const { headroom } = context;
  const room = typeof headroom === 'function' ? headroom(rep.id) : headroom?.get(rep.id);
  return room !== undefined && room <= 0 ? 'at capacity' : undefined;
}

/** The candidate with one more detail at the end of its reason, still built on first use. */
function withDetail(candidate: Candidate, detail: string): Candidate {
  let reason: string | undefined;
  return {
    repId: candidate.repId,
    repName: candidate.repName,
    groupId: candidate.groupId,
    groupName: candidate.groupName,
    ...(candidate.turn === undefined ? {} : { turn: candidate.turn }),
    skippedBefore: candidate.skippedBefore,
    get reason() {
      reason ??= `${candidate.reason}; ${detail}`;
      return reason;
    },
    get stateChange() {
      return candidate.stateChange;
    },
  };
}

function accountMatchOf(lead: Lead): AccountMatchTrace | undefined {
  const accountId = text(lead['Account.Id']);
  const reason = text(lead['MatchedAccount.Reason']);
  if (!accountId && !reason) return undefined;
  const confidence = Number(lead['MatchedAccount.Confidence']);
  const accountName = text(lead['Account.Name']);
  const rule = text(lead['MatchedAccount.Rule']);
  return {
    ...(accountId ? { accountId } : {}),
    ...(accountName ? { accountName } : {}),
    ...(accountId && Number.isFinite(confidence) ? { confidence } : {}),
    ...(rule ? { rule } : {}),
    ...(reason ? { reason } : {}),
  };
}

function text(value: unknown): string | undefined {
  return value === undefined || value === null || value === '' ? undefined : String(value);
}

/** A lead's account match and duplicate outcome, as `simulate` lists them. */
export interface AccountRuleOutcome {
  readonly lead: string;
  readonly accountMatch?: AccountMatchTrace;
  readonly existingOwner?: ExistingOwnerTrace;
}

export function accountRuleOutcome(lead: string, trace: AccountAwareTrace): AccountRuleOutcome | undefined {
  const { accountMatch, existingOwner } = trace;
  if (!accountMatch?.accountId && !existingOwner) return undefined;
  return {
    lead,
    ...(accountMatch?.accountId ? { accountMatch } : {}),
    ...(existingOwner ? { existingOwner } : {}),
  };
}

/** `simulate`'s section: how many leads matched an account or a duplicate, then one line per lead. */
export function formatAccountRules(outcomes: readonly AccountRuleOutcome[], max = 50): string {
  const matched = outcomes.filter((o) => o.accountMatch).length;
  const routed = outcomes.filter((o) => o.existingOwner?.routed).length;
  const skipped = outcomes.filter((o) => o.existingOwner && !o.existingOwner.routed).length;
  const lines = [
    '',
    `Draft account rules: ${matched} lead(s) matched an account; duplicate rule gave ${routed} to the existing owner, fell back for ${skipped}`,
  ];
  for (const o of outcomes.slice(0, max)) {
    const parts: string[] = [];
    const m = o.accountMatch;
    if (m) {
      parts.push(
        `account ${m.accountName ?? ''} (${m.accountId})${m.confidence === undefined ? '' : ` confidence ${m.confidence}`}${m.rule ? `, ${m.rule}` : ''}`,
      );
    }
    const e = o.existingOwner;
    if (e) {
      const who = e.ownerName ?? e.ownerId;
      parts.push(
        e.routed
          ? `→ ${who}: owns ${e.kind} ${e.recordId} with the same e-mail`
          : `existing owner ${who} of ${e.kind} ${e.recordId} skipped: ${e.skipped}`,
      );
    }
    lines.push(`  ${o.lead}: ${parts.join('; ')}`);
  }
  if (outcomes.length > max) lines.push(`  … and ${outcomes.length - max} more`);
  return lines.join('\n');
}
