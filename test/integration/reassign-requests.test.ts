import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoApprovalStore } from '../../shared/adapters/dynamodb/approval-store.js';
import { DynamoReassignmentStore } from '../../shared/adapters/dynamodb/reassignment-store.js';
import { statusEndpoint, submitEndpoint } from '../../shared/adapters/http/reassignments-endpoint.js';
import { useDynamoDbLocal } from '../support/dynamodb.js';
import { httpEvent } from '../support/http-events.js';
import { ORG } from '../support/reassign.js';

const API_KEY = 'local-api-key-0123456789';
const t = useDynamoDbLocal();
let started: string[];
let submit: ReturnType<typeof submitEndpoint>;
let status: ReturnType<typeof statusEndpoint>;
let store: DynamoReassignmentStore;

beforeAll(() => {
  store = new DynamoReassignmentStore(t.doc, t.tableName);
  started = [];
  submit = submitEndpoint(
    {
      store,
      workflow: { start: async (id) => void started.push(id) },
      now: () => new Date(),
      newId: randomUUID,
    },
    (id) => `http://127.0.0.1:3000/reassignments/${id}`,
  );
  status = statusEndpoint({ store, approvals: new DynamoApprovalStore(t.doc, t.tableName) });
});

const post = (
  body: string,
  headers: Record<string, string> = {},
  query?: Record<string, string>,
  iamUserArn?: string,
) =>
  submit(
    httpEvent({
      method: 'POST',
      path: '/reassignments',
      headers: { 'content-type': 'application/json', ...headers },
      body,
      ...(query ? { query } : {}),
      ...(iamUserArn ? { iamUserArn } : {}),
    }),
    API_KEY,
  ) as Promise<APIGatewayProxyStructuredResultV2>;

const validBody = () =>
  JSON.stringify({
    requestedBy: 'Dana Whitfield',
    label: 'FY2027 Territory Planning',
    moves: [
      { recordId: ORG.account(1), objectType: 'Account', toOwnerId: ORG.rep2, effectiveDate: '2027-03-01' },
    ],
  });

describe('POST /reassignments', () => {
  it('refuses a request without the API key or with a wrong one', async () => {
    expect((await post(validBody())).statusCode).toBe(401);
    expect((await post(validBody(), { 'x-api-key': 'wrong-key-wrong-key' })).statusCode).toBe(401);
    expect(started).toHaveLength(0);
  });

  it('accepts an IAM-signed request (API Gateway verified the signature) without a key', async () => {
    const response = await post(validBody(), {}, undefined, 'arn:aws:iam::123456789012:user/dana');
    expect(response.statusCode).toBe(202);
    const { requestId } = JSON.parse(response.body ?? '{}');
    expect((await store.get(requestId))?.submittedBy).toBe('arn:aws:iam::123456789012:user/dana');
  });

  it('stores the request, starts the workflow and answers with where to follow it', async () => {
    const response = await post(validBody(), { 'x-api-key': API_KEY });
    expect(response.statusCode).toBe(202);
    const body = JSON.parse(response.body ?? '{}');
    expect(body).toMatchObject({
      status: 'submitted',
      moves: 1,
      statusUrl: `http://127.0.0.1:3000/reassignments/${body.requestId}`,
    });
    expect(started).toContain(body.requestId);
    expect(await store.submittedMoves(body.requestId)).toEqual([
      {
        row: 1,
        recordId: ORG.account(1),
        objectType: 'Account',
        toOwnerId: ORG.rep2,
        effectiveDate: '2027-03-01',
      },
    ]);
  });

  it('names every invalid row and field, and stores nothing', async () => {
    const before = started.length;
    const response = await post(
      JSON.stringify({
        requestedBy: 'Dana',
        moves: [
          { recordId: ORG.account(1), objectType: 'Account', toOwnerId: ORG.rep2 },
          { recordId: 'nope', objectType: 'Account', toOwnerId: ORG.rep2 },
          { recordId: ORG.lead(1), objectType: 'Account', toOwnerId: ORG.rep2, effectiveDate: '2027-02-30' },
          { recordId: ORG.account(2), objectType: 'Opportunity', toOwnerId: '00GRA0000000001' },
        ],
      }),
      { 'x-api-key': API_KEY },
    );
    expect(response.statusCode).toBe(400);
    const { problems } = JSON.parse(response.body ?? '{}');
    expect(problems).toEqual([
      'row 2: recordId is not a 15- or 18-character Salesforce id',
      'row 3: effectiveDate must be a date like 2027-02-01',
      'row 3: recordId is not an Account id (001…)',
      'row 4: objectType must be Account or Lead',
    ]);
    expect(started).toHaveLength(before);
  });

  it('takes the moves file as CSV with its line numbers, ignoring the planner’s fromOwnerId column', async () => {
    const csv = [
      'recordId,objectType,fromOwnerId,toOwnerId,reason,effectiveDate',
      `${ORG.account(1)},Account,${ORG.rep1},${ORG.rep2},Territory plan: balance,2027-03-01`,
      `${ORG.lead(1)},Lead,,${ORG.rep3},,`,
      `${ORG.account(2)},Account,${ORG.rep1},not-an-id,,`,
    ].join('\n');
    const bad = await post(
      csv,
      { 'content-type': 'text/csv', 'x-api-key': API_KEY },
      { requestedBy: 'Dana' },
    );
    expect(JSON.parse(bad.body ?? '{}').problems).toEqual([
      'row 3 (line 4): toOwnerId is not a 15- or 18-character Salesforce id',
    ]);
    const good = await post(
      csv.split('\n').slice(0, 3).join('\n'),
      { 'content-type': 'text/csv', 'x-api-key': API_KEY },
      {
        requestedBy: 'Dana',
        label: 'FY2027',
      },
    );
    expect(good.statusCode).toBe(202);
    const moves = await store.submittedMoves(JSON.parse(good.body ?? '{}').requestId);
    expect(moves).toEqual([
      {
        row: 1,
        recordId: ORG.account(1),
        objectType: 'Account',
        toOwnerId: ORG.rep2,
        reason: 'Territory plan: balance',
        effectiveDate: '2027-03-01',
      },
      { row: 2, recordId: ORG.lead(1), objectType: 'Lead', toOwnerId: ORG.rep3 },
    ]);
  });

  it('answers 400 for a body that is not JSON', async () => {
    expect((await post('{nope', { 'x-api-key': API_KEY })).statusCode).toBe(400);
  });
});

describe('GET /reassignments/{id}', () => {
  it('shows the request to an authenticated caller and 404 for an unknown id', async () => {
    const created = JSON.parse((await post(validBody(), { 'x-api-key': API_KEY })).body ?? '{}');
    const get = (id: string, headers: Record<string, string>) =>
      status(
        httpEvent({ method: 'GET', path: `/reassignments/${id}`, pathParameters: { id }, headers }),
        API_KEY,
      ) as Promise<APIGatewayProxyStructuredResultV2>;
    expect((await get(created.requestId, {})).statusCode).toBe(401);
    const shown = await get(created.requestId, { 'x-api-key': API_KEY });
    expect(JSON.parse(shown.body ?? '{}')).toMatchObject({
      id: created.requestId,
      status: 'submitted',
      requestedBy: 'Dana Whitfield',
    });
    expect((await get('missing', { 'x-api-key': API_KEY })).statusCode).toBe(404);
  });
});
