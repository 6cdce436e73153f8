import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { ProposedToolCall } from './tools';

/** A message as OpenAI-compatible chat APIs take it; the offline model reads the same shape. */
export type ModelMessage = ChatCompletionMessageParam;

/** One step of a model: text for the customer, or tool calls to run before it answers. */
export interface ModelOutput {
  text?: string;
  toolCalls: ProposedToolCall[];
}

/** How a customer's voice note reaches the model when it could not be transcribed. */
export const UNTRANSCRIBED_VOICE_NOTE = '[voice note: could not be transcribed]';
/** Prefix of a voice note's transcription in the customer's message. */
export const TRANSCRIBED_VOICE_NOTE = '[voice note, transcribed]';
