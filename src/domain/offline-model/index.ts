import type { ModelMessage, ModelOutput } from '../model-turn';
import type { ToolName } from '../tools';
import { readConversation, type ToolExchange } from './conversation';
import { detectLanguage, type Language } from './language';
import { help } from './families/small-talk';
import { INTENTS, TOOL_ANSWERS } from './intents';
import { REPLIES } from './replies';
import { words } from './text';
import type { Turn } from './intent';

export type { Language } from './language';

export interface OfflineModelOptions {
  /** The business's language: replies use it when the customer's words do not tell. */
  language: Language;
  businessName: string;
}

/**
 * The built-in offline model: a deterministic, rule-based stand-in for an LLM, in Spanish and
 * English. It takes the conversation as chat messages and makes one step, like a model: either
 * tool calls, or, once their results are in, the text for the customer.
 */
export function offlineModelStep(messages: readonly ModelMessage[], options: OfflineModelOptions): ModelOutput {
  const conversation = readConversation(messages);
  const language =
    detectLanguage(conversation.burst.text) ?? detectLanguage(conversation.earlierCustomerText) ?? options.language;
  if (conversation.toolResults) {
    const answers = conversation.toolResults.map((exchange) => answerToolResult(exchange, language));
    return { text: answers.join('\n\n'), toolCalls: [] };
  }
  const turn: Turn = {
    burst: conversation.burst,
    words: words(conversation.burst.text),
    language,
    businessLanguage: options.language,
    businessName: options.businessName,
    previousReply: conversation.previousReply,
    // Deterministic, and distinct across the steps of a conversation, which only grows.
    callId: `offline-${messages.length}`,
  };
  const intent = INTENTS.find((candidate) => candidate.matches(turn)) ?? help;
  return intent.respond(turn);
}

function answerToolResult(exchange: ToolExchange, language: Language): string {
  const { name } = exchange;
  if (name !== undefined && Object.hasOwn(TOOL_ANSWERS, name)) return TOOL_ANSWERS[name as ToolName](exchange, language);
  // A result for a call this step cannot place: no tool of ours to read it with.
  return `${REPLIES[language].somethingFailed} ${REPLIES[language].offerHuman}`;
}
