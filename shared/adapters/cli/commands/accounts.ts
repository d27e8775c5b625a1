import { writeFileSync } from 'node:fs';
import { type Command, InvalidArgumentError } from 'commander';
import { syncDuplicateIndex } from '../../../application/accounts/duplicates.js';
import {
  matchLeads,
  parseAccountsCsv,
  parseLeadsCsv,
  renderMatchesCsv,
} from '../../../application/accounts/match-files.js';
import { syncAccounts } from '../../../application/accounts/sync.js';
import { DEFAULT_MATCH_OPTIONS } from '../../../domain/accounts/model.js';
import { accountSyncDeps, duplicateSyncDeps } from '../../../runtime/account-sync.js';
import { openDynamoTarget, withDynamoTarget } from '../dynamodb-target.js';
import { readInputFile } from '../input-file.js';
import { cliSalesforceConnection } from '../salesforce-target.js';

/** `territory-router accounts …`: lead-to-account matching against the org's accounts. */
export function register(program: Command): void {
  const accounts = program.command('accounts').description('match leads to Salesforce accounts');
  accounts
    .command('match')
    .description('match leads to accounts offline: accounts and leads CSV in, one row per lead out')
    .requiredOption(
      '--accounts <file>',
      'accounts CSV: Id, Name, Website, BillingCountry, BillingPostalCode, OwnerId',
    )
    .requiredOption('--leads <file>', 'leads CSV: Id, Company, Email, Website, Country, PostalCode')
    .option('--out <file>', 'where to write the matches (default: standard output)')
    .option('--json', 'write JSON instead of CSV')
    .option(
      '--min-confidence <n>',
      'drop matches below this confidence (0–1)',
      unitInterval,
      DEFAULT_MATCH_OPTIONS.minConfidence,
    )
    .option(
      '--min-name-similarity <n>',
      'fuzzy name matches need at least this similarity (0–1)',
      unitInterval,
      DEFAULT_MATCH_OPTIONS.minNameSimilarity,
    )
    .action(
      (options: {
        accounts: string;
        leads: string;
        out?: string;
        json?: boolean;
        minConfidence: number;
        minNameSimilarity: number;
      }) => {
        const accountRows = parseAccountsCsv(readInputFile(options.accounts), options.accounts);
        const leadRows = parseLeadsCsv(readInputFile(options.leads), options.leads);
        const rows = matchLeads(accountRows, leadRows, {
          ...DEFAULT_MATCH_OPTIONS,
          minConfidence: options.minConfidence,
          minNameSimilarity: options.minNameSimilarity,
        });
        const output = options.json ? `${JSON.stringify(rows, null, 2)}\n` : renderMatchesCsv(rows);
        if (options.out) writeFileSync(options.out, output);
        else process.stdout.write(output);
        const matched = rows.filter((r) => r.AccountId !== '').length;
        console.error(`matched ${matched} of ${rows.length} leads to ${accountRows.length} accounts`);
      },
    );
  withDynamoTarget(
    accounts
      .command('sync')
      .description(
        'bring the account index and the duplicate index (open leads and contacts by e-mail hash) up to date with Salesforce: records changed or deleted since the last sync, or all with --full',
      )
      .option('--full', 'reload every account, lead and contact and drop those Salesforce no longer has')
      .option('--json', 'print the summary as JSON'),
  ).action(
    async (options: { full?: boolean; json?: boolean; endpoint?: string; aws?: boolean; table: string }) => {
      const target = openDynamoTarget(options);
      try {
        const io = { doc: target.doc, connection: cliSalesforceConnection };
        const mode = options.full ? 'full' : 'incremental';
        const summary = await syncAccounts(accountSyncDeps({ TABLE_NAME: options.table }, io), mode);
        const duplicates = await syncDuplicateIndex(
          duplicateSyncDeps({ TABLE_NAME: options.table }, io),
          mode,
        );
        if (options.json) console.log(JSON.stringify({ ...summary, duplicates }, null, 2));
        else {
          const since = summary.lastModstamp ? `; next sync reads changes from ${summary.lastModstamp}` : '';
          console.log(
            `${summary.mode === 'full' ? 'full load' : 'incremental sync'}: ${summary.upserted} accounts stored in ${summary.pages} page(s), ${summary.removed} removed${since}`,
          );
          const { lead, contact } = duplicates;
          console.log(
            `duplicate index (${lead.mode}): ${lead.upserted} leads and ${contact.upserted} contacts read, ${lead.removed + contact.removed} removed`,
          );
        }
      } finally {
        target.close();
      }
    },
  );
}

function unitInterval(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new InvalidArgumentError('expected a number from 0 to 1');
  return n;
}
