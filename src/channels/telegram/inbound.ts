import { z } from 'zod';
import type { InboundMessage, Media } from '../../domain/conversation';
import type { WebhookEvent, WebhookRequest } from '../adapter';
import { locationText, readJson, receivedAt } from '../webhook-body';
import { businessContactId } from './contacts';

const User = z.object({
  id: z.number(),
  is_bot: z.boolean().optional(),
  first_name: z.string().optional(),
  last_name: z.string().optional(),
  username: z.string().optional(),
});
type User = z.infer<typeof User>;
const Chat = z.object({ id: z.number(), type: z.string() });
const File = z.object({ file_id: z.string(), mime_type: z.string().optional() });
type File = z.infer<typeof File>;
const Coordinates = z.object({ latitude: z.number(), longitude: z.number() });
const InlineKeyboard = z.object({
  inline_keyboard: z.array(z.array(z.object({ text: z.string(), callback_data: z.string().optional() }))),
});

const Message = z.object({
  message_id: z.number(),
  from: User.optional(),
  chat: Chat,
  /** 0 for an InaccessibleMessage (a callback on a message too old for the bot to see). */
  date: z.number(),
  /** Set on messages of a Telegram Business account the bot is connected to. */
  business_connection_id: z.string().optional(),
  /** Set when the bot itself sent the message on the business account's behalf. */
  sender_business_bot: User.optional(),
  text: z.string().optional(),
  caption: z.string().optional(),
  photo: z.array(File).optional(),
  voice: File.optional(),
  audio: File.optional(),
  video: File.optional(),
  video_note: File.optional(),
  animation: File.optional(),
  document: File.optional(),
  sticker: z.object({ emoji: z.string().optional() }).optional(),
  location: Coordinates.optional(),
  venue: z.object({ location: Coordinates, title: z.string(), address: z.string() }).optional(),
  contact: z.object({ phone_number: z.string(), first_name: z.string().optional(), last_name: z.string().optional(), user_id: z.number().optional() }).optional(),
  reply_markup: InlineKeyboard.optional(),
});
type Message = z.infer<typeof Message>;

const CallbackQuery = z.object({ id: z.string(), from: User, message: Message.optional(), data: z.string().optional() });

/**
 * A Bot API Update: `update_id` and exactly one kind. Kinds not listed here (edits, channel
 * posts, reactions, inline queries, polls, membership changes, payments, boosts…) are kept
 * unparsed, for the reason they are ignored.
 */
const Update = z.looseObject({
  update_id: z.number().int(),
  message: Message.optional(),
  business_message: Message.optional(),
  callback_query: CallbackQuery.optional(),
});

/** Message fields that make it a service message (someone joined, a pin, a payment…), not something a customer said. */
const SERVICE_FIELDS = [
  'new_chat_members',
  'left_chat_member',
  'new_chat_title',
  'new_chat_photo',
  'delete_chat_photo',
  'group_chat_created',
  'supergroup_chat_created',
  'channel_chat_created',
  'message_auto_delete_timer_changed',
  'migrate_to_chat_id',
  'migrate_from_chat_id',
  'pinned_message',
  'invoice',
  'successful_payment',
  'refunded_payment',
  'users_shared',
  'chat_shared',
  'gift',
  'unique_gift',
  'connected_website',
  'write_access_allowed',
  'passport_data',
  'proximity_alert_triggered',
  'boost_added',
  'chat_background_set',
  'checklist_tasks_done',
  'checklist_tasks_added',
  'direct_message_price_changed',
  'paid_message_price_changed',
  'forum_topic_created',
  'forum_topic_edited',
  'forum_topic_closed',
  'forum_topic_reopened',
  'general_forum_topic_hidden',
  'general_forum_topic_unhidden',
  'giveaway_created',
  'giveaway',
  'giveaway_winners',
  'giveaway_completed',
  'video_chat_scheduled',
  'video_chat_started',
  'video_chat_ended',
  'video_chat_participants_invited',
  'web_app_data',
];

/** Content we cannot turn into words for the assistant. */
const UNUSABLE_CONTENT = ['dice', 'game', 'poll', 'story', 'paid_media', 'checklist'];

/** Telegram sends one update per request. */
export function parseTelegramUpdate(request: WebhookRequest): WebhookEvent[] {
  const update = readJson(request, Update);
  // Redelivered updates keep their update_id (per bot, increasing): the exactly-once key.
  const id = `tg-${update.update_id}`;
  if (update.callback_query) return [buttonPress(id, update.callback_query)];
  if (update.message) return [customerMessage(id, update.message, String(update.message.chat.id))];
  if (update.business_message) return [businessMessage(id, update.business_message)];
  const kinds = Object.keys(update).filter((key) => key !== 'update_id');
  return [{ kind: 'ignored', reason: `${kinds.join(', ') || 'empty'} update` }];
}

function buttonPress(id: string, query: z.infer<typeof CallbackQuery>): WebhookEvent {
  const { message } = query;
  // Answered even when ignored: an unanswered press keeps its button spinning.
  const ignored = (reason: string): WebhookEvent => ({ kind: 'ignored', reason, callbackId: query.id });
  if (!message) return ignored('button of an inline-mode message');
  if (message.chat.type !== 'private') return ignored(`button pressed in a ${message.chat.type} chat`);
  if (query.data === undefined) return ignored('game button');
  // The customer "says" what the button said; a message too old to be shown leaves only its data.
  const pressed = message.reply_markup?.inline_keyboard.flat().find((button) => button.callback_data === query.data);
  const contactId = message.business_connection_id ? businessContactId(message.business_connection_id, message.chat.id) : String(message.chat.id);
  if (!contactId) return ignored('button of an unusable business connection');
  return {
    kind: 'message',
    contactId,
    message: { id, text: pressed?.text ?? query.data, receivedAt: new Date().toISOString(), sender: sender(query.from) },
    callbackId: query.id,
  };
}

/**
 * A Telegram Business account's chat, which the bot answers on the owner's behalf. Its updates
 * also carry what the owner (or the bot) wrote: in a private chat, only a message whose author
 * is the chat itself comes from the customer.
 */
function businessMessage(id: string, message: Message): WebhookEvent {
  if (message.chat.type !== 'private') return { kind: 'ignored', reason: `business ${message.chat.type} chat` };
  if (message.sender_business_bot || message.from?.id !== message.chat.id) return { kind: 'ignored', reason: 'business account owner’s own message' };
  const contactId = businessContactId(message.business_connection_id ?? '', message.chat.id);
  if (!contactId) return { kind: 'ignored', reason: 'business message without a usable connection id' };
  return customerMessage(id, message, contactId);
}

function customerMessage(id: string, message: Message, contactId: string): WebhookEvent {
  if (message.chat.type !== 'private') return { kind: 'ignored', reason: `${message.chat.type} chat` };
  if (message.from?.is_bot) return { kind: 'ignored', reason: 'message from a bot' };
  const raw = message as Record<string, unknown>;
  const service = SERVICE_FIELDS.find((field) => raw[field] !== undefined);
  if (service) return { kind: 'ignored', reason: `service message (${service})` };
  const unusable = UNUSABLE_CONTENT.find((field) => raw[field] !== undefined);
  if (unusable) return { kind: 'ignored', reason: `${unusable} message` };
  const { text, media } = content(message);
  if (!text && media.length === 0) return { kind: 'ignored', reason: 'message without content' };
  const shared = message.contact;
  const ownPhone = shared && shared.user_id !== undefined && shared.user_id === message.from?.id ? shared.phone_number : undefined;
  const inbound: InboundMessage = {
    id,
    text,
    receivedAt: receivedAt(message.date),
    ...(media.length > 0 ? { media } : {}),
    ...(message.from ? { sender: sender(message.from, ownPhone) } : {}),
  };
  return { kind: 'message', contactId, message: inbound };
}

function content(message: Message): { text: string; media: Media[] } {
  const caption = message.caption;
  const file = (kind: Media['kind'], { file_id, mime_type }: File, mimeType?: string): { text: string; media: Media[] } => ({
    text: caption ?? '',
    media: [{ kind, url: file_id, mimeType: mime_type ?? mimeType, ...(caption ? { caption } : {}) }],
  });
  if (message.photo?.length) return file('image', message.photo.at(-1)!, 'image/jpeg');
  if (message.voice) return file('audio', message.voice, 'audio/ogg');
  if (message.audio) return file('audio', message.audio, 'audio/mpeg');
  if (message.video) return file('video', message.video, 'video/mp4');
  if (message.video_note) return file('video', message.video_note, 'video/mp4');
  // A GIF also carries a `document`: it is the animation that says what it is.
  if (message.animation) return file('video', message.animation, 'video/mp4');
  if (message.document) return file(documentKind(message.document.mime_type), message.document);
  const place = message.venue ? { ...message.venue.location, name: message.venue.title, address: message.venue.address } : message.location;
  if (place) return { text: locationText(place), media: [{ kind: 'location' }] };
  if (message.contact) {
    const { first_name, last_name, phone_number } = message.contact;
    return { text: [first_name, last_name, phone_number].filter(Boolean).join(' '), media: [] };
  }
  if (message.sticker) return { text: message.sticker.emoji ?? '', media: [] };
  return { text: message.text ?? '', media: [] };
}

/** A photo or voice note sent "as a file" is still one for vision and transcription. */
function documentKind(mimeType: string | undefined): Media['kind'] {
  if (mimeType?.startsWith('image/')) return 'image';
  if (mimeType?.startsWith('audio/')) return 'audio';
  if (mimeType?.startsWith('video/')) return 'video';
  return 'document';
}

function sender(user: User, phone?: string): InboundMessage['sender'] {
  const name = [user.first_name, user.last_name].filter(Boolean).join(' ');
  return { ...(name ? { name } : {}), ...(user.username ? { username: user.username } : {}), ...(phone ? { phone } : {}) };
}
