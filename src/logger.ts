import pino, { type Logger } from 'pino';

/**
 * Keys whose values are secrets or personal data (phone numbers are contact ids on most
 * channels; what customers write is theirs). pino censors them wherever they appear one or two
 * levels deep in a log line; pino's paths are case-sensitive, hence the spelling variants.
 */
const SENSITIVE_KEYS = [
  'authorization',
  'apiKey',
  'apikey',
  'password',
  'token',
  'secret',
  'databaseUrl',
  'phone',
  'email',
  'contactId',
  'text',
  'customerText',
];

const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.apikey',
  'req.headers["x-api-key"]',
  'req.headers["x-hub-signature-256"]',
  'req.headers["x-telegram-bot-api-secret-token"]',
  'req.headers["x-session-token"]',
  ...SENSITIVE_KEYS.flatMap((key) => [key, `*.${key}`]),
];

/** E.164 numbers (and Telegram chat ids) standing alone: ids, JIDs, workflow ids, text. */
const PHONE_NUMBER = /(?<![A-Za-z0-9_])\+?\d{8,15}(?!\d)/g;

/** Keeps the last 4 digits, enough for ops to tell two customers apart. */
export function maskPhoneNumbers(text: string): string {
  return text.replace(PHONE_NUMBER, (number) => '*'.repeat(number.length - 4) + number.slice(-4));
}

/** An address with a letter before the @: WhatsApp JIDs (digits@…) are left to the phone mask. */
const EMAIL_ADDRESS = /(?<![\w.%+-])[\w.%+-]*[A-Za-z][\w.%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g;

/**
 * Credentials that find their way into text: query parameters of webhook and API URLs
 * (Gupshup's `?token=`, `session_token`, `hub.verify_token`…), Telegram's bot token in its API
 * paths, bearer tokens and API keys quoted in error messages.
 */
const SECRET_QUERY_PARAM = /([?&][\w.]*(?:token|key|secret|signature|password)[\w.]*=)[^&\s"]*/gi;
const TELEGRAM_BOT_TOKEN = /\/bot\d+:[\w-]+/g;
const BEARER_TOKEN = /(Bearer\s+)[^\s"]+/gi;
const API_KEY = /\bsk-[\w-]{8,}/g;

/** A text fit for a log line: phone numbers and e-mail addresses masked, credentials removed. */
export function maskText(text: string): string {
  return maskPhoneNumbers(text)
    .replace(EMAIL_ADDRESS, (address) => `${address[0]}***@${address.split('@')[1]}`)
    .replace(SECRET_QUERY_PARAM, '$1[redacted]')
    .replace(TELEGRAM_BOT_TOKEN, '/bot[redacted]')
    .replace(BEARER_TOKEN, '$1[redacted]')
    .replace(API_KEY, 'sk-[redacted]');
}

function maskDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskText(value);
  if (depth > 4 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => maskDeep(item, depth + 1));
  if (value instanceof Error) return value; // the err serializer masks it, with its stack
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, maskDeep(item, depth + 1)]));
}

/** Serializers run after the log formatter: each masks what it writes. */
const SERIALIZERS = {
  workflowId: (id: string) => maskText(String(id)),
  err: (error: Error) => maskDeep(pino.stdSerializers.err(error)),
  req: (req: { method?: string; url?: string; id?: string }) => ({ id: req.id, method: req.method, url: req.url && maskText(req.url) }),
  res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
};

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'concierge' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      formatters: {
        // Values with a serializer of their own are left to it: Fastify's request and reply keep
        // their fields in getters, which a copy here would lose.
        log: (object) => Object.fromEntries(Object.entries(object).map(([key, value]) => [key, key in SERIALIZERS ? value : maskDeep(value)])),
        // A child logger's bindings (tenant, workflow id…) do not pass the log formatter.
        bindings: (bindings) => maskDeep(bindings) as Record<string, unknown>,
      },
      serializers: SERIALIZERS,
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((arg) => (typeof arg === 'string' ? maskText(arg) : arg)) as Parameters<typeof method>);
        },
      },
    },
    destination,
  );
}

/** A connection string fit for a log line or the console: the password is replaced. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '[unparseable url]';
  }
}

export type { Logger };
