import { randomBytes } from 'node:crypto';
import { hmacSha256Hex, sameSecret } from '../secrets';

export interface PageTokens {
  /** The token a client gets for Temporal's next-page token. */
  issue(token: Buffer): string;
  /** Temporal's token back, if this API issued the presented one; undefined otherwise. */
  read(presented: string): Buffer | undefined;
}

/**
 * Visibility page tokens, signed: only tokens this API issued reach Temporal. Its server fails on
 * a token with the right syntax and wrong types with an unknown error, which the client retries
 * for twenty seconds before answering 500. Keyed by the API's session secret, so that every API
 * process reads the others' tokens; without one, by a random key (good for this process only).
 */
export function pageTokens(secret: string | undefined): PageTokens {
  const key = hmacSha256Hex(secret ?? randomBytes(32).toString('base64url'), 'conversation list page tokens');
  const signature = (payload: string) => hmacSha256Hex(key, payload).slice(0, 32);
  return {
    issue: (token) => {
      const payload = token.toString('base64url');
      return `${payload}.${signature(payload)}`;
    },
    read: (presented) => {
      const dot = presented.lastIndexOf('.');
      const payload = presented.slice(0, dot);
      if (dot < 1 || !sameSecret(presented.slice(dot + 1), signature(payload))) return undefined;
      return Buffer.from(payload, 'base64url');
    },
  };
}
