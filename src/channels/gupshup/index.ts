import { outsideServiceWindow } from '../message-parts';
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import { sameSecret } from '../../secrets';
import { WebhookUnauthenticated, type ChannelAdapter } from '../adapter';
import { callProvider, callProviderJson } from '../../provider-http';
import { parseGupshupCallback } from './inbound';
import { gupshupRequests, type GupshupRequest } from './outbound';

const CredentialsSchema = z.object({
  apiBase: z
    .url()
    .default('https://api.gupshup.io')
    .transform((url) => url.replace(/\/+$/, '')),
  apiKey: z.string().min(1),
  /** The Gupshup app's name (`src.name`). */
  appName: z.string().min(1),
  /** The app's WhatsApp number, digits only. */
  source: z.string().min(1),
  /** Gupshup cannot sign callbacks: the callback URL carries this as `?token=`. */
  webhookToken: z.string().min(1),
});
type Credentials = z.infer<typeof CredentialsSchema>;


export const gupshupAdapter: ChannelAdapter<Credentials> = {
  channel: 'gupshup',
  credentialsSchema: CredentialsSchema,
  // WhatsApp customers write in bursts of short lines.
  defaultQuietPeriodMs: 5_000,

  authenticate(request, { webhookToken }) {
    const presented = request.query.token;
    if (presented === undefined || presented === '') throw new WebhookUnauthenticated(401, 'Missing token query parameter');
    if (!sameSecret(presented, webhookToken)) throw new WebhookUnauthenticated(403, 'Wrong token query parameter');
  },

  parse: parseGupshupCallback,

  async send(credentials, contactId, message) {
    const [first, ...rest] = gupshupRequests(credentials, contactId, message);
    const messageId = await submit(credentials, first!);
    for (const request of rest) await submit(credentials, request);
    return messageId;
  },

  async fetchMedia(_credentials, media) {
    if (!media.url) throw ApplicationFailure.nonRetryable('The media has no URL', 'MediaUnavailable');
    // Gupshup's callback gives a download link of its file manager, valid until `urlExpiry`.
    const response = await callProvider({ what: 'Gupshup media download', url: media.url });
    const mimeType = media.mimeType ?? response.headers.get('content-type') ?? 'application/octet-stream';
    return { bytes: Buffer.from(await response.arrayBuffer()), mimeType };
  },

  mustUseTemplate: outsideServiceWindow,
};

/** Sends one form and returns Gupshup's id of the message (the `id` its delivery events carry). */
async function submit(credentials: Credentials, request: GupshupRequest): Promise<string> {
  const answer = await callProviderJson<{ status?: string; messageId?: string; message?: string }>({
    what: 'Gupshup send',
    url: `${credentials.apiBase}${request.path}`,
    headers: { apikey: credentials.apiKey, 'Content-Type': 'application/x-www-form-urlencoded', ...request.headers },
    body: new URLSearchParams(request.fields),
  });
  if (!answer.messageId) {
    // Refused with a 2xx (`{"status": "error"}`): sending the same form again changes nothing.
    throw ApplicationFailure.nonRetryable(`Gupshup did not accept the message: ${answer.message ?? answer.status ?? 'no message id'}`, 'ChannelRefused');
  }
  return answer.messageId;
}
