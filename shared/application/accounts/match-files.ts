import { parse as parseCsv } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import * as z from 'zod';
import { InMemoryAccountIndex } from '../../domain/accounts/account-index.js';
import type { Account, MatchOptions } from '../../domain/accounts/model.js';
import { DEFAULT_MATCH_OPTIONS, MATCHED_ACCOUNT_FIELDS } from '../../domain/accounts/model.js';

/**
 * `accounts match` for evaluation: accounts and leads exported from Salesforce as CSV (API field
 * names as headers, extra columns ignored) in, one row per lead out.
 */

export class AccountFileError extends Error {
  override name = 'AccountFileError';
}

export interface LeadMatchRow {
  LeadId: string;
  AccountId: string;
  Confidence: number;
  Reason: string;
}

const text = z
  .string()
  .trim()
  .max(1000, 'is longer than 1000 characters')
  .transform((v) => (v === '' ? undefined : v))
  .optional();
const id = z.string().trim().min(1, 'is empty').max(18, 'is longer than 18 characters');

const accountRow = z.object({
  Id: id,
  Name: z.string().trim().min(1, 'is empty').max(255, 'is longer than 255 characters'),
  Website: text,
  BillingCountry: text,
  BillingPostalCode: text,
  OwnerId: text,
  Type: text,
  Industry: text,
  ParentId: text,
});

const leadRow = z.object({
  Id: id,
  Company: text,
  Email: text,
  Website: text,
  Country: text,
  PostalCode: text,
});

export const ACCOUNT_COLUMNS = MATCHED_ACCOUNT_FIELDS;
export const LEAD_COLUMNS = ['Id', 'Company', 'Email', 'Website', 'Country', 'PostalCode'] as const;

export function parseAccountsCsv(csv: string, fileName: string): Account[] {
  const rows = readRows(csv, fileName, ACCOUNT_COLUMNS, accountRow);
  const seen = new Map<string, number>();
  return rows.map(({ line, row }) => {
    const first = seen.get(row.Id);
    if (first !== undefined)
      throw new AccountFileError(`${fileName} line ${line}: account ${row.Id} repeats line ${first}`);
    seen.set(row.Id, line);
    return {
      id: row.Id,
      name: row.Name,
      website: row.Website,
      country: row.BillingCountry,
      postalCode: row.BillingPostalCode,
      ownerId: row.OwnerId,
      type: row.Type,
      industry: row.Industry,
      parentId: row.ParentId,
    };
  });
}

export interface LeadToMatch {
  id: string;
  company?: string;
  email?: string;
  website?: string;
  country?: string;
  postalCode?: string;
}

export function parseLeadsCsv(csv: string, fileName: string): LeadToMatch[] {
  return readRows(csv, fileName, LEAD_COLUMNS, leadRow).map(({ row }) => ({
    id: row.Id,
    company: row.Company,
    email: row.Email,
    website: row.Website,
    country: row.Country,
    postalCode: row.PostalCode,
  }));
}

export function matchLeads(
  accounts: Account[],
  leads: LeadToMatch[],
  options: MatchOptions = DEFAULT_MATCH_OPTIONS,
): LeadMatchRow[] {
  const index = new InMemoryAccountIndex(accounts);
  return leads.map((lead) => {
    const result = index.match(lead, options);
    return {
      LeadId: lead.id,
      AccountId: result.match?.account.id ?? '',
      Confidence: result.match?.confidence ?? 0,
      Reason: result.reason,
    };
  });
}

export function renderMatchesCsv(rows: LeadMatchRow[]): string {
  return stringify(rows, { header: true, columns: ['LeadId', 'AccountId', 'Confidence', 'Reason'] });
}

function readRows<S extends z.ZodType>(
  csv: string,
  fileName: string,
  required: readonly string[],
  schema: S,
): { line: number; row: z.infer<S> }[] {
  let records: string[][];
  try {
    records = parseCsv(csv, { bom: true, skip_empty_lines: true, relax_column_count: false }) as string[][];
  } catch (error) {
    throw new AccountFileError(`${fileName}: not valid CSV (${(error as Error).message})`, { cause: error });
  }
  const [header, ...body] = records;
  if (!header)
    throw new AccountFileError(`${fileName}: empty file (expected a header row: ${required.join(', ')})`);
  const columns = header.map((h) => h.trim());
  const missing = required.filter((c) => !columns.includes(c));
  if (missing.length > 0) {
    throw new AccountFileError(
      `${fileName}: missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (found: ${columns.join(', ')})`,
    );
  }
  return body.map((cells, i) => {
    // Line numbers count the header as line 1; quoted multi-line cells are rare in these exports.
    const line = i + 2;
    const record = Object.fromEntries(columns.map((c, k) => [c, cells[k] ?? '']));
    const parsed = schema.safeParse(record);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new AccountFileError(`${fileName} line ${line}: ${issue.path.join('.')} ${issue.message}`);
    }
    return { line, row: parsed.data };
  });
}
