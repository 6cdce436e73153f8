import { DateTime } from 'luxon';
import type { ModelMessage, ModelOutput } from '../model-turn';
import type { OpeningRange } from '../scheduling/schedule';
import type { BusinessFacts } from '../tenant';
import type { AssistantToolName } from '../tools';
import { previousReply, readConversation, type ToolExchange } from './conversation';
import { detectLanguage, type Language } from './language';
import { leadSavedReply } from './families/lead-details';
import { help } from './families/small-talk';
import { INTENTS, TOOL_ANSWERS } from './intents';
import { REPLIES } from './replies';
import { words } from './text';
import { say, type Turn } from './intent';

export type { Language } from './language';

export interface OfflineModelOptions {
  /** The business's language: replies use it when the customer's words do not tell. */
  language: Language;
  businessName: string;
  /** The customer's name, if known from their lead: a returning customer is greeted by it. */
  customerName?: string;
  /** What a receptionist would know (address, payment, FAQ), by language. */
  facts?: Partial<Record<Language, BusinessFacts>>;
  /** The current instant (ISO 8601, with its offset): passed in, so that a step is a pure function of its inputs. */
  now: string;
  /** The business's IANA time zone: "mañana a las 10" is its date and its clock. */
  timeZone: string;
  /** When the business opens and closes over the week: "a las 5" in a clinic open till 19:00 is 17:00. */
  openingHours?: OpeningRange;
}

/**
 * The built-in offline model: a deterministic, rule-based stand-in for an LLM, in Spanish and
 * English. It takes the conversation as chat messages and makes one step, like a model: either
 * tool calls, or, once their results are in, the text for the customer or the next tool call.
 */
export function offlineModelStep(messages: readonly ModelMessage[], options: OfflineModelOptions): ModelOutput {
  const conversation = readConversation(messages);
  const earlierCustomerText = conversation.earlier
    .filter((message) => message.from === 'customer')
    .map((message) => message.text)
    .join('\n');
  const language = detectLanguage(conversation.burst.text) ?? detectLanguage(earlierCustomerText) ?? options.language;
  const turn: Turn = {
    burst: conversation.burst,
    words: words(conversation.burst.text),
    language,
    businessLanguage: options.language,
    businessName: options.businessName,
    customerName: options.customerName,
    facts: options.facts?.[language] ?? options.facts?.[options.language] ?? {},
    earlier: conversation.earlier,
    previousReply: previousReply(conversation.earlier),
    now: businessNow(options),
    openingHours: options.openingHours,
    // Deterministic, and distinct across the steps of a conversation, which only grows.
    callId: `offline-${messages.length}`,
  };
  if (conversation.toolResults) return withThanksForDetails(answerToolResults(conversation.toolResults, turn), conversation.earlierRounds, turn);
  const intent = INTENTS.find((candidate) => candidate.matches(turn)) ?? help;
  return intent.respond(turn);
}

function businessNow({ now, timeZone }: OfflineModelOptions): DateTime {
  const zoned = DateTime.fromISO(now, { zone: timeZone });
  // Dates read against a wrong clock would book the wrong day: better to fail the step.
  if (!zoned.isValid) throw new Error(`Offline model: bad clock (now "${now}", zone "${timeZone}"): ${zoned.invalidExplanation}`);
  return zoned;
}

function answerToolResults(results: readonly ToolExchange[], turn: Turn): ModelOutput {
  const outputs = results.map((exchange) => answerToolResult(exchange, turn));
  // The engine makes one call per step, so one result; of several, a next call goes before any text.
  return outputs.find((output) => output.toolCalls.length > 0) ?? say(outputs.map((output) => output.text).join('\n\n'));
}

/** Details kept earlier in the turn ("me llamo Ana, …, ¿cuánto sale?") are thanked for in the final answer. */
function withThanksForDetails(output: ModelOutput, earlierRounds: readonly ToolExchange[], turn: Turn): ModelOutput {
  const saved = earlierRounds.find((exchange) => exchange.name === 'save_lead_details');
  if (!saved || output.toolCalls.length > 0 || !output.text) return output;
  const reply = leadSavedReply(saved.content, turn);
  return 'thanks' in reply ? say(`${reply.thanks} ${output.text}`) : output;
}

function answerToolResult(exchange: ToolExchange, turn: Turn): ModelOutput {
  const { name } = exchange;
  if (name !== undefined && Object.hasOwn(TOOL_ANSWERS, name)) return TOOL_ANSWERS[name as AssistantToolName](exchange, turn);
  // A result for a call this step cannot place: no tool of ours to read it with.
  return say(`${REPLIES[turn.language].somethingFailed} ${REPLIES[turn.language].offerHuman}`);
}
