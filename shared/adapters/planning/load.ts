import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { parse } from 'csv-parse/sync';
import * as z from 'zod';
import type { Account, GeoPoint, PlanningInput, Rep } from '../../domain/planning/model.js';
import { locatePostalCode } from './postal.js';

const MAX_REPORTED = 25;

export const ACCOUNT_COLUMNS = [
  'id',
  'name',
  'revenuePotential',
  'workload',
  'growthPotential',
  'industry',
  'postalCode',
  'latitude',
  'longitude',
  'currentOwnerId',
  'named',
  'openDealAmount',
  'arr',
] as const;

export const REP_COLUMNS = [
  'id',
  'name',
  'postalCode',
  'latitude',
  'longitude',
  'specializations',
  'minAccounts',
  'maxAccounts',
  'active',
] as const;

/** Rows a file could not be read from, each named by file and row. */
export class PlanningInputFileError extends Error {
  override readonly name = 'PlanningInputFileError';

  constructor(
    readonly problems: readonly string[],
    options?: { cause?: unknown },
  ) {
    const shown = problems.slice(0, MAX_REPORTED);
    const more = problems.length > shown.length ? `\n  … and ${problems.length - shown.length} more` : '';
    super(`Invalid planning input:\n${shown.map((p) => `  - ${p}`).join('\n')}${more}`, options);
  }
}

// Spreadsheet exports put "$1,200" and " 3 " in cells; JSON has real numbers and booleans.
const blankToUndefined = (value: unknown) => {
  if (value === null || value === undefined) return undefined;
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
};
const numeric = (value: unknown) => {
  const v = blankToUndefined(value);
  return typeof v === 'string' ? Number(v.replace(/[$,\s]/g, '')) : v;
};
const amount = z.preprocess(numeric, z.number({ error: 'must be a number' }).finite().min(0, 'must be ≥ 0'));
const optionalAmount = z.preprocess(
  numeric,
  z.number({ error: 'must be a number' }).finite().min(0, 'must be ≥ 0').default(0),
);
const coordinate = (limit: number) =>
  z.preprocess(numeric, z.number({ error: 'must be a number' }).min(-limit).max(limit).optional());
const count = z.preprocess(numeric, z.number({ error: 'must be a whole number' }).int().min(0).optional());
const text = z.preprocess(
  (v) => (typeof v === 'number' ? String(v) : (blankToUndefined(v) ?? '')),
  z.string(),
);
const requiredText = z.preprocess(
  (v) => (typeof v === 'number' ? String(v) : blankToUndefined(v)),
  z.string({ error: 'is required' }),
);
const flag = (fallback: boolean) =>
  z.preprocess(
    (v) => {
      const raw = blankToUndefined(v);
      if (raw === undefined) return fallback;
      if (typeof raw !== 'string') return raw;
      const lower = raw.toLowerCase();
      if (['true', 'yes', 'y', '1'].includes(lower)) return true;
      if (['false', 'no', 'n', '0'].includes(lower)) return false;
      return raw;
    },
    z.boolean({ error: 'must be true or false' }),
  );

const accountRow = z.object({
  id: requiredText,
  name: text,
  revenuePotential: amount,
  workload: amount,
  growthPotential: amount,
  industry: text,
  postalCode: text,
  latitude: coordinate(90),
  longitude: coordinate(180),
  currentOwnerId: text,
  named: flag(false),
  openDealAmount: optionalAmount,
  arr: optionalAmount,
});

const repRow = z.object({
  id: requiredText,
  name: text,
  postalCode: text,
  latitude: coordinate(90),
  longitude: coordinate(180),
  specializations: z.preprocess(
    (v) =>
      Array.isArray(v)
        ? v
        : String(v ?? '')
            .split(';')
            .map((s) => s.trim())
            .filter(Boolean),
    z.array(z.string()),
  ),
  minAccounts: count,
  maxAccounts: count,
  active: flag(true),
});

type Located<T> = T & { latitude?: number; longitude?: number; postalCode: string };

/** Reads accounts and reps from CSV or JSON files (by extension); every bad row is reported. */
export async function loadPlanningInput(accountsFile: string, repsFile: string): Promise<PlanningInput> {
  const [accountsText, repsText] = await Promise.all([
    readFile(accountsFile, 'utf8'),
    readFile(repsFile, 'utf8'),
  ]);
  const problems: string[] = [];
  const accounts = parseAccounts(accountsText, formatOf(accountsFile), basename(accountsFile), problems);
  const reps = parseReps(repsText, formatOf(repsFile), basename(repsFile), problems);
  if (problems.length > 0) throw new PlanningInputFileError(problems);
  return { accounts, reps };
}

export type InputFormat = 'csv' | 'json';

export function formatOf(file: string): InputFormat {
  return extname(file).toLowerCase() === '.json' ? 'json' : 'csv';
}

export function parseAccounts(
  text: string,
  format: InputFormat,
  source: string,
  problems: string[],
): Account[] {
  return parseRows(text, format, source, 'accounts', ACCOUNT_COLUMNS, accountRow, problems, (row, where) => {
    const location = locate(row, where, problems);
    if (!location) return undefined;
    return {
      id: row.id,
      name: row.name,
      revenuePotential: row.revenuePotential,
      workload: row.workload,
      growthPotential: row.growthPotential,
      industry: row.industry,
      postalCode: row.postalCode,
      location,
      currentOwnerId: row.currentOwnerId === '' ? null : row.currentOwnerId,
      named: row.named,
      openDealAmount: row.openDealAmount,
      arr: row.arr,
    };
  });
}

export function parseReps(text: string, format: InputFormat, source: string, problems: string[]): Rep[] {
  return parseRows(text, format, source, 'reps', REP_COLUMNS, repRow, problems, (row, where) => {
    const location = locate(row, where, problems);
    if (!location) return undefined;
    if (row.minAccounts !== undefined && row.maxAccounts !== undefined && row.minAccounts > row.maxAccounts) {
      problems.push(`${where}: minAccounts ${row.minAccounts} is above maxAccounts ${row.maxAccounts}`);
      return undefined;
    }
    return {
      id: row.id,
      name: row.name,
      postalCode: row.postalCode,
      location,
      specializations: row.specializations,
      ...(row.minAccounts !== undefined ? { minAccounts: row.minAccounts } : {}),
      ...(row.maxAccounts !== undefined ? { maxAccounts: row.maxAccounts } : {}),
      active: row.active,
    };
  });
}

function parseRows<S extends z.ZodType, T>(
  text: string,
  format: InputFormat,
  source: string,
  key: string,
  columns: readonly string[],
  schema: S,
  problems: string[],
  build: (row: z.output<S>, where: string) => T | undefined,
): T[] {
  const { records, lines } = readRecords(text, format, source, key, columns, problems);
  const out: T[] = [];
  records.forEach((record, index) => {
    // Data rows count from 1 after the header, as `reassign` and moves.csv count; the file line follows.
    const where =
      format === 'csv'
        ? `${source} row ${index + 1} (line ${lines[index] ?? index + 2})`
        : `${source} item ${index + 1}`;
    const parsed = schema.safeParse(record);
    if (!parsed.success) {
      for (const issue of parsed.error.issues)
        problems.push(`${where}: ${issue.path.join('.')}: ${issue.message}`);
      return;
    }
    const built = build(parsed.data, where);
    if (built !== undefined) out.push(built);
  });
  return out;
}

function readRecords(
  text: string,
  format: InputFormat,
  source: string,
  key: string,
  columns: readonly string[],
  problems: string[],
): { records: Record<string, unknown>[]; lines: number[] } {
  const none = { records: [], lines: [] };
  if (format === 'json') {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (error) {
      problems.push(`${source}: not valid JSON (${(error as Error).message})`);
      return none;
    }
    const list = Array.isArray(data) ? data : (data as Record<string, unknown> | null)?.[key];
    if (!Array.isArray(list)) {
      problems.push(`${source}: expected an array of ${key} or an object with a "${key}" array`);
      return none;
    }
    return { records: list as Record<string, unknown>[], lines: [] };
  }
  let parsed: Array<{ record: Record<string, string>; info: { lines: number } }>;
  try {
    parsed = parse(text, { columns: true, skip_empty_lines: true, trim: true, bom: true, info: true });
  } catch (error) {
    problems.push(`${source}: not valid CSV (${(error as Error).message})`);
    return none;
  }
  const records = parsed.map((p) => p.record);
  const header = Object.keys(records[0] ?? {});
  const missing =
    records.length === 0 ? [] : columns.filter((c) => !header.includes(c) && !optionalColumn(c));
  if (missing.length > 0) {
    problems.push(`${source}: missing columns ${missing.join(', ')} (expected ${columns.join(',')})`);
    return none;
  }
  return { records, lines: parsed.map((p) => p.info.lines) };
}

/** Columns a file may leave out entirely. */
function optionalColumn(column: string): boolean {
  return [
    'latitude',
    'longitude',
    'minAccounts',
    'maxAccounts',
    'openDealAmount',
    'arr',
    'named',
    'active',
  ].includes(column);
}

/** The row's own coordinates win; otherwise its postal code's centroid. */
function locate<T>(row: Located<T>, where: string, problems: string[]): GeoPoint | undefined {
  const hasLatitude = row.latitude !== undefined;
  const hasLongitude = row.longitude !== undefined;
  if (hasLatitude && hasLongitude)
    return { latitude: row.latitude as number, longitude: row.longitude as number };
  if (hasLatitude !== hasLongitude) {
    problems.push(`${where}: latitude and longitude must be given together`);
    return undefined;
  }
  const located = row.postalCode ? locatePostalCode(row.postalCode) : undefined;
  if (!located) {
    problems.push(
      row.postalCode
        ? `${where}: postal code ${JSON.stringify(row.postalCode)} is not in the postal data and no latitude/longitude is given`
        : `${where}: needs latitude/longitude or a postal code`,
    );
  }
  return located;
}
