import type { Command } from 'commander';
import { explainRecord, formatExplanation } from '../../../application/explain/explain.js';
import { isSalesforceId, toId18 } from '../../../domain/salesforce-id.js';
import { DynamoDecisionTrail } from '../../dynamodb/decision-trail.js';
import { type DynamoTargetOptions, openDynamoTarget, withDynamoTarget } from '../dynamodb-target.js';
import { cliSalesforceConnection } from '../salesforce-target.js';

/**
 * `territory-router explain ID`: why a lead or account is where it is — every recorded decision
 * in order, with the territory and values that matched, who was skipped and why, the write-back's
 * answer from Salesforce and anything quarantined. Owner names come from Salesforce when it answers.
 */
export function register(program: Command): void {
  withDynamoTarget(
    program
      .command('explain')
      .argument('<id>', 'a lead or account id (15 or 18 characters)')
      .description('every decision about a lead or account, in order, and why')
      .option('--json', 'print the explanation as JSON')
      .option('--offline', 'do not ask Salesforce for names and the current owner'),
  ).action(async (id: string, options: DynamoTargetOptions & { json?: boolean; offline?: boolean }) => {
    if (!isSalesforceId(id)) throw new Error(`"${id}" is not a 15- or 18-character Salesforce id`);
    const recordId = toId18(id);
    const target = openDynamoTarget(options);
    try {
      const conn = options.offline ? undefined : await cliSalesforceConnection().catch(() => undefined);
      const explanation = await explainRecord(recordId, {
        trail: new DynamoDecisionTrail(target.doc, options.table),
        names: async (ids) => {
          const names = new Map<string, string>();
          if (!conn || ids.length === 0) return names;
          const list = ids.map((i) => `'${toId18(i)}'`).join(',');
          for (const object of ['User', 'Group']) {
            const result = await conn.query<{ Id: string; Name: string }>(
              `SELECT Id, Name FROM ${object} WHERE Id IN (${list})`,
            );
            for (const r of result.records) names.set(toId18(r.Id), r.Name);
          }
          return names;
        },
        ...(conn
          ? {
              currentOwner: async (rid: string) => {
                const object = rid.startsWith('001') ? 'Account' : 'Lead';
                const result = await conn.query<{ OwnerId: string }>(
                  `SELECT OwnerId FROM ${object} WHERE Id = '${rid}'`,
                );
                const owner = result.records[0]?.OwnerId;
                return owner ? toId18(owner) : undefined;
              },
            }
          : {}),
      });
      console.log(options.json ? JSON.stringify(explanation, null, 2) : formatExplanation(explanation));
    } finally {
      target.close();
    }
  });
}
