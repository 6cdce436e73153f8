import { z } from 'zod';
import type { Media } from '../../domain/conversation';
import { sameSecret } from '../../secrets';
import { WebhookUnauthenticated, type ChannelAdapter, type MediaFile, type OutboundMessage } from '../adapter';
import { callProvider, callProviderJson } from '../../provider-http';
import { header } from '../webhook-body';
import { chatTarget } from './contacts';
import { parseTelegramUpdate } from './inbound';

const CredentialsSchema = z.object({
  apiBase: z.url().default('https://api.telegram.org'),
  botToken: z.string().min(1),
  /** The `secret_token` given to setWebhook: every update carries it in a header. */
  webhookSecret: z.string().min(1),
});
type Credentials = z.infer<typeof CredentialsSchema>;
type ChatTarget = ReturnType<typeof chatTarget>;

/** The Bot API's limits: callback_data bytes, message and caption characters. */
const MAX_CALLBACK_BYTES = 64;
const MAX_TEXT = 4096;
const MAX_CAPTION = 1024;

const SentMessageSchema = z.object({ result: z.object({ message_id: z.number() }) });
const FileSchema = z.object({ result: z.object({ file_path: z.string().min(1) }) });

export const telegramAdapter: ChannelAdapter<Credentials> = {
  channel: 'telegram',
  credentialsSchema: CredentialsSchema,
  defaultQuietPeriodMs: 3_000,

  authenticate(request, { webhookSecret }) {
    const presented = header(request, 'x-telegram-bot-api-secret-token');
    if (presented === undefined) throw new WebhookUnauthenticated(401, 'Missing X-Telegram-Bot-Api-Secret-Token');
    if (!sameSecret(presented, webhookSecret)) throw new WebhookUnauthenticated(403, 'Wrong X-Telegram-Bot-Api-Secret-Token');
  },

  parse: parseTelegramUpdate,

  /**
   * One request when it can be: an attachment carries the text as its caption. A text over the
   * Bot API's limit goes in several messages; the buttons ride on the last one.
   */
  async send(credentials, contactId, message) {
    const target = chatTarget(contactId);
    const buttons = keyboard(message);
    const { attachment } = message;
    if (attachment && message.text.length <= MAX_CAPTION) return sendAttachment(credentials, target, attachment, { caption: message.text, ...buttons });
    const chunks = splitText(message.text, MAX_TEXT);
    const ids: string[] = [];
    for (const [index, chunk] of chunks.entries()) {
      const last = index === chunks.length - 1;
      ids.push(await sendMethod(credentials, 'sendMessage', { ...target, text: chunk, ...(last && !attachment ? buttons : {}) }));
    }
    if (attachment) await sendAttachment(credentials, target, attachment, buttons);
    return ids[0]!;
  },

  async fetchMedia(credentials, media: Media): Promise<MediaFile> {
    if (!media.url) throw new Error('Telegram media without a file_id');
    const answer = await callProviderJson({ what: 'Telegram getFile', url: method(credentials, 'getFile'), body: { file_id: media.url } });
    const { file_path } = FileSchema.parse(answer).result;
    const response = await callProvider({ what: 'Telegram file download', url: `${credentials.apiBase}/file/bot${credentials.botToken}/${file_path}` });
    return { bytes: Buffer.from(await response.arrayBuffer()), mimeType: media.mimeType ?? response.headers.get('content-type') ?? 'application/octet-stream' };
  },

  async acknowledgeCallback(credentials, callbackId) {
    await callProvider({ what: 'Telegram answerCallbackQuery', url: method(credentials, 'answerCallbackQuery'), body: { callback_query_id: callbackId } });
  },
};

function method({ apiBase, botToken }: Credentials, name: string): string {
  return `${apiBase}/bot${botToken}/${name}`;
}

/** Calls a send method; resolves to the sent message's id. */
async function sendMethod(credentials: Credentials, name: string, body: Record<string, unknown>): Promise<string> {
  const answer = await callProviderJson({ what: `Telegram ${name}`, url: method(credentials, name), body });
  return String(SentMessageSchema.parse(answer).result.message_id);
}

function sendAttachment(
  credentials: Credentials,
  target: ChatTarget,
  attachment: NonNullable<OutboundMessage['attachment']>,
  extra: Record<string, unknown>,
): Promise<string> {
  // The Bot API fetches the file from its URL itself.
  if (attachment.kind === 'image') return sendMethod(credentials, 'sendPhoto', { ...target, photo: attachment.url, ...extra });
  return sendMethod(credentials, 'sendDocument', { ...target, document: attachment.url, ...extra });
}

/** Choices as an inline keyboard, one button a row; pressing one sends its text back as the customer's. */
function keyboard(message: OutboundMessage): { reply_markup?: { inline_keyboard: { text: string; callback_data: string }[][] } } {
  if (!message.choices?.length) return {};
  const rows = message.choices.map((choice) => [{ text: choice.title, callback_data: truncateBytes(choice.id, MAX_CALLBACK_BYTES) }]);
  return { reply_markup: { inline_keyboard: rows } };
}

/** Cut at a character boundary: half a UTF-8 sequence would make the data invalid. */
function truncateBytes(value: string, maxBytes: number): string {
  let result = '';
  for (const character of value) {
    if (Buffer.byteLength(result + character) > maxBytes) break;
    result += character;
  }
  return result;
}

/** Pieces of at most `max` characters, cut where a reader would: at a line break, else between words. */
export function splitText(text: string, max: number): string[] {
  const chunks: string[] = [];
  let rest = text;
  while (rest.length > max) {
    // One past the limit: a break right there still leaves whole words before it.
    const window = rest.slice(0, max + 1);
    // A line break in the second half, else a space there, else the limit itself.
    const cut = [window.lastIndexOf('\n'), window.lastIndexOf(' ')].find((index) => index > max / 2);
    let end = cut ?? max;
    // Never between the two halves of an emoji.
    if (end === max && /[\uD800-\uDBFF]/.test(rest[end - 1]!)) end -= 1;
    chunks.push(rest.slice(0, end).trimEnd());
    rest = rest.slice(end).trimStart();
  }
  chunks.push(rest);
  return chunks;
}
