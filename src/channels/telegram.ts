import { ApplicationFailure } from '@temporalio/activity';

export interface TelegramConfig {
  apiBase: string;
  botToken: string;
  webhookSecret?: string;
}

interface TelegramAnswer {
  ok: boolean;
  result?: { message_id: number };
  description?: string;
  parameters?: { retry_after?: number };
}

/**
 * Bot API sendMessage. Refusals that a retry cannot fix (chat not found, bot blocked: 400/403)
 * fail for good; 429 and 5xx are left to the activity's retry policy, honouring retry_after.
 */
export async function sendTelegramText(config: TelegramConfig, chatId: string, text: string): Promise<string> {
  const response = await fetch(`${config.apiBase}/bot${config.botToken}/sendMessage`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ chat_id: /^-?\d+$/.test(chatId) ? Number(chatId) : chatId, text }),
    signal: AbortSignal.timeout(15_000),
  });
  const answer = (await response.json().catch(() => ({ ok: false }))) as TelegramAnswer;
  if (response.ok && answer.ok && answer.result) return String(answer.result.message_id);
  const reason = `Telegram sendMessage answered ${response.status}: ${answer.description ?? 'no description'}`;
  if (response.status === 429) {
    throw ApplicationFailure.create({
      message: reason,
      nextRetryDelay: `${answer.parameters?.retry_after ?? 1}s`,
    });
  }
  if (response.status >= 400 && response.status < 500) throw ApplicationFailure.nonRetryable(reason, 'ChannelRefused');
  throw new Error(reason);
}
