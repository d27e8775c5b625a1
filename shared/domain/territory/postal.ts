/**
 * Postal codes compare without case, spaces or hyphens (`m5v 3l9` = `M5V3L9`). A Canadian code's
 * first three characters are its forward sortation area (FSA), the unit the centroid data knows.
 */
const CANADIAN = /^[A-Z]\d[A-Z]/;
const US_ZIP = /^\d{5}/;

export function normalisePostalCode(raw: unknown): string | undefined {
  if (raw === null || raw === undefined) return undefined;
  const code = String(raw)
    .toUpperCase()
    .replace(/[\s-]+/g, '');
  return code === '' ? undefined : code;
}

/** `M5V` for a Canadian code, undefined for anything else. */
export function forwardSortationArea(raw: unknown): string | undefined {
  const code = normalisePostalCode(raw);
  return code && CANADIAN.test(code) ? code.slice(0, 3) : undefined;
}

/** The key a centroid table knows a code by: the FSA in Canada, the 5-digit ZIP in the US. */
export function centroidKey(raw: unknown): string | undefined {
  const code = normalisePostalCode(raw);
  if (!code) return undefined;
  if (CANADIAN.test(code)) return code.slice(0, 3);
  if (US_ZIP.test(code)) return code.slice(0, 5);
  return code;
}
