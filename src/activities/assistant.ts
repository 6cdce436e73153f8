import { ApplicationFailure, log } from '@temporalio/activity';
import { findTenant } from '../db/tenants';
import type { AssistantReply, RequestContext, TranscriptEntry } from '../domain/conversation';
import { buildSystemPrompt, toChatMessages } from '../domain/prompt';
import { standInReply, unavailableReply } from '../domain/stand-in-responder';
import type { Pool } from '../db/pool';
import { withHeartbeat } from './heartbeat';
import { AllProvidersFailedError, completeChat, type ProviderClient } from './llm-providers';

export interface AssistantTurnInput {
  tenantId: string;
  /** The recent messages, verbatim. */
  transcript: TranscriptEntry[];
  /** What was folded out of the transcript, and what earlier conversations left. */
  summary: string;
  context?: RequestContext;
}

export function createAssistantActivities(deps: { pool: Pool; providers: ProviderClient[] }) {
  return {
    /** One assistant turn: the reply to the conversation so far. */
    async generateReply(input: AssistantTurnInput): Promise<AssistantReply> {
      const tenant = await findTenant(deps.pool, input.tenantId);
      if (!tenant) throw ApplicationFailure.nonRetryable(`Unknown tenant "${input.tenantId}"`, 'UnknownTenant');
      if (deps.providers.length === 0) return standInReply(tenant, input.transcript);
      const messages = [
        { role: 'system' as const, content: buildSystemPrompt(tenant, new Date(), input.context) },
        ...toChatMessages(input.transcript, input.summary),
      ];
      try {
        return await withHeartbeat(() => completeChat(deps.providers, messages));
      } catch (error) {
        if (!(error instanceof AllProvidersFailedError)) throw error;
        log.warn('every LLM provider failed; handing over to staff', { failures: error.failures });
        return unavailableReply(tenant);
      }
    },
  };
}
