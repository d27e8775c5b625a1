/** Where an owner change came from; part of every audit record and outbox item. */
export type ChangeSource = 'intake' | 'top-up' | 'reassign' | 'sla';

/**
 * The reasons policy: one place decides what an owner-change reason says. A reason is the
 * verdict first (where the record went, in a few words), then the detail. What reaches the
 * Salesforce field never carries performance scores, rankings or other reps' counters — the
 * planning guardrail "don't expose rep performance rankings"; those stay in the decision trace
 * that `territory-router explain` reads.
 */
export interface OwnerChangeReason {
  /** e.g. `→ Priya Sharma, Toronto Core, even rotation`. */
  readonly verdict: string;
  /** Public detail, most useful first: what matched, who was skipped and why (no counters). */
  readonly details: readonly string[];
}

/** The verdict of a record given to a rep: `→ Priya Sharma, Toronto Core, even rotation`. */
export function repVerdict(repName: string, territoryName: string | undefined, how: string): string {
  return `→ ${[repName, territoryName, how].filter(Boolean).join(', ')}`;
}

/** The verdict of a record parked with the default owner: `→ Lead Review queue: no territory matched`. */
export function defaultOwnerVerdict(owner: { name: string; kind: 'rep' | 'queue' }, why: string): string {
  const name = owner.kind === 'queue' && !/\bqueue\b/i.test(owner.name) ? `${owner.name} queue` : owner.name;
  return `→ ${name}: ${why}`;
}

/** The verdict of a duplicate given to its existing owner: `→ Priya Sharma: owns contact 003… with the same e-mail`. */
export function existingOwnerVerdict(ownerName: string, record: { kind: string; id: string }): string {
  return `→ ${ownerName}: owns ${record.kind} ${record.id} with the same e-mail`;
}

/** The verdict of a lead held until a rep is on shift: `⏸ held in Toronto Core: nobody on shift`. */
export function heldVerdict(territoryName: string): string {
  return `⏸ held in ${territoryName}: nobody on shift`;
}

/** A held lead's detail once it is assigned: `held since 2026-12-25T15:00:00.000Z while nobody was on shift`. */
export function releasedFromHold(heldAt: string): string {
  return `held since ${heldAt} while nobody was on shift`;
}

/** The verdict of a reassignment: `→ Priya Sharma, reassigned: FY2027 Territory Planning`. */
export function reassignVerdict(ownerName: string | undefined, label: string): string {
  return `→ ${ownerName ? `${ownerName}, ` : ''}reassigned: ${label}`;
}

const SEPARATOR = '; ';

/** The full reason as the ledger, the outbox and the CLI show it: verdict, then every detail. */
export function reasonText(reason: OwnerChangeReason): string {
  const details = reason.details.map(scrub).filter((d) => d.length > 0);
  return [reason.verdict, ...details].join(SEPARATOR);
}

/** A reason with more detail after the detail it has (scrubbed like any detail). */
export function withDetails(reason: string, details: readonly string[]): string {
  return [reason, ...details.map(scrub).filter((d) => d.length > 0)].join(SEPARATOR);
}

/** A word that must never be followed by a number in a reason (a score or a position in a ranking). */
const RANKING_WORD = /\b(performance|score|scores|scored|rank|ranks|ranked|ranking|rating|percentile)\b/i;
const RANKING_NUMBER = new RegExp(`${RANKING_WORD.source}[^;,]*?\\d`, 'i');

/**
 * Drops every clause (between `;` or `,`) that puts a number after a ranking word, e.g.
 * `performance 0.82`; the rest of the detail is kept as written.
 */
function scrub(detail: string): string {
  if (!RANKING_NUMBER.test(detail)) return detail.trim();
  return detail
    .split(/([;,])/)
    .reduce<string[]>((kept, part, i, parts) => {
      if (i % 2 === 1) return kept;
      if (!RANKING_NUMBER.test(part)) kept.push(part.trim(), parts[i + 1] ?? '');
      return kept;
    }, [])
    .join(' ')
    .replace(/\s+([;,])/g, '$1')
    .replace(/[;,]\s*$/, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * The text for the Salesforce reason field: the stored reason with anything ranking-like removed
 * (the verdict is never touched, it comes first), cut to the field's length on a word boundary
 * with `…` so what is kept still reads as a sentence.
 */
export function salesforceReason(text: string, maxLength: number): string {
  const [verdict = '', ...details] = text.split(SEPARATOR);
  const kept = [verdict, ...details.map(scrub).filter((d) => d.length > 0)].join(SEPARATOR);
  return cutAtWord(kept, maxLength, verdict.length);
}

/**
 * Cut to `maxLength` characters on a word boundary, ending with `…` when anything was cut; the
 * first `keep` characters (the verdict) survive whole whenever they fit.
 */
export function cutAtWord(text: string, maxLength: number, keep = 0): string {
  if (text.length <= maxLength) return text;
  if (maxLength <= 1) return text.slice(0, Math.max(0, maxLength));
  const cut = text.slice(0, maxLength - 1);
  const space = cut.lastIndexOf(' ');
  const floor = Math.max(keep, Math.floor(maxLength * 0.5));
  const kept = space >= floor ? cut.slice(0, space) : cut;
  const tidy = kept.replace(/[\s;,:]+$/, '');
  return `${tidy.length >= Math.min(keep, kept.length) ? tidy : kept}…`;
}
