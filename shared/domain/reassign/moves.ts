import * as z from 'zod';
import { type IsoDate, isIsoDate } from '../guardrails/dates.js';
import { OBJECT_TYPES, type ObjectType } from '../guardrails/model.js';
import { isSalesforceId, toId18 } from '../salesforce-id.js';

/** One requested owner change as submitted (a CSV/JSON row); `row` is its 1-based position. */
export interface MoveRow {
  row: number;
  recordId: string;
  objectType: ObjectType;
  toOwnerId: string;
  reason?: string;
  effectiveDate?: IsoDate;
}

/** A request's moves are stored and applied in DynamoDB, not in the workflow's payload, so this is a sanity cap. */
export const MAX_MOVES_PER_REQUEST = 50_000;

const KEY_PREFIX: Record<ObjectType, string> = { Account: '001', Lead: '00Q' };
const USER_PREFIX = '005';
const QUEUE_PREFIX = '00G';

/** Empty CSV cells mean "not given". */
const blankToUndefined = (value: unknown) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

const salesforceId = z
  .string()
  .trim()
  .refine(isSalesforceId, { message: 'is not a 15- or 18-character Salesforce id' })
  .transform(toId18);

const objectType = z
  .string()
  .trim()
  .transform((v) => OBJECT_TYPES.find((t) => t.toLowerCase() === v.toLowerCase()) ?? v)
  .pipe(z.enum(OBJECT_TYPES, { message: `must be ${OBJECT_TYPES.join(' or ')}` }));

/**
 * A row of the moves file (`recordId,objectType,toOwnerId,reason,effectiveDate`). The planning
 * engine's `moves.csv` also carries `fromOwnerId`: it is ignored, because the current owner is
 * read from Salesforce, not trusted from the file.
 */
export const moveRowSchema = z
  .object({
    recordId: salesforceId,
    objectType,
    toOwnerId: salesforceId,
    reason: z.preprocess(blankToUndefined, z.string().trim().max(1000).optional()),
    effectiveDate: z.preprocess(
      blankToUndefined,
      z.string().trim().refine(isIsoDate, { message: 'must be a date like 2027-02-01' }).optional(),
    ),
    fromOwnerId: z.unknown().optional(),
  })
  .superRefine((move, ctx) => {
    // Zod runs object refinements after field issues too: judge only ids that parsed.
    const prefix = KEY_PREFIX[move.objectType] as string | undefined;
    if (!prefix) return;
    if (isSalesforceId(move.recordId) && !move.recordId.startsWith(prefix)) {
      ctx.addIssue({
        code: 'custom',
        path: ['recordId'],
        message: `is not ${move.objectType === 'Account' ? 'an Account' : 'a Lead'} id (${prefix}…)`,
      });
    }
    if (!isSalesforceId(move.toOwnerId)) return;
    const queueAllowed = move.objectType === 'Lead';
    const ownerPrefix = move.toOwnerId.slice(0, 3);
    if (ownerPrefix !== USER_PREFIX && !(queueAllowed && ownerPrefix === QUEUE_PREFIX)) {
      ctx.addIssue({
        code: 'custom',
        path: ['toOwnerId'],
        message: queueAllowed ? 'must be a user (005…) or queue (00G…) id' : 'must be a user id (005…)',
      });
    }
  });

export type MoveRowsResult = { ok: true; moves: MoveRow[] } | { ok: false; problems: string[] };

/**
 * Validate rows, naming every problem by row (and by file line when the caller knows it), so a
 * 10,000-row file with three typos gets three precise messages instead of the first one.
 */
export function parseMoveRows(rows: readonly unknown[], lineOf?: (index: number) => number): MoveRowsResult {
  const problems: string[] = [];
  const moves: MoveRow[] = [];
  if (rows.length === 0) return { ok: false, problems: ['the request has no moves'] };
  if (rows.length > MAX_MOVES_PER_REQUEST) {
    return {
      ok: false,
      problems: [`${rows.length} moves; at most ${MAX_MOVES_PER_REQUEST} per request (split the file)`],
    };
  }
  rows.forEach((raw, index) => {
    const where = lineOf ? `row ${index + 1} (line ${lineOf(index)})` : `row ${index + 1}`;
    const parsed = moveRowSchema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = issue.path.join('.');
        problems.push(`${where}: ${field ? `${field} ` : ''}${issue.message}`);
      }
      return;
    }
    const { recordId, objectType, toOwnerId, reason, effectiveDate } = parsed.data;
    moves.push({
      row: index + 1,
      recordId,
      objectType,
      toOwnerId,
      ...(reason ? { reason } : {}),
      ...(effectiveDate ? { effectiveDate } : {}),
    });
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, moves };
}

/** The request around the moves: who asks, under what label, with which named-account override. */
export const reassignmentInputSchema = z.object({
  requestedBy: z.string().trim().min(1).max(200),
  /** Names the change in every reason written, e.g. `FY2027 Territory Planning`. */
  label: z.string().trim().min(1).max(200).default('Bulk reassignment'),
  /** Named accounts a manager agreed to move (their ids, or `all`); moving them still needs the manager's approval. */
  namedAccountOverride: z
    .union([z.literal('all'), z.array(salesforceId).max(MAX_MOVES_PER_REQUEST)])
    .optional(),
  moves: z.array(z.unknown()),
});
export type ReassignmentInput = z.output<typeof reassignmentInputSchema>;
