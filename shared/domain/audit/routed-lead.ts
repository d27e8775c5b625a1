/**
 * What the audit record keeps of the lead it routed: the attributes rules can use, so the
 * intake history can be replayed against a draft model, minus what identifies a person.
 * The e-mail address keeps only its domain (named accounts match on it).
 */
const PERSONAL_FIELDS = new Set([
  'FirstName',
  'LastName',
  'Name',
  'MiddleName',
  'Suffix',
  'Salutation',
  'Phone',
  'MobilePhone',
  'Fax',
  'Street',
  'Description',
]);

export function routedLeadFields(
  fields: Readonly<Record<string, string | null>>,
): Record<string, string | null> {
  const kept: Record<string, string | null> = {};
  for (const [name, value] of Object.entries(fields)) {
    if (PERSONAL_FIELDS.has(name)) continue;
    if (name === 'Email') {
      const at = value?.lastIndexOf('@') ?? -1;
      kept.Email = value && at >= 0 ? value.slice(at) : null;
      continue;
    }
    kept[name] = value;
  }
  return kept;
}
