import { FakeTelegram } from '../../test/helpers/fake-telegram';
import { FakeWhatsApp } from '../../test/helpers/fake-whatsapp';
import { answeredTags } from './script';

/** A message that reached a customer: accepted by a fake send API. */
export interface Delivered {
  /** `whatsapp:<wa_id>` or `telegram:<chat id>`. */
  contact: string;
  text: string;
  at: number;
}

/**
 * The fake WhatsApp Cloud API and Telegram Bot API Concierge sends through, as the customers'
 * phones: every message they accepted, and the replies customers are waiting for.
 */
export class ChannelFakes {
  readonly whatsapp = new FakeWhatsApp();
  readonly telegram = new FakeTelegram();
  readonly delivered: Delivered[] = [];
  private readonly waiting = new Map<string, () => void>();

  async start(): Promise<this> {
    await Promise.all([this.whatsapp.start(), this.telegram.start()]);
    this.whatsapp.onSent = (body: GraphMessage) => this.record(`whatsapp:${body.to}`, whatsappText(body));
    this.telegram.onSent = (message) => this.record(`telegram:${message.chat_id}`, message.text);
    return this;
  }

  /** Concierge's settings for the demo tenant's two channels, pointing at the fakes. */
  env(): Record<string, string> {
    const whatsapp = this.whatsapp.credentials();
    const telegram = this.telegram.credentials();
    return {
      WHATSAPP_API_BASE: whatsapp.apiBase,
      WHATSAPP_ACCESS_TOKEN: whatsapp.accessToken,
      WHATSAPP_PHONE_NUMBER_ID: whatsapp.phoneNumberId,
      WHATSAPP_APP_SECRET: whatsapp.appSecret,
      WHATSAPP_VERIFY_TOKEN: whatsapp.verifyToken,
      TELEGRAM_API_BASE: telegram.apiBase,
      TELEGRAM_BOT_TOKEN: telegram.botToken,
      TELEGRAM_WEBHOOK_SECRET: telegram.webhookSecret,
    };
  }

  /** Resolves true once a reply naming `tag` has arrived, false after `timeoutMs`. */
  replyTo(tag: string, timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(tag);
        resolve(false);
      }, timeoutMs);
      this.waiting.set(tag, () => {
        clearTimeout(timer);
        this.waiting.delete(tag);
        resolve(true);
      });
    });
  }

  async stop(): Promise<void> {
    await Promise.all([this.whatsapp.stop(), this.telegram.stop()]);
  }

  private record(contact: string, text: string): void {
    this.delivered.push({ contact, text, at: Date.now() });
    for (const tag of answeredTags(text)) this.waiting.get(tag)?.();
  }
}

/** The parts of a Cloud API send this run reads. */
interface GraphMessage {
  to?: string;
  type?: string;
  text?: { body?: string };
  interactive?: { body?: { text?: string } };
  template?: { name?: string; components?: { parameters?: { text?: string }[] }[] };
}

/** The text a customer reads, whatever kind of Cloud API message carries it. */
function whatsappText(body: GraphMessage): string {
  if (body.type === 'text') return String(body.text?.body ?? '');
  if (body.type === 'interactive') return String(body.interactive?.body?.text ?? '');
  if (body.type === 'template') {
    const parameters = (body.template?.components ?? []).flatMap((component) => component.parameters ?? []);
    return `[template ${body.template?.name}] ${parameters.map((parameter) => parameter.text).join(' ')}`;
  }
  return `[${String(body.type)}]`;
}
