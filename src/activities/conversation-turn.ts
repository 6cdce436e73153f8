import {
  archiveMessages,
  loadSessionWindow,
  loadSessionSummary,
  openSession,
  saveSession,
  saveSessionSummary,
  type ContactMemory,
  type SessionOpening,
  type SessionRecord,
} from '../db/conversations';
import type { Choice } from '../channels/adapter';
import { setOptedOut } from '../db/contacts';
import { detectLanguage } from '../domain/offline-model/language';
import { slotChoices } from '../domain/slot-choices';
import type { Pool } from '../db/pool';
import { consentCommand, consentReply, type ConsentCommand } from '../domain/consent';
import type { ConversationRef, RequestContext, TokenUsage, TranscriptEntry } from '../domain/conversation';
import type { ToolStep } from '../domain/prompt';
import { cleanText } from '../domain/text';
import { sumUsage } from '../domain/usage';
import { checkToolCall, type ToolCallCheck } from '../domain/tools';
import type { AssistantStep, AssistantStepInput } from './assistant';
import { activityCallLimits } from './call-limits';
import type { SummaryInput } from './memory';
import { findLead } from '../db/leads';
import { leadSummary, type LeadSummary } from '../domain/leads';
import { recordUsage, replyLatency } from './usage';

/**
 * The conversation's turn and memory as engine v2 runs them. The transcript lives in PostgreSQL
 * (written through, idempotent by sequence number) rather than in every activity's input, so a
 * turn's history stays the same size however long the conversation gets.
 */

export interface TurnStepInput {
  customer: ConversationRef;
  sessionId: string;
  /** Entries the workflow has not written yet: written first (a retry rewrites nothing). */
  newEntries: TranscriptEntry[];
  /** The oldest entry the model sees; older ones are in the summary. */
  windowStart: number;
  context?: RequestContext;
  /** This turn's tool rounds so far, with their results. */
  steps: ToolStep[];
  toolsAllowed: boolean;
}

/**
 * One model step, its tool calls already checked against their schemas (`checks[i]` for
 * `toolCalls[i]`). Checked here, not in the workflow: a schema library's upgrade must not change
 * what a replayed workflow decides.
 */
export interface TurnStep extends AssistantStep {
  checks: ToolCallCheck[];
  /** The free times a final reply offers, for channels with buttons. */
  choices?: Choice[];
}

export interface FoldInput {
  sessionId: string;
  tenantId: string;
  newEntries: TranscriptEntry[];
  /** The oldest entries of the window, to fold into the running summary. */
  folded: TranscriptEntry[];
}

export type CloseInput = SessionRecord & Omit<FoldInput, 'sessionId' | 'tenantId'>;

const NO_USAGE: TokenUsage = { promptTokens: 0, completionTokens: 0 };
/** How the confirmation of a "baja" shows where replies show their model. */
const CONSENT_AUTHOR = { provider: 'concierge', model: 'consent', usage: NO_USAGE };

/** The latest opt-out or opt-in among the messages being answered (those after the last reply). */
function consentRequested(entries: readonly TranscriptEntry[]): ConsentCommand | undefined {
  let command: ConsentCommand | undefined;
  for (let i = entries.length - 1; i >= 0 && entries[i]!.role === 'customer' && !command; i--) command = consentCommand(entries[i]!.text);
  return command;
}

type Summarize = (input: SummaryInput) => Promise<{ summary: string; usage: TokenUsage }>;

export function createConversationTurnActivities(deps: {
  pool: Pool;
  assistantStep: (input: AssistantStepInput) => Promise<AssistantStep>;
  summarizeConversation: Summarize;
}) {
  const write = (input: { sessionId: string; tenantId: string; newEntries: TranscriptEntry[] }) =>
    archiveMessages(deps.pool, input.sessionId, input.tenantId, input.newEntries);

  return {
    /** Records the session and returns what the contact's earlier sessions left, their lead included. */
    async openSession(opening: SessionOpening): Promise<ContactMemory & { lead?: LeadSummary }> {
      const [memory, lead] = await Promise.all([openSession(deps.pool, opening), findLead(deps.pool, opening)]);
      return lead ? { ...memory, lead: leadSummary(lead) } : memory;
    },

    async assistantTurnStep(input: TurnStepInput): Promise<TurnStep> {
      activityCallLimits(); // the model's time counts from here, before the reads and writes
      const { tenantId } = input.customer;
      await write({ sessionId: input.sessionId, tenantId, newEntries: input.newEntries });
      const { summary, entries } = await loadSessionWindow(deps.pool, input.sessionId, input.windowStart);
      const consent = input.steps.length === 0 ? consentRequested(entries) : undefined;
      if (consent) {
        // Decided here, not by the model: stopping messages must not depend on a model's reading.
        await setOptedOut(deps.pool, input.customer, consent.optOut);
        await recordUsage(deps.pool, replyLatency(input.customer, entries));
        return { text: consentReply(consent), toolCalls: [], checks: [], ...CONSENT_AUTHOR };
      }
      const step = await deps.assistantStep({
        tenantId,
        transcript: entries,
        summary,
        context: input.context,
        customer: input.customer,
        steps: input.steps,
        toolsAllowed: input.toolsAllowed,
      });
      const text = step.text === undefined ? undefined : cleanText(step.text);
      const choices = text && step.toolCalls.length === 0 ? slotChoices(input.steps, text, detectLanguage(text) ?? 'es') : undefined;
      // The turn's last step: its reply goes out next.
      if (text && step.toolCalls.length === 0) await recordUsage(deps.pool, replyLatency(input.customer, entries));
      return { ...step, text, checks: step.toolCalls.map(checkToolCall), ...(choices ? { choices } : {}) };
    },

    /** Writes what is new, then folds the oldest entries into the session's running summary. */
    async foldMemory(input: FoldInput): Promise<{ summary: string; usage: TokenUsage }> {
      activityCallLimits();
      await write(input);
      return fold(input.sessionId, input.folded);
    },

    /**
     * Writes the last entries, folds what is left of the window into the summary, and closes the
     * session: what the contact's next one remembers.
     */
    async closeSession({ newEntries, folded, ...session }: CloseInput): Promise<{ summary: string }> {
      activityCallLimits();
      await write({ sessionId: session.sessionId, tenantId: session.tenantId, newEntries });
      const { summary, usage } = folded.length > 0 ? await fold(session.sessionId, folded) : { summary: session.summary, usage: NO_USAGE };
      await saveSession(deps.pool, { ...session, summary, usage: sumUsage(session.usage, usage) });
      return { summary };
    },
  };

  async function fold(sessionId: string, entries: TranscriptEntry[]): Promise<{ summary: string; usage: TokenUsage }> {
    const previousSummary = await loadSessionSummary(deps.pool, sessionId);
    const folded = await deps.summarizeConversation({ previousSummary, entries });
    await saveSessionSummary(deps.pool, sessionId, folded.summary);
    return folded;
  }
}
