import {
  allHandlersFinished,
  condition,
  defineQuery,
  defineSignal,
  defineUpdate,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type {
  AssistantReply,
  ConversationRef,
  ConversationStatus,
  InboundMessage,
  RequestContext,
  TranscriptEntry,
} from '../domain/conversation';
import { ConversationStatusKey } from '../temporal/search-attributes';

export interface ConversationInput extends ConversationRef {
  /** Nothing pending for this long closes the conversation. */
  idleTimeoutMs: number;
}

export interface ConversationState extends ConversationRef {
  status: ConversationStatus;
  transcript: TranscriptEntry[];
  /** The latest metadata a caller attached (CRM, web page); goes into the prompt. */
  context?: RequestContext;
}

type AssistantEntry = Extract<TranscriptEntry, { role: 'assistant' }>;

export const inboundMessageSignal = defineSignal<[InboundMessage]>('inboundMessage');
/** Resolves with the reply that answered the given message, once there is one (web chat). */
export const awaitReplyUpdate = defineUpdate<AssistantReply, [{ messageId: string }]>('awaitReply');
export const stateQuery = defineQuery<ConversationState>('state');

const { generateReply } = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s', maximumAttempts: 5 },
});

/** One customer's conversation on one channel: customer messages in, assistant replies out. */
export async function conversationWorkflow(input: ConversationInput): Promise<ConversationState> {
  const state: ConversationState = {
    tenantId: input.tenantId,
    channel: input.channel,
    contactId: input.contactId,
    status: 'active',
    transcript: [],
  };
  const seenMessageIds = new Set<string>();
  const pending: InboundMessage[] = [];

  const replyTo = (messageId: string) =>
    state.transcript.find(
      (entry): entry is AssistantEntry => entry.role === 'assistant' && entry.inReplyTo.includes(messageId),
    );

  // Handlers only record; the loop below does the work, one turn at a time.
  setHandler(inboundMessageSignal, (message) => {
    if (seenMessageIds.has(message.id)) return; // a provider's redelivery
    seenMessageIds.add(message.id);
    pending.push(message);
    if (message.context) state.context = message.context;
    state.transcript.push({ role: 'customer', messageId: message.id, text: message.text, at: message.receivedAt });
  });
  setHandler(
    awaitReplyUpdate,
    async ({ messageId }) => {
      await condition(() => replyTo(messageId) !== undefined);
      const { text, provider, model, usage } = replyTo(messageId)!;
      return { text, provider, model, usage };
    },
    {
      validator: ({ messageId }) => {
        if (!seenMessageIds.has(messageId)) throw new Error(`No message ${messageId} in this conversation`);
      },
    },
  );
  setHandler(stateQuery, () => state);
  showDetails(state);

  for (;;) {
    // Don't trust the timeout's verdict: a message and the idle timer can land in one activation.
    await condition(() => pending.length > 0, input.idleTimeoutMs);
    if (pending.length > 0) {
      const answered = pending.splice(0);
      const reply = await generateReply({ tenantId: state.tenantId, transcript: state.transcript, context: state.context });
      state.transcript.push({
        role: 'assistant',
        ...reply,
        at: new Date().toISOString(),
        inReplyTo: answered.map((message) => message.id),
      });
      showDetails(state);
      continue;
    }
    // Idle: let running handlers finish; a message that arrives meanwhile keeps the conversation open.
    await condition(allHandlersFinished);
    if (pending.length === 0) break;
  }

  state.status = 'closed';
  upsertSearchAttributes([{ key: ConversationStatusKey, value: state.status }]);
  showDetails(state);
  return state;
}

/** The "Current Details" ops see on the workflow's page in the Temporal UI. */
function showDetails(state: ConversationState): void {
  const last = state.transcript.at(-1);
  setCurrentDetails(
    [
      `**Contact** ${state.contactId} on ${state.channel} · **Status** ${state.status}`,
      `**Messages** ${state.transcript.length}`,
      last ? `**Last** (${last.role}, ${last.at}): ${last.text.slice(0, 200)}` : '',
    ]
      .filter(Boolean)
      .join('\n\n'),
  );
}
