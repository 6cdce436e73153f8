import { z } from 'zod';
import { ServiceNamesSchema } from './catalogue';

/**
 * What the booking tools tell the model (and the offline model): the shapes are the contract
 * between the tool activities and whoever reads their results.
 */

export const BookingStatusSchema = z.enum(['held', 'confirmed', 'cancelled']);
export type BookingStatus = z.infer<typeof BookingStatusSchema>;

/** A free time, stated in the business's zone. */
export const SlotOfferSchema = z.object({
  start: z.iso.datetime(),
  /** Local date and time in the tenant's zone: what the booking tools take back. */
  date: z.iso.date(),
  time: z.string(),
  /** For the customer: "martes 24 de noviembre, 10:00". */
  label: z.string(),
});
export type SlotOffer = z.infer<typeof SlotOfferSchema>;

export const BookingSummarySchema = z.object({
  id: z.uuid(),
  serviceId: z.string(),
  service: z.string(),
  /** The service's name for customers of other languages. */
  serviceNames: ServiceNamesSchema.optional(),
  status: BookingStatusSchema,
  start: z.iso.datetime(),
  date: z.iso.date(),
  time: z.string(),
  label: z.string(),
});
export type BookingSummary = z.infer<typeof BookingSummarySchema>;

export const AvailabilityResultSchema = z.object({
  date: z.iso.date(),
  service: z.string().optional(),
  serviceNames: ServiceNamesSchema.optional(),
  /** With a time asked: whether that time is free; without: whether the date has any free time. */
  available: z.boolean(),
  /** Not available because the business does not take that service then (a closed day, after hours, too soon), rather than booked up. */
  closed: z.boolean().optional(),
  /** Free times that date (or, when the asked time is taken, the nearest ones). */
  slots: z.array(SlotOfferSchema),
});
export type AvailabilityResult = z.infer<typeof AvailabilityResultSchema>;

export const SlotSuggestionsSchema = z.object({ service: z.string(), serviceNames: ServiceNamesSchema.optional(), slots: z.array(SlotOfferSchema) });
export type SlotSuggestions = z.infer<typeof SlotSuggestionsSchema>;

/** create/reschedule/cancel/confirm answer with the booking as it now stands. */
export const BookingResultSchema = z.object({ booking: BookingSummarySchema });
/** In booking-link mode the assistant does not book: it sends the business's booking page. */
export const BookingLinkResultSchema = z.object({ bookingUrl: z.url() });
export const MyBookingsSchema = z.object({ bookings: z.array(BookingSummarySchema) });

/**
 * Why a booking tool could not do it. `slot_taken`: someone else just booked that time (or it is
 * not bookable); the nearest free times come with it. `already_booked`: the customer has an
 * appointment then (it comes as `booking`); `too_many_bookings`: they hold the most allowed.
 */
export const BookingErrorSchema = z.object({
  error: z.enum([
    'slot_taken',
    'unknown_service',
    'not_found',
    'closed',
    'past',
    'too_far_ahead',
    'no_schedule',
    'already_booked',
    'too_many_bookings',
  ]),
  message: z.string(),
  alternatives: z.array(SlotOfferSchema).optional(),
  booking: BookingSummarySchema.optional(),
});
export type BookingError = z.infer<typeof BookingErrorSchema>;
