/**
 * Salesforce record ids come in a case-sensitive 15-character form and a case-insensitive
 * 18-character form (15 + a 3-character checksum of the capitalisation). Both name the same record.
 */
const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const ID_PATTERN = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-5]{3})?$/;

export function isSalesforceId(value: string): boolean {
  return ID_PATTERN.test(value);
}

/** The 18-character form of a 15- or 18-character id; throws on anything else. */
export function toId18(id: string): string {
  if (!isSalesforceId(id)) throw new Error(`Not a Salesforce id: ${JSON.stringify(id)}`);
  const id15 = id.slice(0, 15);
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const ch = id15.charAt(chunk * 5 + i);
      if (ch >= 'A' && ch <= 'Z') bits |= 1 << i;
    }
    suffix += SUFFIX_ALPHABET.charAt(bits);
  }
  return id15 + suffix;
}

/** True when both are the same record, whichever form each is in. */
export function sameSalesforceId(a: string, b: string): boolean {
  if (!isSalesforceId(a) || !isSalesforceId(b)) return false;
  return toId18(a) === toId18(b);
}
