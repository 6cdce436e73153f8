import type { FastifyInstance, FastifyRequest } from 'fastify';
import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import { WebhookMalformed, WebhookUnauthenticated, type MessagingChannel, type WebhookEvent, type WebhookRequest } from '../../channels/adapter';
import { channelAdapter } from '../../channels';
import type { ChannelSetup, ChannelSetupLookup } from '../../channels/setup';
import { cachedTenantLookup } from '../../db/tenants';
import type { Pool } from '../../db/pool';
import { TenantIdSchema } from '../../domain/conversation';
import type { Tenant } from '../../domain/tenant';
import type { ConversationStarter } from '../../temporal/conversations';
import { HttpError } from '../errors';
import { addressOf, limiter, messageCounter, type RateLimits } from '../rate-limits';
import type { DeliveryFailureHandler } from '../delivery-failures';
import { startInboundInbox } from '../inbound-inbox';

/** Providers send media by reference, so 1 MB is far above any real event. */
const WEBHOOK_BODY_LIMIT_BYTES = 1024 * 1024;
/** Message ids this process acknowledged lately, remembered to answer a redelivery without Temporal. */
const ACKNOWLEDGED_KEPT = 20_000;

export interface WebhookRouteDeps extends ConversationStarter {
  pool: Pool;
  channels: ChannelSetupLookup;
  onDeliveryFailed: DeliveryFailureHandler;
  rateLimits: RateLimits;
}

export const ParamsSchema = z.object({ tenant: TenantIdSchema, channel: z.string() });

/**
 * `/webhooks/:tenant/:channel` for every messaging channel. A request is answered 200 only once
 * each customer message in it is durable: in PostgreSQL's inbound inbox, from which it is handed
 * to its conversation (signal-with-start keyed by the provider's message id, so a redelivery
 * changes nothing), or, with PostgreSQL down, in Temporal. When neither can take it the answer is
 * 503 and the provider retries. A request that fails authentication or is not the provider's
 * format starts nothing.
 */
export function registerWebhookRoutes(app: FastifyInstance, deps: WebhookRouteDeps): void {
  const findTenant = cachedTenantLookup(deps.pool);
  const inbox = startInboundInbox({ starter: deps, pool: deps.pool, logger: app.log, findTenant });
  app.addHook('onClose', () => inbox.stop());
  // A message acknowledged once is durable: its redelivery (Meta's, when our 200 came late) is
  // answered 200 at once, and costs its conversation no signal. One this process has not seen,
  // or has forgotten, is signalled again, which the conversation ignores by its id.
  const acknowledged = new LRUCache<string, true>({ max: ACKNOWLEDGED_KEPT });

  async function resolve(request: FastifyRequest): Promise<{ tenant: Tenant; setup: ChannelSetup; channel: MessagingChannel }> {
    const params = ParamsSchema.safeParse(request.params);
    const channel = params.data?.channel as MessagingChannel | undefined;
    if (!params.success || !channel || channel === ('web' as string) || !channelAdapter(channel)) {
      throw new HttpError(404, 'unknown_channel', 'No such channel');
    }
    const tenant = await findTenant(params.data.tenant);
    const setup = tenant && (await deps.channels(tenant.id, channel));
    // One answer for both: which tenants exist is nobody's business.
    if (!tenant || !setup) throw new HttpError(404, 'channel_not_enabled', `Channel ${channel} is not enabled for this tenant`);
    return { tenant, setup, channel };
  }

  app.register(async (scope) => {
    const limit = limiter(deps.rateLimits);
    const messages = messageCounter();
    // A flood guard, far above what a provider sends from one of its addresses (Meta and
    // Telegram spread deliveries over many); counted before any signature is checked.
    scope.addHook('onRequest', async (request, reply) => limit(reply, [{ limit: 'webhookRequestsPerAddress', key: addressOf(request) }]));
    // Signatures cover the exact bytes: every body is kept raw and parsed by the channel's adapter.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: WEBHOOK_BODY_LIMIT_BYTES }, (_request, body, done) => done(null, body));

    scope.get('/webhooks/:tenant/:channel', async (request, reply) => {
      const { setup } = await resolve(request);
      if (!setup.adapter.handshake) throw new HttpError(405, 'method_not_allowed', 'This channel has no verification handshake');
      const challenge = guard(() => setup.adapter.handshake!(webhookRequest(request), setup.credentials));
      return reply.type('text/plain').send(challenge);
    });

    scope.post('/webhooks/:tenant/:channel', async (request, reply) => {
      const { tenant, setup, channel } = await resolve(request);
      const incoming = webhookRequest(request);
      guard(() => setup.adapter.authenticate(incoming, setup.credentials));
      const events = guard(() => setup.adapter.parse(incoming, setup.credentials));
      // Signed, so its contacts are real; still counted per contact and per tenant, all of the
      // request's before any is delivered: a refused request (429) is retried whole by the provider.
      const contacts = events.flatMap((event) => (event.kind === 'message' ? [`${channel}:${event.contactId}`] : []));
      limit(reply, messages.counts(tenant.id, contacts, { operator: false }));
      for (const event of events) await handle(request, tenant, setup, channel, event);
      messages.accepted(tenant.id, contacts);
      // An empty 200: what every provider takes as "received" (Gupshup insists on it).
      return reply.status(200).send();
    });
  });

  async function handle(request: FastifyRequest, tenant: Tenant, setup: ChannelSetup, channel: MessagingChannel, event: WebhookEvent): Promise<void> {
    switch (event.kind) {
      case 'ignored':
        request.log.debug({ channel, reason: event.reason }, 'webhook event ignored');
        acknowledgeButton(request, setup, channel, event.callbackId);
        return;
      case 'delivery-failed':
        await deps.onDeliveryFailed({ tenantId: tenant.id, channel, contactId: event.contactId }, event);
        return;
      case 'message': {
        const ref = { tenantId: tenant.id, channel, contactId: event.contactId };
        const key = `${tenant.id}\u0000${channel}\u0000${event.contactId}\u0000${event.message.id}`;
        if (!acknowledged.has(key)) {
          await guard(() => inbox.accept(tenant, ref, event.message, setup.quietPeriodMs));
          acknowledged.set(key, true);
        }
        acknowledgeButton(request, setup, channel, event.callbackId);
      }
    }
  }
}

/** Stops a pressed button's spinner; not worth holding the webhook's answer for. */
function acknowledgeButton(request: FastifyRequest, setup: ChannelSetup, channel: MessagingChannel, callbackId: string | undefined): void {
  if (!callbackId || !setup.adapter.acknowledgeCallback) return;
  setup.adapter.acknowledgeCallback(setup.credentials, callbackId).catch((error: unknown) => {
    request.log.warn({ channel, err: error }, 'button press not acknowledged to the provider');
  });
}

function webhookRequest(request: FastifyRequest): WebhookRequest {
  return {
    method: request.method as 'GET' | 'POST',
    headers: request.headers,
    query: request.query as Record<string, string | undefined>,
    rawBody: Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0),
  };
}

/** The adapter's verdicts as HTTP answers. */
function guard<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof WebhookUnauthenticated) throw new HttpError(error.statusCode, 'unauthenticated', error.message);
    if (error instanceof WebhookMalformed) throw new HttpError(400, 'malformed_webhook', error.message);
    // What the adapter built did not pass the conversation's own checks (an id with separators…).
    if (error instanceof z.ZodError) throw new HttpError(400, 'malformed_webhook', `Unusable event: ${error.issues[0]?.path.join('.')}: ${error.issues[0]?.message}`);
    throw error;
  }
}
