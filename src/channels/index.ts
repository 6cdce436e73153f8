import type { ChannelAdapter, MessagingChannel } from './adapter';
import { evolutionAdapter } from './evolution';
import { gupshupAdapter } from './gupshup';
import { bitrix24Adapter } from './bitrix24';
import { telegramAdapter } from './telegram';
import { whatsappAdapter } from './whatsapp';

/** Every messaging channel Concierge speaks; the web chat is served by the API itself. */
const ADAPTERS: Partial<Record<MessagingChannel, ChannelAdapter<unknown>>> = {
  evolution: evolutionAdapter,
  gupshup: gupshupAdapter,
  telegram: telegramAdapter,
  bitrix24: bitrix24Adapter,
  whatsapp: whatsappAdapter,
};

export function channelAdapter(channel: MessagingChannel): ChannelAdapter<unknown> | undefined {
  return ADAPTERS[channel];
}

export type { ChannelAdapter, MessagingChannel } from './adapter';
