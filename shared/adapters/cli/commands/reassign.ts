import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { parseMoveRows } from '../../../domain/reassign/moves.js';
import { count } from '../../../domain/words.js';
import { formatOf, MovesFileError, parseMovesFile } from '../../reassign/moves-file.js';
import { cliConfig, cliUser } from '../cli-config.js';
import { readInputFile } from '../input-file.js';
import { localStackTarget } from '../local-stack-target.js';

const EXIT_BAD_INPUT = 2;
const EXIT_REFUSED = 3;

interface ReassignCliOptions {
  requestedBy?: string;
  label?: string;
  overrideNamed?: string;
  url?: string;
  apiKey?: string;
  wait: boolean;
  json?: boolean;
}

interface Report {
  status: string;
  report?: {
    counts: { requested: number; allowed: number; blocked: number; noOps: number; invalid: number };
    applyOn: string | null;
    arrMoving: number;
    openDeals: { count: number; amount: number };
    violations: Array<{ rule: string; outcome: string; message: string; recordCount: number }>;
    problems?: Array<{
      row: number;
      objectType: string;
      name: string;
      to: string;
      outcome: string;
      why: string[];
    }>;
  };
  approvals?: Array<{ role: string; approvers: string[]; status: string }>;
}

/**
 * `territory-router reassign FILE`: submit a moves file (CSV or JSON, e.g. the planner's
 * moves.csv) to `POST /reassignments`. Rows are checked here first, every problem named by row
 * and line; then the request goes to the API (the local stack by default, with its API key) and
 * the command waits for the guardrail report.
 */
export function register(program: Command): void {
  program
    .command('reassign')
    .description('submit bulk owner changes (CSV or JSON moves file) for guardrails, approval and apply')
    .argument(
      '<file>',
      'moves file: recordId,objectType,toOwnerId,reason,effectiveDate (fromOwnerId ignored)',
    )
    .option('--requested-by <name>', 'who asks (audit); default $USER')
    .option('--label <label>', 'names the change in every reason, e.g. "FY2027 Territory Planning"')
    .option(
      '--override-named <ids>',
      'named accounts a manager agreed to move: comma-separated ids, or "all"',
    )
    .option(
      '--url <url>',
      'API base URL; default the running local stack (DATA_DIR/stack.json, else http://127.0.0.1:$PORT)',
    )
    .option(
      '--api-key <key>',
      'API key; default $REASSIGN_API_KEY or the local stack’s DATA_DIR/reassign-api-key',
    )
    .option('--no-wait', 'return after submitting instead of waiting for the guardrail report')
    .option('--json', 'print the answer (request id, status URL, guardrail report, approvals) as JSON')
    .action(async (file: string, options: ReassignCliOptions) => {
      const cfg = cliConfig();
      let text: string;
      try {
        text = readInputFile(file);
      } catch (error) {
        console.error((error as Error).message);
        process.exitCode = EXIT_BAD_INPUT;
        return;
      }
      let parsed: ReturnType<typeof parseMovesFile>;
      try {
        parsed = parseMovesFile(text, formatOf(file));
      } catch (error) {
        if (!(error instanceof MovesFileError)) throw error;
        console.error(`${file}: ${error.message}`);
        process.exitCode = EXIT_BAD_INPUT;
        return;
      }
      const rows = parseMoveRows(parsed.rows, parsed.lineOf);
      if (!rows.ok) {
        console.error(`${file}: ${rows.problems.length} problem${rows.problems.length === 1 ? '' : 's'}`);
        for (const p of rows.problems.slice(0, 200)) console.error(`  ${p}`);
        process.exitCode = EXIT_BAD_INPUT;
        return;
      }

      const base = (options.url ?? localStackTarget(cfg).gatewayUrl).replace(/\/+$/, '');
      const apiKey = options.apiKey ?? cfg.REASSIGN_API_KEY ?? localApiKey(cfg.DATA_DIR);
      const headers = { 'content-type': 'application/json', ...(apiKey ? { 'x-api-key': apiKey } : {}) };
      const override = options.overrideNamed?.trim();
      const body = {
        ...parsed.fields,
        moves: parsed.rows,
        requestedBy: options.requestedBy ?? parsed.fields.requestedBy ?? cliUser(),
        ...(options.label ? { label: options.label } : {}),
        ...(override
          ? { namedAccountOverride: override === 'all' ? 'all' : override.split(',').map((s) => s.trim()) }
          : {}),
      };
      const response = await fetch(`${base}/reassignments`, {
        method: 'POST',
        headers,
        body: JSON.stringify(body),
      });
      const answer = (await response.json().catch(() => ({}))) as {
        requestId?: string;
        statusUrl?: string;
        message?: string;
        problems?: string[];
      };
      if (!response.ok) {
        console.error(`${base}/reassignments answered ${response.status}: ${answer.message ?? ''}`);
        for (const p of answer.problems ?? []) console.error(`  ${p}`);
        process.exitCode = response.status === 400 ? EXIT_BAD_INPUT : EXIT_REFUSED;
        return;
      }
      const report =
        options.wait && answer.statusUrl ? await waitForReport(answer.statusUrl, headers) : undefined;
      if (options.json) {
        console.log(
          JSON.stringify(
            { requestId: answer.requestId, statusUrl: answer.statusUrl, ...(report ?? {}) },
            null,
            2,
          ),
        );
        return;
      }
      console.log(
        `submitted ${count(rows.moves.length, 'move')} as request ${answer.requestId}\n  status: ${answer.statusUrl}`,
      );
      if (!options.wait || !answer.statusUrl) return;
      if (report) printReport(report, answer.statusUrl);
      else console.log('  still validating; follow the status URL');
    });
}

/** Poll the request until the workflow's first step has stored the guardrail report (up to a minute). */
async function waitForReport(
  statusUrl: string,
  headers: Record<string, string>,
): Promise<Report | undefined> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const res = await fetch(statusUrl, { headers });
    if (res.ok) {
      const body = (await res.json()) as Report;
      if (body.status !== 'submitted') return body;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return undefined;
}

function printReport(request: Report, statusUrl: string): void {
  const r = request.report;
  console.log(`  status: ${request.status}`);
  if (!r) return;
  const c = r.counts;
  console.log(
    `  ${count(c.requested, 'move')}: ${c.allowed} allowed, ${c.blocked} blocked, ${c.noOps} already in place, ${c.invalid} invalid` +
      (r.applyOn ? `; applies on ${r.applyOn}` : ''),
  );
  console.log(
    `  ARR moving $${Math.round(r.arrMoving).toLocaleString('en-US')}; open deals on moving accounts: ${r.openDeals.count} (they stay with their owners)`,
  );
  for (const v of r.violations.slice(0, 20))
    console.log(`  ${v.outcome === 'blocked' ? '✗' : '!'} ${v.rule}: ${v.message}`);
  if (r.violations.length > 20) console.log(`  … and ${r.violations.length - 20} more (see the status URL)`);
  const problems = r.problems ?? [];
  if (problems.length) console.log('  not moving:');
  for (const p of problems.slice(0, 20))
    console.log(`    row ${p.row} ${p.objectType} ${p.name} → ${p.to}: ${p.outcome} — ${p.why.join(' ')}`);
  const unlisted = c.blocked + c.invalid - Math.min(problems.length, 20);
  if (unlisted > 0) console.log(`    … and ${unlisted} more: ${statusUrl}?problems=all`);
  for (const a of request.approvals ?? [])
    console.log(`  approval: ${a.role} by ${a.approvers.join(' or ')} — ${a.status}`);
  for (const step of nextSteps(request)) console.log(`  next: ${step}`);
}

/** What the person who submitted should do now, from the request's state. */
function nextSteps(request: Report): string[] {
  const r = request.report;
  const steps: string[] = [];
  const pending = (request.approvals ?? []).filter((a) => a.status === 'pending');
  if (pending.length)
    steps.push(
      `wait for ${count(pending.length, 'approval')} (${pending.map((a) => a.approvers.join(' or ')).join('; ')}): each approver got a link in Slack`,
    );
  if (r && r.counts.blocked + r.counts.invalid > 0)
    steps.push(
      'the moves not moving are not retried: fix those rows (or pass --override-named for named accounts) and submit them as a new file',
    );
  if (request.status === 'scheduled' && r?.applyOn)
    steps.push(`nothing to do: the moves apply on ${r.applyOn}`);
  if (request.status === 'nothing-to-apply')
    steps.push('nothing will be applied: no move passed the guardrails');
  if (steps.length) steps.push('follow the status URL for the summary once it applies');
  return steps;
}

function localApiKey(dataDir: string): string | undefined {
  const path = join(resolve(dataDir), 'reassign-api-key');
  return existsSync(path) ? readFileSync(path, 'utf8').trim() : undefined;
}
