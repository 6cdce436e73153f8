import { z } from 'zod';
import type { InboundMessage, Media, RequestContext } from '../../domain/conversation';
import type { WebhookEvent, WebhookRequest } from '../adapter';
import { locationText, readJson, readShape, receivedAt } from '../webhook-body';

/** The customer-service window closed (more than 24 h since the customer last wrote): only a template gets through. */
export const OUTSIDE_WINDOW_ERROR = 131047;
const MAX_TEXT = 4096;

const ErrorSchema = z.object({
  code: z.number(),
  title: z.string().optional(),
  message: z.string().optional(),
  error_data: z.object({ details: z.string().optional() }).optional(),
});

const MediaObject = z.object({
  id: z.string().min(1),
  mime_type: z.string().optional(),
  caption: z.string().optional(),
  filename: z.string().optional(),
  voice: z.boolean().optional(),
  animated: z.boolean().optional(),
});

const Reply = z.object({ id: z.string(), title: z.string() });

/** One customer message; `type` names the field holding its content. */
const MessageSchema = z.object({
  /** The customer's phone number (wa_id); empty for a user known only by a business-scoped id. */
  from: z.string().optional(),
  from_user_id: z.string().optional(),
  id: z.string().min(1),
  timestamp: z.union([z.string(), z.number()]).optional(),
  type: z.string(),
  group_id: z.string().optional(),
  context: z
    .object({
      referred_product: z.object({ catalog_id: z.string().optional(), product_retailer_id: z.string().optional() }).optional(),
    })
    .optional(),
  referral: z
    .object({ source_url: z.string().optional(), source_type: z.string().optional(), headline: z.string().optional(), body: z.string().optional() })
    .optional(),
  text: z.object({ body: z.string() }).optional(),
  image: MediaObject.optional(),
  audio: MediaObject.optional(),
  video: MediaObject.optional(),
  document: MediaObject.optional(),
  sticker: MediaObject.optional(),
  location: z
    .object({ latitude: z.coerce.number(), longitude: z.coerce.number(), name: z.string().optional(), address: z.string().optional() })
    .optional(),
  contacts: z
    .array(
      z.object({
        name: z.object({ formatted_name: z.string().optional(), first_name: z.string().optional(), last_name: z.string().optional() }).optional(),
        phones: z.array(z.object({ phone: z.string().optional(), wa_id: z.string().optional() })).optional(),
      }),
    )
    .optional(),
  interactive: z.object({ type: z.string(), button_reply: Reply.optional(), list_reply: Reply.optional() }).optional(),
  /** A template's quick-reply button. */
  button: z.object({ text: z.string().optional(), payload: z.string().optional() }).optional(),
  order: z
    .object({
      text: z.string().optional(),
      product_items: z
        .array(z.object({ product_retailer_id: z.string(), quantity: z.coerce.number(), item_price: z.coerce.number().optional(), currency: z.string().optional() }))
        .optional(),
    })
    .optional(),
  system: z.object({ type: z.string().optional(), body: z.string().optional() }).optional(),
  unsupported: z.object({ type: z.string().optional() }).optional(),
  errors: z.array(ErrorSchema).optional(),
});
type Message = z.infer<typeof MessageSchema>;

const StatusSchema = z.object({
  id: z.string(),
  status: z.string(),
  recipient_id: z.string().optional(),
  /** Set instead of a phone number when we wrote to a business-scoped user id. */
  recipient_user_id: z.string().optional(),
  recipient_type: z.string().optional(),
  errors: z.array(ErrorSchema).optional(),
});
type Status = z.infer<typeof StatusSchema>;

const ContactSchema = z.object({
  profile: z.object({ name: z.string().optional(), username: z.string().optional() }).optional(),
  wa_id: z.string().optional(),
  user_id: z.string().optional(),
});
type Contact = z.infer<typeof ContactSchema>;

/** The value of a `messages` change: customer messages, receipts of ours, or account-level errors. */
const MessagesValueSchema = z.object({
  metadata: z.object({ display_phone_number: z.string().optional(), phone_number_id: z.string().optional() }).optional(),
  contacts: z.array(ContactSchema).optional(),
  messages: z.array(MessageSchema).optional(),
  statuses: z.array(StatusSchema).optional(),
  errors: z.array(ErrorSchema).optional(),
});
type MessagesValue = z.infer<typeof MessagesValueSchema>;

/** Meta's webhook envelope: entries (one per business account) of changes (one per subscribed field). */
const NotificationSchema = z.object({
  object: z.string(),
  entry: z.array(z.object({ id: z.string().optional(), changes: z.array(z.object({ field: z.string(), value: z.unknown() })) })),
});

/** Every event of one notification: Meta batches several messages, receipts and entries in one request. */
export function parseWhatsAppNotification(request: WebhookRequest, ourNumber?: { phoneNumberId: string }): WebhookEvent[] {
  const notification = readJson(request, NotificationSchema);
  if (notification.object !== 'whatsapp_business_account') return [{ kind: 'ignored', reason: `${notification.object} notification` }];
  const events: WebhookEvent[] = [];
  for (const entry of notification.entry) {
    for (const change of entry.changes) {
      // smb_message_echoes (what the business wrote from its app), template reviews, account updates…
      if (change.field !== 'messages') {
        events.push({ kind: 'ignored', reason: `${change.field} notification` });
        continue;
      }
      const value = readShape(change.value, MessagesValueSchema);
      // One Meta app may serve several numbers: another number's customers are not ours to answer.
      const addressedTo = value.metadata?.phone_number_id;
      if (ourNumber && addressedTo && addressedTo !== ourNumber.phoneNumberId) {
        events.push({ kind: 'ignored', reason: 'addressed to another business number' });
        continue;
      }
      for (const error of value.errors ?? []) events.push({ kind: 'ignored', reason: `account error ${describe([error])}` });
      for (const status of value.statuses ?? []) events.push(statusEvent(status));
      for (const message of value.messages ?? []) events.push(messageEvent(message, value));
    }
  }
  return events.length > 0 ? events : [{ kind: 'ignored', reason: 'notification without events' }];
}

function statusEvent(status: Status): WebhookEvent {
  if (status.status !== 'failed') return { kind: 'ignored', reason: `status ${status.status}` };
  if (status.recipient_type === 'group') return { kind: 'ignored', reason: 'failed status of a group message' };
  const contactId = status.recipient_id || status.recipient_user_id;
  if (!contactId) return { kind: 'ignored', reason: 'failed status without a recipient' };
  return {
    kind: 'delivery-failed',
    contactId,
    providerMessageId: status.id,
    outsideWindow: (status.errors ?? []).some((error) => error.code === OUTSIDE_WINDOW_ERROR),
    reason: describe(status.errors) || 'failed',
  };
}

function messageEvent(message: Message, value: MessagesValue): WebhookEvent {
  const contactId = message.from || message.from_user_id;
  if (!contactId) return { kind: 'ignored', reason: 'message without a sender' };
  if (message.group_id) return { kind: 'ignored', reason: 'group message' };
  if (contactId === value.metadata?.display_phone_number) return { kind: 'ignored', reason: 'our own message' };
  const content = readContent(message);
  if ('ignored' in content) return { kind: 'ignored', reason: content.ignored };
  if (!content.text.trim() && !content.media) return { kind: 'ignored', reason: `${message.type} message without content` };
  const contact = senderContact(message, value.contacts ?? []);
  const context = adContext(message);
  const inbound: InboundMessage = {
    // wamids are unique per message and kept by redeliveries: the exactly-once key.
    id: message.id,
    // Texts are at most 4096 characters; only a long order or contact list could be longer.
    text: content.text.slice(0, MAX_TEXT),
    receivedAt: receivedAt(message.timestamp),
    ...(content.media ? { media: [content.media] } : {}),
    ...(contact ? { sender: sender(contact) } : {}),
    ...(context ? { context } : {}),
  };
  return { kind: 'message', contactId, message: inbound };
}

type Content = { text: string; media?: Media } | { ignored: string };

/** What the customer said, in words the assistant reads; or why there is nothing to answer. */
function readContent(message: Message): Content {
  switch (message.type) {
    case 'text':
      return message.text ? { text: message.text.body } : { ignored: 'text message without text' };
    case 'image':
    case 'audio':
    case 'video':
    case 'document':
    case 'sticker':
      return mediaContent(message, message.type);
    case 'location':
      return message.location ? { text: locationText(message.location), media: { kind: 'location' } } : { ignored: 'location message without a location' };
    case 'contacts':
      return { text: (message.contacts ?? []).map(sharedContact).filter(Boolean).join('\n') };
    case 'interactive': {
      // The customer "says" the title of the button or row they tapped.
      const reply = message.interactive?.button_reply ?? message.interactive?.list_reply;
      return reply ? { text: reply.title } : { ignored: `interactive ${message.interactive?.type ?? 'reply'}` };
    }
    case 'button': {
      const pressed = message.button?.text || message.button?.payload;
      return pressed ? { text: pressed } : { ignored: 'button without text' };
    }
    case 'order':
      return { text: orderText(message.order ?? {}) };
    case 'reaction':
      return { ignored: 'reaction' };
    case 'edit':
    case 'revoke':
      // The original message was answered already; a change of mind arrives as a new message.
      return { ignored: `${message.type === 'edit' ? 'edited' : 'revoked'} message` };
    case 'system':
      return { ignored: `system message ${message.system?.type ?? ''}`.trim() };
    case 'request_welcome':
      return { ignored: 'chat opened, nothing written yet' };
    case 'unsupported':
    case 'unknown':
      return { ignored: `unsupported message ${message.unsupported?.type ?? ''} ${describe(message.errors)}`.replace(/\s+/g, ' ').trim() };
    default:
      return { ignored: `message type ${message.type}` };
  }
}

const MEDIA_KINDS = { image: 'image', audio: 'audio', video: 'video', document: 'document', sticker: 'image' } as const;

/** Media travel by id: `url` holds it, for fetchMedia to resolve through the Graph API. */
function mediaContent(message: Message, type: keyof typeof MEDIA_KINDS): Content {
  const file = message[type];
  if (!file) return { ignored: `${type} message without its media` };
  // A sticker is a (webp) picture: the assistant sees it as one.
  const media: Media = { kind: MEDIA_KINDS[type], url: file.id, ...(file.mime_type ? { mimeType: file.mime_type } : {}), ...(file.caption ? { caption: file.caption } : {}) };
  return { text: file.caption ?? '', media };
}

function sharedContact(contact: NonNullable<Message['contacts']>[number]): string {
  const name = contact.name?.formatted_name || [contact.name?.first_name, contact.name?.last_name].filter(Boolean).join(' ');
  const phones = (contact.phones ?? []).map((phone) => phone.phone || phone.wa_id).filter(Boolean);
  return [name, phones.join(', ')].filter(Boolean).join(' ');
}

function orderText(order: NonNullable<Message['order']>): string {
  const items = (order.product_items ?? []).map((item) => {
    const price = [item.item_price, item.currency].filter((part) => part !== undefined).join(' ');
    return `${item.quantity} × ${item.product_retailer_id}${price ? ` (${price})` : ''}`;
  });
  return [order.text, items.length > 0 ? `🛒 ${items.join(', ')}` : ''].filter(Boolean).join('\n');
}

/** The profile Meta sends beside the message: the one of its sender. */
function senderContact(message: Message, contacts: Contact[]): Contact | undefined {
  const own = contacts.find((contact) => (message.from && contact.wa_id === message.from) || (message.from_user_id && contact.user_id === message.from_user_id));
  return own ?? (contacts.length === 1 ? contacts[0] : undefined);
}

function sender(contact: Contact): InboundMessage['sender'] {
  const { name, username } = contact.profile ?? {};
  return {
    ...(name ? { name: name.slice(0, 200) } : {}),
    ...(contact.wa_id ? { phone: contact.wa_id.slice(0, 32) } : {}),
    ...(username ? { username: username.slice(0, 100) } : {}),
  };
}

/** Where the customer came from (a Click-to-WhatsApp ad, a product's "message business" button), for the prompt. */
function adContext(message: Message): RequestContext | undefined {
  const entries: [string, string | undefined][] = [
    ['ad_headline', message.referral?.headline],
    ['ad_body', message.referral?.body],
    ['ad_url', message.referral?.source_url],
    ['product_id', message.context?.referred_product?.product_retailer_id],
  ];
  const present = entries.filter((entry): entry is [string, string] => Boolean(entry[1])).map(([key, text]) => [key, text.slice(0, 500)]);
  return present.length > 0 ? Object.fromEntries(present) : undefined;
}

/** Meta's errors as one line: code, title and details. */
function describe(errors: z.infer<typeof ErrorSchema>[] | undefined): string {
  return (errors ?? [])
    .map((error) => [error.code, error.title ?? error.message, error.error_data?.details].filter(Boolean).join(' '))
    .join('; ');
}
