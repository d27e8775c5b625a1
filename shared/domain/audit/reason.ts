/** Where an owner change came from; part of every audit record and outbox item. */
export type ChangeSource = 'intake' | 'top-up' | 'reassign';

/**
 * Salesforce text fields have a length limit; the reason is cut at a word boundary with an
 * ellipsis so what is kept still reads as a sentence.
 */
export function truncateReason(reason: string, maxLength: number): string {
  if (reason.length <= maxLength) return reason;
  if (maxLength <= 1) return reason.slice(0, maxLength);
  const cut = reason.slice(0, maxLength - 1);
  const space = cut.lastIndexOf(' ');
  return `${space > maxLength * 0.6 ? cut.slice(0, space) : cut}…`;
}
