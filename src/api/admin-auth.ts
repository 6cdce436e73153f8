import type { FastifyRequest } from 'fastify';
import { sameSecret } from '../secrets';
import { HttpError } from './errors';

/**
 * Admin routes take `Authorization: Bearer <ADMIN_TOKEN>`. Without a configured token they are
 * off (503), rather than open. Compared in constant time: the token is the operator's key.
 */
export function requireAdmin(adminToken: string | undefined) {
  return async (request: FastifyRequest): Promise<void> => {
    if (!adminToken) throw new HttpError(503, 'admin_disabled', 'The admin API is off: set ADMIN_TOKEN');
    const presented = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '';
    if (!sameSecret(presented, adminToken)) {
      throw new HttpError(401, 'unauthorized', 'Send Authorization: Bearer <admin token>');
    }
  };
}
