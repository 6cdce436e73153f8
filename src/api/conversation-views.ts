import type { BookingRecord } from '../db/bookings';
import { contactKey } from '../db/contact-names';
import type { ArchivedEntry } from '../db/transcript-archive';
import { ConversationRefSchema, type ConversationRef } from '../domain/conversation';
import type { Lead } from '../domain/leads';
import type { ConversationListing } from '../temporal/conversation-list';
import type { ConversationState } from '../workflows/definitions';

/** How the admin conversation routes show a conversation, its transcript, bookings and lead. */

/**
 * Archived entries, then the workflow's own. The current session's recent entries are in both
 * (they are written through as they happen): those are taken from the state.
 */
export function wholeTranscript(archived: ArchivedEntry[], state: ConversationState | undefined): ArchivedEntry[] {
  if (!state) return archived;
  const firstLive = state.transcript[0]?.seq ?? state.nextSeq;
  const older = archived.filter((entry) => entry.sessionId !== state.sessionId || entry.seq < firstLive);
  return [...older, ...state.transcript.map((entry) => ({ ...entry, sessionId: state.sessionId }))];
}

export function entryView(entry: ArchivedEntry) {
  return {
    session_id: entry.sessionId,
    seq: entry.seq,
    role: entry.role,
    text: entry.text,
    at: entry.at,
    author: entry.role === 'staff' ? (entry.author ?? null) : null,
    silenced: entry.role === 'customer' ? (entry.silenced ?? null) : null,
    media: entry.role === 'customer' ? (entry.media ?? []).map((media) => media.kind) : [],
  };
}

/** The contact a listed conversation is with, if its search attributes say so properly. */
export function listingRef(listing: ConversationListing): ConversationRef[] {
  const ref = ConversationRefSchema.safeParse({ tenantId: listing.tenantId, channel: listing.channel, contactId: listing.contactId });
  return ref.success ? [ref.data] : [];
}

export function listingView(listing: ConversationListing, names: Map<string, string>) {
  const [ref] = listingRef(listing);
  return {
    id: listing.workflowId,
    run_id: listing.runId,
    tenant: listing.tenantId ?? null,
    channel: listing.channel ?? null,
    contact_id: listing.contactId ?? null,
    display_name: (ref && names.get(contactKey(ref))) ?? null,
    status: listing.status ?? null,
    started_at: listing.startedAt?.toISOString() ?? null,
    closed_at: listing.closedAt?.toISOString() ?? null,
  };
}

export function bookingView(booking: BookingRecord) {
  return {
    id: booking.id,
    service: { id: booking.serviceId, name: booking.serviceName },
    resource: booking.resourceId,
    status: booking.status,
    start: booking.start.toISOString(),
    end: booking.end.toISOString(),
  };
}

export function leadView(lead: Lead) {
  return {
    id: lead.id,
    name: lead.name,
    email: lead.email,
    phone: lead.phone,
    company: lead.company,
    stage: lead.stage,
    score: lead.score,
    crm_status: lead.crmStatus,
  };
}
