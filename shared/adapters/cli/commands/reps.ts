import type { Command } from 'commander';
import * as z from 'zod';
import {
  compileModelFile,
  compileProductionModel,
  type RepAvailability,
  repAvailability,
} from '../../../application/availability/rep-availability.js';
import { DynamoTerritoryStore } from '../../dynamodb/territory-store.js';
import { publicHolidays } from '../../holidays/public-holidays.js';
import { postalCentroid } from '../../postal/centroids.js';
import { type DynamoTargetOptions, openDynamoTarget, withDynamoTarget } from '../dynamodb-target.js';
import { readInputFile } from '../input-file.js';
import { table } from '../table.js';

/**
 * `territory-router reps availability`: who can take a lead at a moment and, when not, why —
 * working hours, public holidays, days off, out of office. Reads a config file, or production.
 */
const optionsSchema = z.object({
  model: z.string().min(1).optional(),
  modelId: z.string().min(1),
  at: z.iso
    .datetime({
      offset: true,
      message: 'is not an ISO 8601 instant with Z or an offset (2026-12-25T15:00:00Z)',
    })
    .optional(),
  json: z.boolean().optional(),
});

type AvailabilityOptions = DynamoTargetOptions & z.input<typeof optionsSchema>;

function parseOptions(raw: AvailabilityOptions): z.output<typeof optionsSchema> {
  const parsed = optionsSchema.safeParse({
    model: raw.model,
    modelId: raw.modelId,
    at: raw.at,
    json: raw.json,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`--${String(issue.path[0])} "${String(raw[issue.path[0] as 'at'])}" ${issue.message}`);
  }
  return parsed.data;
}

const deps = { postalCentroid, holidays: publicHolidays };

async function load(options: AvailabilityOptions, file: string | undefined, modelId: string) {
  if (file !== undefined) {
    return { source: file, compiled: compileModelFile(deps, readInputFile(file)) };
  }
  const target = openDynamoTarget(options);
  try {
    const store = new DynamoTerritoryStore({ doc: target.doc, tableName: options.table, modelId });
    const { version, compiled } = await compileProductionModel({ store, ...deps });
    return { source: `production model v${version}`, compiled };
  } finally {
    target.close();
  }
}

function format(rows: readonly RepAvailability[]): string {
  return table(
    ['id', 'name', 'available', 'reason'],
    rows.map((r) => [r.id, r.name, r.available ? 'yes' : 'no', r.reason]),
  );
}

export function register(program: Command): void {
  const reps = program.command('reps').description('the reps of the territory model');
  withDynamoTarget(reps.command('availability'))
    .description(
      'per rep: available now (or --at), and the reason — working hours, holidays, days off, out of office',
    )
    .option(
      '--model <file>',
      'a territory config file (YAML or JSON); default: the production model in DynamoDB',
    )
    .option('--model-id <id>', 'territory model id in DynamoDB', 'default')
    .option('--at <iso>', 'the moment, an ISO 8601 instant (default: now)')
    .option('--json', 'print a JSON array of { id, name, available, reason }')
    .action(async (raw: AvailabilityOptions) => {
      const options = parseOptions(raw);
      const at = options.at === undefined ? new Date() : new Date(options.at);
      const { source, compiled } = await load(raw, options.model, options.modelId);
      const rows = repAvailability(compiled, at);
      if (options.json) {
        console.log(JSON.stringify(rows, null, 2));
        return;
      }
      const available = rows.filter((r) => r.available).length;
      console.log(`${source} at ${at.toISOString()}: ${available} of ${rows.length} reps available\n`);
      console.log(format(rows));
    });
}
