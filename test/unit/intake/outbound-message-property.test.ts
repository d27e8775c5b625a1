import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseOutboundMessage } from '../../../shared/adapters/salesforce/outbound-message.js';
import { expectedNotificationIds, outboundMessages } from '../../support/outbound-arbitraries.js';

describe('parseOutboundMessage on generated messages', () => {
  it('accounts for every notification: read, or set aside with a reason, never dropped', () => {
    fc.assert(
      fc.property(outboundMessages({ largeValues: false }), (message) => {
        const result = parseOutboundMessage(message.xml);
        expect(result.ok).toBe(true);
        if (!result.ok) return;
        const { notifications } = result.message;
        const { rejected } = result;
        expect(notifications.length + rejected.length).toBe(message.notifications.length);
        const seen = new Set([...notifications, ...rejected].map((n) => n.notificationId));
        for (const id of expectedNotificationIds(message)) expect(seen.has(id)).toBe(true);
        for (const r of rejected) expect(r.reason).not.toMatch(/object Object/);
        for (const n of notifications)
          for (const value of Object.values(n.fields)) expect(value ?? '').not.toContain('[object Object]');
      }),
      { numRuns: 200 },
    );
  });

  it('reads a generated field value back exactly as it was sent', () => {
    fc.assert(
      fc.property(outboundMessages({ largeValues: false, maxNotifications: 3 }), (message) => {
        const result = parseOutboundMessage(message.xml);
        if (!result.ok) return;
        for (const n of result.message.notifications) {
          const sentWithId = message.notifications.filter((g) => g.id?.trim() === n.notificationId);
          if (sentWithId.length !== 1) continue;
          const sent = sentWithId[0];
          for (const f of sent?.fields ?? []) {
            if (f.shape === 'text' || f.shape === 'attributes') {
              expect(n.fields[f.name]).toBe(f.value);
            }
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});
