import type { Reassignment } from '../../domain/reassign/model.js';
import { parseMoveRows, reassignmentInputSchema } from '../../domain/reassign/moves.js';
import type { ReassignDeps } from './deps.js';
import { InvalidReassignmentError } from './errors.js';

export interface SubmitOptions {
  /** The authenticated caller, kept beside the person named in `requestedBy`. */
  submittedBy: string;
  /** CSV line of each row, when the moves came from a file. */
  lineOf?: (index: number) => number;
}

/**
 * Accept a request: validate its shape (every problem named by row), store it and its moves,
 * and start the approval workflow. Guardrails run in the workflow's first step, against the org
 * as it is then.
 */
export async function submitReassignment(
  body: unknown,
  options: SubmitOptions,
  deps: Pick<ReassignDeps, 'store' | 'workflow' | 'now' | 'newId'>,
): Promise<Reassignment> {
  const parsed = reassignmentInputSchema.safeParse(body);
  if (!parsed.success) {
    throw new InvalidReassignmentError(
      parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`),
    );
  }
  const rows = parseMoveRows(parsed.data.moves, options.lineOf);
  if (!rows.ok) throw new InvalidReassignmentError(rows.problems);

  const request: Reassignment = {
    id: deps.newId(),
    requestedBy: parsed.data.requestedBy,
    submittedBy: options.submittedBy,
    label: parsed.data.label,
    ...(parsed.data.namedAccountOverride ? { namedAccountOverride: parsed.data.namedAccountOverride } : {}),
    submittedAt: deps.now().toISOString(),
    moveCount: rows.moves.length,
    status: 'submitted',
  };
  await deps.store.create(request, rows.moves);
  await deps.workflow.start(request.id);
  return request;
}
