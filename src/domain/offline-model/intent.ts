import type { DateTime } from 'luxon';
import type { ModelOutput } from '../model-turn';
import type { OpeningRange } from '../scheduling/schedule';
import type { BusinessFacts } from '../tenant';
import type { ToolArgs, ToolName } from '../tools';
import type { CustomerBurst, EarlierMessage, ToolExchange } from './conversation';
import type { Language } from './language';
import { REPLIES, type Replies } from './replies';

/** What an intent sees of the conversation when it decides. */
export interface Turn {
  burst: CustomerBurst;
  /** The burst's words, folded (lower case, no accents). */
  words: string[];
  /** The customer's language: the replies'. */
  language: Language;
  /** The business's language: the escalation reasons', read by its staff. */
  businessLanguage: Language;
  businessName: string;
  /** The customer's name, when their lead has it. */
  customerName?: string;
  /** The business's facts in the customer's language (else the business's). */
  facts: BusinessFacts;
  /** What was said before the burst, oldest first. */
  earlier: EarlierMessage[];
  previousReply: string;
  /** The current time in the business's zone: "mañana" and "el martes" count from it. */
  now: DateTime;
  /** When the business opens and closes, if it takes appointments: bare hours are read within it. */
  openingHours?: OpeningRange;
  /** The id a tool call of this step takes. */
  callId: string;
}

export interface Intent {
  matches(turn: Turn): boolean;
  respond(turn: Turn): ModelOutput;
}

/**
 * Answers the result of a tool the engine called: the reply, in the customer's language, or the
 * next call when the result is a step on the way (the customer's bookings, before cancelling one).
 */
export type ToolAnswer = (exchange: ToolExchange, turn: Turn) => ModelOutput;

export function say(text: string): ModelOutput {
  return { text, toolCalls: [] };
}

export function callTool<Name extends ToolName>(turn: Turn, name: Name, args: ToolArgs<Name>): ModelOutput {
  return { toolCalls: [{ id: turn.callId, name, arguments: JSON.stringify(args) }] };
}

export function repliesFor(turn: Turn): Replies {
  return REPLIES[turn.language];
}
