import { createHmac, timingSafeEqual } from 'node:crypto';

/** Compares a presented secret with the expected one in constant time (for equal lengths). */
export function sameSecret(presented: string, expected: string): boolean {
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** HMAC-SHA256 of `data`, hex-encoded. */
export function hmacSha256Hex(key: string, data: string | Buffer): string {
  return createHmac('sha256', key).update(data).digest('hex');
}
