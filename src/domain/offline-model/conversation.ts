import { TRANSCRIBED_VOICE_NOTE, UNTRANSCRIBED_VOICE_NOTE, type ModelMessage } from '../model-turn';
import type { LeadDetails } from '../leads';
import { readContactDetails } from './contact-details';
import { contentText } from './text';

/** The customer's newest messages, read together: customers write in bursts. */
export interface CustomerBurst {
  /**
   * What they wrote, voice-note transcriptions included, voice-note markers removed, and without
   * the contact details they gave: an e-mail address is no service, nor a phone number an hour.
   */
  text: string;
  /** Name, e-mail, phone, company they gave about themselves. */
  details: LeadDetails;
  untranscribedVoiceNote: boolean;
  image: boolean;
}

/** A tool result with the call it answers; `name` is missing when no call of the step matches it. */
export interface ToolExchange {
  name?: string;
  arguments: string;
  content: string;
}

/** A message said before the burst: the customer's, or the assistant's (the engine's or a person's). */
export interface EarlierMessage {
  from: 'customer' | 'assistant';
  text: string;
}

export interface Conversation {
  burst: CustomerBurst;
  /** What was said before the burst, oldest first: the customer's words and the replies they answered. */
  earlier: EarlierMessage[];
  /** Set when the messages end with tool results: the step then answers from them. */
  toolResults?: ToolExchange[];
  /** This turn's tool rounds before the last: what was done already ("me llamo Ana" was kept). */
  earlierRounds: ToolExchange[];
}

export function readConversation(messages: readonly ModelMessage[]): Conversation {
  // This turn's tool rounds (calls, then their results) follow the burst; the step answers the last round.
  let roundsStart = messages.length;
  while (roundsStart > 0 && isToolRound(messages[roundsStart - 1])) roundsStart--;
  let lastCaller = messages.length - 1;
  while (lastCaller >= roundsStart && messages[lastCaller].role === 'tool') lastCaller--;
  const toolResults =
    roundsStart < messages.length ? answeredCalls(messages[lastCaller], messages.slice(lastCaller + 1)) : undefined;
  let lastReply = roundsStart - 1;
  while (lastReply >= 0 && messages[lastReply].role !== 'assistant') lastReply--;
  const rounds = messages.slice(roundsStart, lastCaller);
  const earlierRounds = rounds.flatMap((message, index) => (message.role === 'assistant' ? answeredCalls(message, resultsAfter(rounds, index)) : []));
  return {
    burst: readBurst(messages.slice(lastReply + 1, roundsStart).filter((message) => message.role === 'user')),
    earlier: messages.slice(0, lastReply + 1).flatMap(earlierMessage),
    toolResults,
    earlierRounds,
  };
}

/** The assistant's last words before the burst: a "sí" answers the question they asked. */
export function previousReply(earlier: readonly EarlierMessage[]): string {
  return earlier.filter((message) => message.from === 'assistant').at(-1)?.text ?? '';
}

function isToolRound(message: ModelMessage): boolean {
  return message.role === 'tool' || (message.role === 'assistant' && (message.tool_calls?.length ?? 0) > 0);
}

function earlierMessage(message: ModelMessage): EarlierMessage[] {
  if (message.role !== 'user' && message.role !== 'assistant') return [];
  const said = contentText(message.content);
  const text = message.role === 'user' ? readContactDetails(said).rest : said;
  // Tool calls of earlier turns say nothing to the customer.
  return text ? [{ from: message.role === 'user' ? 'customer' : 'assistant', text }] : [];
}

/** The tool results that follow the call at `index`. */
function resultsAfter(messages: readonly ModelMessage[], index: number): ModelMessage[] {
  const results: ModelMessage[] = [];
  for (const message of messages.slice(index + 1)) {
    if (message.role !== 'tool') break;
    results.push(message);
  }
  return results;
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
  const { details, rest } = readContactDetails(
    texts
      .map((text) => text.replaceAll(UNTRANSCRIBED_VOICE_NOTE, '').replaceAll(TRANSCRIBED_VOICE_NOTE, '').trim())
      .filter(Boolean)
      .join('\n'),
  );
  return {
    text: rest,
    details,
    untranscribedVoiceNote: texts.some((text) => text.includes(UNTRANSCRIBED_VOICE_NOTE)),
    image: messages.some(
      (message) => Array.isArray(message.content) && message.content.some((part) => part.type === 'image_url'),
    ),
  };
}
