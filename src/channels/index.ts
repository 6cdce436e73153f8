import type { ChannelAdapter, MessagingChannel } from './adapter';
import { evolutionAdapter } from './evolution';
import { telegramAdapter } from './telegram';

/** Every messaging channel Concierge speaks; the web chat is served by the API itself. */
const ADAPTERS: Partial<Record<MessagingChannel, ChannelAdapter<any>>> = {
  evolution: evolutionAdapter,
  telegram: telegramAdapter,
};

export function channelAdapter(channel: MessagingChannel): ChannelAdapter<unknown> | undefined {
  return ADAPTERS[channel];
}

export type { ChannelAdapter, MessagingChannel } from './adapter';
