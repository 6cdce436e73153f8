import { z } from 'zod';
import type { Media } from '../../domain/conversation';
import { sameSecret } from '../../secrets';
import { WebhookUnauthenticated, type ChannelAdapter, type MediaFile, type OutboundMessage } from '../adapter';
import { callProvider, callProviderJson } from '../provider-http';
import { header } from '../webhook-body';
import { parseTelegramUpdate } from './inbound';

const CredentialsSchema = z.object({
  apiBase: z.url().default('https://api.telegram.org'),
  botToken: z.string().min(1),
  /** The `secret_token` given to setWebhook: every update carries it in a header. */
  webhookSecret: z.string().min(1),
});
type Credentials = z.infer<typeof CredentialsSchema>;

/** callback_data is at most 64 bytes. */
const MAX_CALLBACK_BYTES = 64;

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

  async send(credentials, chatId, message) {
    const answer = await callProviderJson<{ result: { message_id: number } }>({
      what: 'Telegram sendMessage',
      url: method(credentials, 'sendMessage'),
      body: { chat_id: numericId(chatId), text: message.text, ...keyboard(message) },
    });
    if (message.attachment?.kind === 'image') {
      await callProvider({ what: 'Telegram sendPhoto', url: method(credentials, 'sendPhoto'), body: { chat_id: numericId(chatId), photo: message.attachment.url } });
    }
    return String(answer.result.message_id);
  },

  async fetchMedia(credentials, media: Media): Promise<MediaFile> {
    const { result } = await callProviderJson<{ result: { file_path: string } }>({
      what: 'Telegram getFile',
      url: method(credentials, 'getFile'),
      body: { file_id: media.url },
    });
    const response = await callProvider({ what: 'Telegram file download', url: `${credentials.apiBase}/file/bot${credentials.botToken}/${result.file_path}` });
    return { bytes: Buffer.from(await response.arrayBuffer()), mimeType: media.mimeType ?? response.headers.get('content-type') ?? 'application/octet-stream' };
  },

  async acknowledgeCallback(credentials, callbackId) {
    await callProvider({ what: 'Telegram answerCallbackQuery', url: method(credentials, 'answerCallbackQuery'), body: { callback_query_id: callbackId } });
  },
};

function method({ apiBase, botToken }: Credentials, name: string): string {
  return `${apiBase}/bot${botToken}/${name}`;
}

/** Private chats have numeric ids; the Bot API wants them as numbers. */
function numericId(chatId: string): number | string {
  return /^-?\d+$/.test(chatId) ? Number(chatId) : chatId;
}

/** Choices as an inline keyboard, one button a row; pressing one sends its text back as the customer's. */
function keyboard(message: OutboundMessage): { reply_markup?: unknown } {
  if (!message.choices?.length) return {};
  const rows = message.choices.map((choice) => [{ text: choice.title, callback_data: Buffer.from(choice.id).subarray(0, MAX_CALLBACK_BYTES).toString('utf8') }]);
  return { reply_markup: { inline_keyboard: rows } };
}
