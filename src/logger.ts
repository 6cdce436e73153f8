import pino, { type Logger } from 'pino';

/**
 * Keys whose values are secrets or personal data (phone numbers are contact ids on most
 * channels). pino censors them wherever they appear one or two levels deep in a log line;
 * pino's paths are case-sensitive, hence the spelling variants.
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
  'contactId',
];

const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.apikey',
  'req.headers["x-api-key"]',
  'req.headers["x-hub-signature-256"]',
  'req.headers["x-telegram-bot-api-secret-token"]',
  ...SENSITIVE_KEYS.flatMap((key) => [key, `*.${key}`]),
];

/** E.164 numbers (and Telegram chat ids) standing alone: ids, JIDs, workflow ids, text. */
const PHONE_NUMBER = /(?<![A-Za-z0-9_])\+?\d{8,15}(?!\d)/g;

/** Keeps the last 4 digits, enough for ops to tell two customers apart. */
export function maskPhoneNumbers(text: string): string {
  return text.replace(PHONE_NUMBER, (number) => '*'.repeat(number.length - 4) + number.slice(-4));
}

function maskDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskPhoneNumbers(value);
  if (depth > 4 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => maskDeep(item, depth + 1));
  if (value instanceof Error) return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, maskDeep(item, depth + 1)]));
}

/** Query parameters that carry credentials in webhook URLs (e.g. Gupshup's `?token=`). */
const SECRET_QUERY_PARAM = /([?&](?:token|key|apikey|api_key|secret|signature|hub\.verify_token)=)[^&]*/gi;

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'concierge' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      formatters: { log: (object) => maskDeep(object) as Record<string, unknown> },
      serializers: {
        // The log formatter does not see a child logger's bindings; serializers do.
        workflowId: (id: string) => maskPhoneNumbers(String(id)),
        req: (req: { method?: string; url?: string; id?: string }) => ({
          id: req.id,
          method: req.method,
          url: req.url?.replace(SECRET_QUERY_PARAM, '$1[redacted]'),
        }),
      },
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((arg) => (typeof arg === 'string' ? maskPhoneNumbers(arg) : arg)) as Parameters<typeof method>);
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
