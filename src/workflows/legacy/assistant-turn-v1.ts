import { ActivityFailure, log, proxyActivities } from '@temporalio/workflow';
import { MAX_CALLS_PER_ROUND, MAX_TOOL_ROUNDS, tooManyCalls } from '../assistant-turn';
import type { Activities } from '../../activities';
import type { AssistantTurnInput } from '../../activities/assistant';
import type { ToolAnswer, ToolEffects, ToolInput } from '../../activities/tools';
import type { BookingSummary } from '../../domain/booking';
import type { AssistantReply, ConversationRef, TokenUsage, ToolUse } from '../../domain/conversation';
import { sumUsage } from '../../domain/usage';
import type { ToolStep } from '../../domain/prompt';
import { checkToolCall, type AssistantToolName, type ProposedToolCall, type ToolArgs, type ToolResult } from '../../domain/tools';

const { assistantStep } = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  // The activity heartbeats while the model thinks: a dead worker is noticed in seconds.
  heartbeatTimeout: '10 seconds',
  // Provider failures are retried inside the activity (per provider, then the next provider);
  // these attempts are for the rest: a worker that died, the database.
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s', maximumAttempts: 5 },
});
const toolActivities = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  // A tool that keeps failing becomes a tool error the model can explain, not a stuck turn.
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '10s', maximumAttempts: 4 },
});
const { followBooking } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  // A booking without its appointment workflow gets no reminders: keep trying for about an hour.
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 70 },
});


type ToolActivity<Name extends AssistantToolName> = (input: ToolInput<ToolArgs<Name>>) => Promise<ToolAnswer<unknown>>;
const TOOL_ACTIVITIES: { [Name in AssistantToolName]: ToolActivity<Name> } = {
  search_services: toolActivities.searchServicesTool,
  check_availability: toolActivities.checkAvailabilityTool,
  suggest_slots: toolActivities.suggestSlotsTool,
  create_booking: toolActivities.createBookingTool,
  reschedule_booking: toolActivities.rescheduleBookingTool,
  cancel_booking: toolActivities.cancelBookingTool,
  confirm_booking: toolActivities.confirmBookingTool,
  list_my_bookings: toolActivities.listMyBookingsTool,
  escalate_to_human: toolActivities.escalateToHumanTool,
  save_lead_details: toolActivities.saveLeadDetailsTool,
  qualify_lead: toolActivities.qualifyLeadTool,
};

/**
 * What a turn produced. `reply` is missing when the model failed partway (after the activity's
 * own retries); what its tools did by then still counts and is reported.
 */
export interface AssistantTurn {
  reply?: AssistantReply;
  /** The tools the model called, in order. */
  tools: ToolUse[];
  /** The bookings its tools changed, as they now stand. */
  bookings: BookingSummary[];
}

/**
 * One assistant turn: the model proposes tool calls, the workflow checks each against its
 * schema and runs the valid ones as activities with the conversation's own tenant, and the
 * results go back to the model, until it answers in text or the rounds run out.
 */
export async function runAssistantTurn(ref: ConversationRef, conversation: AssistantTurnInput): Promise<AssistantTurn> {
  const steps: ToolStep[] = [];
  const tools: ToolUse[] = [];
  const effects: ToolEffects[] = [];
  const done = (reply?: AssistantReply): AssistantTurn => ({
    reply,
    tools,
    bookings: effects.flatMap((effect) => (effect.booking ? [effect.booking] : [])),
  });
  let usage: TokenUsage = { promptTokens: 0, completionTokens: 0, costUsd: 0 };
  let escalation: AssistantReply['escalation'];
  for (let round = 0; ; round++) {
    let step;
    try {
      step = await assistantStep({ ...conversation, customer: ref, steps, toolsAllowed: round < MAX_TOOL_ROUNDS });
    } catch (error) {
      if (!(error instanceof ActivityFailure)) throw error;
      log.warn('the assistant failed partway through a turn', { round, error: error.cause?.message });
      return done();
    }
    usage = sumUsage(usage, step.usage);
    escalation ??= step.escalation;
    if (step.toolCalls.length === 0) {
      const appointmentConfirmed = effects.some((effect) => effect.appointmentConfirmed) || undefined;
      const { text = '', provider, model } = step;
      return done({ text, provider, model, usage, escalation, appointmentConfirmed, ...(tools.length > 0 ? { tools } : {}) });
    }
    const results: ToolResult[] = [];
    for (const [index, call] of step.toolCalls.entries()) {
      const { result, handoffReason, effects: callEffects } =
        index < MAX_CALLS_PER_ROUND ? await runTool(ref, call) : { result: tooManyCalls(call) };
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
  let answer;
  try {
    answer = await activity({ ref, args: call.args });
  } catch (error) {
    if (!(error instanceof ActivityFailure)) throw error;
    const content = { error: 'This tool is not working right now. Tell the customer, and offer a person if it matters.' };
    return { result: { callId: call.id, name: call.name, outcome: 'error', content } };
  }
  const { effects, ...outcome } = answer;
  if (effects?.booking) await followBookingDurably(ref.tenantId, effects.booking.id);
  const handoffReason = call.name === 'escalate_to_human' && outcome.outcome === 'ok' ? call.args.reason : undefined;
  return { result: { callId: call.id, name: call.name, ...outcome }, effects, handoffReason };
}

/** The booking is made: its reminders must follow, however long Temporal takes to answer. */
async function followBookingDurably(tenantId: string, bookingId: string): Promise<void> {
  try {
    await followBooking({ tenantId, bookingId });
  } catch (error) {
    if (!(error instanceof ActivityFailure)) throw error;
    log.error('booking has no appointment workflow: its reminders will not go out', { bookingId, error: error.cause?.message });
  }
}
