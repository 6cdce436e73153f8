import type { ModelOutput } from '../model-turn';
import type { ToolArgs, ToolName } from '../tools';
import type { CustomerBurst, ToolExchange } from './conversation';
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
  previousReply: string;
  /** The id a tool call of this step takes. */
  callId: string;
}

export interface Intent {
  matches(turn: Turn): boolean;
  respond(turn: Turn): ModelOutput;
}

/** Composes the reply, in the customer's language, from the result of a tool the engine called. */
export type ToolAnswer = (exchange: ToolExchange, language: Language) => string;

export function say(text: string): ModelOutput {
  return { text, toolCalls: [] };
}

export function callTool<Name extends ToolName>(turn: Turn, name: Name, args: ToolArgs<Name>): ModelOutput {
  return { toolCalls: [{ id: turn.callId, name, arguments: JSON.stringify(args) }] };
}

export function repliesFor(turn: Turn): Replies {
  return REPLIES[turn.language];
}
