import type { Client, WorkflowHandleWithSignaledRunId } from '@temporalio/client';
import {
  ConversationRefSchema,
  conversationWorkflowId,
  InboundMessageSchema,
  type ConversationRef,
  type InboundMessage,
} from '../domain/conversation';
import { settingsFor, type ConversationSettings } from '../domain/conversation-settings';
import type { Tenant } from '../domain/tenant';
import { ChannelKey, ContactIdKey, ConversationStatusKey, TenantIdKey } from '../temporal/search-attributes';
import { conversationWorkflow, inboundMessageSignal } from '../workflows';

export interface ConversationStarter {
  client: Client;
  taskQueue: string;
  /** The process's defaults; the tenant and channel decide the rest. */
  conversationDefaults: Omit<ConversationSettings, 'quietPeriodMs'>;
}

/**
 * Hands a customer message to its conversation, starting the conversation if none is running.
 * Once this resolves the message is durable in Temporal: the webhook may be acknowledged.
 * Whatever a channel adapter built is checked here, before it becomes workflow history.
 */
export function deliverInboundMessage(
  starter: ConversationStarter,
  tenant: Tenant,
  unvalidatedRef: ConversationRef,
  unvalidatedMessage: InboundMessage,
): Promise<WorkflowHandleWithSignaledRunId<typeof conversationWorkflow>> {
  const ref = ConversationRefSchema.parse(unvalidatedRef);
  const message = InboundMessageSchema.parse(unvalidatedMessage);
  return starter.client.workflow.signalWithStart(conversationWorkflow, {
    workflowId: conversationWorkflowId(ref),
    taskQueue: starter.taskQueue,
    args: [{ ...ref, settings: settingsFor(ref.channel, tenant, starter.conversationDefaults) }],
    signal: inboundMessageSignal,
    signalArgs: [message],
    typedSearchAttributes: [
      { key: TenantIdKey, value: ref.tenantId },
      { key: ChannelKey, value: ref.channel },
      { key: ContactIdKey, value: ref.contactId },
      { key: ConversationStatusKey, value: 'active' },
    ],
    staticSummary: `Conversation with ${ref.contactId} on ${ref.channel} (tenant ${ref.tenantId})`,
  });
}
