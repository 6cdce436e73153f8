import { textWithChoices } from '../message-parts';
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import type { Media } from '../../domain/conversation';
import type { Choice, MediaFile, OutboundMessage, Template } from '../adapter';
import { callProvider, callProviderJson } from '../../provider-http';

export interface GraphApi {
  /** Graph API base with its version, e.g. https://graph.facebook.com/v21.0 */
  apiBase: string;
  accessToken: string;
  phoneNumberId: string;
}

/** Cloud API limits on what one message may carry. */
const LIMITS = { text: 4096, caption: 1024, buttonBody: 1024, buttons: 3, buttonTitle: 20, rows: 10, rowTitle: 24 } as const;
/** The label of the button that opens a list (at most 20 characters). */
const LIST_BUTTON_LABEL = 'Ver opciones';

const SendAnswerSchema = z.object({ messages: z.array(z.object({ id: z.string().min(1) })).min(1) });
const MediaInfoSchema = z.object({ url: z.url(), mime_type: z.string().optional() });

/** Sends the message (its template instead, when set); resolves to the wamid of the message that carries the text. */
export async function sendWhatsApp(api: GraphApi, to: string, message: OutboundMessage): Promise<string> {
  if (message.template) return post(api, { messaging_product: 'whatsapp', to, type: 'template', template: templateBody(message.template) });
  const { attachment } = message;
  const interactive = message.choices?.length ? interactiveBody(message.text, message.choices) : undefined;
  // One message where the text fits as the file's caption; otherwise the text first, then the file.
  if (attachment && !message.choices?.length && length(message.text) <= LIMITS.caption) {
    return post(api, individual(to, attachment.kind, mediaBody(attachment, message.text)));
  }
  const id = interactive
    ? await post(api, individual(to, 'interactive', interactive))
    : await post(api, individual(to, 'text', { preview_url: false, body: clip(textWithChoices(message.text, message.choices), LIMITS.text) }));
  if (attachment) await post(api, individual(to, attachment.kind, mediaBody(attachment)));
  return id;
}

/** Downloads a received file: its id resolves to a short-lived URL, fetched with the same token. */
export async function fetchWhatsAppMedia(api: GraphApi, media: Media): Promise<MediaFile> {
  const mediaId = media.url ?? '';
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(mediaId)) throw ApplicationFailure.nonRetryable(`Not a WhatsApp media id: ${mediaId.slice(0, 40)}`, 'ChannelRefused');
  const info = MediaInfoSchema.parse(await callProviderJson({ what: 'WhatsApp media lookup', url: `${api.apiBase}/${mediaId}`, headers: authorization(api) }));
  const response = await callProvider({ what: 'WhatsApp media download', url: info.url, headers: authorization(api) });
  return {
    bytes: Buffer.from(await response.arrayBuffer()),
    mimeType: media.mimeType ?? info.mime_type ?? response.headers.get('content-type') ?? 'application/octet-stream',
  };
}

async function post(api: GraphApi, body: Record<string, unknown>): Promise<string> {
  const answer = await callProviderJson({ what: 'WhatsApp send', url: `${api.apiBase}/${api.phoneNumberId}/messages`, headers: authorization(api), body });
  const parsed = SendAnswerSchema.safeParse(answer);
  // Accepted without an id: sending again could deliver it twice, so it is not retried.
  if (!parsed.success) throw ApplicationFailure.nonRetryable('WhatsApp send answered 200 without a message id', 'ChannelUnexpectedAnswer');
  return parsed.data.messages[0]!.id;
}

function authorization({ accessToken }: GraphApi): Record<string, string> {
  return { authorization: `Bearer ${accessToken}` };
}

function individual(to: string, type: string, content: unknown): Record<string, unknown> {
  return { messaging_product: 'whatsapp', recipient_type: 'individual', to, type, [type]: content };
}

/** Body parameters in order ({{1}}, {{2}}…), then the quick-reply buttons the template was approved with. */
function templateBody(template: Template): Record<string, unknown> {
  const components: unknown[] = [];
  if (template.parameters.length > 0) {
    components.push({ type: 'body', parameters: template.parameters.map((text) => ({ type: 'text', text })) });
  }
  (template.buttons ?? []).forEach((button, index) => {
    components.push({ type: 'button', sub_type: 'quick_reply', index: String(index), parameters: [{ type: 'payload', payload: button.id }] });
  });
  return { name: template.name, language: { code: template.language }, ...(components.length > 0 ? { components } : {}) };
}

/** Reply buttons for up to three short choices, a list for up to ten; none when they do not fit. */
function interactiveBody(text: string, choices: Choice[]): Record<string, unknown> | undefined {
  const titles = new Set(choices.map((choice) => choice.title));
  const fitsButtons =
    choices.length <= LIMITS.buttons && titles.size === choices.length && choices.every((choice) => length(choice.title) <= LIMITS.buttonTitle) && length(text) <= LIMITS.buttonBody;
  if (fitsButtons) {
    return {
      type: 'button',
      body: { text },
      action: { buttons: choices.map((choice) => ({ type: 'reply', reply: { id: choice.id, title: choice.title } })) },
    };
  }
  const fitsList = choices.length <= LIMITS.rows && choices.every((choice) => length(choice.title) <= LIMITS.rowTitle) && length(text) <= LIMITS.text;
  if (!fitsList) return undefined;
  return {
    type: 'list',
    body: { text },
    action: { button: LIST_BUTTON_LABEL, sections: [{ rows: choices.map((choice) => ({ id: choice.id, title: choice.title })) }] },
  };
}


function mediaBody(attachment: NonNullable<OutboundMessage['attachment']>, caption?: string): Record<string, unknown> {
  return {
    link: attachment.url,
    ...(caption ? { caption } : {}),
    ...(attachment.kind === 'document' && attachment.fileName ? { filename: attachment.fileName } : {}),
  };
}

/** Length as WhatsApp counts it: characters, not UTF-16 units. */
function length(text: string): number {
  return Array.from(text).length;
}

function clip(text: string, max: number): string {
  const characters = Array.from(text);
  return characters.length <= max ? text : `${characters.slice(0, max - 1).join('')}…`;
}
