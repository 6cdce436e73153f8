import { setTimeout as sleep } from 'node:timers/promises';
import { ApplicationFailure } from '@temporalio/activity';
import type { Choice, OutboundMessage } from '../channels/adapter';
import type { ChannelSetup, ChannelSetupLookup } from '../channels/setup';
import { isBookingLiveAt } from '../db/appointments';
import { isOptedOut, lastInboundAt } from '../db/contacts';
import { claimSend, findSentMessage, markSent } from '../db/outbox';
import type { Pool } from '../db/pool';
import type { ConversationRef } from '../domain/conversation';
import { reminderBookingOf } from '../domain/reminder-key';
import { USAGE_METRICS } from '../domain/usage-metrics';
import { eventCounter, recordUsage } from './usage';

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
  /** Options the customer can tap, where the channel has buttons. */
  choices?: Choice[];
  /**
   * A message we start (a reminder), not an answer: an opted-out contact does not get it, and
   * where free text cannot reach the contact it goes as the channel's approved template.
   */
  proactive?: { templateParameters: string[] };
  /** The sender's clock (the workflow's): the customer-service window is judged by it. */
  sentAt?: string;
}

/**
 * What became of a message, as ops read it in the Temporal UI: `sent-before` (an earlier attempt
 * sent it), `web-page` (web chat: the page reads it, nothing to send), `not-sent` only when it
 * deliberately was not. Histories from before record `{ sent, reason }`; nothing reads either.
 */
export type SendResult =
  | { delivery: 'sent' | 'sent-before' | 'web-page' }
  | { delivery: 'not-sent'; reason: 'opted-out' | 'no-template' | 'booking-changed' };

export interface TemplateResendInput {
  ref: ConversationRef;
  /** The provider's id of the message it refused. */
  providerMessageId: string;
}

export function createDeliveryActivities(deps: { pool: Pool; channels: ChannelSetupLookup }) {
  /** Sends once per idempotency key, through the outbox: the one path every message takes. */
  async function deliver(input: SendToContactInput, compose: (setup: ChannelSetup) => Promise<OutboundMessage>): Promise<SendResult> {
    const { ref, text, idempotencyKey } = input;
    // Checked at send time: a "baja", a cancel or a reschedule after the reminder was planned still stops it.
    if (input.proactive && (await isOptedOut(deps.pool, ref))) return { delivery: 'not-sent', reason: 'opted-out' };
    const reminded = input.proactive ? reminderBookingOf(idempotencyKey) : undefined;
    if (reminded && !(await isBookingLiveAt(deps.pool, ref.tenantId, reminded.bookingId, reminded.start))) {
      return { delivery: 'not-sent', reason: 'booking-changed' };
    }
    const setup = await channel(ref);
    const claim = await claimSend(deps.pool, idempotencyKey, ref, { text, templateParameters: input.proactive?.templateParameters }, SEND_LEASE_MS);
    if (claim === 'sent') return { delivery: 'sent-before' };
    if (claim === 'in-flight') {
      // Another attempt may be sending it this very moment: ask again once it has finished.
      throw ApplicationFailure.retryable(`Send ${idempotencyKey} is in flight in another attempt`, 'SendInFlight');
    }
    const providerMessageId = await setup.adapter.send(setup.credentials, ref.contactId, await compose(setup)).catch(async (error: unknown) => {
      await recordUsage(deps.pool, [eventCounter(USAGE_METRICS.errors, ref.tenantId, { kind: 'delivery' })]);
      throw error;
    });
    await withRetries(() => markSent(deps.pool, idempotencyKey, providerMessageId));
    return { delivery: 'sent' };
  }

  async function channel(ref: ConversationRef): Promise<ChannelSetup> {
    const setup = ref.channel === 'web' ? undefined : await deps.channels(ref.tenantId, ref.channel);
    if (!setup) throw ApplicationFailure.nonRetryable(`Channel ${ref.channel} is not configured for tenant ${ref.tenantId}`, 'ChannelNotConfigured');
    return setup;
  }

  return {
    /** Sends a message to the customer through their conversation's channel, once. */
    async sendToContact(input: SendToContactInput): Promise<SendResult> {
      // Web chat answers travel back on the HTTP request; the page reads the rest from the transcript.
      if (input.ref.channel === 'web') return { delivery: 'web-page' };
      return deliver(input, (setup) => outboundMessage(deps.pool, setup, input));
    },

    /** Sends a refused proactive message again as the channel's template (once). */
    async resendAsTemplate({ ref, providerMessageId }: TemplateResendInput): Promise<SendResult> {
      const refused = await findSentMessage(deps.pool, ref, providerMessageId);
      const { reminderTemplate } = await channel(ref);
      if (!refused?.templateParameters || !reminderTemplate) return { delivery: 'not-sent', reason: 'no-template' };
      const proactive = { templateParameters: refused.templateParameters };
      return deliver({ ref, text: refused.text, idempotencyKey: `${refused.idempotencyKey}:template`, proactive }, async () => ({
        text: refused.text,
        template: { ...reminderTemplate, parameters: refused.templateParameters! },
      }));
    },
  };
}

/** The message as the channel takes it: a proactive one as a template where free text cannot go. */
async function outboundMessage(pool: Pool, setup: ChannelSetup, input: SendToContactInput): Promise<OutboundMessage> {
  const message: OutboundMessage = { text: input.text, ...(input.choices?.length ? { choices: input.choices } : {}) };
  if (!input.proactive || !setup.reminderTemplate || !setup.adapter.mustUseTemplate) return message;
  const known: OutboundMessage = { ...message, lastInboundAt: await lastInboundAt(pool, input.ref) };
  if (!setup.adapter.mustUseTemplate(known, input.sentAt ? new Date(input.sentAt) : new Date())) return known;
  return { ...known, template: { ...setup.reminderTemplate, parameters: input.proactive.templateParameters } };
}
