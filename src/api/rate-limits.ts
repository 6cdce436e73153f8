import { LRUCache } from 'lru-cache';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HttpError } from './errors';

/**
 * How much one caller may ask of the service: counted in this process (each API process keeps
 * its own counts), over a fixed window. The numbers are per minute unless they say otherwise.
 */
export interface RateLimits {
  /** Messages from one contact — a web chat session, a WhatsApp number, a Telegram chat… */
  messagesPerSession: number;
  /** `GET /api/chat/messages` for one web chat session (the page polls every few seconds). */
  pollsPerSession: number;
  /** Web chat sessions one address may start (each is a new durable conversation). */
  newSessionsPerAddress: number;
  /** `/api/chat*` requests from one address, a business backend's (bearer token) aside. */
  chatRequestsPerAddress: number;
  /** Messages to one tenant, web chat and channels counted apart; the operator's token aside. */
  messagesPerTenant: number;
  /** Contacts not heard from lately (new conversations, mostly) for one tenant; the operator's token aside. */
  newContactsPerTenant: number;
  /** Webhook requests from one address, before their signature is checked. */
  webhookRequestsPerAddress: number;
  /** `POST /mcp` requests with one tenant's token (each may run a tool). */
  mcpRequestsPerTenant: number;
  /** Refused credentials (401) from one address within `signInLockoutMinutes`; then 429 until it ends. */
  failedSignInsPerAddress: number;
  signInLockoutMinutes: number;
}

/**
 * A person types a few messages a minute and forwards at most a handful at once; a page polls
 * about 20 times a minute. A business's busiest hour is far below the per-tenant numbers; an
 * address shared by many people (a mobile carrier's NAT) stays below the per-address ones.
 */
export const DEFAULT_RATE_LIMITS: RateLimits = {
  messagesPerSession: 30,
  pollsPerSession: 600,
  newSessionsPerAddress: 60,
  chatRequestsPerAddress: 1_200,
  messagesPerTenant: 3_000,
  newContactsPerTenant: 600,
  webhookRequestsPerAddress: 12_000,
  mcpRequestsPerTenant: 1_200,
  failedSignInsPerAddress: 20,
  signInLockoutMinutes: 10,
};

export type CountedLimit = Exclude<keyof RateLimits, 'failedSignInsPerAddress' | 'signInLockoutMinutes'>;

/** One count against a limit, for one key (an address, a contact, a tenant). */
export interface Count {
  limit: CountedLimit;
  key: string;
}

/**
 * Counts a request against limits in the order given and stops at the first one exceeded with
 * 429 and `Retry-After`: what a narrower limit refuses does not use up a wider one's (a contact
 * flooding its own conversation does not use up its tenant's allowance).
 */
export type Limiter = (reply: FastifyReply, counts: readonly Count[]) => void;

const MINUTE_MS = 60_000;
/** Keys kept per counter: past this the least recently counted are forgotten. */
const KEYS_KEPT = 50_000;

export function limiter(limits: RateLimits): Limiter {
  const counter = new WindowCounter(MINUTE_MS);
  return (reply, counts) => {
    for (const { limit, key } of counts) {
      const { count, retryAfterMs } = counter.add(`${limit}:${key}`);
      if (count > limits[limit]) throw tooManyRequests(reply, retryAfterMs / 1000, TOO_MANY[limit]);
    }
  };
}

/**
 * Counts per key over a fixed window that starts with the key's first count. Synchronous, so
 * that requests arriving together each see their own count (@fastify/rate-limit's local store
 * hands out its live record and reads it after an await: under a burst, requests within the
 * limit were refused).
 */
export class WindowCounter {
  private readonly windows: LRUCache<string, { count: number; endsAt: number }>;

  constructor(private readonly windowMs: number) {
    this.windows = new LRUCache({ max: KEYS_KEPT });
  }

  /** Counts one more for the key: the count so far in its window, and how long that has to run. */
  add(key: string): { count: number; retryAfterMs: number } {
    const window = this.current(key) ?? { count: 0, endsAt: Date.now() + this.windowMs };
    window.count += 1;
    this.windows.set(key, window);
    return { count: window.count, retryAfterMs: window.endsAt - Date.now() };
  }

  /** The count so far in the key's window, without counting. */
  peek(key: string): { count: number; retryAfterMs: number } {
    const window = this.current(key);
    return window ? { count: window.count, retryAfterMs: window.endsAt - Date.now() } : { count: 0, retryAfterMs: 0 };
  }

  private current(key: string) {
    const window = this.windows.get(key);
    return window && window.endsAt > Date.now() ? window : undefined;
  }
}

/**
 * The client's address as limits count it: an IPv6 address by its /64, the block one machine
 * or home gets (it could otherwise take a new address for every request).
 */
export function addressOf(request: FastifyRequest): string {
  const ip = request.ip.replace(/^::ffff:(?=\d+\.)/, '');
  if (!ip.includes(':')) return ip;
  const [head = '', tail] = ip.split('::');
  const groups = head ? head.split(':') : [];
  if (tail !== undefined) {
    const rest = tail ? tail.split(':') : [];
    groups.push(...Array<string>(Math.max(0, 8 - groups.length - rest.length)).fill('0'), ...rest);
  }
  return `${groups.slice(0, 4).map((group) => parseInt(group, 16).toString(16)).join(':')}::/64`;
}

/** What a 429 tells the caller it did too much of. */
const TOO_MANY: Record<CountedLimit, string> = {
  messagesPerSession: 'messages from this contact',
  pollsPerSession: 'reads of this session',
  newSessionsPerAddress: 'new chat sessions from this address',
  chatRequestsPerAddress: 'chat requests from this address',
  messagesPerTenant: 'messages to this tenant',
  newContactsPerTenant: 'new conversations for this tenant',
  webhookRequestsPerAddress: 'webhook requests from this address',
  mcpRequestsPerTenant: 'MCP requests for this tenant',
};

/** 429, always with Retry-After, in seconds. */
export function tooManyRequests(reply: FastifyReply, retryAfterSeconds: number, what = 'requests'): HttpError {
  const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
  reply.header('retry-after', String(seconds));
  return new HttpError(429, 'rate_limited', `Too many ${what}: retry in ${seconds} s.`, { retry_after_seconds: seconds });
}

export interface MessageCounter {
  /**
   * The counts for messages to a tenant from contacts (keys unique within the tenant): each
   * contact's own, then the tenant's, then the tenant's new contacts. None for the operator
   * (ADMIN_TOKEN): their tools and load tests speak for every tenant, and a long scripted
   * conversation sends faster than any person.
   */
  counts(tenantId: string, contactKeys: readonly string[], by: { operator: boolean }): Count[];
  /** Messages let through: their contacts are no longer new, for an hour. */
  accepted(tenantId: string, contactKeys: readonly string[]): void;
}

/** Remembers the contacts it let through lately, to tell new conversations from going ones. */
export function messageCounter(): MessageCounter {
  const seen = new LRUCache<string, true>({ max: KEYS_KEPT, ttl: 60 * MINUTE_MS });
  return {
    counts: (tenantId, contactKeys, by) => {
      if (by.operator) return [];
      const keys = contactKeys.map((key) => `${tenantId}:${key}`);
      const counts: Count[] = keys.map((key) => ({ limit: 'messagesPerSession', key }));
      counts.push(...keys.map((): Count => ({ limit: 'messagesPerTenant', key: tenantId })));
      for (const key of new Set(keys)) if (!seen.has(key)) counts.push({ limit: 'newContactsPerTenant', key: tenantId });
      return counts;
    },
    accepted: (tenantId, contactKeys) => {
      for (const key of contactKeys) seen.set(`${tenantId}:${key}`, true);
    },
  };
}
