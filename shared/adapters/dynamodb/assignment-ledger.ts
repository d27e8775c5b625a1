import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type {
  AssignmentLedger,
  AssignmentWrite,
  AssignmentWriteResult,
  DistributionSnapshot,
  PriorDelivery,
  RepCounters,
} from '../../ports/assignment-ledger.js';
import { batchGet } from './batch.js';
import { gsi1, keys } from './keys.js';

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
    const items = await batchGet(this.doc, this.tableName, [
      ...notificationIds.map(keys.notification),
      ...leadIds.map(keys.leadAssignment),
    ]);
    const prior: PriorDelivery = { notifications: new Set(), leads: new Map() };
    for (const item of items) {
      const pk = String(item.PK);
      if (item.SK === 'NOTIFICATION') prior.notifications.add(pk.slice('NOTIFICATION#'.length));
      else if (item.SK === 'ASSIGNMENT') prior.leads.set(pk.slice('LEAD#'.length), String(item.ownerId));
    }
    return prior;
  }

  async repCounters(repIds: string[]): Promise<Map<string, RepCounters>> {
    const items = await batchGet(this.doc, this.tableName, repIds.map(keys.rep));
    return new Map(
      items.map((item) => {
        const repId = String(item.PK).slice('REP#'.length);
        return [
          repId,
          {
            repId,
            openLeads: Number(item.openLeads ?? 0),
            newLeads: Number(item.newLeads ?? 0),
            inProgressLeads: Number(item.inProgressLeads ?? 0),
            newLimitByRatio: Number(item.newLimitByRatio ?? 0),
            pending: Number(item.pending ?? 0),
          },
        ];
      }),
    );
  }

  async distributionSnapshots(territoryIds: string[]): Promise<Map<string, DistributionSnapshot>> {
    const items = await batchGet(this.doc, this.tableName, territoryIds.map(keys.distributionState));
    const found = new Map(
      items.map((item) => {
        const territoryId = String(item.PK).slice('TERRITORY#'.length);
        return [territoryId, { territoryId, version: Number(item.version ?? 0), state: item.state }];
      }),
    );
    for (const id of territoryIds) {
      if (!found.has(id)) found.set(id, { territoryId: id, version: 0, state: undefined });
    }
    return found;
  }

  async addDistributionCounts(
    territoryId: string,
    increments: Readonly<Record<string, number>>,
    at: string,
  ): Promise<void> {
    // Versioned read-modify-write, the same optimistic lock intake's decisions use: a concurrent
    // intake moving the rotation makes the put fail, and the next attempt starts from its state.
    for (let attempt = 0; attempt < 10; attempt++) {
      const snapshot = (await this.distributionSnapshots([territoryId])).get(territoryId);
      const version = snapshot?.version ?? 0;
      const state = (snapshot?.state ?? {}) as {
        turns?: Record<string, number>;
        counts?: Record<string, number>;
      };
      const counts = { ...(state.counts ?? {}) };
      for (const [key, amount] of Object.entries(increments)) counts[key] = (counts[key] ?? 0) + amount;
      try {
        await this.doc.send(
          new PutCommand({
            TableName: this.tableName,
            Item: {
              ...keys.distributionState(territoryId),
              version: version + 1,
              state: { turns: state.turns ?? {}, counts },
              updatedAt: at,
            },
            ConditionExpression: version === 0 ? 'attribute_not_exists(PK)' : 'version = :expected',
            ...(version === 0 ? {} : { ExpressionAttributeValues: { ':expected': version } }),
          }),
        );
        return;
      } catch (error) {
        if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') throw error;
      }
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
            Item: {
              ...keys.notification(w.notificationId),
              outcome: 'assigned',
              leadId: w.leadId,
              at: w.at,
              expiresAt,
            },
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
          Item: {
            ...keys.leadAssignment(w.leadId),
            ownerId: w.ownerId,
            ownerKind: w.ownerKind,
            territoryId: w.territoryId,
            reason: w.reason,
            source: w.source,
            notificationId: w.notificationId,
            runId: w.runId,
            changeId: w.changeId,
            at: w.at,
          },
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
            Key: keys.rep(w.ownerId),
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
      add(
        {
          Put: {
            TableName: this.tableName,
            Item: {
              ...keys.distributionState(w.distribution.territoryId),
              version: w.distribution.expectedVersion + 1,
              state: w.distribution.nextState,
              updatedAt: w.at,
            },
            ConditionExpression:
              w.distribution.expectedVersion === 0 ? 'attribute_not_exists(PK)' : 'version = :expected',
            ...(w.distribution.expectedVersion === 0
              ? {}
              : { ExpressionAttributeValues: { ':expected': w.distribution.expectedVersion } }),
          },
        },
        'distribution-changed',
      );
    }
    items.push({
      Put: {
        TableName: this.tableName,
        Item: {
          ...keys.audit(w.leadId, w.at, w.changeId),
          ...gsi1.auditBySource(w.source, w.at, w.leadId),
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
      },
    });
    items.push({
      Put: {
        TableName: this.tableName,
        Item: {
          ...keys.outbox(w.leadId, w.changeId),
          ...gsi1.outboxPending(w.heldForBulkUntil ?? w.at, w.leadId),
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
      },
    });

    try {
      await this.doc.send(new TransactWriteCommand({ TransactItems: items }));
      return { ok: true };
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      const failed = reasons.findIndex((r) => r.Code === 'ConditionalCheckFailed');
      const role = roles[failed];
      if (role) return role;
      // Throttling or a transaction conflict with another writer: let the caller's retry handle it.
      throw error;
    }
  }

  async recordDuplicate(notificationId: string, leadId: string | undefined, reason: string, at: string) {
    await this.putNotification(notificationId, 'duplicate', leadId, reason, at);
  }

  async recordQuarantine(notificationId: string, leadId: string | undefined, reason: string, at: string) {
    await this.putNotification(notificationId, 'quarantined', leadId, reason, at, {
      GSI1PK: 'QUARANTINE',
      GSI1SK: `${at}#${notificationId}`,
    });
  }

  private async putNotification(
    notificationId: string,
    outcome: 'duplicate' | 'quarantined',
    leadId: string | undefined,
    reason: string,
    at: string,
    extra: Record<string, string> = {},
  ): Promise<void> {
    const expiresAt = Math.floor(Date.parse(at) / 1000) + NOTIFICATION_RETENTION_SECONDS;
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.notification(notificationId), ...extra, outcome, leadId, reason, at, expiresAt },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
    } catch (error) {
      // Already recorded by an earlier delivery: the first outcome stands.
      if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') throw error;
    }
  }
}
