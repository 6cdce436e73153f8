import { TRANSCRIBED_VOICE_NOTE, UNTRANSCRIBED_VOICE_NOTE, type ModelMessage } from '../model-turn';
import { contentText } from './text';

/** The customer's newest messages, read together: customers write in bursts. */
export interface CustomerBurst {
  /** What they wrote, voice-note transcriptions included, voice-note markers removed. */
  text: string;
  untranscribedVoiceNote: boolean;
  image: boolean;
}

/** A tool result with the call it answers; `name` is missing when no call of the step matches it. */
export interface ToolExchange {
  name?: string;
  arguments: string;
  content: string;
}

export interface Conversation {
  burst: CustomerBurst;
  /** What the customer wrote before the burst: their language when the burst does not tell. */
  earlierCustomerText: string;
  /** The assistant's last words before the burst: a "sí" answers the question they asked. */
  previousReply: string;
  /** Set when the messages end with tool results: the step then answers from them. */
  toolResults?: ToolExchange[];
}

export function readConversation(messages: readonly ModelMessage[]): Conversation {
  let end = messages.length;
  while (end > 0 && messages[end - 1].role === 'tool') end--;
  const caller = messages[end - 1];
  const toolResults = end < messages.length ? answeredCalls(caller, messages.slice(end)) : undefined;
  // The customer's burst is the one before the pending calls, not the calls' own message.
  const before = toolResults && caller?.role === 'assistant' ? end - 1 : end;
  let lastReply = before - 1;
  while (lastReply >= 0 && messages[lastReply].role !== 'assistant') lastReply--;
  const userMessages = (from: number, to: number) => messages.slice(from, to).filter((message) => message.role === 'user');
  return {
    burst: readBurst(userMessages(lastReply + 1, before)),
    earlierCustomerText: userMessages(0, Math.max(lastReply, 0))
      .map((message) => contentText(message.content))
      .join('\n'),
    previousReply: lastReply >= 0 ? contentText(messages[lastReply].content) : '',
    toolResults,
  };
}

function answeredCalls(caller: ModelMessage | undefined, results: readonly ModelMessage[]): ToolExchange[] {
  const calls = caller?.role === 'assistant' ? (caller.tool_calls ?? []) : [];
  return results.flatMap((result) => {
    if (result.role !== 'tool') return [];
    const call = calls.find((candidate) => candidate.id === result.tool_call_id);
    const fn = call?.type === 'function' ? call.function : undefined;
    return [{ name: fn?.name, arguments: fn?.arguments ?? '', content: contentText(result.content) }];
  });
}

function readBurst(messages: readonly ModelMessage[]): CustomerBurst {
  const texts = messages.map((message) => contentText(message.content));
  return {
    text: texts
      .map((text) => text.replaceAll(UNTRANSCRIBED_VOICE_NOTE, '').replaceAll(TRANSCRIBED_VOICE_NOTE, '').trim())
      .filter(Boolean)
      .join('\n'),
    untranscribedVoiceNote: texts.some((text) => text.includes(UNTRANSCRIBED_VOICE_NOTE)),
    image: messages.some(
      (message) => Array.isArray(message.content) && message.content.some((part) => part.type === 'image_url'),
    ),
  };
}
