import pino, { type Logger } from 'pino';

/**
 * Keys whose values are secrets or personal data (phone numbers are contact ids on most
 * channels). pino censors them wherever they appear one or two levels deep in a log line.
 */
const SENSITIVE_KEYS = ['authorization', 'apiKey', 'password', 'token', 'secret', 'databaseUrl', 'phone', 'contactId'];

export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers["x-hub-signature-256"]',
  'req.headers["x-telegram-bot-api-secret-token"]',
  ...SENSITIVE_KEYS.flatMap((key) => [key, `*.${key}`]),
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, base: { service: 'concierge' }, redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, destination);
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
