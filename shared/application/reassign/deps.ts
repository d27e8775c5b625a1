import type { GuardrailConfig } from '../../domain/guardrails/config.js';
import type { ApproverDirectory } from '../../domain/reassign/approvers.js';
import type { CrmBulkOwnerWriter, CrmOwnerGateway } from '../../ports/crm.js';
import type {
  ApprovalStore,
  ApproverLink,
  CrmReassignmentReader,
  OwnerChangeAudit,
  ReassignmentNotifier,
  ReassignmentStore,
  ReassignmentWorkflow,
  TaskTokens,
} from '../../ports/reassignment.js';

/** Everything the bulk-reassign use cases use; each takes the part it needs. */
export interface ReassignDeps {
  store: ReassignmentStore;
  approvals: ApprovalStore;
  audit: OwnerChangeAudit;
  crm: CrmReassignmentReader;
  /** sObject Collections writes (≤ 200 a call). */
  collections: CrmOwnerGateway;
  /** Bulk API 2.0 writes, above `bulkThreshold` records. */
  bulk: CrmBulkOwnerWriter;
  workflow: ReassignmentWorkflow;
  tokens: TaskTokens;
  notifier: ReassignmentNotifier;
  /** Signed, expiring approval links, one per approver. */
  approvalLinks: (approvalId: string, approver: ApproverLink['approver']) => string;
  guardrails: GuardrailConfig;
  approvers: ApproverDirectory;
  bulkThreshold: number;
  reasonMaxLength: number;
  now: () => Date;
  newId: () => string;
}
