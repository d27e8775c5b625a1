import { isSalesforceId, toId18 } from '../../domain/salesforce-id.js';
import type { FieldSpec, FieldValue } from './schema.js';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,3})?(Z|[+-]\d{2}:?\d{2})$/;

/** Salesforce's JSON form of a date-time: `2026-11-22T10:00:00.000+0000`, always UTC. */
export function toSalesforceDateTime(at: Date | number): string {
  return new Date(at).toISOString().replace('Z', '+0000');
}

export function isDateLiteral(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) return false;
  const parsed = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(text);
}

/** Epoch milliseconds of an ISO date-time with an explicit zone, or undefined. */
export function parseDateTime(text: string): number | undefined {
  const m = DATE_TIME.exec(text);
  if (!m || !isDateLiteral(m[1]!)) return undefined;
  const zone = m[6] === 'Z' ? 'Z' : `${m[6]!.slice(0, 3)}:${m[6]!.slice(-2)}`;
  const ms = Date.parse(`${m[1]}T${m[2]}:${m[3]}:${m[4]}${m[5] ?? ''}${zone}`);
  return Number.isNaN(ms) ? undefined : ms;
}

export type Normalized = { ok: true; value: FieldValue } | { ok: false; message: string };

/**
 * Check and convert one incoming value for a field. JSON bodies carry typed values; Bulk CSV
 * carries text, where `#N/A` means null (the caller skips empty cells: Bulk leaves those unchanged).
 */
export function normalizeFieldValue(field: FieldSpec, raw: unknown, source: 'json' | 'csv'): Normalized {
  if (raw === null || raw === undefined || (source === 'csv' && raw === '#N/A')) {
    return { ok: true, value: null };
  }
  const bad: Normalized = { ok: false, message: `${field.name}: value not of required type: ${String(raw)}` };
  switch (field.type) {
    case 'id':
    case 'reference': {
      if (typeof raw !== 'string' || !isSalesforceId(raw)) {
        return { ok: false, message: `${field.name}: id value of incorrect type: ${String(raw)}` };
      }
      return { ok: true, value: toId18(raw) };
    }
    case 'string':
      if (typeof raw === 'string') return { ok: true, value: raw };
      if (typeof raw === 'number' || typeof raw === 'boolean') return { ok: true, value: String(raw) };
      return bad;
    case 'boolean': {
      if (typeof raw === 'boolean') return { ok: true, value: raw };
      if (typeof raw === 'string') {
        const lower = raw.trim().toLowerCase();
        if (lower === 'true' || lower === '1') return { ok: true, value: true };
        if (lower === 'false' || lower === '0') return { ok: true, value: false };
      }
      return bad;
    }
    case 'number': {
      if (typeof raw === 'number' && Number.isFinite(raw)) return { ok: true, value: raw };
      if (typeof raw === 'string' && raw.trim() !== '' && Number.isFinite(Number(raw))) {
        return { ok: true, value: Number(raw) };
      }
      return bad;
    }
    case 'date': {
      if (typeof raw === 'string' && isDateLiteral(raw)) return { ok: true, value: raw };
      // Salesforce accepts a date-time for a date field and keeps the (UTC) day.
      const ms = typeof raw === 'string' ? parseDateTime(raw) : undefined;
      return ms === undefined ? bad : { ok: true, value: new Date(ms).toISOString().slice(0, 10) };
    }
    case 'datetime': {
      if (raw instanceof Date) return { ok: true, value: toSalesforceDateTime(raw) };
      if (typeof raw !== 'string') return bad;
      const ms = parseDateTime(raw) ?? (isDateLiteral(raw) ? Date.parse(`${raw}T00:00:00Z`) : undefined);
      return ms === undefined ? bad : { ok: true, value: toSalesforceDateTime(ms) };
    }
  }
}
