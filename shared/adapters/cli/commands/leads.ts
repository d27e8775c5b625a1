import type { Command } from 'commander';
import { toId18 } from '../../../domain/salesforce-id.js';
import { parseConfig } from '../../../runtime/config.js';
import { toSalesforceError } from '../../salesforce/errors.js';
import { cliSalesforceConnection } from '../salesforce-target.js';

/**
 * `territory-router leads show ID`: a lead's owner and routing reason as Salesforce has them —
 * the local stack's emulator by default, a real org when SF_LOGIN_URL is set.
 */
export function register(program: Command): void {
  program
    .command('leads')
    .description('look at leads in Salesforce (the local emulator unless SF_LOGIN_URL is set)')
    .command('show')
    .argument('<leadId>', '15- or 18-character lead id')
    .description("print a lead's owner, status and routing reason")
    .action(async (leadId: string) => {
      const cfg = parseConfig(process.env);
      const conn = await cliSalesforceConnection();
      try {
        const id = toId18(leadId);
        const result = await conn.query<Record<string, unknown>>(
          `SELECT Id, Company, Status, OwnerId, ${cfg.ROUTING_REASON_FIELD}, LastModifiedDate FROM Lead WHERE Id = '${id}'`,
        );
        const lead = result.records[0];
        if (!lead) {
          console.error(`No lead ${id}`);
          process.exitCode = 1;
          return;
        }
        const { attributes: _attributes, ...fields } = lead;
        console.log(JSON.stringify(fields, null, 2));
      } catch (error) {
        throw toSalesforceError(error);
      }
    });
}
