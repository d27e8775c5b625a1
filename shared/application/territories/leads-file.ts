import { parse as parseCsv } from 'csv-parse/sync';
import type { FieldValue, Lead } from '../../domain/territory/lead.js';

export class LeadsFileError extends Error {
  override name = 'LeadsFileError';
}

/**
 * Leads for a simulation: a CSV with a header row of Salesforce field names (`Account.Name` for
 * account fields), or JSON — an array of lead objects, or `{ "leads": [...] }`. Nested `Account`
 * objects are flattened to `Account.Field`.
 */
export function parseLeadsFile(text: string, fileName: string): Lead[] {
  if (/\.json$/i.test(fileName) || /^\s*[[{]/.test(text)) {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (error) {
      throw new LeadsFileError(`${fileName}: not valid JSON (${(error as Error).message})`, { cause: error });
    }
    const list = Array.isArray(data) ? data : (data as { leads?: unknown }).leads;
    if (!Array.isArray(list))
      throw new LeadsFileError(`${fileName}: expected an array of leads or { "leads": [...] }`);
    return list.map((item, i) => {
      if (typeof item !== 'object' || item === null)
        throw new LeadsFileError(`${fileName}: lead ${i + 1} is not an object`);
      return flatten(item as Record<string, unknown>);
    });
  }
  try {
    const rows = parseCsv(text, { columns: true, skip_empty_lines: true, trim: true, bom: true }) as Record<
      string,
      string
    >[];
    return rows.map((row) => Object.fromEntries(Object.entries(row).filter(([, v]) => v !== '')));
  } catch (error) {
    throw new LeadsFileError(`${fileName}: not valid CSV (${(error as Error).message})`, { cause: error });
  }
}

function flatten(record: Record<string, unknown>, prefix = ''): Record<string, FieldValue> {
  const out: Record<string, FieldValue> = {};
  for (const [key, value] of Object.entries(record)) {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      Object.assign(out, flatten(value as Record<string, unknown>, `${prefix}${key}.`));
    } else if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) {
      out[`${prefix}${key}`] = value as FieldValue;
    }
  }
  return out;
}
