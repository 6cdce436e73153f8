import { z } from 'zod';
import type { Pool } from '../db/pool';
import { TENANT_CACHE_REFRESH_MS } from '../db/tenants';
import { DEMO_TENANT } from '../db/demo-tenant';
import { readThroughCache } from '../read-through-cache';
import type { ChannelAdapter, MessagingChannel } from './adapter';
import { channelAdapter } from './index';

/** What every channel's document may set beside the adapter's credentials. */
const ChannelBehaviourSchema = z.object({
  /** Overrides the channel's default burst quiet period. */
  quietPeriodMs: z.number().int().min(0).max(60_000).optional(),
  /** The approved template a reminder goes out as where free text cannot (WhatsApp's 24-hour window). */
  reminderTemplate: z.object({ name: z.string().min(1), language: z.string().min(1) }).optional(),
});

/** The demo tenant's channels, from env: one flat document per enabled channel. */
export type DemoChannels = Partial<Record<MessagingChannel, Record<string, unknown>>>;

/** A tenant's channel, ready to use: its adapter, its checked credentials and its behaviour. */
export interface ChannelSetup<Credentials = unknown> extends z.infer<typeof ChannelBehaviourSchema> {
  adapter: ChannelAdapter<Credentials>;
  credentials: Credentials;
}

export type ChannelSetupLookup = (tenantId: string, channel: MessagingChannel) => Promise<ChannelSetup | undefined>;

/** Reads one channel document; a wrong one names the field, never its value (they are secrets). */
export function channelSetup(channel: MessagingChannel, document: unknown): ChannelSetup {
  const adapter = channelAdapter(channel);
  if (!adapter) throw new Error(`No adapter for channel ${channel}`);
  const credentials = adapter.credentialsSchema.safeParse(document);
  const behaviour = ChannelBehaviourSchema.safeParse(document);
  const issues = [...(credentials.error?.issues ?? []), ...(behaviour.error?.issues ?? [])];
  if (issues.length > 0) {
    throw new Error(`Channel ${channel} is misconfigured: ${issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
  }
  return {
    ...behaviour.data!,
    adapter,
    credentials: credentials.data,
  };
}

/** Checks the demo tenant's channels once, at start: a misconfigured one stops the process. */
export function demoChannelSetups(demo: DemoChannels): Partial<Record<MessagingChannel, ChannelSetup>> {
  return Object.fromEntries(Object.entries(demo).map(([channel, document]) => [channel, channelSetup(channel as MessagingChannel, document)]));
}

/**
 * A tenant's channel as configured: the demo tenant's from env, every other tenant's from
 * `tenant_channels`. Undefined when the channel is not enabled for the tenant. Reads are reused
 * for as long as tenants' are, so a webhook flood does not become a query flood.
 */
export function channelSetupLookup(pool: Pool, demo: DemoChannels): ChannelSetupLookup {
  const demoSetups = demoChannelSetups(demo);
  const setups = readThroughCache(async (key) => {
    const [tenantId, channel] = key.split('\u0000') as [string, MessagingChannel];
    const { rows } = await pool.query<{ config: unknown }>('SELECT config FROM tenant_channels WHERE tenant_id = $1 AND channel = $2', [tenantId, channel]);
    return rows[0] ? channelSetup(channel, rows[0].config) : undefined;
  }, { refreshAfterMs: TENANT_CACHE_REFRESH_MS });
  return async (tenantId, channel) => {
    if (!channelAdapter(channel)) return undefined;
    if (tenantId === DEMO_TENANT.id) return demoSetups[channel];
    return setups(`${tenantId}\u0000${channel}`);
  };
}
