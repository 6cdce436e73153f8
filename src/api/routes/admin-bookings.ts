import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { listBookings } from '../../db/bookings';
import type { Pool } from '../../db/pool';
import { TenantIdSchema } from '../../domain/conversation';
import { appointmentWorkflowId } from '../../workflows/appointment-definitions';
import { tenantInScope, type AdminAuthenticator } from '../admin-auth';
import { parseRequest } from '../errors';

export const BookingsQuerySchema = z.object({
  tenant: TenantIdSchema.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** `GET /admin/bookings`: the newest bookings, of one tenant (`?tenant=`; a tenant token's own) or all. */
export function registerAdminBookingsRoute(app: FastifyInstance, deps: { pool: Pool; authenticate: AdminAuthenticator }): void {
  app.get('/admin/bookings', async (request) => {
    const bearer = await deps.authenticate(request);
    const query = parseRequest(BookingsQuerySchema, request.query);
    const bookings = await listBookings(deps.pool, { tenantId: tenantInScope(bearer, query.tenant), limit: query.limit });
    return {
      bookings: bookings.map((booking) => ({
        id: booking.id,
        tenant: booking.tenantId,
        service: { id: booking.serviceId, name: booking.serviceName },
        resource: booking.resourceId,
        status: booking.status,
        start: booking.start.toISOString(),
        end: booking.end.toISOString(),
        customer: { channel: booking.channel, contact_id: booking.contactId, name: booking.customerName },
        // Where its reminders live, to open in the Temporal UI.
        appointment_workflow_id: appointmentWorkflowId(booking.id),
        created_at: booking.createdAt.toISOString(),
        updated_at: booking.updatedAt.toISOString(),
      })),
    };
  });
}
