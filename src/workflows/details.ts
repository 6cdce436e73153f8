import { setCurrentDetails } from '@temporalio/workflow';
import type { ConversationState } from '../domain/conversation-session';

/** The "Current Details" ops see on the conversation's page in the Temporal UI. */
export function showDetails(state: ConversationState): void {
  const last = state.transcript.at(-1);
  setCurrentDetails(
    [
      `**Contact** ${state.displayName ?? state.contactId} on ${state.channel} · **Status** ${state.status}` +
        (state.handoff ? ` (${state.handoff.reason})` : ''),
      `**Turns** ${state.turns} · **Tokens** ${state.usage.promptTokens + state.usage.completionTokens}` +
        (state.usage.costUsd ? ` · **Cost** ~$${state.usage.costUsd.toFixed(4)}` : ''),
      last ? `**Last** (${last.role}, ${last.at}): ${last.text.slice(0, 200)}` : '',
      state.summary ? `**Summary** ${state.summary.slice(-300)}` : '',
    ]
      .filter(Boolean)
      .join('\n\n'),
  );
}
