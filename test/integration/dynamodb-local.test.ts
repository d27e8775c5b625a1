import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { keys } from '../../shared/adapters/dynamodb/keys.js';
import { useDynamoDbLocal } from '../support/dynamodb.js';

const t = useDynamoDbLocal();

describe('DynamoDB Local with the project table', () => {
  it('rejects a second conditional put of the same key', async () => {
    const item = { ...keys.notification('N-1'), receivedAt: '2026-11-22T00:00:00Z' };
    const put = () =>
      t.doc.send(
        new PutCommand({
          TableName: t.tableName,
          Item: item,
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
    await put();
    await expect(put()).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
  });

  it('applies a transaction all-or-nothing when one condition fails', async () => {
    const rep = keys.rep('005A');
    await t.doc.send(new PutCommand({ TableName: t.tableName, Item: { ...rep, openLeads: 1, cap: 1 } }));
    const transact = (leadId: string) =>
      t.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: t.tableName,
                Key: rep,
                UpdateExpression: 'SET openLeads = openLeads + :one',
                ConditionExpression: 'openLeads < cap',
                ExpressionAttributeValues: { ':one': 1 },
              },
            },
            {
              Put: {
                TableName: t.tableName,
                Item: { ...keys.leadAssignment(leadId), repId: '005A' },
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            },
          ],
        }),
      );
    const error = await transact('00Q1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransactionCanceledException);
    expect((error as TransactionCanceledException).CancellationReasons?.[0]?.Code).toBe(
      'ConditionalCheckFailed',
    );
    const lead = await t.doc.send(
      new GetCommand({ TableName: t.tableName, Key: keys.leadAssignment('00Q1') }),
    );
    expect(lead.Item).toBeUndefined();

    await t.doc.send(
      new UpdateCommand({
        TableName: t.tableName,
        Key: rep,
        UpdateExpression: 'SET cap = :c',
        ExpressionAttributeValues: { ':c': 2 },
      }),
    );
    await transact('00Q1');
    const after = await t.doc.send(new GetCommand({ TableName: t.tableName, Key: rep }));
    expect(after.Item?.openLeads).toBe(2);
  });

  it('gives each new table its own name so tests stay isolated', async () => {
    const other = await t.newTable();
    expect(other).not.toBe(t.tableName);
    const got = await t.doc.send(new GetCommand({ TableName: other, Key: keys.notification('N-1') }));
    expect(got.Item).toBeUndefined();
  });
});
