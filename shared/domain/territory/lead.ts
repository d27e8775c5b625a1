/**
 * A lead as routing sees it: Salesforce field names to values, with account fields under
 * `Account.` (e.g. `Account.Name`), product interest as `ProductInterest` / `ProductCategory`,
 * routing history under `History.`, and custom fields as they are (`Segment__c`).
 */
export type FieldValue = string | number | boolean | null | undefined;
export type Lead = Readonly<Record<string, FieldValue>>;

/** How a lead is named in reports without exposing personal data: its id, else its position. */
export function leadLabel(lead: Lead, index: number): string {
  const id = lead.Id;
  return id === undefined || id === null || id === '' ? `#${index + 1}` : String(id);
}
