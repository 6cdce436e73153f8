import { z } from 'zod';
import type { InboundMessage, Media } from '../../domain/conversation';
import type { WebhookEvent, WebhookRequest } from '../adapter';
import { locationText, readJson, readShape, receivedAt } from '../webhook-body';

/** Evolution API v2's webhook envelope; what `data` holds depends on `event`. */
const Envelope = z.object({
  event: z.string(),
  instance: z.string().min(1),
  data: z.unknown(),
});

const MessageKey = z.object({
  id: z.string().min(1),
  remoteJid: z.string(),
  fromMe: z.boolean().nullish(),
  /** Newer WhatsApp addresses some contacts by a private `…@lid`; the phone comes in one of these. */
  remoteJidAlt: z.string().nullish(),
  senderPn: z.string().nullish(),
});

const Timestamp = z.union([z.number(), z.string(), z.object({ low: z.number() }).transform(({ low }) => low)]);

const UpsertedMessage = z.object({
  key: MessageKey,
  pushName: z.string().nullish(),
  message: z.record(z.string(), z.unknown()).nullish(),
  messageType: z.string().nullish(),
  messageTimestamp: Timestamp.nullish(),
});
type UpsertedMessage = z.infer<typeof UpsertedMessage>;

const MediaFields = z.object({ caption: z.string().nullish(), mimetype: z.string().nullish(), fileName: z.string().nullish() });
const LocationFields = z.object({
  degreesLatitude: z.number(),
  degreesLongitude: z.number(),
  name: z.string().nullish(),
  address: z.string().nullish(),
});
const ContactFields = z.object({ displayName: z.string().nullish(), vcard: z.string().nullish() });

/** The parts of a WhatsApp (Baileys) message the assistant can use; anything else is not read. */
const Content = z.object({
  conversation: z.string().nullish(),
  extendedTextMessage: z.object({ text: z.string().nullish() }).nullish(),
  imageMessage: MediaFields.nullish(),
  stickerMessage: MediaFields.nullish(),
  audioMessage: MediaFields.nullish(),
  videoMessage: MediaFields.nullish(),
  ptvMessage: MediaFields.nullish(),
  documentMessage: MediaFields.nullish(),
  locationMessage: LocationFields.nullish(),
  liveLocationMessage: LocationFields.nullish(),
  contactMessage: ContactFields.nullish(),
  contactsArrayMessage: z.object({ contacts: z.array(ContactFields).nullish() }).nullish(),
  buttonsResponseMessage: z.object({ selectedDisplayText: z.string().nullish(), selectedButtonId: z.string().nullish() }).nullish(),
  listResponseMessage: z
    .object({ title: z.string().nullish(), singleSelectReply: z.object({ selectedRowId: z.string().nullish() }).nullish() })
    .nullish(),
  templateButtonReplyMessage: z.object({ selectedDisplayText: z.string().nullish(), selectedId: z.string().nullish() }).nullish(),
  interactiveResponseMessage: z
    .object({ body: z.object({ text: z.string().nullish() }).nullish(), nativeFlowResponseMessage: z.object({ paramsJson: z.string().nullish() }).nullish() })
    .nullish(),
});
type Content = z.infer<typeof Content>;

/** Message kinds that are not the customer saying something new. */
const NOT_SAYING: Record<string, string> = {
  protocolMessage: 'protocol message (deletion, edit or disappearing-messages setting)',
  editedMessage: 'edit of an earlier message',
  reactionMessage: 'reaction',
  encReactionMessage: 'reaction',
  pollUpdateMessage: 'poll vote',
  senderKeyDistributionMessage: 'encryption key distribution',
  pinInChatMessage: 'pin',
  keepInChatMessage: 'keep-in-chat',
};

/** Envelopes that carry the real message one level down. */
const WRAPPERS = ['ephemeralMessage', 'viewOnceMessage', 'viewOnceMessageV2', 'viewOnceMessageV2Extension', 'documentWithCaptionMessage'];

/** The limits of InboundMessage: WhatsApp allows longer texts, which are cut rather than refused. */
const MAX_TEXT = 4096;

/** One Evolution webhook: customer messages come only as `messages.upsert`, alone or batched. */
export function parseEvolutionWebhook(request: WebhookRequest): WebhookEvent[] {
  const envelope = readJson(request, Envelope);
  // v2 sends `messages.upsert`; its configuration and WEBHOOK_BY_EVENTS spell it MESSAGES_UPSERT or messages-upsert.
  const event = envelope.event.toLowerCase().replace(/[_-]/g, '.');
  if (event !== 'messages.upsert') return [{ kind: 'ignored', reason: `event ${envelope.event}` }];
  const data = readShape(envelope.data, z.union([UpsertedMessage, z.array(UpsertedMessage)]));
  return (Array.isArray(data) ? data : [data]).map((message) => classify(envelope.instance, message));
}

function classify(instance: string, upserted: UpsertedMessage): WebhookEvent {
  const { key } = upserted;
  // Everything we send comes back as an upsert from us.
  if (key.fromMe) return { kind: 'ignored', reason: 'our own message (fromMe)' };
  const chat = nonPrivateChat(key.remoteJid);
  if (chat) return { kind: 'ignored', reason: chat };
  const contactId = contactOf(key);
  if (!contactId) return { kind: 'ignored', reason: `unsupported chat address ${key.remoteJid}` };
  const raw = unwrap(upserted.message ?? {});
  const notSaying = [upserted.messageType ?? '', ...Object.keys(raw)].find((kind) => kind in NOT_SAYING);
  if (notSaying) return { kind: 'ignored', reason: NOT_SAYING[notSaying]! };
  const said = content(readShape(raw, Content), key.id);
  if (!said) return { kind: 'ignored', reason: `message without content the assistant reads (${upserted.messageType ?? Object.keys(raw).join(', ')})` };
  const phone = contactId.includes('@') ? undefined : contactId;
  const name = upserted.pushName?.trim();
  const message: InboundMessage = {
    // Evolution re-emits upserts (reconnections, history sync, instance and global webhooks both on).
    id: `evolution:${instance}:${key.id}`,
    text: said.text.slice(0, MAX_TEXT),
    receivedAt: receivedAt(upserted.messageTimestamp ?? undefined),
    ...(said.media.length > 0 ? { media: said.media } : {}),
    ...(name || phone ? { sender: { ...(name ? { name: name.slice(0, 200) } : {}), ...(phone ? { phone } : {}) } } : {}),
  };
  return { kind: 'message', contactId, message };
}

/** What a chat that is not one customer with us is, for the log. */
function nonPrivateChat(jid: string): string | undefined {
  if (jid.endsWith('@g.us')) return 'group chat';
  if (jid.endsWith('@broadcast')) return 'status or broadcast list';
  if (jid.endsWith('@newsletter')) return 'channel (newsletter)';
  return undefined;
}

/** The contact's phone number; a `…@lid` address as it is when no phone came with it (Evolution sends to either). */
function contactOf(key: z.infer<typeof MessageKey>): string | undefined {
  for (const jid of [key.remoteJid, key.remoteJidAlt, key.senderPn]) {
    const phone = /^(\d{5,20})(?::\d+)?(?:@s\.whatsapp\.net)?$/.exec(jid ?? '')?.[1];
    if (phone) return phone;
  }
  return /^[A-Za-z0-9_.+-]{1,120}@lid$/.test(key.remoteJid) ? key.remoteJid : undefined;
}

function unwrap(message: Record<string, unknown>): Record<string, unknown> {
  for (let depth = 0; depth < 3; depth++) {
    const wrapper = WRAPPERS.map((name) => message[name] as { message?: unknown } | undefined).find((wrapped) => isRecord(wrapped?.message));
    if (!wrapper) break;
    message = wrapper.message as Record<string, unknown>;
  }
  return message;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** What the customer said, as text and media; undefined when nothing the assistant can read. */
function content(message: Content, messageId: string): { text: string; media: Media[] } | undefined {
  // Evolution downloads a message's media by the message's id (getBase64FromMediaMessage).
  const file = (kind: Media['kind'], fields: z.infer<typeof MediaFields>, mimeType?: string) => {
    const caption = fields.caption?.trim().slice(0, MAX_TEXT);
    const media: Media = { kind, url: messageId, mimeType: (fields.mimetype ?? mimeType)?.slice(0, 100), ...(caption ? { caption } : {}) };
    return { text: caption ?? '', media: [media] };
  };
  if (message.conversation) return { text: message.conversation, media: [] };
  if (message.extendedTextMessage?.text) return { text: message.extendedTextMessage.text, media: [] };
  if (message.imageMessage) return file('image', message.imageMessage, 'image/jpeg');
  if (message.stickerMessage) return file('image', message.stickerMessage, 'image/webp');
  if (message.audioMessage) return file('audio', message.audioMessage, 'audio/ogg');
  const video = message.videoMessage ?? message.ptvMessage;
  if (video) return file('video', video, 'video/mp4');
  if (message.documentMessage) return file('document', message.documentMessage);
  const place = message.locationMessage ?? message.liveLocationMessage;
  if (place) {
    const location = { latitude: place.degreesLatitude, longitude: place.degreesLongitude, name: place.name ?? undefined, address: place.address ?? undefined };
    return { text: locationText(location), media: [{ kind: 'location' }] };
  }
  const contacts = message.contactMessage ? [message.contactMessage] : (message.contactsArrayMessage?.contacts ?? []);
  if (contacts.length > 0) return { text: contacts.map(contactText).join('\n'), media: [] };
  const choice =
    message.buttonsResponseMessage?.selectedDisplayText ??
    message.buttonsResponseMessage?.selectedButtonId ??
    message.listResponseMessage?.title ??
    message.listResponseMessage?.singleSelectReply?.selectedRowId ??
    message.templateButtonReplyMessage?.selectedDisplayText ??
    message.templateButtonReplyMessage?.selectedId ??
    message.interactiveResponseMessage?.body?.text ??
    nativeFlowId(message.interactiveResponseMessage?.nativeFlowResponseMessage?.paramsJson);
  return choice ? { text: choice, media: [] } : undefined;
}

/** A shared contact card as "Name +phone", the phone from the vCard. */
function contactText(contact: z.infer<typeof ContactFields>): string {
  const vcard = contact.vcard ?? '';
  const waId = /waid=(\d+)/.exec(vcard)?.[1];
  const phone = waId ? `+${waId}` : /^TEL[^:]*:(.+)$/m.exec(vcard)?.[1]?.trim();
  return [contact.displayName, phone].filter(Boolean).join(' ');
}

function nativeFlowId(paramsJson: string | null | undefined): string | undefined {
  try {
    const id = (JSON.parse(paramsJson ?? '') as { id?: unknown }).id;
    return typeof id === 'string' && id ? id : undefined;
  } catch {
    return undefined;
  }
}
