import type { Command } from 'commander';
import * as z from 'zod';
import { compileProductionModel } from '../../../application/availability/rep-availability.js';
import { type SpeedGroup, speedToLeadReport } from '../../../domain/sla/index.js';
import { DynamoSlaClocks } from '../../dynamodb/sla-clocks.js';
import { DynamoTerritoryStore } from '../../dynamodb/territory-store.js';
import { publicHolidays } from '../../holidays/public-holidays.js';
import { postalCentroid } from '../../postal/centroids.js';
import { type DynamoTargetOptions, openDynamoTarget, withDynamoTarget } from '../dynamodb-target.js';
import { table } from '../table.js';

/**
 * `territory-router report speed-to-lead`: time from assignment to first touch in the owner's
 * working minutes, p50/p90 per rep and per territory, and the SLA breach rate — for RevOps
 * operators (reps never see each other's numbers). Reads the closed SLA clocks.
 */
const optionsSchema = z.object({
  since: z.iso
    .datetime({
      offset: true,
      message: 'is not an ISO 8601 instant with Z or an offset (2026-12-01T00:00:00Z)',
    })
    .optional(),
  modelId: z.string().min(1),
  json: z.boolean().optional(),
});

type ReportOptions = DynamoTargetOptions & { since?: string; modelId: string; json?: boolean };

const DAY = 86_400_000;

function rows(groups: readonly SpeedGroup[]): string[][] {
  const minutes = (m: number | undefined) => (m === undefined ? '—' : `${m}`);
  return groups.map((g) => [
    g.name,
    String(g.assignments),
    String(g.touched),
    minutes(g.p50),
    minutes(g.p90),
    `${Math.round(g.breachRate * 1000) / 10}%`,
  ]);
}

const HEADER = ['', 'assignments', 'touched', 'p50 min', 'p90 min', 'SLA breached'];

export function register(program: Command): void {
  const report = program.command('report').description('reports for RevOps operators');
  withDynamoTarget(report.command('speed-to-lead'))
    .description(
      'time from assignment to first touch (working minutes of the owner): p50/p90 per rep and territory, SLA breach rate',
    )
    .option('--since <iso>', 'clocks closed at or after this instant (default: 30 days ago)')
    .option('--model-id <id>', 'territory model id in DynamoDB (for rep and territory names)', 'default')
    .option('--json', 'print the report as JSON')
    .action(async (raw: ReportOptions) => {
      const parsed = optionsSchema.safeParse({ since: raw.since, modelId: raw.modelId, json: raw.json });
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw new Error(`--${String(issue.path[0])} "${String(raw.since)}" ${issue.message}`);
      }
      const options = parsed.data;
      const since = options.since ? new Date(options.since) : new Date(Date.now() - 30 * DAY);
      const target = openDynamoTarget(raw);
      try {
        const closed = await new DynamoSlaClocks(target.doc, raw.table).closedSince(since.toISOString());
        const store = new DynamoTerritoryStore({
          doc: target.doc,
          tableName: raw.table,
          modelId: options.modelId,
        });
        const compiled = await compileProductionModel({ store, postalCentroid, holidays: publicHolidays })
          .then((m) => m.compiled)
          .catch(() => undefined);
        const result = speedToLeadReport(
          closed
            .filter((c) => c.status !== 'released')
            .map((c) => ({
              ownerId: c.ownerId,
              territoryId: c.territoryId,
              breached: c.breached,
              ...(c.speedMinutes === undefined ? {} : { speedMinutes: c.speedMinutes }),
            })),
          {
            rep: (id) => compiled?.reps.get(id)?.name ?? id,
            territory: (id) => compiled?.territory(id)?.name ?? id,
          },
        );
        if (options.json) {
          console.log(JSON.stringify({ since: since.toISOString(), ...result }, null, 2));
          return;
        }
        const o = result.overall;
        console.log(
          `Speed-to-lead since ${since.toISOString()}: ${o.assignments} assignments, ${o.touched} touched, ` +
            `p50 ${o.p50 ?? '—'} / p90 ${o.p90 ?? '—'} working minutes, SLA breached ${Math.round(o.breachRate * 1000) / 10}%\n`,
        );
        console.log(table(['rep', ...HEADER.slice(1)], rows(result.reps)));
        console.log('');
        console.log(table(['territory', ...HEADER.slice(1)], rows(result.territories)));
      } finally {
        target.close();
      }
    });
}
