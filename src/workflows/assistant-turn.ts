import { ActivityFailure, log, proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { TurnStep, TurnStepInput } from '../activities/conversation-turn';
import type { ToolAnswer, ToolEffects, ToolInput } from '../activities/tools';
import type { BookingSummary } from '../domain/booking';
import type { LeadSummary } from '../domain/leads';
import type { AssistantReply, ConversationRef, Media, TokenUsage, ToolUse } from '../domain/conversation';
import type { ToolStep } from '../domain/prompt';
import type { ProposedToolCall, ToolArgs, ToolCallCheck, ToolName, ToolResult } from '../domain/tools';
import { sumUsage } from '../domain/usage';
import type { Language } from '../domain/language';
import { FOLLOW_BOOKING, MODEL_CALL, READING_TOOL, WRITING_TOOL } from './activity-options';
import { toolSummary } from './summaries';

const model = proxyActivities<Activities>(MODEL_CALL);
const writingTools = proxyActivities<Activities>(WRITING_TOOL);
const readingTools = proxyLocalActivities<Activities>(READING_TOOL);
const { followBooking } = proxyActivities<Activities>(FOLLOW_BOOKING);

/** Rounds of tool calls one turn may take; then the model must answer with what it has. */
export const MAX_TOOL_ROUNDS = 4;
/**
 * Calls run per round; more are refused. A model that repeats itself, or is talked into booking
 * every free slot, must not run unbounded tools (nor grow the history past its headroom).
 */
export const MAX_CALLS_PER_ROUND = 5;

type ToolActivity<Name extends ToolName> = ((input: ToolInput<ToolArgs<Name>>) => Promise<ToolAnswer<unknown>>) & {
  executeWithOptions(options: { summary: string }, args: [ToolInput<ToolArgs<Name>>]): Promise<ToolAnswer<unknown>>;
};
/** Read-only tools run inside the workflow task (local activities); the rest as activities. lookup_lead is the MCP server's. */
const TOOL_ACTIVITIES: { [Name in ToolName]: ToolActivity<Name> } = {
  search_services: readingTools.searchServicesTool,
  check_availability: readingTools.checkAvailabilityTool,
  suggest_slots: readingTools.suggestSlotsTool,
  list_my_bookings: readingTools.listMyBookingsTool,
  create_booking: writingTools.createBookingTool,
  reschedule_booking: writingTools.rescheduleBookingTool,
  cancel_booking: writingTools.cancelBookingTool,
  confirm_booking: writingTools.confirmBookingTool,
  escalate_to_human: readingTools.escalateToHumanTool,
  save_lead_details: writingTools.saveLeadDetailsTool,
  qualify_lead: writingTools.qualifyLeadTool,
  lookup_lead: readingTools.lookupLeadTool,
};

/**
 * What a turn produced. `reply` is missing when the model failed partway with an error no retry
 * fixes; what its tools did by then still counts and is reported.
 */
export interface AssistantTurn {
  reply?: AssistantReply;
  /** Whether a step ran, and so wrote the turn's new transcript entries. */
  entriesWritten: boolean;
  /** The tools the model called, in order. */
  tools: ToolUse[];
  /** The bookings its tools changed, as they now stand. */
  bookings: BookingSummary[];
  /** The contact's lead, if a tool changed it, as it now stands. */
  lead?: LeadSummary;
}

export type TurnRequest = Omit<TurnStepInput, 'steps' | 'toolsAllowed'>;

/**
 * One assistant turn: the model proposes tool calls (checked by its activity against their
 * schemas), the valid ones run as activities with the conversation's own tenant, and the results
 * go back to the model, until it answers in text or the rounds run out. The transcript's new
 * entries are written by the first step only.
 */
export async function runAssistantTurn(request: TurnRequest, language?: Language): Promise<AssistantTurn> {
  const ref = request.customer;
  const steps: ToolStep[] = [];
  const tools: ToolUse[] = [];
  const effects: ToolEffects[] = [];
  const done = (reply?: AssistantReply): AssistantTurn => ({
    reply,
    entriesWritten: steps.length > 0 || reply !== undefined,
    tools,
    bookings: effects.flatMap((effect) => (effect.booking ? [effect.booking] : [])),
    lead: effects.filter((effect) => effect.lead).at(-1)?.lead,
  });
  let usage: TokenUsage = { promptTokens: 0, completionTokens: 0, costUsd: 0 };
  let escalation: AssistantReply['escalation'];
  for (let round = 0; ; round++) {
    let answer: TurnStep;
    try {
      answer = await model.assistantTurnStep.executeWithOptions({ summary: `model step ${round + 1}` }, [
        { ...request, newEntries: round === 0 ? request.newEntries : [], steps, toolsAllowed: round < MAX_TOOL_ROUNDS },
      ]);
    } catch (error) {
      if (!(error instanceof ActivityFailure)) throw error;
      log.warn('the assistant failed partway through a turn', { round, error: error.cause?.name });
      return done();
    }
    usage = sumUsage(usage, answer.usage);
    escalation ??= answer.escalation;
    if (answer.toolCalls.length === 0) {
      const appointmentConfirmed = effects.some((effect) => effect.appointmentConfirmed) || undefined;
      const { text = '', provider, model: modelName, choices } = answer;
      return done({ text, provider, model: modelName, usage, escalation, appointmentConfirmed, ...(tools.length > 0 ? { tools } : {}), ...(choices ? { choices } : {}) });
    }
    const results: ToolResult[] = [];
    for (const [index, call] of answer.toolCalls.entries()) {
      const check = answer.checks[index]!;
      const { result, handoffReason, effects: callEffects } =
        index < MAX_CALLS_PER_ROUND ? await runTool(ref, check, language) : { result: tooManyCalls(call) };
      if (handoffReason) escalation ??= { reason: handoffReason };
      if (callEffects) effects.push(callEffects);
      results.push(result);
      tools.push({ name: call.name, arguments: call.arguments, outcome: result.outcome });
    }
    steps.push({ text: answer.text, calls: answer.toolCalls, results });
  }
}

/**
 * Runs one checked call with the conversation's (or the MCP caller's customer's) own ref: the
 * tool's activity, then, for a booking, the appointment workflow that follows it. Shared by the
 * assistant's turns and toolCallWorkflow (the MCP server), so both paths do exactly the same.
 */
export async function runTool(
  ref: ConversationRef,
  check: ToolCallCheck,
  language: Language | undefined,
): Promise<{ result: ToolResult; handoffReason?: string; effects?: ToolEffects }> {
  if (!check.valid) return { result: check.result }; // never executed: the model reads why
  const { call } = check;
  const activity = TOOL_ACTIVITIES[call.name] as ToolActivity<typeof call.name>;
  let answer;
  try {
    const summary = toolSummary(call, language);
    answer = summary ? await activity.executeWithOptions({ summary }, [{ ref, args: call.args }]) : await activity({ ref, args: call.args });
  } catch (error) {
    // Only an error no retry can fix gets here (outages are waited out).
    if (!(error instanceof ActivityFailure)) throw error;
    const content = { error: 'This tool is not working right now. Tell the customer, and offer a person if it matters.' };
    return { result: { callId: call.id, name: call.name, outcome: 'error', content } };
  }
  const { effects, ...outcome } = answer;
  // The booking is made: its reminders must follow (retried until Temporal answers).
  if (effects?.booking) {
    const { id, service, label } = effects.booking;
    await followBooking.executeWithOptions({ summary: `reminders follow ${service}, ${label}` }, [{ tenantId: ref.tenantId, bookingId: id }]);
  }
  const handoffReason = call.name === 'escalate_to_human' && outcome.outcome === 'ok' ? call.args.reason : undefined;
  return { result: { callId: call.id, name: call.name, ...outcome }, effects, handoffReason };
}

export function tooManyCalls(call: ProposedToolCall): ToolResult {
  const error = `Not run: at most ${MAX_CALLS_PER_ROUND} tool calls at a time. Call it again if it is still needed.`;
  return { callId: call.id, name: call.name, outcome: 'invalid', content: { error } };
}

/** Voice notes with their words, where a transcription was possible. */
export async function transcribeVoiceNotes(media: Media[] | undefined, ref: ConversationRef): Promise<Media[] | undefined> {
  if (!media?.some(needsTranscript)) return media;
  const transcribed: Media[] = [];
  for (const item of media) {
    if (!needsTranscript(item)) {
      transcribed.push(item);
      continue;
    }
    let transcript: string | undefined;
    try {
      transcript = await model.transcribeVoiceNote.executeWithOptions({ summary: 'transcribe a voice note' }, [item, ref]);
    } catch (error) {
      if (!(error instanceof ActivityFailure)) throw error; // otherwise: the assistant says it cannot listen
    }
    transcribed.push(transcript ? { ...item, transcript } : item);
  }
  return transcribed;
}

const needsTranscript = (item: Media) => item.kind === 'audio' && item.url !== undefined && item.transcript === undefined;
