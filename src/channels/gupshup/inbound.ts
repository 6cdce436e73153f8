import { z } from 'zod';
import type { InboundMessage, Media } from '../../domain/conversation';
import type { WebhookEvent, WebhookRequest } from '../adapter';
import { locationText, readJson, readShape, receivedAt } from '../webhook-body';

/** Gupshup's callback (payload version 2): one event per request, its `payload` shaped by `type`. */
const Callback = z.object({
  app: z.string().optional(),
  timestamp: z.number().optional(),
  type: z.string(),
  payload: z.record(z.string(), z.unknown()),
});

const InboundPayload = z.object({
  /** WhatsApp's id of the customer's message: the same in every retry of the callback. */
  id: z.string().min(1),
  source: z.string().optional(),
  type: z.string(),
  payload: z.record(z.string(), z.unknown()).default({}),
  sender: z.object({ phone: z.string().optional(), name: z.string().optional() }).optional(),
});

const StatusPayload = z.object({
  id: z.string().min(1),
  /** Gupshup's id of our message; in failed and enqueued events it is `id` itself. */
  gsId: z.string().optional(),
  type: z.string(),
  destination: z.string().optional(),
  payload: z.object({ code: z.union([z.number(), z.string()]).optional(), reason: z.string().optional() }).loose().optional(),
});

const Coordinate = z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/).transform(Number)]);

/** Message contents by `payload.type`, as Gupshup documents them. */
const Contents = {
  text: z.object({ text: z.string() }),
  media: z.object({ url: z.string().min(1), contentType: z.string().optional(), caption: z.string().nullish() }),
  location: z.object({ latitude: Coordinate, longitude: Coordinate, name: z.string().optional(), address: z.string().optional() }),
  contact: z.object({
    contacts: z.array(
      z.object({
        name: z.object({ formatted_name: z.string().optional(), first_name: z.string().optional() }).optional(),
        phones: z.array(z.object({ phone: z.string().optional() })).optional(),
      }),
    ),
  }),
  /** Interactive reply buttons and list rows: `title` is what the customer tapped. */
  reply: z.object({ title: z.string().optional(), postbackText: z.string().optional(), id: z.string().optional() }),
  /** A template's quick-reply button. */
  quickReply: z.object({ text: z.string().optional(), payload: z.string().optional(), postbackText: z.string().optional() }),
};

const MEDIA_KINDS: Record<string, Media['kind']> = { image: 'image', sticker: 'image', audio: 'audio', video: 'video', file: 'document' };

/** Failures that mean the 24-hour window had closed: a template can still reach the customer. */
const WINDOW_CLOSED_CODES = new Set(['470', '131047', '1004', '1005', '1006', '1007', '1008', '1026']);
const WINDOW_CLOSED_REASON = /inactive for session|24 hours|re-?engagement/i;

/** The limits of InboundMessage: WhatsApp allows longer texts, which are cut rather than refused. */
const MAX_TEXT = 4096;

export function parseGupshupCallback(request: WebhookRequest): WebhookEvent[] {
  const callback = readJson(request, Callback);
  switch (callback.type) {
    case 'message':
      return [customerMessage(readShape(callback.payload, InboundPayload), callback.timestamp)];
    case 'message-event':
      return [messageStatus(readShape(callback.payload, StatusPayload))];
    default: {
      // user-event (opted-in, opted-out, sandbox-start), billing-event, template and account events.
      const detail = typeof callback.payload.type === 'string' ? ` ${callback.payload.type}` : '';
      return [{ kind: 'ignored', reason: `${callback.type}${detail}` }];
    }
  }
}

function customerMessage(inbound: z.infer<typeof InboundPayload>, timestamp: number | undefined): WebhookEvent {
  const contactId = inbound.source ?? inbound.sender?.phone;
  if (!contactId) return { kind: 'ignored', reason: 'message without a sender' };
  const said = content(inbound.type, inbound.payload);
  if (!said) return { kind: 'ignored', reason: `unsupported message type ${inbound.type}` };
  const name = inbound.sender?.name?.trim();
  const message: InboundMessage = {
    id: inbound.id,
    text: said.text.slice(0, MAX_TEXT),
    receivedAt: receivedAt(timestamp),
    ...(said.media.length > 0 ? { media: said.media } : {}),
    sender: { ...(name ? { name: name.slice(0, 200) } : {}), phone: inbound.sender?.phone ?? contactId },
  };
  return { kind: 'message', contactId, message };
}

function content(type: string, payload: Record<string, unknown>): { text: string; media: Media[] } | undefined {
  const kind = MEDIA_KINDS[type];
  if (kind) {
    const file = readShape(payload, Contents.media);
    const caption = file.caption?.trim().slice(0, MAX_TEXT);
    return { text: caption ?? '', media: [{ kind, url: file.url, mimeType: file.contentType?.slice(0, 100), ...(caption ? { caption } : {}) }] };
  }
  switch (type) {
    case 'text':
      return { text: readShape(payload, Contents.text).text, media: [] };
    case 'location': {
      const place = readShape(payload, Contents.location);
      return { text: locationText(place), media: [{ kind: 'location' }] };
    }
    case 'contact': {
      const { contacts } = readShape(payload, Contents.contact);
      const cards = contacts.map((card) => [card.name?.formatted_name ?? card.name?.first_name, ...(card.phones ?? []).map((phone) => phone.phone)].filter(Boolean).join(' '));
      return { text: cards.join('\n'), media: [] };
    }
    case 'button_reply':
    case 'list_reply': {
      const reply = readShape(payload, Contents.reply);
      const choice = reply.title ?? reply.postbackText ?? reply.id;
      return choice ? { text: choice, media: [] } : undefined;
    }
    case 'quick_reply': {
      const reply = readShape(payload, Contents.quickReply);
      const choice = reply.text ?? reply.postbackText ?? reply.payload;
      return choice ? { text: choice, media: [] } : undefined;
    }
    default:
      return undefined;
  }
}

function messageStatus(status: z.infer<typeof StatusPayload>): WebhookEvent {
  // enqueued, sent, delivered, read, deleted…: receipts the conversation does not need.
  if (status.type !== 'failed') return { kind: 'ignored', reason: `message status ${status.type}` };
  if (!status.destination) return { kind: 'ignored', reason: 'failure report without a destination' };
  const code = status.payload?.code === undefined ? '' : String(status.payload.code);
  const reason = status.payload?.reason ?? 'no reason given';
  return {
    kind: 'delivery-failed',
    contactId: status.destination,
    providerMessageId: status.gsId ?? status.id,
    outsideWindow: WINDOW_CLOSED_CODES.has(code) || WINDOW_CLOSED_REASON.test(reason),
    reason: code ? `${code}: ${reason}` : reason,
  };
}
