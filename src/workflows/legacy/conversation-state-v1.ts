import { setCurrentDetails } from '@temporalio/workflow';
import type { BookingSummary } from '../../domain/booking';
import { sumUsage, type InboundMessage, type TokenUsage, type ToolUse } from '../../domain/conversation';
import type { ConversationState, ReplyOutcome } from '../definitions';

/** Reads and small updates of a conversation's state, shared by the workflow's loop and handlers. */

/** The outcome of a customer message, or undefined while it is still being handled. */
export function outcomeOf(state: ConversationState, messageId: string): ReplyOutcome | undefined {
  if (state.inbox.pending.some((message) => message.id === messageId)) return undefined;
  const received = state.transcript.find((entry) => entry.role === 'customer' && entry.messageId === messageId);
  if (!received) return state.memoryLoaded ? { answered: false, reason: 'forgotten' } : undefined;
  if (received.role === 'customer' && received.silenced) return { answered: false, reason: received.silenced };
  const reply = state.transcript.find((entry) => entry.role === 'assistant' && entry.inReplyTo.includes(messageId));
  if (reply?.role !== 'assistant') return undefined;
  const { text, provider, model, usage, appointmentConfirmed } = reply;
  return { answered: true, reply: { text, provider, model, usage, appointmentConfirmed } };
}

export function silence(state: ConversationState, batch: readonly InboundMessage[], reason: 'handoff' | 'courtesy'): void {
  const ids = new Set(batch.map((message) => message.id));
  for (const entry of state.transcript) {
    if (entry.role === 'customer' && ids.has(entry.messageId)) entry.silenced = reason;
  }
}

export function addUsage(state: ConversationState, usage: TokenUsage): void {
  state.usage = sumUsage(state.usage, usage);
}

/** Why staff take over after a turn that failed partway, with what its tools had done by then. */
export function failedTurnReason(tools: readonly ToolUse[]): string {
  const done = tools.filter((tool) => tool.outcome === 'ok').map((tool) => `${tool.name} ${tool.arguments}`);
  return 'the assistant could not answer' + (done.length > 0 ? `; before failing it ran: ${done.join('; ')}` : '');
}

/** The contact's bookings this session knows of, each as it last stood, soonest first. */
export function mergeBookings(known: readonly BookingSummary[], changed: readonly BookingSummary[]): BookingSummary[] {
  const byId = new Map(known.map((booking) => [booking.id, booking]));
  for (const booking of changed) byId.set(booking.id, booking);
  return [...byId.values()].sort((a, b) => a.start.localeCompare(b.start));
}

/** The "Current Details" ops see on the workflow's page in the Temporal UI. */
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
