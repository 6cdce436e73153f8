import { outsideServiceWindow } from '../message-parts';
import { z } from 'zod';
import { hmacSha256Hex, sameSecret } from '../../secrets';
import { WebhookUnauthenticated, type ChannelAdapter } from '../adapter';
import { header } from '../webhook-body';
import { parseWhatsAppNotification } from './inbound';
import { fetchWhatsAppMedia, sendWhatsApp } from './outbound';

const CredentialsSchema = z.object({
  /** The Graph API with its version; no trailing slash. */
  apiBase: z
    .url()
    .default('https://graph.facebook.com/v21.0')
    .transform((url) => url.replace(/\/+$/, '')),
  /** A system user's token with whatsapp_business_messaging. */
  accessToken: z.string().min(1),
  /** The business number's id (not the number itself): messages are sent from it. */
  phoneNumberId: z.string().min(1),
  /** The Meta app's secret: every notification is signed with it. */
  appSecret: z.string().min(1),
  /** What we told Meta to send when verifying the callback URL; unset, no verification succeeds. */
  verifyToken: z.string().min(1).optional(),
});
type Credentials = z.infer<typeof CredentialsSchema>;


export const whatsappAdapter: ChannelAdapter<Credentials> = {
  channel: 'whatsapp',
  credentialsSchema: CredentialsSchema,
  // Customers write in bursts of short messages: wait for the burst to end, answer once.
  defaultQuietPeriodMs: 5_000,

  authenticate(request, { appSecret }) {
    const presented = header(request, 'x-hub-signature-256');
    if (presented === undefined) throw new WebhookUnauthenticated(401, 'Missing X-Hub-Signature-256');
    const expected = `sha256=${hmacSha256Hex(appSecret, request.rawBody)}`;
    if (!sameSecret(presented.trim().toLowerCase(), expected)) throw new WebhookUnauthenticated(403, 'Wrong X-Hub-Signature-256');
  },

  handshake(request, { verifyToken }) {
    const { 'hub.mode': mode, 'hub.verify_token': token, 'hub.challenge': challenge } = request.query;
    // The token is compared even when the mode is wrong, so the answer's timing says nothing about it.
    const tokenMatches = verifyToken !== undefined && sameSecret(token ?? '', verifyToken);
    if (mode !== 'subscribe' || !tokenMatches || !challenge) throw new WebhookUnauthenticated(403, 'Webhook verification refused');
    return challenge;
  },

  parse: parseWhatsAppNotification,

  send: sendWhatsApp,

  fetchMedia: fetchWhatsAppMedia,

  mustUseTemplate: outsideServiceWindow,
};
