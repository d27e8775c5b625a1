import { type DynamoDBDocumentClient, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import {
  addCounts,
  type DistributionState,
  EMPTY_STATE,
  type TerritoryDistribution,
} from '../../domain/territory/distribution-state.js';
import type {
  AssignmentLedger,
  AssignmentWrite,
  AssignmentWriteResult,
  PriorDelivery,
  RepCounters,
} from '../../ports/assignment-ledger.js';
import { batchGetByKey } from './batch.js';
import { conditionalWrite } from './conditions.js';
import type { IndexKey } from './item-codec.js';
import {
  assignmentItem,
  auditItem,
  distributionStateItem,
  notificationItem,
  outboxItem,
  repCountersItem,
} from './items.js';
import { gsi1 } from './keys.js';

/** Salesforce redelivers for 24 hours; notification records outlive that comfortably. */
const NOTIFICATION_RETENTION_SECONDS = 30 * 24 * 3600;

type TransactItem = NonNullable<
  ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']
>[number];

export class DynamoAssignmentLedger implements AssignmentLedger {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async priorDeliveries(notificationIds: string[], leadIds: string[]): Promise<PriorDelivery> {
    const itemAt = await batchGetByKey(this.doc, this.tableName, [
      ...notificationIds.map((id) => notificationItem.key(id)),
      ...leadIds.map((id) => assignmentItem.key(id)),
    ]);
    const prior: PriorDelivery = { notifications: new Set(), leads: new Map() };
    for (const id of notificationIds) {
      if (itemAt(notificationItem.key(id))) prior.notifications.add(id);
    }
    for (const id of leadIds) {
      const item = itemAt(assignmentItem.key(id));
      if (item) prior.leads.set(id, assignmentItem.fromItem(item).ownerId);
    }
    return prior;
  }

  async repCounters(repIds: string[]): Promise<Map<string, RepCounters>> {
    const itemAt = await batchGetByKey(
      this.doc,
      this.tableName,
      repIds.map((id) => repCountersItem.key(id)),
    );
    const counters = new Map<string, RepCounters>();
    for (const repId of repIds) {
      const item = itemAt(repCountersItem.key(repId));
      if (!item) continue;
      const c = repCountersItem.fromItem(item);
      counters.set(repId, {
        repId,
        openLeads: c.openLeads,
        newLeads: c.newLeads,
        inProgressLeads: c.inProgressLeads,
        newLimitByRatio: c.newLimitByRatio,
        pending: c.pending,
      });
    }
    return counters;
  }

  async distributionSnapshots(territoryIds: string[]): Promise<Map<string, TerritoryDistribution>> {
    const itemAt = await batchGetByKey(
      this.doc,
      this.tableName,
      territoryIds.map((id) => distributionStateItem.key(id)),
    );
    return new Map(
      territoryIds.map((territoryId) => {
        const item = itemAt(distributionStateItem.key(territoryId));
        if (!item) return [territoryId, { territoryId, version: 0, state: EMPTY_STATE }];
        const { version, state } = distributionStateItem.fromItem(item);
        return [territoryId, { territoryId, version, state }];
      }),
    );
  }

  async addDistributionCounts(
    territoryId: string,
    increments: Readonly<Record<string, number>>,
    at: string,
  ): Promise<void> {
    // Versioned read-modify-write, the same optimistic lock intake's decisions use: a concurrent
    // intake moving the rotation makes the put fail, and the next attempt starts from its state.
    for (let attempt = 0; attempt < 10; attempt++) {
      const stored = (await this.distributionSnapshots([territoryId])).get(territoryId);
      const { version, state } = stored ?? { version: 0, state: EMPTY_STATE };
      const written = await conditionalWrite(() =>
        this.doc.send(
          new PutCommand({
            TableName: this.tableName,
            ...this.distributionPut(territoryId, version, addCounts(state, increments), at),
          }),
        ),
      );
      if (written.ok) return;
    }
    throw new Error(`Distribution state of territory ${territoryId} kept changing; counts not added`);
  }

  async recordAssignment(w: AssignmentWrite): Promise<AssignmentWriteResult> {
    const roles: Array<AssignmentWriteResult & { ok: false }> = [];
    const items: TransactItem[] = [];
    const add = (item: TransactItem, onConflict: (AssignmentWriteResult & { ok: false })['conflict']) => {
      items.push(item);
      roles.push({ ok: false, conflict: onConflict });
    };
    const expiresAt = Math.floor(Date.parse(w.at) / 1000) + NOTIFICATION_RETENTION_SECONDS;

    if (w.notificationId !== undefined) {
      add(
        {
          Put: {
            TableName: this.tableName,
            Item: notificationItem.toItem([w.notificationId], {
              outcome: 'assigned',
              leadId: w.leadId,
              at: w.at,
              expiresAt,
            }),
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
        'duplicate-notification',
      );
    }
    add(
      {
        Put: {
          TableName: this.tableName,
          Item: assignmentItem.toItem([w.leadId], {
            ownerId: w.ownerId,
            ownerKind: w.ownerKind,
            territoryId: w.territoryId,
            reason: w.reason,
            source: w.source,
            notificationId: w.notificationId,
            runId: w.runId,
            changeId: w.changeId,
            at: w.at,
          }),
          // Top-up may replace intake's fallback to the default owner, never an assignment to a rep.
          ...(w.replacesDefaultOwner
            ? {
                ConditionExpression: 'attribute_not_exists(PK) OR ownerKind = :defaultKind',
                ExpressionAttributeValues: { ':defaultKind': 'default' },
              }
            : { ConditionExpression: 'attribute_not_exists(PK)' }),
        },
      },
      'lead-already-assigned',
    );
    if (w.ownerKind === 'rep' && w.capacity) {
      add(
        {
          Update: {
            TableName: this.tableName,
            Key: repCountersItem.key(w.ownerId),
            // `pending` counts leads given here but not yet visible in Salesforce; `recentlyGiven` is what
            // reconciliation adds to Salesforce's count (see DynamoRepCounters), so concurrent intake is never lost.
            UpdateExpression:
              'SET openLeads = if_not_exists(openLeads, :zero) + :one, newLeads = if_not_exists(newLeads, :zero) + :one, ' +
              'pending = if_not_exists(pending, :zero) + :one, recentlyGiven = if_not_exists(recentlyGiven, :zero) + :one, ' +
              'inProgressLeads = if_not_exists(inProgressLeads, :zero), ' +
              'newLimitByRatio = if_not_exists(newLimitByRatio, :initialLimit)',
            ConditionExpression:
              'attribute_not_exists(PK) OR (openLeads < :maxOpen AND newLeads < :maxNew AND newLeads <= newLimitByRatio)',
            ExpressionAttributeValues: {
              ':zero': 0,
              ':one': 1,
              ':maxOpen': w.capacity.maxOpen,
              ':maxNew': w.capacity.maxNew,
              ':initialLimit': w.capacity.initialNewLimitByRatio,
            },
          },
        },
        'capacity',
      );
    }
    if (w.distribution) {
      const { territoryId, expectedVersion, nextState } = w.distribution;
      add(
        {
          Put: {
            TableName: this.tableName,
            ...this.distributionPut(territoryId, expectedVersion, nextState, w.at),
          },
        },
        'distribution-changed',
      );
    }
    items.push({
      Put: {
        TableName: this.tableName,
        Item: auditItem.toItem(
          [w.leadId, w.at, w.changeId],
          {
            recordId: w.leadId,
            objectType: 'Lead',
            before: w.previousOwnerId ?? null,
            after: w.ownerId,
            reason: w.reason,
            source: w.source,
            notificationId: w.notificationId,
            runId: w.runId,
            territoryId: w.territoryId,
            trace: w.trace,
            routedLead: w.routedLead,
            at: w.at,
          },
          gsi1.auditBySource(w.source, w.at, w.leadId),
        ),
      },
    });
    items.push({
      Put: {
        TableName: this.tableName,
        Item: outboxItem.toItem(
          [w.leadId, w.changeId],
          {
            recordId: w.leadId,
            objectType: 'Lead',
            ownerId: w.ownerId,
            ownerKind: w.ownerKind,
            reason: w.reason,
            source: w.source,
            replaceableOwnerIds: w.replaceableOwnerIds,
            // Held items are not streamed to the write-back (it takes `pending` only); the sweeper takes them after the hold.
            status: w.heldForBulkUntil ? 'bulk' : 'pending',
            attempts: 0,
            enqueuedAt: w.at,
          },
          gsi1.outboxPending(w.heldForBulkUntil ?? w.at, w.leadId),
        ),
      },
    });

    const written = await conditionalWrite(() =>
      this.doc.send(new TransactWriteCommand({ TransactItems: items })),
    );
    if (written.ok) return { ok: true };
    const role = roles[written.refused.failed[0]!];
    if (!role) throw new Error('A transaction item without a condition was refused');
    return role;
  }

  async recordDuplicate(notificationId: string, leadId: string | undefined, reason: string, at: string) {
    await this.putNotification(notificationId, 'duplicate', leadId, reason, at);
  }

  async recordQuarantine(notificationId: string, leadId: string | undefined, reason: string, at: string) {
    await this.putNotification(
      notificationId,
      'quarantined',
      leadId,
      reason,
      at,
      gsi1.quarantined(at, notificationId),
    );
  }

  /** The distribution state's Put, conditional on the version the new state was computed from. */
  private distributionPut(
    territoryId: string,
    expectedVersion: number,
    state: DistributionState,
    at: string,
  ) {
    return {
      Item: distributionStateItem.toItem([territoryId], {
        version: expectedVersion + 1,
        state,
        updatedAt: at,
      }),
      ...(expectedVersion === 0
        ? { ConditionExpression: 'attribute_not_exists(PK)' }
        : {
            ConditionExpression: 'version = :expected',
            ExpressionAttributeValues: { ':expected': expectedVersion },
          }),
    };
  }

  private async putNotification(
    notificationId: string,
    outcome: 'duplicate' | 'quarantined',
    leadId: string | undefined,
    reason: string,
    at: string,
    index?: IndexKey,
  ): Promise<void> {
    const expiresAt = Math.floor(Date.parse(at) / 1000) + NOTIFICATION_RETENTION_SECONDS;
    // Already recorded by an earlier delivery (a refused condition): the first outcome stands.
    await conditionalWrite(() =>
      this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: notificationItem.toItem([notificationId], { outcome, leadId, reason, at, expiresAt }, index),
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      ),
    );
  }
}
