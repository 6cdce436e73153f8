import type { Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { channelPhone } from '../../activities/leads';
import { eraseBookingEvents } from '../../calendars/erase-events';
import { eraseContact, findContactTraces, type ErasedRows } from '../../db/contact-erasure';
import type { Pool } from '../../db/pool';
import { findTenant } from '../../db/tenants';
import { temporalContactId } from '../../domain/contact-key';
import { ChannelSchema, ContactIdSchema, conversationWorkflowId, TenantIdSchema, type ConversationRef } from '../../domain/conversation';
import { contactWorkflowIds, contactWorkflowSweep } from '../../temporal/contact-erasure';
import { oneTenantInScope, type AdminAuthenticator } from '../admin-auth';
import { HttpError, parseRequest } from '../errors';

export const ContactParamsSchema = z.object({ channel: ChannelSchema, contact: ContactIdSchema });
export const ContactQuerySchema = z.object({ tenant: TenantIdSchema.optional() });

export interface AdminContactsDeps {
  pool: Pool;
  client: Client;
  authenticate: AdminAuthenticator;
  /** CONTACT_KEY_SECRET: how Temporal names the contacts of tenants with opaque contact keys. */
  contactKeySecret?: string;
}

/**
 * `DELETE /admin/contacts/:channel/:contact?tenant=`: erases a contact (a customer's right to be
 * forgotten). Answers what was erased; 404 when nothing was kept of that contact (or it is
 * another tenant's).
 */
export function registerAdminContactsRoutes(app: FastifyInstance, deps: AdminContactsDeps): void {
  app.delete('/admin/contacts/:channel/:contact', async (request) => {
    const bearer = await deps.authenticate(request);
    const { channel, contact } = parseRequest(ContactParamsSchema, request.params);
    const { tenant } = parseRequest(ContactQuerySchema, request.query);
    const ref = { tenantId: oneTenantInScope(bearer, tenant), channel, contactId: contact };
    const { erased, workflowRuns, calendarEvents } = await eraseEverywhere(deps, ref);
    if (workflowRuns === 0 && calendarEvents === 0 && Object.values(erased).every((rows) => rows === 0)) {
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
        inbound_messages_undelivered: erased.inboundMessages,
        staff_notifications: erased.staffNotifications,
        leads: erased.leads,
        lead_events: erased.leadEvents,
      },
      bookings: { anonymised: erased.bookingsAnonymised, cancelled: erased.bookingsCancelled },
      other_leads_without_the_phone: erased.phonesRemoved,
      workflow_runs_deleted: workflowRuns,
      calendar_events_deleted: calendarEvents,
    };
  });
}

/**
 * The contact's workflows go first, so that none writes again what is about to be erased; then
 * their bookings' external calendar events, while the rows still say which bookings were theirs;
 * then their rows, in one transaction (see eraseContact). All of it twice: an activity of a deleted
 * run may still have been running, and what it started or wrote meanwhile goes in the second pass
 * (which looks for the workflows the first one found, too: a lead push woken again by such an
 * activity has no row left to point to it).
 */
async function eraseEverywhere(deps: AdminContactsDeps, ref: ConversationRef): Promise<{ erased: ErasedRows; workflowRuns: number; calendarEvents: number }> {
  // Temporal knows the contact by their key where the tenant has opaque keys (and as they are, from before).
  const key = temporalContactId(ref, await findTenant(deps.pool, ref.tenantId), deps.contactKeySecret);
  const names = key === ref.contactId ? [ref] : [ref, { ...ref, contactId: key }];
  const conversationIds = names.map(conversationWorkflowId);
  const sweep = contactWorkflowSweep(deps.client, names);
  const traces = await findContactTraces(deps.pool, ref);
  const firstIds = contactWorkflowIds(names, traces);
  const firstRuns = await sweep(firstIds);
  const firstEvents = await eraseBookingEvents(deps.pool, ref.tenantId, traces.bookingIds);
  const firstRows = await eraseContact(deps.pool, ref, channelPhone(ref), conversationIds);
  const lateIds = contactWorkflowIds(names, await findContactTraces(deps.pool, ref));
  const lateRuns = await sweep([...new Set([...firstIds, ...lateIds])]);
  // The bookings were theirs before the first pass anonymised them: an event synced meanwhile is one of those.
  const lateEvents = await eraseBookingEvents(deps.pool, ref.tenantId, traces.bookingIds);
  const lateRows = await eraseContact(deps.pool, ref, channelPhone(ref), conversationIds);
  return { erased: sum(firstRows, lateRows), workflowRuns: firstRuns + lateRuns, calendarEvents: firstEvents + lateEvents };
}

function sum(a: ErasedRows, b: ErasedRows): ErasedRows {
  const total = { ...a };
  for (const key of Object.keys(total) as (keyof ErasedRows)[]) total[key] += b[key];
  return total;
}
