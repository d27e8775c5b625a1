import { publicHolidays } from '../../shared/adapters/holidays/public-holidays.js';
import { salesforceConnection } from '../../shared/adapters/salesforce/connection.js';
import { SalesforceLeadTouches } from '../../shared/adapters/salesforce/lead-touches.js';
import { toId18 } from '../../shared/domain/salesforce-id.js';
import { decideClock, type LeadObservation, type SlaClock } from '../../shared/domain/sla/index.js';
import { compileModel } from '../../shared/domain/territory/compile-model.js';
import { validateTerritoryConfig } from '../../shared/domain/territory/validate.js';
import {
  emulatorConnectionOptions,
  type SalesforceEmulator,
  startSalesforceEmulator,
} from '../../shared/local-stack/salesforce-emulator/index.js';
import { bench, timeMs } from './harness.js';

const DUE = 10_000;
const PENDING = 100_000;
const REPS = 50;
const repId = (n: number) => toId18(`005SL${String(n).padStart(10, '0')}`);
const NOW = Date.parse('2026-11-24T15:00:00Z');

/** 10,000 due leads in the emulator, a tenth with a Task and a tenth with an Event logged. */
async function emulatorWithDueLeads(): Promise<{ sf: SalesforceEmulator; leads: string[] }> {
  const sf = await startSalesforceEmulator();
  sf.store.insert(
    'User',
    Array.from({ length: REPS }, (_, i) => ({ Id: repId(i), Name: `Rep ${i}`, IsActive: true })),
  );
  const leads = sf.store.insert(
    'Lead',
    Array.from({ length: DUE }, (_, i) => ({
      LastName: `L${i}`,
      Company: `C${i}`,
      OwnerId: repId(i % REPS),
      Status: i % 7 === 0 ? 'Working - Contacted' : 'Open - Not Contacted',
    })),
  );
  sf.store.insert(
    'Task',
    leads.filter((_, i) => i % 10 === 0).map((WhoId) => ({ WhoId, Subject: 'Call' })),
  );
  sf.store.insert(
    'Event',
    leads.filter((_, i) => i % 10 === 5).map((WhoId) => ({ WhoId, Subject: 'Meeting' })),
  );
  return { sf, leads };
}

/** 100,000 pending clocks over 50 reps on an Ontario office calendar, with what Salesforce shows of each. */
function pendingClocks() {
  const result = validateTerritoryConfig({
    name: 'Bench',
    timeZone: 'America/Toronto',
    defaultOwner: repId(0),
    calendars: [
      {
        id: 'office',
        timeZone: 'America/Toronto',
        workingHours: { 'mon-fri': '09:00-17:00' },
        holidays: ['CA-ON'],
      },
    ],
    defaultCalendar: 'office',
    reps: Array.from({ length: REPS }, (_, i) => ({ id: repId(i), name: `Rep ${i}` })),
    territories: [],
  });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  const model = compileModel(result.model, { holidays: publicHolidays });
  const clocks: SlaClock[] = [];
  const observed = new Map<string, LeadObservation>();
  for (let i = 0; i < PENDING; i++) {
    const leadId = toId18(`00QSL${String(i).padStart(10, '0')}`);
    const ownerId = repId(i % REPS);
    const assignedMs = NOW - (i % 90) * 60_000;
    clocks.push({
      leadId,
      changeId: `c${i}`,
      ownerId,
      territoryId: 't',
      assignedAt: new Date(assignedMs).toISOString(),
      warnAt: new Date(assignedMs + 15 * 60_000).toISOString(),
      dueAt: new Date(assignedMs + 30 * 60_000).toISOString(),
      warned: i % 2 === 0,
      reroutes: i % 3,
      previousOwners: [],
      policy: { firstTouchMinutes: 30, warnAt: 0.5, maxReroutes: 2, escalateTo: { to: 'queue' } },
      routedLead: {},
      status: 'pending',
    });
    observed.set(leadId, {
      id: leadId,
      status: i % 5 === 0 ? 'Working - Contacted' : 'Open - Not Contacted',
      ownerId,
      isConverted: false,
      lastModifiedMs: assignedMs + 5 * 60_000,
      ...(i % 11 === 0 ? { lastActivityMs: assignedMs + 7 * 60_000 } : {}),
    });
  }
  return { model, clocks, observed };
}

export const benches = [
  bench({
    name: 'sla/sf-calls/10000-due',
    unit: 'calls',
    runs: 1,
    warmup: 0,
    notes:
      'Salesforce calls (token excluded) the sweep makes to read 10,000 due leads with their latest Task/Event: one Composite SOQL per 2,000 plus the pages child rows need; floor 5, goal ≤ 10',
    setup: emulatorWithDueLeads,
    run: async ({ sf, leads }) => {
      const touches = new SalesforceLeadTouches(() => salesforceConnection(emulatorConnectionOptions(sf)));
      await touches.observe(leads.slice(0, 1)); // log in first: the token is not a data call
      sf.resetCalls();
      const seen = await touches.observe(leads);
      if (seen.size !== DUE) throw new Error(`observed ${seen.size} of ${DUE}`);
      const { token: _t, identity: _i, ...calls } = sf.calls();
      return Object.values(calls).reduce((n, c) => n + (c ?? 0), 0);
    },
    teardown: async ({ sf }) => sf.close(),
  }),
  bench({
    name: 'sla/sweep/100000-pending-baseline',
    unit: 'ms',
    notes: 'Same data: only the per-clock lookups every decision needs (its lead, its due time)',
    setup: pendingClocks,
    run: ({ clocks, observed }) =>
      timeMs(() => {
        let n = 0;
        for (const c of clocks) if (observed.get(c.leadId) && Date.parse(c.dueAt) <= NOW) n++;
        return n;
      }),
  }),
  bench({
    name: 'sla/sweep/100000-pending',
    unit: 'ms',
    baseline: 'sla/sweep/100000-pending-baseline',
    notes:
      'The pure sweep decision (decideClock) for 100,000 pending clocks, speed-to-lead in working minutes of an Ontario office calendar for the touched ones; goal < 2,000 ms',
    setup: pendingClocks,
    run: ({ model, clocks, observed }) =>
      timeMs(() => {
        const isNew = (s: string) => s === 'Open - Not Contacted';
        const none = () => false;
        for (const c of clocks) {
          const owner = model.reps.get(c.ownerId);
          decideClock(c, observed.get(c.leadId), {
            nowMs: NOW,
            isNewStatus: isNew,
            isReplaceableOwner: none,
            ...(owner ? { ownerSchedule: owner } : {}),
          });
        }
      }),
  }),
];
