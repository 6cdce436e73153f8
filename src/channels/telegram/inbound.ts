import { z } from 'zod';
import type { InboundMessage, Media } from '../../domain/conversation';
import type { WebhookEvent, WebhookRequest } from '../adapter';
import { locationText, readJson, receivedAt } from '../webhook-body';

const User = z.object({
  id: z.number(),
  is_bot: z.boolean().optional(),
  first_name: z.string().optional(),
  last_name: z.string().optional(),
  username: z.string().optional(),
});
const Chat = z.object({ id: z.number(), type: z.string() });
const File = z.object({ file_id: z.string(), mime_type: z.string().optional() });
const InlineKeyboard = z.object({
  inline_keyboard: z.array(z.array(z.object({ text: z.string(), callback_data: z.string().optional() }))),
});

const Message = z.object({
  message_id: z.number(),
  from: User.optional(),
  chat: Chat,
  date: z.number(),
  text: z.string().optional(),
  caption: z.string().optional(),
  photo: z.array(File).optional(),
  voice: File.optional(),
  audio: File.optional(),
  video: File.optional(),
  video_note: File.optional(),
  document: File.optional(),
  sticker: z.object({ emoji: z.string().optional() }).optional(),
  location: z.object({ latitude: z.number(), longitude: z.number() }).optional(),
  venue: z.object({ location: z.object({ latitude: z.number(), longitude: z.number() }), title: z.string(), address: z.string() }).optional(),
  contact: z.object({ phone_number: z.string(), first_name: z.string().optional() }).optional(),
  reply_markup: InlineKeyboard.optional(),
});
type Message = z.infer<typeof Message>;

/** A Bot API Update: exactly one of the optional fields is present. */
const Update = z.object({
  update_id: z.number().int(),
  message: Message.optional(),
  callback_query: z.object({ id: z.string(), from: User, message: Message.optional(), data: z.string().optional() }).optional(),
});

/** Telegram sends one update per request. */
export function parseTelegramUpdate(request: WebhookRequest): WebhookEvent[] {
  const update = readJson(request, Update);
  // Redelivered updates keep their update_id (per bot, increasing): the exactly-once key.
  const id = `tg-${update.update_id}`;
  if (update.callback_query) {
    const { callback_query: query } = update;
    if (!query.message || query.message.chat.type !== 'private' || query.data === undefined) return [{ kind: 'ignored', reason: 'callback query outside a private chat' }];
    // The customer "says" what the button said.
    const pressed = query.message.reply_markup?.inline_keyboard.flat().find((button) => button.callback_data === query.data);
    return [
      {
        kind: 'message',
        contactId: String(query.message.chat.id),
        message: { id, text: pressed?.text ?? query.data, receivedAt: new Date().toISOString(), sender: sender(query.from) },
        callbackId: query.id,
      },
    ];
  }
  const message = update.message;
  if (!message) return [{ kind: 'ignored', reason: `update ${Object.keys(update).filter((key) => key !== 'update_id').join(', ') || 'without content'}` }];
  if (message.chat.type !== 'private') return [{ kind: 'ignored', reason: `${message.chat.type} chat` }];
  if (message.from?.is_bot) return [{ kind: 'ignored', reason: 'message from a bot' }];
  const { text, media } = content(message);
  if (!text && media.length === 0) return [{ kind: 'ignored', reason: 'service message (no content)' }];
  const inbound: InboundMessage = {
    id,
    text,
    receivedAt: receivedAt(message.date),
    ...(media.length > 0 ? { media } : {}),
    ...(message.from ? { sender: sender(message.from, message.contact?.phone_number) } : {}),
  };
  return [{ kind: 'message', contactId: String(message.chat.id), message: inbound }];
}

function content(message: Message): { text: string; media: Media[] } {
  const caption = message.caption;
  const file = (kind: Media['kind'], { file_id, mime_type }: z.infer<typeof File>, mimeType?: string): Media => ({
    kind,
    url: file_id,
    mimeType: mime_type ?? mimeType,
    ...(caption ? { caption } : {}),
  });
  if (message.photo?.length) return { text: caption ?? '', media: [file('image', message.photo.at(-1)!, 'image/jpeg')] };
  const sound = message.voice ?? message.audio;
  if (sound) return { text: caption ?? '', media: [file('audio', sound, 'audio/ogg')] };
  const video = message.video ?? message.video_note;
  if (video) return { text: caption ?? '', media: [file('video', video, 'video/mp4')] };
  if (message.document) return { text: caption ?? '', media: [file('document', message.document)] };
  const place = message.venue ? { ...message.venue.location, name: message.venue.title, address: message.venue.address } : message.location;
  if (place) return { text: locationText(place), media: [{ kind: 'location' }] };
  if (message.contact) return { text: `${message.contact.first_name ?? ''} ${message.contact.phone_number}`.trim(), media: [] };
  if (message.sticker) return { text: message.sticker.emoji ?? '', media: [] };
  return { text: message.text ?? '', media: [] };
}

function sender(user: z.infer<typeof User>, phone?: string): InboundMessage['sender'] {
  const name = [user.first_name, user.last_name].filter(Boolean).join(' ');
  return { ...(name ? { name } : {}), ...(user.username ? { username: user.username } : {}), ...(phone ? { phone } : {}) };
}
