import { DEMO_TENANT } from '../../src/db/demo-tenant';
import { insertTenantIfAbsent } from '../../src/db/tenants';
import type { FakeTelegram } from './fake-telegram';
import type { TestStack } from './stack';

/**
 * A clinic of its own (the demo's zone and language) whose Telegram bot is the fake: customers
 * write through its webhook and every reply, the assistant's or staff's, reaches `telegram`.
 * Its own tenant id keeps its conversations apart from other test files' on the shared Temporal.
 */
export async function seedTelegramTenant(stack: TestStack, tenantId: string, telegram: FakeTelegram): Promise<void> {
  await insertTenantIfAbsent(stack.db.pool, { ...DEMO_TENANT, id: tenantId, name: `Clínica ${tenantId}` });
  const config = { apiBase: telegram.apiBase, botToken: `${tenantId}-BOT-TOKEN`, webhookSecret: `${tenantId}-secret`, quietPeriodMs: 0 };
  await stack.db.pool.query('INSERT INTO tenant_channels (tenant_id, channel, config) VALUES ($1, $2, $3)', [tenantId, 'telegram', config]);
}

let nextUpdateId = 700_000_000;

/** A customer writes to the tenant's bot: Telegram's webhook call, as Telegram makes it. */
export async function customerWrites(stack: TestStack, tenantId: string, chatId: number, text: string): Promise<void> {
  const updateId = nextUpdateId++;
  const from = { id: chatId, is_bot: false, first_name: 'Lucía', language_code: 'es' };
  const update = { update_id: updateId, message: { message_id: updateId % 100_000, from, chat: { id: chatId, first_name: 'Lucía', type: 'private' }, date: Math.floor(Date.now() / 1000), text } };
  const answer = await stack.request('POST', `/webhooks/${tenantId}/telegram`, JSON.stringify(update), {
    'content-type': 'application/json',
    'x-telegram-bot-api-secret-token': `${tenantId}-secret`,
  });
  if (answer.status !== 200) throw new Error(`the webhook answered ${answer.status}`);
}

/** The texts the tenant's bot sent to one chat, in order. */
export const sentTo = (telegram: FakeTelegram, chatId: number) => telegram.sent.filter((sent) => sent.chat_id === chatId).map((sent) => sent.text);
