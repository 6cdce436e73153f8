import { WithStartWorkflowOperation, type Client, type WorkflowHandleWithSignaledRunId } from '@temporalio/client';
import type { SearchAttributePair } from '@temporalio/common';
import {
  ConversationRefSchema,
  conversationWorkflowId,
  InboundMessageSchema,
  type ConversationRef,
  type InboundMessage,
} from '../domain/conversation';
import { channelAdapter } from '../channels';
import { temporalContactId } from '../domain/contact-key';
import { settingsFor, type ConversationSettings } from '../domain/conversation-settings';
import { isBareCourtesy } from '../domain/courtesy';
import type { Tenant } from '../domain/tenant';
import { ChannelKey, ContactIdKey, ConversationStatusKey, TenantIdKey } from './search-attributes';
import { chatUpdate, conversationWorkflow, inboundMessageSignal, proactiveMessageSignal, type ProactiveMessage, type ReplyOutcome } from '../workflows';

export interface ConversationStarter {
  client: Client;
  taskQueue: string;
  /** The process's defaults; the tenant and channel decide the rest. */
  conversationDefaults: Omit<ConversationSettings, 'quietPeriodMs'>;
  /** CONTACT_KEY_SECRET: required once a tenant has opaque contact keys. */
  contactKeySecret?: string;
}

/** A message checked and classified where it enters, before it becomes workflow history. */
interface Delivery {
  message: InboundMessage;
  /** How the conversation starts if it is not running; the same for a signal or an update. */
  start: {
    workflowId: string;
    taskQueue: string;
    args: Parameters<typeof conversationWorkflow>;
    typedSearchAttributes: SearchAttributePair[];
    staticSummary: string;
  };
}

type StartOptions = Delivery['start'];

function prepare(
  starter: ConversationStarter,
  tenant: Tenant,
  ref: ConversationRef,
  unvalidatedMessage: InboundMessage,
  channelQuietPeriodMs?: number,
): Delivery {
  const parsed = InboundMessageSchema.parse(unvalidatedMessage);
  const message = { ...parsed, bareCourtesy: isBareCourtesy(parsed.text) };
  return { message, start: startOptions(starter, tenant, ref, channelQuietPeriodMs) };
}

function startOptions(starter: ConversationStarter, tenant: Tenant, unvalidatedRef: ConversationRef, channelQuietPeriodMs?: number): StartOptions {
  const ref = ConversationRefSchema.parse(unvalidatedRef);
  // The workflow's input keeps the real address: it sends to it.
  const contactId = temporalContactId(ref, tenant, starter.contactKeySecret);
  return {
    workflowId: conversationWorkflowId({ ...ref, contactId }),
    taskQueue: starter.taskQueue,
    args: [{ ...ref, settings: settingsFor(ref.channel, quietPeriods(ref, tenant, channelQuietPeriodMs), starter.conversationDefaults) }],
    typedSearchAttributes: [
      { key: TenantIdKey, value: ref.tenantId },
      { key: ChannelKey, value: ref.channel },
      { key: ContactIdKey, value: contactId },
      { key: ConversationStatusKey, value: 'active' },
    ],
    staticSummary: `Conversation with ${contactId} on ${ref.channel} (tenant ${ref.tenantId})`,
  };
}

function quietPeriods(ref: ConversationRef, tenant: Tenant, channelSetting: number | undefined) {
  const channelDefault = ref.channel === 'web' ? 0 : (channelAdapter(ref.channel)?.defaultQuietPeriodMs ?? 0);
  return { channelSetting, tenantSetting: tenant.burstQuietMs, channelDefault };
}

/** A customer message checked where it enters, ready to be handed to its conversation. */
export interface CheckedInboundMessage {
  /** As the conversation will record it. */
  message: InboundMessage;
  /** Signal-with-start: once this resolves the message is durable in Temporal. */
  deliver(): Promise<WorkflowHandleWithSignaledRunId<typeof conversationWorkflow>>;
}

/**
 * Checks a customer message for its conversation (throws what does not pass, before it can become
 * workflow history); `deliver()` then hands it over, starting the conversation if none is running.
 */
export function checkInboundMessage(
  starter: ConversationStarter,
  tenant: Tenant,
  ref: ConversationRef,
  message: InboundMessage,
  /** The tenant's quiet period for this channel, when it set one. */
  channelQuietPeriodMs?: number,
): CheckedInboundMessage {
  const delivery = prepare(starter, tenant, ref, message, channelQuietPeriodMs);
  return {
    message: delivery.message,
    deliver: () =>
      starter.client.workflow.signalWithStart(conversationWorkflow, {
        ...delivery.start,
        signal: inboundMessageSignal,
        signalArgs: [delivery.message],
      }),
  };
}

/** Hands a customer message to its conversation at once (see checkInboundMessage). */
export function deliverInboundMessage(...args: Parameters<typeof checkInboundMessage>): ReturnType<CheckedInboundMessage['deliver']> {
  return checkInboundMessage(...args).deliver();
}

/**
 * Hands a web chat message to its conversation and waits for its outcome, in one call: the
 * message is the update (update-with-start), durable once the workflow has accepted it. Each call
 * may end with `ask_again` (the run made way for the next): call again with the same message.
 */
export function chatWithStart(
  starter: ConversationStarter,
  tenant: Tenant,
  ref: ConversationRef,
  message: InboundMessage,
): Promise<ReplyOutcome> {
  const delivery = prepare(starter, tenant, ref, message);
  const startWorkflowOperation = new WithStartWorkflowOperation(conversationWorkflow, {
    ...delivery.start,
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
  return starter.client.workflow.executeUpdateWithStart(chatUpdate, {
    args: [delivery.message],
    updateId: delivery.message.id,
    startWorkflowOperation,
  });
}

/** Hands a reminder to the contact's conversation, starting one if none is running. */
export async function deliverProactiveMessage(
  starter: ConversationStarter,
  tenant: Tenant,
  ref: ConversationRef,
  message: ProactiveMessage,
  channelQuietPeriodMs?: number,
): Promise<void> {
  await starter.client.workflow.signalWithStart(conversationWorkflow, {
    ...startOptions(starter, tenant, ref, channelQuietPeriodMs),
    signal: proactiveMessageSignal,
    signalArgs: [message],
  });
}
