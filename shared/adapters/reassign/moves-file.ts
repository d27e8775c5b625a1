import { parse } from 'csv-parse/sync';

export type MovesFileFormat = 'csv' | 'json';

/** Rows of a moves file before validation, with the file line of each (CSV) for error messages. */
export interface MovesFile {
  rows: unknown[];
  lineOf?: (index: number) => number;
  /** Request fields a JSON file may carry besides its moves. */
  fields: Record<string, unknown>;
}

export class MovesFileError extends Error {
  override name = 'MovesFileError';
}

const REQUIRED_COLUMNS = ['recordId', 'objectType', 'toOwnerId'] as const;

/**
 * A moves file: CSV with a header (`recordId,objectType,toOwnerId,reason,effectiveDate`, the
 * planner's `fromOwnerId` column allowed and ignored) or JSON (an array of moves, or an object
 * with `moves` and request fields such as `requestedBy` and `label`).
 */
export function parseMovesFile(text: string, format: MovesFileFormat): MovesFile {
  if (format === 'json') {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (error) {
      throw new MovesFileError(`not valid JSON: ${(error as Error).message}`);
    }
    if (Array.isArray(data)) return { rows: data, fields: {} };
    if (data && typeof data === 'object' && Array.isArray((data as { moves?: unknown }).moves)) {
      const { moves, ...fields } = data as { moves: unknown[] } & Record<string, unknown>;
      return { rows: moves, fields };
    }
    throw new MovesFileError('expected an array of moves or an object with a "moves" array');
  }
  let parsed: Array<{ record: Record<string, string>; info: { lines: number } }>;
  try {
    parsed = parse(text, { columns: true, info: true, bom: true, skip_empty_lines: true, trim: true });
  } catch (error) {
    throw new MovesFileError(`not valid CSV: ${(error as Error).message}`);
  }
  const header = parsed[0] ? Object.keys(parsed[0].record) : [];
  const missing = REQUIRED_COLUMNS.filter((c) => parsed.length > 0 && !header.includes(c));
  if (missing.length)
    throw new MovesFileError(`missing column${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}`);
  return {
    rows: parsed.map((p) => p.record),
    lineOf: (index) => parsed[index]?.info.lines ?? index + 2,
    fields: {},
  };
}

export function formatOf(fileName: string, contentType?: string): MovesFileFormat {
  if (contentType?.includes('json') || /\.json$/i.test(fileName)) return 'json';
  return 'csv';
}
