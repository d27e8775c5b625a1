import type { Command } from 'commander';
import { isSalesforceId, toId18 } from '../../../domain/salesforce-id.js';
import { toSalesforceError } from '../../salesforce/errors.js';
import { cliConfig } from '../cli-config.js';
import { cliSalesforceConnection } from '../salesforce-target.js';

export interface LeadView {
  id: string;
  company: string | null;
  status: string | null;
  ownerId: string | null;
  /** The user's or queue's name, as Salesforce has it. */
  ownerName: string | null;
  reason: string | null;
  lastModified: string | null;
}

export function formatLeadView(lead: LeadView): string {
  return [
    `Lead     ${lead.id}${lead.company ? `  ${lead.company}` : ''}`,
    `Status   ${lead.status ?? '—'}`,
    `Owner    ${lead.ownerName ?? 'unknown'} (${lead.ownerId ?? 'no owner'})`,
    `Reason   ${lead.reason ?? '—'}`,
    `Updated  ${lead.lastModified ?? '—'}`,
  ].join('\n');
}

/**
 * `territory-router leads show ID`: a lead's owner (by name) and routing reason as Salesforce has
 * them — the local stack's emulator by default, a real org when SF_LOGIN_URL is set.
 */
export function register(program: Command): void {
  program
    .command('leads')
    .description('look at leads in Salesforce (the local emulator unless SF_LOGIN_URL is set)')
    .command('show')
    .argument('<leadId>', '15- or 18-character lead id')
    .description("print a lead's owner (by name), status and routing reason")
    .option('--json', 'print the lead as JSON')
    .action(async (leadId: string, options: { json?: boolean }) => {
      if (!isSalesforceId(leadId)) throw new Error(`"${leadId}" is not a 15- or 18-character Salesforce id`);
      const cfg = cliConfig();
      const conn = await cliSalesforceConnection();
      const id = toId18(leadId);
      let record: Record<string, unknown> | undefined;
      try {
        const result = await conn.query<Record<string, unknown>>(
          `SELECT Id, Company, Status, OwnerId, Owner.Name, ${cfg.ROUTING_REASON_FIELD}, LastModifiedDate FROM Lead WHERE Id = '${id}'`,
        );
        record = result.records[0];
      } catch (error) {
        throw toSalesforceError(error);
      }
      if (!record) {
        console.error(`No lead ${id}`);
        process.exitCode = 1;
        return;
      }
      const text = (v: unknown) => (typeof v === 'string' ? v : null);
      const view: LeadView = {
        id: String(record.Id),
        company: text(record.Company),
        status: text(record.Status),
        ownerId: text(record.OwnerId),
        ownerName: text((record.Owner as { Name?: unknown } | null)?.Name),
        reason: text(record[cfg.ROUTING_REASON_FIELD]),
        lastModified: text(record.LastModifiedDate),
      };
      console.log(options.json ? JSON.stringify(view, null, 2) : formatLeadView(view));
    });
}
