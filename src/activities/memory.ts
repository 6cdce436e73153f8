import { archiveMessages, loadContactMemory, saveSession, type ContactMemory, type SessionRecord } from '../db/conversations';
import type { Pool } from '../db/pool';
import type { ConversationRef, TokenUsage, TranscriptEntry } from '../domain/conversation';
import { appendToSummary, MAX_SUMMARY_CHARS } from '../domain/memory';
import { buildSummaryMessages } from '../domain/prompt';
import { activityCallLimits } from './call-limits';
import { withHeartbeat } from './heartbeat';
import { AllProvidersFailedError, completeChat, type ModelChain } from './llm-providers';

export interface SummaryInput {
  previousSummary: string;
  entries: TranscriptEntry[];
}

export function createMemoryActivities(deps: { pool: Pool; chain: ModelChain }) {
  return {
    loadContactMemory: (ref: ConversationRef): Promise<ContactMemory> => loadContactMemory(deps.pool, ref),

    archiveMessages: (input: { sessionId: string; tenantId: string; entries: TranscriptEntry[] }): Promise<void> =>
      archiveMessages(deps.pool, input.sessionId, input.tenantId, input.entries),

    saveSession: (session: SessionRecord): Promise<void> => saveSession(deps.pool, session),

    /** Folds entries into the running summary; the model does it when there is one. */
    async summarizeConversation(input: SummaryInput): Promise<{ summary: string; usage: TokenUsage }> {
      const withoutModel = { summary: appendToSummary(input.previousSummary, input.entries), usage: { promptTokens: 0, completionTokens: 0 } };
      if (deps.chain.clients.length === 0) return withoutModel;
      const limits = activityCallLimits();
      const request = { messages: buildSummaryMessages(input.previousSummary, input.entries), tools: [], toolsAllowed: false };
      try {
        const reply = await withHeartbeat(() => completeChat(deps.chain, request, limits));
        // A model that ignores the length limit must not make the prompt grow without bound.
        return { summary: (reply.text ?? '').slice(0, MAX_SUMMARY_CHARS), usage: reply.usage };
      } catch (error) {
        // No model today: keep the facts verbatim rather than hold the conversation up.
        if (error instanceof AllProvidersFailedError) return withoutModel;
        throw error;
      }
    },
  };
}
