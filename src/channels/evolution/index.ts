import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import { sameSecret } from '../../secrets';
import { WebhookUnauthenticated, type ChannelAdapter } from '../adapter';
import { fileNameOf, textWithChoices } from '../message-parts';
import { callProviderJson } from '../../provider-http';
import { readJson } from '../webhook-body';
import { parseEvolutionWebhook } from './inbound';

const CredentialsSchema = z.object({
  /** The Evolution server, e.g. `https://evo.example.com`. */
  apiUrl: z.url().transform((url) => url.replace(/\/+$/, '')),
  /** The instance's token: sent as `apikey` on every call, and echoed in every webhook body. */
  apiKey: z.string().min(1),
  instance: z.string().min(1),
});
type Credentials = z.infer<typeof CredentialsSchema>;

/** Evolution signs nothing: a webhook proves itself with the instance token in its body. */
const Authenticity = z.object({ apikey: z.string().nullish() });

/** What Evolution answers to a send: the message as WhatsApp took it. */
const SentMessage = z.object({ key: z.object({ id: z.string().min(1) }) });

/** Shown while "typing…" before the message, as Evolution's own examples do. */
const TYPING_DELAY_MS = 1200;

export const evolutionAdapter: ChannelAdapter<Credentials> = {
  channel: 'evolution',
  credentialsSchema: CredentialsSchema,
  // WhatsApp customers write in bursts of short lines.
  defaultQuietPeriodMs: 5_000,

  authenticate(request, { apiKey }) {
    const { apikey } = readJson(request, Authenticity);
    if (!apikey) throw new WebhookUnauthenticated(401, 'Missing apikey in the webhook body');
    if (!sameSecret(apikey, apiKey)) throw new WebhookUnauthenticated(403, 'Wrong apikey in the webhook body');
  },

  parse: parseEvolutionWebhook,

  // `contactId` is the phone's digits, or the `…@lid` address of a contact known only by it: Evolution takes both.
  async send(credentials, contactId, message) {
    // Choices in the text: Evolution's buttons and lists go through Baileys, which dropped them
    // (WhatsApp shows them on no phone: evolution-api issues #1272, #1620).
    const text = textWithChoices(message.text, message.choices);
    const { attachment } = message;
    // Evolution (Baileys) sends no templates: a WhatsApp Web session has no 24-hour window to reopen.
    const sent = attachment
      ? await call(credentials, 'message/sendMedia', {
          number: contactId,
          mediatype: attachment.kind,
          media: attachment.url,
          caption: text,
          ...(attachment.kind === 'document' ? { fileName: attachment.fileName ?? fileNameOf(attachment.url) } : {}),
        })
      : await call(credentials, 'message/sendText', { number: contactId, text, delay: TYPING_DELAY_MS, linkPreview: false });
    return sent.key.id;
  },

  async fetchMedia(credentials, media) {
    if (!media.url) throw ApplicationFailure.nonRetryable('The media has no message id to download it by', 'MediaUnavailable');
    const answer = await callProviderJson<{ base64?: string; mimetype?: string }>({
      what: 'Evolution getBase64FromMediaMessage',
      url: `${credentials.apiUrl}/chat/getBase64FromMediaMessage/${encodeURIComponent(credentials.instance)}`,
      headers: { apikey: credentials.apiKey },
      body: { message: { key: { id: media.url } }, convertToMp4: false },
    });
    if (!answer.base64) throw ApplicationFailure.nonRetryable('Evolution returned no media for the message', 'MediaUnavailable');
    return { bytes: Buffer.from(answer.base64, 'base64'), mimeType: media.mimeType ?? answer.mimetype ?? 'application/octet-stream' };
  },
};

async function call(credentials: Credentials, method: string, body: Record<string, unknown>): Promise<z.infer<typeof SentMessage>> {
  const answer = await callProviderJson({
    what: `Evolution ${method}`,
    url: `${credentials.apiUrl}/${method}/${encodeURIComponent(credentials.instance)}`,
    headers: { apikey: credentials.apiKey },
    body,
  });
  const sent = SentMessage.safeParse(answer);
  // Accepted without an id: sending again could duplicate the message, so it is not retried.
  if (!sent.success) throw ApplicationFailure.nonRetryable(`Evolution ${method} answered without a message id`, 'ChannelRefused');
  return sent.data;
}


