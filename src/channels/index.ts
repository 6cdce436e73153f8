import type { ChannelAdapter, MessagingChannel } from './adapter';
import { evolutionAdapter } from './evolution';
import { telegramAdapter } from './telegram';
import { whatsappAdapter } from './whatsapp';

/** Every messaging channel Concierge speaks; the web chat is served by the API itself. */
const ADAPTERS: Partial<Record<MessagingChannel, ChannelAdapter<any>>> = {
  evolution: evolutionAdapter,
  telegram: telegramAdapter,
  whatsapp: whatsappAdapter,
};

export function channelAdapter(channel: MessagingChannel): ChannelAdapter<unknown> | undefined {
  return ADAPTERS[channel];
}

export type { ChannelAdapter, MessagingChannel } from './adapter';
