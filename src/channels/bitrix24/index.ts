import { z } from 'zod';
import type { Media } from '../../domain/conversation';
import { sameSecret } from '../../secrets';
import { WebhookUnauthenticated, type ChannelAdapter, type MediaFile, type OutboundMessage } from '../adapter';
import { callProvider } from '../../provider-http';
import { parseBitrix24Event, readEventBody } from './inbound';
import { callBitrix24 } from './rest';

const CredentialsSchema = z.object({
  /** Where REST methods are called: the portal's `https://<portal>/rest/`, or an inbound webhook's `…/rest/<user>/<code>/`. */
  restUrl: z.url(),
  /** The `application_token` Bitrix24 gave the app at install: every event carries it. */
  applicationToken: z.string().min(1),
  /** The chat bot's id, as `imbot.register` returned it. */
  botId: z.string().regex(/^\d+$/, 'must be the numeric bot id'),
  /** The CLIENT_ID the bot was registered with: an inbound webhook needs it on every imbot call. */
  clientId: z.string().min(1).optional(),
});
type Credentials = z.infer<typeof CredentialsSchema>;

const EventAuthSchema = z.object({ auth: z.object({ application_token: z.string() }) });
const MessageAddedSchema = z.object({ result: z.union([z.number(), z.string()]) });

export const bitrix24Adapter: ChannelAdapter<Credentials> = {
  channel: 'bitrix24',
  credentialsSchema: CredentialsSchema,
  defaultQuietPeriodMs: 2_000,

  authenticate(request, { applicationToken }) {
    const body = EventAuthSchema.safeParse(readEventBody(request));
    if (!body.success) throw new WebhookUnauthenticated(401, 'Missing auth[application_token]');
    if (!sameSecret(body.data.auth.application_token, applicationToken)) throw new WebhookUnauthenticated(403, 'Wrong auth[application_token]');
  },

  parse: parseBitrix24Event,

  async send(credentials, contactId, message) {
    const answer = await callBitrix24('Bitrix24 imbot.message.add', restMethod(credentials, 'imbot.message.add'), {
      BOT_ID: Number(credentials.botId),
      DIALOG_ID: contactId,
      MESSAGE: message.text,
      // Our replies carry booking links: a preview card under each would drown the words.
      URL_PREVIEW: 'N',
      ...keyboard(message),
      ...attach(message),
      ...(credentials.clientId ? { CLIENT_ID: credentials.clientId } : {}),
    });
    const parsed = MessageAddedSchema.safeParse(answer);
    if (!parsed.success) throw new Error('Bitrix24 imbot.message.add answered without a message id');
    return String(parsed.data.result);
  },

  async fetchMedia(credentials, media: Media): Promise<MediaFile> {
    if (!media.url) throw new Error('Bitrix24 file without a link');
    // The event's links may be relative to the portal.
    const url = new URL(media.url, credentials.restUrl).toString();
    const response = await callProvider({ what: 'Bitrix24 file download', url });
    return { bytes: Buffer.from(await response.arrayBuffer()), mimeType: media.mimeType ?? response.headers.get('content-type') ?? 'application/octet-stream' };
  },
};

function restMethod({ restUrl }: Credentials, name: string): string {
  return `${restUrl.endsWith('/') ? restUrl : `${restUrl}/`}${name}`;
}

/**
 * Choices as keyboard buttons, one a line. A button "sends" its title: the customer's choice
 * comes back as an ordinary message in their words, and no bot command needs registering.
 */
function keyboard(message: OutboundMessage): { KEYBOARD?: unknown[] } {
  if (!message.choices?.length) return {};
  return { KEYBOARD: message.choices.map((choice) => ({ TEXT: choice.title, ACTION: 'SEND', ACTION_VALUE: choice.title, DISPLAY: 'BLOCK' })) };
}

/** An attachment as an ATTACH block (the short form: a list of blocks). */
function attach({ attachment }: OutboundMessage): { ATTACH?: unknown[] } {
  if (!attachment) return {};
  const name = attachment.fileName ?? lastPathSegment(attachment.url);
  const block = { LINK: attachment.url, ...(name ? { NAME: name } : {}) };
  return { ATTACH: [attachment.kind === 'image' ? { IMAGE: [block] } : { FILE: [block] }] };
}

function lastPathSegment(url: string): string | undefined {
  const last = new URL(url).pathname.split('/').pop() ?? '';
  try {
    return decodeURIComponent(last) || undefined;
  } catch {
    return last || undefined;
  }
}
