import * as z from 'zod';
import { APPROVER_ROLES, type ApproverRole } from '../guardrails/model.js';

/** A person who may decide an approval; `slackUserId` lets them decide from Slack's buttons too. */
export interface Approver {
  id: string;
  name: string;
  slackUserId?: string;
}

const approverSchema = z.object({
  id: z.string().min(1).max(100),
  name: z.string().min(1).max(200),
  slackUserId: z.string().min(1).max(50).optional(),
});

/**
 * Approvers per role. Deal owners are not listed here: they are the open opportunities' owners,
 * read from Salesforce for each request.
 */
export const approverDirectorySchema = z.object({
  vp: z.array(approverSchema).default([]),
  manager: z.array(approverSchema).default([]),
});
export type ApproverDirectory = z.output<typeof approverDirectorySchema>;

export const DEFAULT_APPROVERS: ApproverDirectory = {
  vp: [{ id: 'vp-sales', name: 'VP Sales' }],
  manager: [{ id: 'sales-manager', name: 'Sales Manager' }],
};

export const ROLE_TITLES: Record<ApproverRole, string> = {
  vp: 'VP approval',
  'deal-owner': 'Deal owner approval',
  manager: 'Manager override',
};

export function isApproverRole(value: string): value is ApproverRole {
  return (APPROVER_ROLES as readonly string[]).includes(value);
}
