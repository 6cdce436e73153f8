import type { Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { channelPhone } from '../../activities/leads';
import { eraseContact, findContactTraces } from '../../db/contact-erasure';
import type { Pool } from '../../db/pool';
import { ChannelSchema, ContactIdSchema, TenantIdSchema } from '../../domain/conversation';
import { contactWorkflowIds, deleteContactWorkflows } from '../../temporal/contact-erasure';
import { oneTenantInScope, type AdminAuthenticator } from '../admin-auth';
import { HttpError, parseRequest } from '../errors';

export const ContactParamsSchema = z.object({ channel: ChannelSchema, contact: ContactIdSchema });
export const ContactQuerySchema = z.object({ tenant: TenantIdSchema.optional() });

export interface AdminContactsDeps {
  pool: Pool;
  client: Client;
  authenticate: AdminAuthenticator;
}

/**
 * `DELETE /admin/contacts/:channel/:contact?tenant=`: erases a contact (a customer's right to be
 * forgotten). Their workflows go first, so that none writes again what is about to be erased;
 * then every row of theirs, in one transaction (see eraseContact). Answers what was erased; 404
 * when nothing was kept of that contact (or it is another tenant's).
 */
export function registerAdminContactsRoutes(app: FastifyInstance, deps: AdminContactsDeps): void {
  app.delete('/admin/contacts/:channel/:contact', async (request) => {
    const bearer = await deps.authenticate(request);
    const { channel, contact } = parseRequest(ContactParamsSchema, request.params);
    const { tenant } = parseRequest(ContactQuerySchema, request.query);
    const ref = { tenantId: oneTenantInScope(bearer, tenant), channel, contactId: contact };
    const traces = await findContactTraces(deps.pool, ref);
    const workflowsDeleted = await deleteContactWorkflows(deps.client, ref, contactWorkflowIds(ref, traces));
    const erased = await eraseContact(deps.pool, ref, channelPhone(ref));
    if (workflowsDeleted === 0 && Object.values(erased).every((rows) => rows === 0)) {
      throw new HttpError(404, 'contact_not_found', 'Nothing is kept of that contact.');
    }
    return {
      tenant: ref.tenantId,
      channel,
      erased: {
        contacts: erased.contacts,
        conversation_sessions: erased.conversationSessions,
        conversation_messages: erased.conversationMessages,
        outbound_messages: erased.outboundMessages,
        staff_notifications: erased.staffNotifications,
        leads: erased.leads,
        lead_events: erased.leadEvents,
      },
      bookings: { anonymised: erased.bookingsAnonymised, cancelled: erased.bookingsCancelled },
      other_leads_without_the_phone: erased.phonesRemoved,
      workflow_runs_deleted: workflowsDeleted,
    };
  });
}
