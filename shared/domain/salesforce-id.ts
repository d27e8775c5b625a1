/**
 * Salesforce record ids come in a case-sensitive 15-character form and a case-insensitive
 * 18-character form (15 + a 3-character checksum of the capitalisation). Both name the same record.
 */
const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const ID_PATTERN = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-5]{3})?$/;

/** A 15-character id, or an 18-character one whose suffix matches its first 15 (any case, as Salesforce reads it). */
export function isSalesforceId(value: string): boolean {
  if (!ID_PATTERN.test(value)) return false;
  return value.length === 15 || value.slice(15).toUpperCase() === checksum(value.slice(0, 15));
}

/** The 18-character form of a 15- or 18-character id; throws on anything else, a wrong checksum included. */
export function toId18(id: string): string {
  if (!ID_PATTERN.test(id)) throw new Error(`Not a Salesforce id: ${JSON.stringify(id)}`);
  const id15 = id.slice(0, 15);
  const suffix = checksum(id15);
  if (id.length === 18 && id.slice(15).toUpperCase() !== suffix) {
    throw new Error(`Not a Salesforce id: ${JSON.stringify(id)} (its last 3 characters should be ${suffix})`);
  }
  return id15 + suffix;
}

/** True when both are the same record, whichever form each is in. */
export function sameSalesforceId(a: string, b: string): boolean {
  if (!isSalesforceId(a) || !isSalesforceId(b)) return false;
  return toId18(a) === toId18(b);
}

/** One character per 5 characters of the 15: a bit for each upper-case letter, read as an index. */
function checksum(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const ch = id15.charAt(chunk * 5 + i);
      if (ch >= 'A' && ch <= 'Z') bits |= 1 << i;
    }
    suffix += SUFFIX_ALPHABET.charAt(bits);
  }
  return suffix;
}
