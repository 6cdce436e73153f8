import { ActivityFailure, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { AssistantStepInput, AssistantTurnInput } from '../activities/assistant';
import type { ToolAnswer, ToolEffects, ToolInput } from '../activities/tools';
import type { BookingSummary } from '../domain/booking';
import { sumUsage, type AssistantReply, type ConversationRef, type Media, type TokenUsage } from '../domain/conversation';
import type { ToolStep } from '../domain/prompt';
import { checkToolCall, type ProposedToolCall, type ToolArgs, type ToolName, type ToolResult } from '../domain/tools';

const { assistantStep } = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  // The activity heartbeats while the model thinks: a dead worker is noticed in seconds.
  heartbeatTimeout: '10 seconds',
  // Provider failures are retried inside the activity (per provider, then the next provider);
  // these attempts are for the rest: a worker that died, the database.
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s', maximumAttempts: 5 },
});
const {
  searchServicesTool,
  checkAvailabilityTool,
  suggestSlotsTool,
  createBookingTool,
  rescheduleBookingTool,
  cancelBookingTool,
  confirmBookingTool,
  listMyBookingsTool,
  escalateToHumanTool,
  transcribeVoiceNote,
} = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  // A tool that keeps failing becomes a tool error the model can explain, not a stuck turn.
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '10s', maximumAttempts: 4 },
});

/** Rounds of tool calls one turn may take; then the model must answer with what it has. */
export const MAX_TOOL_ROUNDS = 4;

type ToolActivity<Name extends ToolName> = (input: ToolInput<ToolArgs<Name>>) => Promise<ToolAnswer<unknown>>;
const TOOL_ACTIVITIES: { [Name in ToolName]: ToolActivity<Name> } = {
  search_services: searchServicesTool,
  check_availability: checkAvailabilityTool,
  suggest_slots: suggestSlotsTool,
  create_booking: createBookingTool,
  reschedule_booking: rescheduleBookingTool,
  cancel_booking: cancelBookingTool,
  confirm_booking: confirmBookingTool,
  list_my_bookings: listMyBookingsTool,
  escalate_to_human: escalateToHumanTool,
};

/** A turn's reply, and the bookings its tools changed (as they now stand). */
export interface AssistantTurn {
  reply: AssistantReply;
  bookings: BookingSummary[];
}

/**
 * One assistant turn: the model proposes tool calls, the workflow checks each against its
 * schema and runs the valid ones as activities with the conversation's own tenant, and the
 * results go back to the model, until it answers in text or the rounds run out.
 */
export async function runAssistantTurn(ref: ConversationRef, conversation: AssistantTurnInput): Promise<AssistantTurn> {
  const steps: ToolStep[] = [];
  const tools: NonNullable<AssistantReply['tools']> = [];
  let usage: TokenUsage = { promptTokens: 0, completionTokens: 0, costUsd: 0 };
  let escalation: AssistantReply['escalation'];
  const effects: ToolEffects[] = [];
  for (let round = 0; ; round++) {
    const input: AssistantStepInput = { ...conversation, customer: ref, steps, toolsAllowed: round < MAX_TOOL_ROUNDS };
    const step = await assistantStep(input);
    usage = sumUsage(usage, step.usage);
    escalation ??= step.escalation;
    if (step.toolCalls.length === 0) {
      const { text = '', provider, model } = step;
      const appointmentConfirmed = effects.some((effect) => effect.appointmentConfirmed) || undefined;
      const reply = { text, provider, model, usage, escalation, appointmentConfirmed, ...(tools.length > 0 ? { tools } : {}) };
      return { reply, bookings: effects.flatMap((effect) => (effect.booking ? [effect.booking] : [])) };
    }
    const results: ToolResult[] = [];
    for (const call of step.toolCalls) {
      const { result, handoffReason, effects: callEffects } = await runTool(ref, call);
      if (handoffReason) escalation ??= { reason: handoffReason };
      if (callEffects) effects.push(callEffects);
      results.push(result);
      tools.push({ name: call.name, arguments: call.arguments, outcome: result.outcome });
    }
    steps.push({ text: step.text, calls: step.toolCalls, results });
  }
}

async function runTool(ref: ConversationRef, proposed: ProposedToolCall): Promise<{ result: ToolResult; handoffReason?: string; effects?: ToolEffects }> {
  const check = checkToolCall(proposed);
  if (!check.valid) return { result: check.result }; // never executed: the model reads why
  const { call } = check;
  const activity = TOOL_ACTIVITIES[call.name] as ToolActivity<typeof call.name>;
  try {
    const { effects, ...answer } = await activity({ ref, args: call.args });
    const result = { callId: call.id, name: call.name, ...answer };
    return { result, effects, handoffReason: call.name === 'escalate_to_human' && answer.outcome === 'ok' ? call.args.reason : undefined };
  } catch (error) {
    if (!(error instanceof ActivityFailure)) throw error;
    const content = { error: 'This tool is not working right now. Tell the customer, and offer a person if it matters.' };
    return { result: { callId: call.id, name: call.name, outcome: 'error', content } };
  }
}

/** Voice notes with their words, where a transcription was possible. */
export async function transcribeVoiceNotes(media: Media[] | undefined): Promise<Media[] | undefined> {
  if (!media?.some(needsTranscript)) return media;
  const transcribed: Media[] = [];
  for (const item of media) {
    if (!needsTranscript(item)) {
      transcribed.push(item);
      continue;
    }
    let transcript: string | undefined;
    try {
      transcript = await transcribeVoiceNote(item);
    } catch (error) {
      if (!(error instanceof ActivityFailure)) throw error; // otherwise: the assistant says it cannot listen
    }
    transcribed.push(transcript ? { ...item, transcript } : item);
  }
  return transcribed;
}

const needsTranscript = (item: Media) => item.kind === 'audio' && item.url !== undefined && item.transcript === undefined;
