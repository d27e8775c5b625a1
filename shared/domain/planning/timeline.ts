import { addDays, daysBetween, type IsoDate, type RequiredApproval } from '../guardrails/index.js';

/** Days allowed for sign-off before the plan is announced. */
export const APPROVAL_DAYS = 7;
const TRANSITION_LEAD_DAYS = 30;
const HANDOVER_LEAD_DAYS = 14;

export type MilestoneName = 'Approval' | 'Communication' | 'Transition start' | 'Deal handover' | 'Go-live';

export interface Milestone {
  name: MilestoneName;
  date: IsoDate;
  detail: string;
}

export interface TimelineInput {
  asOf: IsoDate;
  goLive: IsoDate;
  noticeDays: number;
  approvals: readonly RequiredApproval[];
  affectedReps: number;
  movingAccounts: number;
  openDeals: { accounts: number; amount: number };
}

/** The go-live date when none is given: the approval window plus the notice period. */
export function defaultGoLive(asOf: IsoDate, noticeDays: number): IsoDate {
  return addDays(asOf, APPROVAL_DAYS + noticeDays);
}

/**
 * Approval → communication (the notice period starts) → transition start (introductions)
 * → deal handover (open deals stay with their owners until close) → go-live.
 */
export function implementationTimeline(input: TimelineInput): {
  milestones: Milestone[];
  warnings: string[];
} {
  const approvedBy = addDays(input.asOf, APPROVAL_DAYS);
  const communicate = approvedBy;
  const clamp = (date: IsoDate) =>
    date < communicate ? communicate : date > input.goLive ? input.goLive : date;
  const approvers =
    input.approvals.length === 0
      ? 'sales leadership sign-off'
      : input.approvals
          .map(
            (a) =>
              `${a.role}${a.approverIds.length ? ` (${a.approverIds.length} people)` : ''} for ${a.recordIds.length} accounts`,
          )
          .join('; ');
  const milestones: Milestone[] = [
    { name: 'Approval', date: approvedBy, detail: `Approvals by ${approvedBy}: ${approvers}.` },
    {
      name: 'Communication',
      date: communicate,
      detail: `Tell the ${input.affectedReps} affected reps and the customers of ${input.movingAccounts} moving accounts; the ${input.noticeDays}-day notice starts.`,
    },
    {
      name: 'Transition start',
      date: clamp(addDays(input.goLive, -TRANSITION_LEAD_DAYS)),
      detail: 'Introductions and joint calls between outgoing and incoming owners.',
    },
    {
      name: 'Deal handover',
      date: clamp(addDays(input.goLive, -HANDOVER_LEAD_DAYS)),
      detail:
        input.openDeals.accounts === 0
          ? 'No moving account has open deals.'
          : `Review ${input.openDeals.accounts} moving accounts with open deals (${money(input.openDeals.amount)}); the deals stay with their current owners until close.`,
    },
    {
      name: 'Go-live',
      date: input.goLive,
      detail: 'New owners written to Salesforce through `territory-router reassign moves.csv`.',
    },
  ];
  const warnings: string[] = [];
  const notice = daysBetween(communicate, input.goLive);
  if (notice < input.noticeDays) {
    warnings.push(
      `Go-live ${input.goLive} is ${notice} days after communication on ${communicate}; the policy asks for ${input.noticeDays} days' notice (earliest ${addDays(communicate, input.noticeDays)}).`,
    );
  }
  return { milestones, warnings };
}

function money(amount: number): string {
  return `$${Math.round(amount).toLocaleString('en-US')}`;
}
