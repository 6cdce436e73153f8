import { searchServices } from '../db/catalogue';
import type { Pool } from '../db/pool';
import type { BookingSummary } from '../domain/booking';
import type { LeadSummary } from '../domain/leads';
import type { ConversationRef } from '../domain/conversation';
import type { ServiceSearchResult } from '../domain/catalogue';
import type { ToolArgs, ToolName, ToolOutcome } from '../domain/tools';
import { recordUsage, toolCounter } from './usage';

/**
 * The assistant's tools, one activity each. The workflow has already checked the arguments and
 * passes the conversation itself: nothing here trusts the model with a tenant or contact id.
 */
export interface ToolInput<Args> {
  ref: ConversationRef;
  args: Args;
}

/**
 * A tool's answer: `content` goes to the model; `error` is a business refusal it can explain.
 * `effects` are for the workflow only (what the conversation's state must remember).
 */
export type ToolAnswer<Content> = (
  | { outcome: Extract<ToolOutcome, 'ok'>; content: Content }
  | { outcome: Extract<ToolOutcome, 'error'>; content: { error: string; message?: string } & Record<string, unknown> }
) & { effects?: ToolEffects };

export interface ToolEffects {
  /** An appointment was booked or confirmed (or the booking link sent): smart ending applies. */
  appointmentConfirmed?: boolean;
  /** The booking as it now stands, for the conversation's state. */
  booking?: BookingSummary;
  /** The contact's lead as it now stands, for the conversation's state. */
  lead?: LeadSummary;
}

/** A tool as an activity: every call it answers is counted by outcome. */
export function countedTool<Deps extends { pool: Pool }, Args, Content>(
  deps: Deps,
  tool: ToolName,
  run: (deps: Deps, input: ToolInput<Args>) => Promise<ToolAnswer<Content>>,
): (input: ToolInput<Args>) => Promise<ToolAnswer<Content>> {
  return async (input) => {
    const answer = await run(deps, input);
    await recordUsage(deps.pool, [toolCounter(input.ref.tenantId, tool, answer.outcome)]);
    return answer;
  };
}

export function createToolActivities(deps: { pool: Pool }) {
  return {
    searchServicesTool: countedTool(
      deps,
      'search_services',
      async ({ pool }, { ref, args }: ToolInput<ToolArgs<'search_services'>>): Promise<ToolAnswer<ServiceSearchResult>> => ({
        outcome: 'ok',
        content: { services: await searchServices(pool, ref.tenantId, args.query) },
      }),
    ),
    /** The handoff itself is the workflow's (after the reply goes out); this tells the model it is done. */
    escalateToHumanTool: countedTool(
      deps,
      'escalate_to_human',
      async (_deps, _input: ToolInput<ToolArgs<'escalate_to_human'>>): Promise<ToolAnswer<{ handedOver: true }>> => ({
        outcome: 'ok',
        content: { handedOver: true },
      }),
    ),
  };
}
