import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { ReassignDeps } from '../../application/reassign/deps.js';
import { InvalidReassignmentError } from '../../application/reassign/errors.js';
import { submitReassignment } from '../../application/reassign/submit.js';
import { logger } from '../../runtime/logger.js';
import { MovesFileError, parseMovesFile } from '../reassign/moves-file.js';
import { eventBody, httpResponse } from './body.js';
import { secretsMatch } from './secret-compare.js';

/** 50,000 moves as JSON fit comfortably; API Gateway's own cap is 10 MB. */
const MAX_BODY_BYTES = 9 * 1024 * 1024;
const API_KEY_HEADER = 'x-api-key';

const json = (statusCode: number, body: unknown): APIGatewayProxyStructuredResultV2 =>
  httpResponse(statusCode, 'application/json', JSON.stringify(body, null, 2), {
    'cache-control': 'no-store',
  });

type IamContext = { iam?: { userArn?: string; callerId?: string } };

/**
 * Who is calling: in AWS the route uses IAM authorization, so API Gateway has verified the
 * SigV4 signature and passes the principal; locally (no IAM) a shared API key in `x-api-key`.
 * Anything else is refused, also in AWS should a route ever lose its authorizer.
 */
export function reassignCaller(
  event: APIGatewayProxyEventV2,
  apiKey: string | undefined,
): string | undefined {
  const iam = (event.requestContext as { authorizer?: IamContext }).authorizer?.iam;
  if (iam?.userArn) return iam.userArn;
  const given = event.headers?.[API_KEY_HEADER];
  if (apiKey && given && secretsMatch(given, apiKey)) return 'api-key';
  return undefined;
}

/**
 * `POST /reassignments`: a JSON body `{requestedBy, label, namedAccountOverride?, moves: [...]}`,
 * or a CSV moves file with `requestedBy` and `label` in the query string. Answers 202 with the
 * request id; guardrails and approvals follow in the workflow (`GET /reassignments/{id}`).
 */
export function submitEndpoint(
  deps: Pick<ReassignDeps, 'store' | 'workflow' | 'now' | 'newId'>,
  statusUrl: (requestId: string) => string,
) {
  return async (
    event: APIGatewayProxyEventV2,
    apiKey: string | undefined,
  ): Promise<APIGatewayProxyStructuredResultV2> => {
    const caller = reassignCaller(event, apiKey);
    if (!caller)
      return json(401, {
        message: 'Sign the request with IAM (AWS) or send the API key in x-api-key (local)',
      });
    const read = eventBody(event, MAX_BODY_BYTES);
    if (!read.ok) return json(413, { message: 'Request body too large' });
    const text = read.text;

    const contentType = event.headers?.['content-type'] ?? '';
    let body: unknown;
    let lineOf: ((index: number) => number) | undefined;
    try {
      if (/csv/i.test(contentType)) {
        const file = parseMovesFile(text, 'csv');
        const query = event.queryStringParameters ?? {};
        body = { requestedBy: query.requestedBy, label: query.label, moves: file.rows };
        lineOf = file.lineOf;
      } else {
        body = JSON.parse(text);
      }
    } catch (error) {
      const message = error instanceof MovesFileError ? error.message : 'Body is not valid JSON';
      return json(400, { message, problems: [message] });
    }

    try {
      const request = await submitReassignment(
        body,
        { submittedBy: caller, ...(lineOf ? { lineOf } : {}) },
        deps,
      );
      logger.info('reassignment submitted', { requestId: request.id, moves: request.moveCount });
      return json(202, {
        requestId: request.id,
        status: request.status,
        moves: request.moveCount,
        statusUrl: statusUrl(request.id),
      });
    } catch (error) {
      if (error instanceof InvalidReassignmentError) {
        return json(400, {
          message: 'Invalid reassignment request',
          problems: error.problems.slice(0, 1000),
        });
      }
      throw error;
    }
  };
}

/**
 * `GET /reassignments/{id}`: status, guardrail report, approvals (who, decided how) and summary;
 * `?failures=all` lists every per-record failure from the batches, `?problems=all` every blocked
 * or invalid move with its row and why (the report keeps the first 50).
 */
export function statusEndpoint(deps: Pick<ReassignDeps, 'store' | 'approvals'>) {
  return async (
    event: APIGatewayProxyEventV2,
    apiKey: string | undefined,
  ): Promise<APIGatewayProxyStructuredResultV2> => {
    if (!reassignCaller(event, apiKey)) return json(401, { message: 'Unauthorized' });
    const requestId = event.pathParameters?.id ?? '';
    const request = await deps.store.get(requestId);
    if (!request) return json(404, { message: `No reassignment ${requestId}` });
    const approvals = await deps.approvals.getMany(request.approvalIds ?? []);
    const body: Record<string, unknown> = {
      ...request,
      approvals: approvals.map((a) => ({
        approvalId: a.approvalId,
        role: a.role,
        status: a.status,
        approvers: a.approvers.map((p) => p.name),
        reasons: a.reasons,
        ...(a.decided
          ? {
              decidedBy: a.decided.approverName,
              decision: a.decided.decision,
              comment: a.decided.comment,
              at: a.decided.at,
            }
          : {}),
      })),
    };
    if (event.queryStringParameters?.failures === 'all' && request.plan) {
      body.failures = (await deps.store.applyMoves(requestId))
        .filter((m) => m.result?.status === 'failed')
        .map((m) => ({ row: m.row, recordId: m.recordId, objectType: m.objectType, ...m.result }));
    }
    if (event.queryStringParameters?.problems === 'all' && request.report) {
      body.problems = (await deps.store.evaluatedMoves(requestId))
        .filter((m) => m.outcome === 'blocked' || m.outcome === 'invalid')
        .map((m) => ({
          row: m.row,
          recordId: m.recordId,
          objectType: m.objectType,
          name: m.recordName ?? m.recordId,
          toOwnerId: m.toOwnerId,
          outcome: m.outcome,
          why: m.notes,
        }));
    }
    return json(200, body);
  };
}
