import { setTimeout as sleep } from 'node:timers/promises';
import { ApplicationFailure } from '@temporalio/activity';
import { sendTelegramText, type TelegramConfig } from '../channels/telegram';
import { claimSend, markSent } from '../db/outbox';
import type { Pool } from '../db/pool';
import { DEMO_TENANT } from '../db/demo-tenant';
import type { ConversationRef } from '../domain/conversation';

/** The demo tenant's channel credentials (CONTRACT.md: from env); others come with tenant config. */
export interface ChannelCredentials {
  telegram?: TelegramConfig;
}

/** Longer than one send attempt can run (the activity's start-to-close is 1 minute). */
const SEND_LEASE_MS = 2 * 60_000;

/**
 * Recording a send that the provider already accepted is worth a few quick tries: giving up
 * leaves the claim to expire and the message to be sent again.
 */
async function withRetries(write: () => Promise<void>, attempts = 5): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (attempt >= attempts) throw error;
      await sleep(200 * attempt);
    }
  }
}

export interface SendToContactInput {
  ref: ConversationRef;
  text: string;
  /** The same for every attempt of one message: the outbox sends it once. */
  idempotencyKey: string;
}

export function createDeliveryActivities(deps: { pool: Pool; channels: ChannelCredentials }) {
  return {
    /** Sends a message to the customer through their conversation's channel, once. */
    async sendToContact({ ref, text, idempotencyKey }: SendToContactInput): Promise<{ sent: boolean }> {
      // Web chat answers travel back on the HTTP request (the awaitReply update).
      if (ref.channel === 'web') return { sent: false };
      const claim = await claimSend(deps.pool, idempotencyKey, ref, text, SEND_LEASE_MS);
      if (claim === 'sent') return { sent: false };
      if (claim === 'in-flight') {
        // Another attempt may be sending it this very moment: ask again once it has finished.
        throw ApplicationFailure.retryable(`Send ${idempotencyKey} is in flight in another attempt`, 'SendInFlight');
      }
      const providerMessageId = await sendThrough(deps.channels, ref, text);
      await withRetries(() => markSent(deps.pool, idempotencyKey, providerMessageId));
      return { sent: true };
    },
  };
}

function sendThrough(channels: ChannelCredentials, ref: ConversationRef, text: string): Promise<string> {
  if (ref.channel === 'telegram' && channels.telegram && ref.tenantId === DEMO_TENANT.id) {
    return sendTelegramText(channels.telegram, ref.contactId, text);
  }
  throw ApplicationFailure.nonRetryable(
    `Channel ${ref.channel} is not configured for tenant ${ref.tenantId}`,
    'ChannelNotConfigured',
  );
}
