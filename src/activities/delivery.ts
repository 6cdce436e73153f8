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
      if (!(await claimSend(deps.pool, idempotencyKey, ref, text))) return { sent: false };
      const providerMessageId = await sendThrough(deps.channels, ref, text);
      await markSent(deps.pool, idempotencyKey, providerMessageId);
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
