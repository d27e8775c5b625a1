import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Command } from 'commander';
import { existingRecordFinder } from '../../../application/accounts/duplicates.js';
import { accountEnricher, leadsAsIntakeSeesThem } from '../../../application/accounts/enrich-lead.js';
import { parseLeadsFile } from '../../../application/territories/leads-file.js';
import {
  listTerritoryVersions,
  promoteDraft,
  pushDraft,
  rollbackProduction,
  validateTerritoryFile,
} from '../../../application/territories/publish.js';
import {
  diffTerritoryModels,
  type ModelRef,
  simulateDraft,
} from '../../../application/territories/review.js';
import {
  type AccountAwareTrace,
  type AccountRuleOutcome,
  accountRuleOutcome,
  formatAccountRules,
} from '../../../domain/accounts/existing-owner.js';
import { formatModelDiff } from '../../../domain/territory/diff.js';
import type { Decision } from '../../../domain/territory/distribution.js';
import { type Lead, leadLabel } from '../../../domain/territory/lead.js';
import { formatSimulationReport } from '../../../domain/territory/simulation.js';
import { formatProblem, type ModelProblem } from '../../../domain/territory/validate.js';
import { DynamoAccountIndex } from '../../dynamodb/account-index.js';
import { DynamoDuplicateIndex } from '../../dynamodb/duplicate-index.js';
import { DynamoIntakeHistory } from '../../dynamodb/intake-history.js';
import { DynamoTerritoryStore } from '../../dynamodb/territory-store.js';
import { publicHolidays } from '../../holidays/public-holidays.js';
import { postalCentroid } from '../../postal/centroids.js';
import { type DynamoTargetOptions, openDynamoTarget, withDynamoTarget } from '../dynamodb-target.js';
import { readInputFile } from '../input-file.js';

/**
 * `territory-router territories …`: territories as code. `validate` works offline; the other
 * commands read and write the model in DynamoDB (`--endpoint` for DynamoDB Local).
 */

/** Postal centroids and public holidays: what validating and compiling a model looks up. */
const modelDeps = { postalCentroid, holidays: publicHolidays };

interface DbOptions extends DynamoTargetOptions {
  model: string;
  by?: string;
}

function withDb(command: Command): Command {
  return withDynamoTarget(command).option('--model <id>', 'territory model id', 'default');
}

/** Open the store for one command and close the client afterwards. */
async function withStore<T>(
  options: DbOptions,
  use: (store: DynamoTerritoryStore, doc: DynamoDBDocumentClient) => Promise<T>,
): Promise<T> {
  const target = openDynamoTarget(options);
  try {
    return await use(
      new DynamoTerritoryStore({ doc: target.doc, tableName: options.table, modelId: options.model }),
      target.doc,
    );
  } finally {
    target.close();
  }
}

function printProblems(
  file: string,
  problems: readonly ModelProblem[],
  warnings: readonly ModelProblem[],
): void {
  for (const w of warnings) console.error(`warning: ${formatProblem(w, file)}`);
  if (problems.length === 0) return;
  console.error(`${file}: ${problems.length} problem${problems.length === 1 ? '' : 's'}`);
  for (const p of problems) console.error(`  ${formatProblem(p, file)}`);
}

function parseRef(value: string): ModelRef {
  if (value === 'draft' || value === 'production') return value;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`"${value}" is not draft, production or a version number`);
  return n;
}

export function register(program: Command): void {
  const territories = program
    .command('territories')
    .description('territory models: validate, publish, review');

  territories
    .command('validate')
    .description('check a territory config file (YAML or JSON) and list every problem; needs no database')
    .argument('<file>')
    .option('--json', 'print the validated model as JSON')
    .action((file: string, options: { json?: boolean }) => {
      const result = validateTerritoryFile(modelDeps, readInputFile(file));
      printProblems(file, result.ok ? [] : result.problems, result.warnings);
      if (!result.ok) {
        process.exitCode = 1;
        return;
      }
      const { model } = result;
      if (options.json) console.log(JSON.stringify(model, null, 2));
      else {
        console.log(
          `${file}: valid — ${model.territories.length} territories, ${model.categories.length} categories, ${model.reps.length} reps`,
        );
      }
    });

  withDb(territories.command('push'))
    .description('validate a config file and save it as the draft (nothing is saved when it has problems)')
    .argument('<file>')
    .option('--by <name>', 'who is pushing, for the record')
    .option('--json', 'print the saved draft (revision, territories) or the problems as JSON')
    .action(async (file: string, options: DbOptions & { json?: boolean }) => {
      const text = readInputFile(file);
      const result = await withStore(options, (store) =>
        pushDraft({ store, ...modelDeps }, { text, ...(options.by ? { savedBy: options.by } : {}) }),
      );
      if (options.json) {
        console.log(
          JSON.stringify(
            result.ok
              ? {
                  saved: true,
                  revision: result.draft.revision,
                  territories: result.draft.model.territories.length,
                  warnings: result.warnings,
                }
              : { saved: false, problems: result.problems, warnings: result.warnings },
            null,
            2,
          ),
        );
        if (!result.ok) process.exitCode = 1;
        return;
      }
      printProblems(file, result.ok ? [] : result.problems, result.warnings);
      if (!result.ok) {
        process.exitCode = 1;
        return;
      }
      console.log(
        `draft saved (revision ${result.draft.revision}, ${result.draft.model.territories.length} territories)\n` +
          'next: territories diff, then territories simulate --history, then territories promote',
      );
    });

  withDb(territories.command('diff'))
    .description('what changed between two models (default: production → draft)')
    .option('--from <ref>', 'draft, production or a version number', 'production')
    .option('--to <ref>', 'draft, production or a version number', 'draft')
    .option('--json', 'print the diff as JSON')
    .action(async (options: DbOptions & { from: string; to: string; json?: boolean }) => {
      const result = await withStore(options, (store) =>
        diffTerritoryModels(
          { store, ...modelDeps },
          { from: parseRef(options.from), to: parseRef(options.to) },
        ),
      );
      if (options.json) console.log(JSON.stringify(result, null, 2));
      else console.log(`${result.from} → ${result.to}\n${formatModelDiff(result.diff)}`);
    });

  withDb(territories.command('simulate'))
    .description('run the draft and production over leads (CSV or JSON) and compare owners and balance')
    .option('--leads <file>', 'leads file: CSV with Salesforce field names as headers, or JSON')
    .option('--history', 'replay the leads intake routed (from their audit records) instead of a file')
    .option('--since <iso>', 'with --history: routed at or after this time (default 30 days ago)')
    .option('--limit <n>', 'with --history: at most this many leads', (v) => Number.parseInt(v, 10), 10_000)
    .option('--now <iso>', 'moment to simulate (out-of-office windows); default now')
    .option('--json', 'print the report as JSON')
    .action(
      async (
        options: DbOptions & {
          leads?: string;
          history?: boolean;
          since?: string;
          limit: number;
          now?: string;
          json?: boolean;
        },
      ) => {
        if (!options.leads === !options.history) throw new Error('give either --leads FILE or --history');
        const now = options.now ? new Date(options.now) : new Date();
        if (Number.isNaN(now.getTime())) throw new Error(`--now "${options.now}" is not a date-time`);
        const since = options.since ? new Date(options.since) : new Date(now.getTime() - 30 * 86_400_000);
        if (Number.isNaN(since.getTime())) throw new Error(`--since "${options.since}" is not a date-time`);
        const report = await withStore(options, async (store, doc) => {
          const leads = options.leads
            ? parseLeadsFile(readInputFile(options.leads), options.leads)
            : await new DynamoIntakeHistory(doc, options.table).routedLeads({ since, limit: options.limit });
          // The same account match and duplicate lookup intake makes, from the synced indexes.
          const enrich = leadsAsIntakeSeesThem({
            matchAccount: accountEnricher(new DynamoAccountIndex({ doc, tableName: options.table })),
            findExistingRecord: existingRecordFinder(
              new DynamoDuplicateIndex({ doc, tableName: options.table }),
            ),
          });
          const simulated = await simulateDraft({ store, ...modelDeps }, { leads, now, enrich });
          return { ...simulated, accountRules: accountRulesOf(simulated.draft.decisions, leads) };
        });
        if (options.json) {
          const strip = <T extends { decisions: unknown }>({ decisions: _, ...run }: T) => run;
          // accountRules: per lead, the draft's account match (confidence) and the duplicate rule's outcome.
          console.log(
            JSON.stringify(
              {
                ...report,
                draft: strip(report.draft),
                ...(report.production ? { production: strip(report.production) } : {}),
              },
              null,
              2,
            ),
          );
        } else {
          console.log(formatSimulationReport(report));
          if (report.accountRules.length > 0) console.log(formatAccountRules(report.accountRules));
        }
      },
    );

  withDb(territories.command('promote'))
    .description('publish the draft as a new immutable production version')
    .option('--note <text>', 'why, for the version list')
    .option('--by <name>', 'who is promoting, for the record')
    .option('--json', 'print the new version as JSON')
    .action(async (options: DbOptions & { note?: string; json?: boolean }) => {
      const version = await withStore(options, (store) =>
        promoteDraft(
          { store, ...modelDeps },
          {
            ...(options.by ? { promotedBy: options.by } : {}),
            ...(options.note ? { note: options.note } : {}),
          },
        ),
      );
      const { model: _model, ...summary } = version;
      if (options.json) console.log(JSON.stringify(summary, null, 2));
      else
        console.log(
          `promoted version ${version.version} (${version.territories} territories) to production; intake uses it within seconds` +
            (version.version > 1 ? `\nundo: territories rollback --to ${version.version - 1}` : ''),
        );
    });

  withDb(territories.command('rollback'))
    .description('point production at an earlier version')
    .requiredOption('--to <version>', 'version number')
    .option('--by <name>', 'who is rolling back, for the record')
    .option('--json', 'print the production pointer as JSON')
    .action(async (options: DbOptions & { to: string; json?: boolean }) => {
      const toVersion = parseRef(options.to);
      if (typeof toVersion !== 'number') throw new Error('--to needs a version number');
      const pointer = await withStore(options, (store) =>
        rollbackProduction({ store }, { toVersion, ...(options.by ? { by: options.by } : {}) }),
      );
      if (options.json) console.log(JSON.stringify(pointer, null, 2));
      else console.log(`production now at version ${pointer.version} (latest is ${pointer.latestVersion})`);
    });

  withDb(territories.command('versions'))
    .description('list production versions and the draft')
    .option('--json', 'print as JSON')
    .action(async (options: DbOptions & { json?: boolean }) => {
      const listing = await withStore(options, (store) => listTerritoryVersions({ store }));
      if (options.json) {
        console.log(JSON.stringify(listing, null, 2));
        return;
      }
      if (listing.versions.length === 0) console.log('no versions yet');
      for (const v of listing.versions) {
        const who = v.promotedBy ? ` by ${v.promotedBy}` : '';
        const note = v.note ? ` — ${v.note}` : '';
        console.log(
          `${v.production ? '*' : ' '} v${v.version}  ${v.promotedAt}${who}  ${v.territories} territories${note}`,
        );
      }
      if (listing.draft) {
        console.log(
          `  draft revision ${listing.draft.revision}  saved ${listing.draft.savedAt}${listing.draft.savedBy ? ` by ${listing.draft.savedBy}` : ''}`,
        );
      }
    });
}

/** The draft's account match and duplicate outcome per lead, for the leads that have either. */
function accountRulesOf(decisions: readonly Decision[], leads: readonly Lead[]): AccountRuleOutcome[] {
  return decisions.flatMap(
    (d, i) => accountRuleOutcome(leadLabel(leads[i] ?? {}, i), d.trace as AccountAwareTrace) ?? [],
  );
}
