import { setCurrentDetails, workflowInfo } from '@temporalio/workflow';
import type { BookingSummary } from '../domain/booking';
import type { ConversationState } from '../domain/conversation-session';
import type { Language } from '../domain/language';
import { customerLanguage } from './summaries';

/**
 * The "Current Details" ops read on a workflow's page in the Temporal UI (markdown). Shown, not
 * recorded: setting them adds nothing to the history, so their wording may change freely.
 */

/** A link to another workflow's page in the same namespace of the Temporal UI. */
export function workflowLink(workflowId: string): string {
  return `[${workflowId}](/namespaces/${encodeURIComponent(workflowInfo().namespace)}/workflows/${encodeURIComponent(workflowId)})`;
}

export function showDetails(state: ConversationState): void {
  const last = state.transcript.at(-1);
  const next = nextAppointment(state.bookings ?? []);
  setCurrentDetails(
    [
      `**Contact** ${state.displayName ?? contactInWorkflowId()} on ${state.channel} · **Status** ${state.status}`,
      state.handoff ? handoffLine(state.handoff.reason, customerLanguage(state.transcript) ?? 'en') : '',
      next ? `**Next appointment** ${next.service}, ${next.label} (${next.status}; the business's local time) · ${workflowLink(`appointment:${next.id}`)}` : '',
      `**Turns** ${state.turns} · **Tokens** ${state.usage.promptTokens + state.usage.completionTokens}` +
        (state.usage.costUsd ? ` · **Cost** ~$${state.usage.costUsd.toFixed(4)}` : ''),
      last ? `**Last** (${last.role}, ${last.at}): ${last.text.slice(0, 200)}` : '',
      state.summary ? `**Summary** ${state.summary.slice(-300)}` : '',
    ]
      .filter(Boolean)
      .join('\n\n'),
  );
}

/**
 * The contact as the conversation's id names them (conversation:<tenant>:<channel>:<contact>): their
 * key, never their phone, for a tenant with opaque contact keys. No part of the id holds a colon.
 */
function contactInWorkflowId(): string {
  const { workflowId } = workflowInfo();
  return workflowId.slice(workflowId.lastIndexOf(':') + 1);
}

/** The soonest booking still ahead and not cancelled. The workflow's clock: deterministic. */
function nextAppointment(bookings: readonly BookingSummary[]): BookingSummary | undefined {
  return bookings.find((booking) => booking.status !== 'cancelled' && Date.parse(booking.start) > Date.now());
}

/**
 * Reasons the engine itself gives, in English in the history, and how they read in Spanish. A
 * reason staff or the model wrote is shown as written (the model writes it in the business's words).
 */
const ENGINE_REASONS_ES: Array<[RegExp, string]> = [
  [/^staff replied$/, 'respondió alguien del equipo'],
  [/^the assistant could not answer \(every LLM provider failed\)$/, 'el asistente no pudo responder (fallaron todos los proveedores de IA)'],
  [/^the assistant could not answer; before failing it ran: /, 'el asistente no pudo responder; antes de fallar hizo: '],
  [/^the assistant could not answer$/, 'el asistente no pudo responder'],
];

const HANDOFF_TITLE: Record<Language, string> = { es: 'Atendida por una persona — motivo:', en: 'With a person — reason:' };

/** Why a person has the conversation, in the customer's language: the staff who answer speak it. */
export function handoffLine(reason: string, language: Language): string {
  let text = reason;
  if (language === 'es') {
    const known = ENGINE_REASONS_ES.find(([pattern]) => pattern.test(reason));
    if (known) text = reason.replace(known[0], known[1]);
  }
  return `**${HANDOFF_TITLE[language]}** ${text}`;
}
