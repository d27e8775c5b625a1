import { type DynamoDBDocumentClient, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import DataLoader from 'dataloader';
import type { PeriodCap } from '../../domain/availability/periods.js';
import { nextCheckAt } from '../../domain/sla/index.js';
import {
  addCounts,
  type DistributionState,
  EMPTY_STATE,
  type TerritoryDistribution,
} from '../../domain/territory/distribution-state.js';
import {
  type AssignmentLedger,
  type AssignmentWrite,
  type AssignmentWriteResult,
  type CapacityLimits,
  type Delivery,
  deliveryKey,
  type HeldLead,
  type HoldWrite,
  type PriorDelivery,
  type RepCounters,
  type SlaClockStart,
  StorageLimitError,
} from '../../ports/assignment-ledger.js';
import { ConcurrentWriteError, MAX_RACE_RETRIES, raceRetryDelayMs } from '../../ports/write-conflict.js';
import { batchGetById, batchGetByKey } from './batch.js';
import { conditionalWrite } from './conditions.js';
import type { IndexKey } from './item-codec.js';
import {
  assignmentItem,
  auditItem,
  distributionStateItem,
  heldLeadItem,
  notificationItem,
  outboxItem,
  repCountersItem,
  repPeriodItem,
  slaClockItem,
} from './items.js';
import { gsi1 } from './keys.js';
import { cutText, itemBytes, MAX_ITEM_BYTES, MAX_KEY_BYTES } from './limits.js';
import { getItem, queryItems } from './query.js';

/** Salesforce redelivers for 24 hours; notification records outlive that comfortably. */
const NOTIFICATION_RETENTION_SECONDS = 30 * 24 * 3600;
/** Message text kept beside a notification record (its key holds a hash of anything longer). */
const KEPT_ID_CHARS = 200;
const KEPT_REASON_CHARS = 2000;
const PERIOD_RETENTION_SECONDS = 7 * 24 * 3600;
/** What each item of an assignment's transaction is called in a quarantine reason, by key prefix. */
const RECORD_NAMES: Record<string, string> = {
  NOTIFICATION: 'notification',
  LEAD: 'assignment',
  AUDIT: 'audit',
  OUTBOX: 'outbox',
  TERRITORY: 'distribution state',
  HELD: 'held lead',
  REP: 'rep counters',
  SLA: 'SLA clock',
};

type Refusal = AssignmentWriteResult & { ok: false };

type TransactItem = NonNullable<
  ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']
>[number];

export class DynamoAssignmentLedger implements AssignmentLedger {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async priorDeliveries(deliveries: Delivery[], leadIds: string[]): Promise<PriorDelivery> {
    const itemAt = await batchGetByKey(this.doc, this.tableName, [
      ...deliveries.map((d) => notificationItem.key(d.notificationId, d.leadId)),
      ...leadIds.map((id) => assignmentItem.key(id)),
    ]);
    const prior: PriorDelivery = { deliveries: new Set(), leads: new Map() };
    for (const d of deliveries) {
      if (itemAt(notificationItem.key(d.notificationId, d.leadId))) prior.deliveries.add(deliveryKey(d));
    }
    for (const id of leadIds) {
      const item = itemAt(assignmentItem.key(id));
      if (item) prior.leads.set(id, assignmentItem.fromItem(item).ownerId);
    }
    return prior;
  }

  async repCounters(
    repIds: string[],
    periods?: ReadonlyMap<string, readonly string[]>,
  ): Promise<Map<string, RepCounters>> {
    const periodKeys = [...(periods ?? [])].flatMap(([repId, ids]) =>
      ids.map((id) => repPeriodItem.key(repId, id)),
    );
    // One batched read: the counters and the current period counters side by side.
    const itemAt = await batchGetByKey(this.doc, this.tableName, [
      ...repIds.map((id) => repCountersItem.key(id)),
      ...periodKeys,
    ]);
    const found = new Map<string, RepCounters>();
    for (const repId of repIds) {
      const item = itemAt(repCountersItem.key(repId));
      const periodGiven: Record<string, number> = {};
      for (const id of periods?.get(repId) ?? []) {
        const period = itemAt(repPeriodItem.key(repId, id));
        if (period) periodGiven[id] = repPeriodItem.fromItem(period).given;
      }
      const hasPeriods = Object.keys(periodGiven).length > 0;
      if (!item && !hasPeriods) continue;
      const c = item ? repCountersItem.fromItem(item) : undefined;
      found.set(repId, {
        repId,
        openLeads: c?.openLeads ?? 0,
        newLeads: c?.newLeads ?? 0,
        inProgressLeads: c?.inProgressLeads ?? 0,
        newLimitByRatio: c?.newLimitByRatio ?? 0,
        pending: c?.pending ?? 0,
        ...(hasPeriods ? { periodGiven } : {}),
        ...(c ? {} : { periodsOnly: true as const }),
      });
    }
    return found;
  }

  async distributionSnapshots(territoryIds: string[]): Promise<Map<string, TerritoryDistribution>> {
    const stored = await batchGetById(this.doc, this.tableName, distributionStateItem, territoryIds);
    return new Map(
      territoryIds.map((territoryId) => {
        const { version, state } = stored.get(territoryId) ?? { version: 0, state: EMPTY_STATE };
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
    for (let attempt = 0; attempt <= MAX_RACE_RETRIES; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, raceRetryDelayMs(attempt)));
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
    throw new ConcurrentWriteError(
      `Distribution state of territory ${territoryId} kept changing; counts not added`,
    );
  }

  async recordAssignment(w: AssignmentWrite): Promise<AssignmentWriteResult> {
    return this.recordAssignments([w]);
  }

  /**
   * Calls made at the same moment (the territories of one message, concurrent messages, a top-up
   * beside them) are committed in as few transactions as fit; see commitTogether.
   */
  private readonly together = new DataLoader<readonly AssignmentWrite[], AssignmentWriteResult>(
    (calls) => this.commitTogether(calls),
    { cache: false },
  );

  recordAssignments(writes: readonly AssignmentWrite[]): Promise<AssignmentWriteResult> {
    return this.together.load(writes);
  }

  /**
   * Each call's transaction, packed with others while they share no item and stay within
   * DynamoDB's limits for one transaction: on a local DynamoDB each transaction costs as much as
   * ~15 items, and in AWS fewer round trips. A packed transaction that is refused (or cancelled
   * by a concurrent writer) wrote nothing; its calls are then sent one by one, so each gets its
   * own answer, exactly as if it had been sent alone.
   */
  private async commitTogether(
    calls: readonly (readonly AssignmentWrite[])[],
  ): Promise<Array<AssignmentWriteResult | Error>> {
    const results: Array<AssignmentWriteResult | Error> = [];
    const built: AssignmentTransaction[] = [];
    const packs: Array<{ calls: number[]; items: TransactItem[]; bytes: number; keys: Set<string> }> = [];
    calls.forEach((writes, call) => {
      let tx: AssignmentTransaction;
      try {
        tx = this.transactionOf(writes);
        built[call] = tx;
      } catch (error) {
        results[call] = error instanceof Error ? error : new Error(String(error));
        return;
      }
      const keys = tx.items.map(itemKeyOf);
      const pack = packs.find(
        (p) =>
          p.items.length + tx.items.length <= MAX_TRANSACTION_ITEMS &&
          p.bytes + tx.bytes <= MAX_TRANSACTION_BYTES &&
          !keys.some((k) => p.keys.has(k)),
      );
      if (pack) {
        pack.calls.push(call);
        pack.items.push(...tx.items);
        pack.bytes += tx.bytes;
        for (const k of keys) pack.keys.add(k);
      } else {
        packs.push({ calls: [call], items: [...tx.items], bytes: tx.bytes, keys: new Set(keys) });
      }
    });
    const alone = (call: number) =>
      this.send(built[call]!).then(
        (result) => {
          results[call] = result;
        },
        (error: unknown) => {
          // A refusal that can never pass (a limit) or a lost race belongs to this call; anything else fails all.
          if (error instanceof StorageLimitError || error instanceof ConcurrentWriteError)
            results[call] = error;
          else throw error;
        },
      );
    const commit = async (pack: (typeof packs)[number]): Promise<void> => {
      if (pack.calls.length === 1) return alone(pack.calls[0]!);
      const together = await conditionalWrite(() =>
        this.doc.send(new TransactWriteCommand({ TransactItems: pack.items })),
      ).catch((error: unknown) => {
        if (error instanceof ConcurrentWriteError || isValidation(error)) return undefined;
        throw error;
      });
      if (together?.ok) {
        for (const call of pack.calls) results[call] = { ok: true };
        return;
      }
      await Promise.all(pack.calls.map(alone));
    };
    // A pack waits for the earlier packs it shares an item with (one rep's counter, say): sent side by
    // side, DynamoDB would cancel one of them as a conflict.
    const sent: Promise<void>[] = [];
    for (const [i, pack] of packs.entries()) {
      const before = packs
        .slice(0, i)
        .flatMap((earlier, j) => ([...pack.keys].some((k) => earlier.keys.has(k)) ? [sent[j]] : []));
      sent.push(Promise.all(before).then(() => commit(pack)));
    }
    await Promise.all(sent);
    return results;
  }

  /** One call's items, each with what its refusal would mean; throws StorageLimitError before anything is sent. */
  private transactionOf(writes: readonly AssignmentWrite[]): AssignmentTransaction {
    // What a refused condition at each position of the transaction means (none for unconditional puts).
    const roles: Array<Refusal | undefined> = [];
    const items: TransactItem[] = [];
    const add = (item: TransactItem, onConflict: Refusal['conflict'], periodCap?: PeriodCap) => {
      items.push(item);
      roles.push({ ok: false, conflict: onConflict, ...(periodCap ? { periodCap } : {}) });
    };
    const unconditional = (item: TransactItem) => {
      items.push(item);
      roles.push(undefined);
    };

    for (const w of writes) {
      checkNotificationId(w);
      if (w.notificationId !== undefined) {
        add({ Put: this.notificationPut(w.notificationId, w.leadId, w.at) }, 'duplicate-notification');
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
            // Top-up may replace intake's fallback to the default owner, never an assignment to a rep;
            // a release replaces a hold only.
            ...(w.replaces
              ? {
                  // An SLA re-route replaces exactly the assignment whose clock ran out.
                  ConditionExpression: 'ownerId = :replacedOwner AND changeId = :replacedChange',
                  ExpressionAttributeValues: {
                    ':replacedOwner': w.replaces.ownerId,
                    ':replacedChange': w.replaces.changeId,
                  },
                }
              : w.releasesHold
                ? {
                    ConditionExpression: 'ownerKind = :heldKind',
                    ExpressionAttributeValues: { ':heldKind': 'held' },
                  }
                : w.replacesDefaultOwner
                  ? {
                      ConditionExpression: 'attribute_not_exists(PK) OR ownerKind = :defaultKind',
                      ExpressionAttributeValues: { ':defaultKind': 'default' },
                    }
                  : { ConditionExpression: 'attribute_not_exists(PK)' }),
          },
        },
        'lead-already-assigned',
      );
      if (w.releasesHold) {
        add(
          {
            Delete: {
              TableName: this.tableName,
              Key: heldLeadItem.key(w.leadId),
              ConditionExpression: 'attribute_exists(PK)',
            },
          },
          'lead-already-assigned',
        );
      }
      if (w.replaces) {
        // The breached clock closes with the re-route; a concurrent sweep that closed it first wins.
        add(
          { Update: { TableName: this.tableName, ...closeBreachedClock(w, w.replaces.changeId) } },
          'lead-already-assigned',
        );
      }
      if (w.slaClock && w.ownerKind === 'rep') {
        unconditional({ Put: { TableName: this.tableName, Item: slaClockOf(w, w.slaClock) } });
      }
      unconditional({ Put: { TableName: this.tableName, Item: this.auditOf(w) } });
      unconditional({ Put: { TableName: this.tableName, Item: this.outboxOf(w) } });
    }
    for (const taken of leadsPerRep(writes)) {
      add({ Update: { TableName: this.tableName, ...counterUpdate(taken) } }, 'capacity');
      for (const cap of taken.limits.periods ?? []) {
        add({ Update: { TableName: this.tableName, ...periodUpdate(taken, cap) } }, 'capacity', cap);
      }
    }
    for (const moved of rotationsPerTerritory(writes)) {
      add(
        {
          Put: {
            TableName: this.tableName,
            ...this.distributionPut(moved.territoryId, moved.expectedVersion, moved.nextState, moved.at),
            // The winner's state comes back with the refusal: the retry decides again without a read.
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          },
        },
        'distribution-changed',
      );
    }
    const bytes = checkTransactionLimits(items);
    return { writes, items, roles, bytes };
  }

  private async send({ writes, items, roles }: AssignmentTransaction): Promise<AssignmentWriteResult> {
    const written = await conditionalWrite(() =>
      this.doc.send(new TransactWriteCommand({ TransactItems: items })).catch((error: unknown) => {
        // DynamoDB validates before writing anything: a refused shape or size fails every retry alike.
        if (isValidation(error)) {
          throw new StorageLimitError(`DynamoDB refused the assignment: ${cutText(error.message, 300)}`, {
            cause: error,
          });
        }
        throw error;
      }),
    );
    if (written.ok) return { ok: true };
    const at = written.refused.failed[0]!;
    const role = roles[at];
    if (!role) throw new Error('A transaction item without a condition was refused');
    const winner = written.refused.items.get(at);
    const territoryId = items[at]?.Put?.Item?.PK;
    if (role.conflict === 'distribution-changed' && winner && territoryId !== undefined) {
      const { version, state } = distributionStateItem.fromItem(winner);
      const moved = rotationsPerTerritory(writes).find(
        (r) => distributionStateItem.key(r.territoryId).PK === territoryId,
      );
      if (moved) return { ...role, current: { territoryId: moved.territoryId, version, state } };
    }
    return role;
  }

  /** The record that the (notification, lead) pair was acted on; a redelivery finds it and stops. */
  private notificationPut(notificationId: string, leadId: string, at: string) {
    return {
      TableName: this.tableName,
      Item: notificationItem.toItem([notificationId, leadId], {
        outcome: 'assigned',
        notificationId: cutText(notificationId, KEPT_ID_CHARS),
        leadId,
        at,
        expiresAt: Math.floor(Date.parse(at) / 1000) + NOTIFICATION_RETENTION_SECONDS,
      }),
      ConditionExpression: 'attribute_not_exists(PK)',
    };
  }

  private auditOf(w: AssignmentWrite) {
    return auditItem.toItem(
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
    );
  }

  private outboxOf(w: AssignmentWrite) {
    return outboxItem.toItem(
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
        ...(w.matchedAccountId ? { matchedAccountId: w.matchedAccountId } : {}),
      },
      gsi1.outboxPending(w.heldForBulkUntil ?? w.at, w.leadId),
    );
  }

  async recordHold(w: HoldWrite): Promise<AssignmentWriteResult> {
    const items: TransactItem[] = [];
    const roles: Array<(AssignmentWriteResult & { ok: false })['conflict'] | undefined> = [];
    if (w.notificationId !== undefined) {
      items.push({ Put: this.notificationPut(w.notificationId, w.leadId, w.at) });
      roles.push('duplicate-notification');
    }
    items.push({
      Put: {
        TableName: this.tableName,
        Item: assignmentItem.toItem([w.leadId], {
          ownerId: w.heldOwnerId,
          ownerKind: 'held',
          territoryId: w.territoryId,
          reason: w.reason,
          source: 'intake',
          notificationId: w.notificationId,
          changeId: w.changeId,
          at: w.at,
        }),
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    });
    roles.push('lead-already-assigned');
    items.push({
      Put: {
        TableName: this.tableName,
        Item: heldLeadItem.toItem(
          [w.leadId],
          {
            leadId: w.leadId,
            territoryId: w.territoryId,
            reason: w.reason,
            heldAt: w.at,
            previousOwnerId: w.previousOwnerId,
            notificationId: w.notificationId,
            fields: w.routedLead,
          },
          gsi1.heldLeads(w.at, w.leadId),
        ),
      },
    });
    roles.push(undefined);
    items.push({
      Put: {
        TableName: this.tableName,
        Item: auditItem.toItem(
          [w.leadId, w.at, w.changeId],
          {
            recordId: w.leadId,
            objectType: 'Lead',
            before: w.previousOwnerId ?? null,
            after: w.heldOwnerId,
            reason: w.reason,
            source: 'intake',
            notificationId: w.notificationId,
            territoryId: w.territoryId,
            trace: w.trace,
            routedLead: w.routedLead,
            at: w.at,
          },
          gsi1.auditBySource('intake', w.at, w.leadId),
        ),
      },
    });
    roles.push(undefined);
    for (const item of items) {
      const put = item.Put?.Item;
      const bytes = put ? itemBytes(put) : 0;
      if (bytes > MAX_ITEM_BYTES) {
        const what = RECORD_NAMES[String(put?.PK).split('#')[0] ?? ''] ?? 'assignment';
        throw new StorageLimitError(
          `The ${what} record would be ${bytes} bytes, over DynamoDB's 400 KB item limit`,
        );
      }
    }
    const written = await conditionalWrite(() =>
      this.doc.send(new TransactWriteCommand({ TransactItems: items })),
    );
    if (written.ok) return { ok: true };
    const conflict = roles[written.refused.failed[0]!];
    if (!conflict) throw new Error('A hold item without a condition was refused');
    return { ok: false, conflict };
  }

  async heldLeads(limit: number): Promise<HeldLead[]> {
    const held: HeldLead[] = [];
    if (limit <= 0) return held;
    for await (const item of queryItems(this.doc, {
      TableName: this.tableName,
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :held',
      ExpressionAttributeValues: { ':held': gsi1.heldLeads('', '').GSI1PK },
      ScanIndexForward: true,
      Limit: limit,
    })) {
      held.push(heldOf(heldLeadItem.fromItem(item)));
      if (held.length >= limit) break;
    }
    return held;
  }

  async heldLead(leadId: string): Promise<HeldLead | undefined> {
    const item = await getItem(this.doc, this.tableName, heldLeadItem.key(leadId));
    return item ? heldOf(heldLeadItem.fromItem(item)) : undefined;
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
          // Keys hash long message text and the rest is cut, so this record always fits an item.
          Item: notificationItem.toItem(
            [notificationId, leadId],
            {
              outcome,
              notificationId: cutText(notificationId, KEPT_ID_CHARS),
              leadId: leadId === undefined ? undefined : cutText(leadId, KEPT_ID_CHARS),
              reason: cutText(reason, KEPT_REASON_CHARS),
              at,
              expiresAt,
            },
            index,
          ),
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      ),
    );
  }
}

function closeBreachedClock(w: AssignmentWrite, changeId: string) {
  const closed = gsi1.slaClosed(w.at, w.leadId);
  return {
    Key: slaClockItem.key(w.leadId, changeId),
    UpdateExpression:
      'SET #status = :breached, breached = :true, closedAt = :at, closeReason = :why, GSI1PK = :closedPK, GSI1SK = :closedSK',
    ConditionExpression: '#status = :pending',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: {
      ':breached': 'breached',
      ':pending': 'pending',
      ':true': true,
      ':at': w.at,
      ':why': w.reason,
      ':closedPK': closed.GSI1PK,
      ':closedSK': closed.GSI1SK,
    },
  };
}

function slaClockOf(w: AssignmentWrite, start: SlaClockStart) {
  const clock = {
    leadId: w.leadId,
    changeId: w.changeId,
    ownerId: w.ownerId,
    assignedAt: w.at,
    warned: false,
    status: 'pending' as const,
    ...start,
    previousOwners: [...start.previousOwners],
  };
  return slaClockItem.toItem([w.leadId, w.changeId], clock, gsi1.slaPending(nextCheckAt(clock), w.leadId));
}

/** DynamoDB's limits on one TransactWriteItems call. */
const MAX_TRANSACTION_ITEMS = 100;
const MAX_TRANSACTION_BYTES = 4 * 1024 * 1024;

function checkNotificationId(w: AssignmentWrite): void {
  const idBytes = w.notificationId === undefined ? 0 : Buffer.byteLength(w.notificationId, 'utf8');
  if (idBytes > MAX_KEY_BYTES) {
    // Recorded under its hash, the id could be kept; one this far from Salesforce's 18 characters is refused.
    throw new StorageLimitError(
      `Notification Id is ${idBytes} bytes, over DynamoDB's ${MAX_KEY_BYTES}-byte partition key limit`,
    );
  }
}

/** Refuses, before sending, a transaction DynamoDB would refuse on every retry. */
/** One call's transaction as built: its items, what a refusal at each means, and its size. */
interface AssignmentTransaction {
  writes: readonly AssignmentWrite[];
  items: TransactItem[];
  roles: Array<Refusal | undefined>;
  bytes: number;
}

/** The item a transaction item touches: one transaction may touch an item only once. */
function itemKeyOf(item: TransactItem): string {
  const key = item.Put?.Item ?? (item.Update ?? item.Delete ?? item.ConditionCheck)?.Key;
  return `${String(key?.PK)}\u0000${String(key?.SK)}`;
}

function isValidation(error: unknown): error is Error {
  return error instanceof Error && error.name === 'ValidationException';
}

/** The transaction's bytes; throws StorageLimitError past an item's or a transaction's limits. */
function checkTransactionLimits(items: readonly TransactItem[]): number {
  let total = 0;
  for (const item of items) {
    const put = item.Put?.Item;
    const bytes = put ? itemBytes(put) : 0;
    total += bytes;
    if (bytes > MAX_ITEM_BYTES) {
      const kind = String(put?.PK).split('#')[0] ?? '';
      const what = RECORD_NAMES[kind] ?? 'assignment';
      throw new StorageLimitError(
        `The ${what} record would be ${bytes} bytes, over DynamoDB's 400 KB item limit`,
      );
    }
  }
  if (items.length > MAX_TRANSACTION_ITEMS || total > MAX_TRANSACTION_BYTES) {
    throw new StorageLimitError(
      `The assignments would take ${items.length} items and ${total} bytes, over DynamoDB's limits for one transaction (${MAX_TRANSACTION_ITEMS} items, 4 MB)`,
    );
  }
  return total;
}

/** The leads one rep takes in a transaction: its counters are updated once, by their number. */
interface RepTakes {
  repId: string;
  limits: CapacityLimits;
  count: number;
  /** New leads the decision for the first of them read (see AssignmentWrite.newLeadsSeen). */
  newLeadsSeen: number | undefined;
}

function leadsPerRep(writes: readonly AssignmentWrite[]): RepTakes[] {
  const byRep = new Map<string, RepTakes>();
  for (const w of writes) {
    if (w.ownerKind !== 'rep' || !w.capacity) continue;
    const taken = byRep.get(w.ownerId);
    if (taken) taken.count++;
    else
      byRep.set(w.ownerId, { repId: w.ownerId, limits: w.capacity, count: 1, newLeadsSeen: w.newLeadsSeen });
  }
  return [...byRep.values()];
}

/**
 * The rep's counters Update, conditional on every cap holding after all `count` leads. For one lead
 * the condition compares the stored counts. For several, conditions cannot add, so the ratio cap is
 * checked one of two ways: its bound is no tighter than the new-lead cap (then that cap covers it),
 * or the stored count has not grown past the count the decision read and the bound leaves room above it.
 */
function counterUpdate({ repId, limits, count, newLeadsSeen }: RepTakes) {
  // `pending` counts leads given here but not yet visible in Salesforce; `recentlyGiven` is what
  // reconciliation adds to Salesforce's count (see DynamoRepCounters), so concurrent intake is never lost.
  const update =
    'SET openLeads = if_not_exists(openLeads, :zero) + :n, newLeads = if_not_exists(newLeads, :zero) + :n, ' +
    'pending = if_not_exists(pending, :zero) + :n, recentlyGiven = if_not_exists(recentlyGiven, :zero) + :n, ' +
    'inProgressLeads = if_not_exists(inProgressLeads, :zero), ' +
    'newLimitByRatio = if_not_exists(newLimitByRatio, :initialLimit)';
  const values = { ':zero': 0, ':n': count, ':initialLimit': limits.initialNewLimitByRatio };
  if (count === 1) {
    return {
      Key: repCountersItem.key(repId),
      UpdateExpression: update,
      ConditionExpression:
        'attribute_not_exists(PK) OR (openLeads < :maxOpen AND newLeads < :maxNew AND newLeads <= newLimitByRatio)',
      ExpressionAttributeValues: { ...values, ':maxOpen': limits.maxOpen, ':maxNew': limits.maxNew },
    };
  }
  if (newLeadsSeen === undefined) {
    throw new Error(
      `Several leads for rep ${repId} in one transaction need the new-lead count the decision read`,
    );
  }
  // A rep with no counters yet starts from zero and the initial ratio limit.
  const fitFromNothing =
    count <= limits.maxOpen && count <= limits.maxNew && count - 1 <= limits.initialNewLimitByRatio;
  return {
    Key: repCountersItem.key(repId),
    UpdateExpression: update,
    ConditionExpression:
      `${fitFromNothing ? 'attribute_not_exists(PK) OR ' : ''}(openLeads <= :openBefore AND newLeads <= :newBefore AND ` +
      '(newLimitByRatio >= :newCapLessOne OR (newLeads <= :seen AND newLimitByRatio >= :ratioNeeded)))',
    ExpressionAttributeValues: {
      ...values,
      ':openBefore': limits.maxOpen - count,
      ':newBefore': limits.maxNew - count,
      ':newCapLessOne': limits.maxNew - 1,
      ':seen': newLeadsSeen,
      ':ratioNeeded': newLeadsSeen + count - 1,
    },
  };
}

/** The rep's counter of one day or week, conditional on its cap holding after all `count` leads. */
function periodUpdate({ repId, count }: RepTakes, cap: PeriodCap) {
  return {
    Key: repPeriodItem.key(repId, cap.id),
    UpdateExpression: 'SET given = if_not_exists(given, :zero) + :n, expiresAt = :expiresAt',
    ConditionExpression: `${count <= cap.max ? 'attribute_not_exists(given) OR ' : ''}given <= :before`,
    ExpressionAttributeValues: {
      ':zero': 0,
      ':n': count,
      ':before': cap.max - count,
      // Kept a week past the period for explain; reads name the period, so expiry is never needed.
      ':expiresAt': Math.ceil(cap.endsAtMs / 1000) + PERIOD_RETENTION_SECONDS,
    },
  };
}

/** A territory's rotation in a transaction: from the first write's version to the last write's state. */
function rotationsPerTerritory(writes: readonly AssignmentWrite[]) {
  const byTerritory = new Map<
    string,
    { territoryId: string; expectedVersion: number; nextState: DistributionState; at: string }
  >();
  for (const w of writes) {
    if (!w.distribution) continue;
    const { territoryId, expectedVersion, nextState } = w.distribution;
    const first = byTerritory.get(territoryId);
    byTerritory.set(territoryId, {
      territoryId,
      expectedVersion: first?.expectedVersion ?? expectedVersion,
      nextState,
      at: w.at,
    });
  }
  return [...byTerritory.values()];
}

function heldOf(item: ReturnType<typeof heldLeadItem.fromItem>): HeldLead {
  return {
    leadId: item.leadId,
    territoryId: item.territoryId,
    reason: item.reason,
    heldAt: item.heldAt,
    fields: item.fields,
    ...(item.previousOwnerId ? { previousOwnerId: item.previousOwnerId } : {}),
    ...(item.notificationId ? { notificationId: item.notificationId } : {}),
  };
}
