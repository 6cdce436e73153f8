import { backoffDelay, type Backoff } from '../backoff';
import type { ConversationRef, InboundMessage } from '../domain/conversation';
import type { Tenant } from '../domain/tenant';
import {
  claimDueInboundMessages,
  holdInboundMessage,
  postponeInboundMessage,
  removeInboundMessage,
  type InboxRow,
} from '../db/inbound-inbox';
import type { Pool } from '../db/pool';
import type { Logger } from '../logger';
import { isServiceUnavailable } from '../service-unavailable';
import { checkInboundMessage, type CheckedInboundMessage, type ConversationStarter } from '../temporal/conversations';

/** Far longer than a signal-with-start takes: a row still leased is being delivered by its process. */
const LEASE_MS = 30_000;
const SWEEP_EVERY_MS = 1_000;
const SWEEP_BATCH = 50;
const RETRY: Backoff = { initialMs: 1_000, maxMs: 30_000 };

export interface InboundInboxDeps {
  starter: ConversationStarter;
  pool: Pool;
  logger: Pick<Logger, 'warn' | 'error'>;
  findTenant(id: string): Promise<Tenant | undefined>;
}

export interface InboundInbox {
  /**
   * Resolves once the message is durable, so that its webhook may be answered 200: written to
   * PostgreSQL (then handed to Temporal right after), or, with PostgreSQL down, handed to Temporal
   * first. Throws what does not pass the conversation's checks (a ZodError), and what leaves the
   * message in neither.
   */
  accept(tenant: Tenant, ref: ConversationRef, message: InboundMessage, channelQuietPeriodMs?: number): Promise<void>;
  /** Stops looking for rows to take over, and waits for the deliveries under way. */
  stop(): Promise<void>;
}

/**
 * A webhook's answer waits for one PostgreSQL insert, not for Temporal: under load a
 * signal-with-start waits behind the conversations' own writes (a second, where an insert takes
 * milliseconds), and providers redeliver what is acknowledged late. A message is then handed to
 * its conversation by the process that took it; rows that process could not deliver (Temporal
 * down, the process died) are taken over by any API process once their lease runs out. A message
 * handed over twice is recorded once: the conversation ignores a message id it has seen.
 */
export function startInboundInbox({ starter, pool, logger, findTenant }: InboundInboxDeps): InboundInbox {
  const underWay = new Set<Promise<void>>();
  const track = (delivery: Promise<void>) => {
    underWay.add(delivery);
    void delivery.finally(() => underWay.delete(delivery));
  };

  async function handOver(row: InboxRow, checked: CheckedInboundMessage): Promise<void> {
    const { tenantId, channel } = row.delivery.ref;
    try {
      await checked.deliver();
    } catch (error) {
      logger.warn({ err: error, tenant: tenantId, channel, attempts: row.attempts + 1 }, 'inbound message not yet handed to its conversation; retrying');
      // Unrecorded (PostgreSQL down too), the lease running out brings the row back all the same.
      await postponeInboundMessage(pool, row.id, backoffDelay(row.attempts + 1, RETRY)).catch(() => undefined);
      return;
    }
    await removeInboundMessage(pool, row.id).catch((error: unknown) => {
      logger.warn({ err: error, tenant: tenantId, channel }, 'delivered inbound message left in the inbox; it will be handed over again and ignored');
    });
  }

  /** Rows whose process died or whose delivery failed, one at a time so that a contact's messages keep their order. */
  async function takeOverDue(): Promise<void> {
    const rows = await claimDueInboundMessages(pool, SWEEP_BATCH, LEASE_MS);
    for (const row of rows) {
      const { ref, message, channelQuietPeriodMs } = row.delivery;
      const tenant = await findTenant(ref.tenantId);
      if (!tenant) {
        await removeInboundMessage(pool, row.id);
        continue;
      }
      await handOver(row, checkInboundMessage(starter, tenant, ref, message, channelQuietPeriodMs));
    }
  }

  let sweeping: Promise<void> | undefined;
  const timer = setInterval(() => {
    if (sweeping) return;
    sweeping = takeOverDue()
      .catch((error: unknown) => {
        if (!isServiceUnavailable(error)) logger.error({ err: error }, 'inbound inbox sweep failed');
      })
      .finally(() => (sweeping = undefined));
  }, SWEEP_EVERY_MS);
  timer.unref();

  return {
    async accept(tenant, ref, message, channelQuietPeriodMs) {
      const checked = checkInboundMessage(starter, tenant, ref, message, channelQuietPeriodMs);
      let row: InboxRow | undefined;
      try {
        row = await holdInboundMessage(pool, { ref, message: checked.message, channelQuietPeriodMs }, LEASE_MS);
      } catch (error) {
        if (!isServiceUnavailable(error)) throw error;
        await checked.deliver();
        return;
      }
      // After this turn of the event loop, once the webhook's answer is written: the hand-over's
      // encoding and gRPC writes are no part of the acknowledgement.
      if (row) track(new Promise<void>((resolve) => setImmediate(() => resolve(handOver(row, checked)))));
    },
    async stop() {
      clearInterval(timer);
      await Promise.allSettled([sweeping, ...underWay]);
    },
  };
}
