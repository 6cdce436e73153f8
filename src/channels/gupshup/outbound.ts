import { fileNameOf, textWithChoices } from '../message-parts';
import type { Choice, OutboundMessage } from '../adapter';

/** A request to Gupshup's WhatsApp API: the path under `apiBase` and its form fields, in order. */
export interface GupshupRequest {
  path: string;
  fields: Record<string, string>;
  /** Besides `apikey` and the form's content type. */
  headers?: Record<string, string>;
}

/** WhatsApp's limits for interactive messages and media captions. */
const LIMITS = { body: 1024, quickReplies: 3, buttonTitle: 20, listRows: 10, rowTitle: 24 };
/**
 * A list's header and the label of the button that opens it, both required by Gupshup. The
 * adapter does not know the tenant's language; Spanish is the product's first.
 */
const LIST_LABELS = { title: 'Opciones', button: 'Ver opciones' };

interface Sender {
  appName: string;
  source: string;
}

/** The request for one message; a long caption needs two (the text, then the file). */
export function gupshupRequests(sender: Sender, destination: string, message: OutboundMessage): GupshupRequest[] {
  if (message.template) {
    // The template's `name` holds the id Gupshup gave the approved template.
    const template = { id: message.template.name, params: message.template.parameters };
    return [{ path: '/wa/api/v1/template/msg', fields: { source: sender.source, destination, 'src.name': sender.appName, template: gupshupJson(template) } }];
  }
  const session = (content: Record<string, unknown>): GupshupRequest => ({
    path: '/wa/api/v1/msg',
    fields: { channel: 'whatsapp', source: sender.source, destination, 'src.name': sender.appName, message: gupshupJson(content) },
    headers: { 'Cache-Control': 'no-cache' },
  });
  const { attachment } = message;
  if (!attachment) return [session(interactive(message))];
  const text = textWithChoices(message.text, message.choices);
  const file = (caption?: string) =>
    attachment.kind === 'image'
      ? { type: 'image', originalUrl: attachment.url, previewUrl: attachment.url, caption }
      : { type: 'file', url: attachment.url, filename: attachment.fileName ?? fileNameOf(attachment.url), caption };
  return text.length <= LIMITS.body ? [session(file(text))] : [session({ type: 'text', text }), session(file())];
}

/** Up to three short choices as reply buttons, up to ten as a list, otherwise numbered in the text. */
function interactive(message: OutboundMessage): Record<string, unknown> {
  const { text, choices } = message;
  if (!choices?.length) return { type: 'text', text };
  const fits = (count: number, titleLength: number) => choices.length <= count && text.length <= LIMITS.body && choices.every((choice) => choice.title.length <= titleLength);
  if (fits(LIMITS.quickReplies, LIMITS.buttonTitle)) {
    return { type: 'quick_reply', content: { type: 'text', text }, options: choices.map((choice) => ({ type: 'text', ...option(choice) })) };
  }
  if (fits(LIMITS.listRows, LIMITS.rowTitle)) {
    const rows = choices.map((choice) => ({ type: 'text', ...option(choice), description: '' }));
    const button = [{ type: 'text', title: LIST_LABELS.button }];
    return { type: 'list', title: LIST_LABELS.title, body: text, msgid: 'choices', globalButtons: button, items: [{ options: rows }] };
  }
  return { type: 'text', text: textWithChoices(message.text, message.choices) };
}

/** The customer's tap comes back with the title as `title` and the choice's id as `postbackText`. */
const option = (choice: Choice) => ({ title: choice.title, postbackText: choice.id });



/**
 * JSON as Gupshup's documentation writes its form fields (`{"type": "text", "text": "…"}`), so a
 * request reads exactly like their examples; Gupshup itself parses either spacing.
 */
export function gupshupJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(gupshupJson).join(', ')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).filter(([, field]) => field !== undefined);
    return `{${entries.map(([key, field]) => `${JSON.stringify(key)}: ${gupshupJson(field)}`).join(', ')}}`;
  }
  return JSON.stringify(value);
}
