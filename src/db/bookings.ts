import pg from 'pg';
import { z } from 'zod';
import { BookingStatusSchema, type BookingStatus } from '../domain/booking';
import { ServiceSchema } from '../domain/catalogue';
import { ChannelSchema, type ConversationRef } from '../domain/conversation';
import type { Pool } from './pool';

export const BookingRecordSchema = z.object({
  id: z.uuid(),
  tenantId: z.string(),
  resourceId: z.string(),
  serviceId: z.string(),
  serviceName: z.string(),
  serviceTranslations: ServiceSchema.shape.translations,
  channel: ChannelSchema,
  contactId: z.string(),
  customerName: z.string().nullable(),
  status: BookingStatusSchema,
  start: z.date(),
  end: z.date(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type BookingRecord = z.infer<typeof BookingRecordSchema>;

/** The tenant's buffers, stored with each booking so a later change of policy cannot make two bookings overlap. */
export interface Buffers {
  beforeMinutes: number;
  afterMinutes: number;
}

export interface NewBooking {
  customer: ConversationRef;
  serviceId: string;
  customerName?: string;
  status: Exclude<BookingStatus, 'cancelled'>;
  start: Date;
  end: Date;
  buffers: Buffers;
  /** The same key for every attempt of one request: a retry finds the booking instead of making another. */
  idempotencyKey: string;
}

export type CreateBookingResult = { taken: false; booking: BookingRecord } | { taken: true };
export type RescheduleResult = { outcome: 'moved'; booking: BookingRecord } | { outcome: 'taken' } | { outcome: 'not_found' };

const EXCLUSION_VIOLATION = '23P01';

/** A booking's row with its service's name; `source` is the bookings table or a CTE of its rows. */
const selectRecords = (source: string) => `
  SELECT b.id, b.tenant_id AS "tenantId", b.resource_id AS "resourceId", b.service_id AS "serviceId", s.name AS "serviceName",
         s.translations AS "serviceTranslations",
         b.channel, b.contact_id AS "contactId", b.customer_name AS "customerName", b.status,
         b.starts_at AS start, b.ends_at AS "end", b.created_at AS "createdAt", b.updated_at AS "updatedAt"
  FROM ${source} b JOIN services s ON s.tenant_id = b.tenant_id AND s.id = b.service_id`;

const CUSTOMERS = 'b.tenant_id = $1 AND b.channel = $2 AND b.contact_id = $3';
const customerParams = (customer: ConversationRef) => [customer.tenantId, customer.channel, customer.contactId];
/** The customer's own booking: an id from another tenant or contact matches nothing. */
const OWN_BOOKING = `${CUSTOMERS} AND b.id = $4`;
const ownBookingParams = (customer: ConversationRef, id: string) => [...customerParams(customer), id];

const blockedRange = (start: string, end: string, before: string, after: string) =>
  `tstzrange(${start}::timestamptz - make_interval(mins => ${before}::int), ${end}::timestamptz + make_interval(mins => ${after}::int))`;

const toRecord = (row: unknown) => BookingRecordSchema.parse(row);
/** Not a uuid: no booking has that id, and PostgreSQL would reject the query. */
/** Not a uuid: no booking can have that id, and PostgreSQL would reject the query. */
export const isBookingId = (id: string) => z.uuid().safeParse(id).success;

/**
 * Books the first of `resourceIds` (in order) that is free, relying on the exclusion constraint rather
 * than on an earlier read: of two customers racing for the same time, exactly one gets it.
 */
export async function createBooking(pool: Pool, booking: NewBooking, resourceIds: readonly string[]): Promise<CreateBookingResult> {
  const { customer } = booking;
  for (const resourceId of resourceIds) {
    // Without a conflict target, DO NOTHING covers the exclusion constraint as well as the idempotency key.
    const { rows } = await pool.query(
      `WITH created AS (
         INSERT INTO bookings (tenant_id, resource_id, service_id, channel, contact_id, customer_name, status, starts_at, ends_at, blocked, idempotency_key)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, ${blockedRange('$8', '$9', '$10', '$11')}, $12)
         ON CONFLICT DO NOTHING RETURNING *)
       ${selectRecords('created')}`,
      [
        customer.tenantId, resourceId, booking.serviceId, customer.channel, customer.contactId, booking.customerName ?? null,
        booking.status, booking.start, booking.end, booking.buffers.beforeMinutes, booking.buffers.afterMinutes, booking.idempotencyKey,
      ],
    );
    if (rows[0]) return { taken: false, booking: toRecord(rows[0]) };
    // No row: either this request already booked (an attempt still running, or finished and then retried) or the resource is busy.
    const earlier = await findBookingByIdempotencyKey(pool, customer, booking.idempotencyKey);
    if (earlier) return { taken: false, booking: earlier };
  }
  return { taken: true };
}

/** The booking an earlier attempt of the same request made, if it made one. */
export async function findBookingByIdempotencyKey(pool: Pool, customer: ConversationRef, key: string): Promise<BookingRecord | undefined> {
  const { rows } = await pool.query(
    `${selectRecords('bookings')} WHERE ${CUSTOMERS} AND b.idempotency_key = $4`,
    [...customerParams(customer), key],
  );
  return rows[0] ? toRecord(rows[0]) : undefined;
}

/**
 * Moves a customer's booking, as it was just read, keeping its resource when that one is free and
 * otherwise trying the others in order. A booking cancelled since it was read cannot be moved (it
 * counts as not found); moving one to the time it already has changes nothing.
 */
export async function rescheduleBooking(
  pool: Pool,
  current: BookingRecord,
  move: { start: Date; end: Date; buffers: Buffers },
  resourceIds: readonly string[],
): Promise<RescheduleResult> {
  if (current.start.getTime() === move.start.getTime() && current.end.getTime() === move.end.getTime()) {
    return { outcome: 'moved', booking: current };
  }
  // The customer keeps the same person when that person is free at the new time.
  const others = resourceIds.filter((resourceId) => resourceId !== current.resourceId);
  const ordered = resourceIds.includes(current.resourceId) ? [current.resourceId, ...others] : others;
  for (const resourceId of ordered) {
    try {
      const { rows } = await pool.query(
        `WITH moved AS (
           UPDATE bookings b SET resource_id = $5, starts_at = $6, ends_at = $7, blocked = ${blockedRange('$6', '$7', '$8', '$9')}, updated_at = now()
           WHERE ${OWN_BOOKING} AND b.status <> 'cancelled' RETURNING b.*)
         ${selectRecords('moved')}`,
        [...ownBookingParams(current, current.id), resourceId, move.start, move.end, move.buffers.beforeMinutes, move.buffers.afterMinutes],
      );
      // No row: cancelled since it was read.
      return rows[0] ? { outcome: 'moved', booking: toRecord(rows[0]) } : { outcome: 'not_found' };
    } catch (error) {
      if (!(error instanceof pg.DatabaseError && error.code === EXCLUSION_VIOLATION)) throw error;
    }
  }
  return { outcome: 'taken' };
}

/** Cancels a customer's booking (again, harmlessly, if it already was); undefined when it is not theirs. */
export async function cancelBooking(pool: Pool, customer: ConversationRef, id: string): Promise<BookingRecord | undefined> {
  if (!isBookingId(id)) return undefined;
  const { rows } = await pool.query(
    `WITH cancelled AS (UPDATE bookings b SET status = 'cancelled', updated_at = now() WHERE ${OWN_BOOKING} RETURNING b.*)
     ${selectRecords('cancelled')}`,
    ownBookingParams(customer, id),
  );
  return rows[0] ? toRecord(rows[0]) : undefined;
}

/**
 * Confirms a customer's booking. A cancelled one stays cancelled: its time may have gone to someone
 * else. Returns the booking as it now stands; undefined when it is not theirs.
 */
export async function confirmBooking(pool: Pool, customer: ConversationRef, id: string): Promise<BookingRecord | undefined> {
  if (!isBookingId(id)) return undefined;
  const { rows } = await pool.query(
    `WITH confirmed AS (UPDATE bookings b SET status = 'confirmed', updated_at = now() WHERE ${OWN_BOOKING} AND b.status <> 'cancelled' RETURNING b.*)
     ${selectRecords('confirmed')}`,
    ownBookingParams(customer, id),
  );
  return rows[0] ? toRecord(rows[0]) : findCustomerBooking(pool, customer, id);
}

export async function findCustomerBooking(pool: Pool, customer: ConversationRef, id: string): Promise<BookingRecord | undefined> {
  if (!isBookingId(id)) return undefined;
  const { rows } = await pool.query(`${selectRecords('bookings')} WHERE ${OWN_BOOKING}`, ownBookingParams(customer, id));
  return rows[0] ? toRecord(rows[0]) : undefined;
}

/** The customer's bookings not yet over and not cancelled, soonest first. */
export async function listUpcomingBookings(pool: Pool, customer: ConversationRef, now: Date): Promise<BookingRecord[]> {
  const { rows } = await pool.query(
    `${selectRecords('bookings')}
     WHERE ${CUSTOMERS} AND b.status <> 'cancelled' AND b.ends_at > $4 ORDER BY b.starts_at`,
    [...customerParams(customer), now],
  );
  return rows.map(toRecord);
}

/** The newest bookings, of one tenant or of all: for staff, not customers. */
export async function listBookings(pool: Pool, filter: { tenantId?: string; limit?: number } = {}): Promise<BookingRecord[]> {
  const { rows } = await pool.query(
    `${selectRecords('bookings')} WHERE $1::text IS NULL OR b.tenant_id = $1 ORDER BY b.created_at DESC, b.id LIMIT $2`,
    [filter.tenantId ?? null, filter.limit ?? 100],
  );
  return rows.map(toRecord);
}
