import { randomUUID } from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DateTime } from 'luxon';
import { DEMO_SERVICES, DEMO_TENANT } from '../../src/db/demo-tenant';
import { insertServicesIfAbsent } from '../../src/db/catalogue';
import type { Pool } from '../../src/db/pool';
import { insertBookingPolicyIfAbsent, type BookingPolicySettings } from '../../src/db/schedules';
import { insertTenantIfAbsent } from '../../src/db/tenants';
import type { ConversationRef } from '../../src/domain/conversation';

/** Buenos Aires has kept one offset all year since 2009: these dates never meet a DST change. */
export const ZONE = DEMO_TENANT.timeZone;

/** Weekdays 09:00–13:00 every 30 minutes, an hour's notice, a month ahead: the tests override what they test. */
export function policy(schedule: Partial<BookingPolicySettings['schedule']> = {}, rest: Partial<BookingPolicySettings> = {}): BookingPolicySettings {
  const morning = [{ start: '09:00', end: '13:00' }];
  return {
    schedule: {
      weeklyHours: { 1: morning, 2: morning, 3: morning, 4: morning, 5: morning },
      slotIntervalMinutes: 30,
      minNoticeMinutes: 60,
      maxDaysAhead: 30,
      ...schedule,
    },
    reminderOffsetsMinutes: [1440, 60],
    quietHours: { start: '21:00', end: '08:00' },
    bookingMode: 'assistant',
    bookingUrl: null,
    ...rest,
  };
}

/** A tenant like the demo one (zone, language, services) with its own policy and staff, so tests never share a calendar. */
export async function seedBookingTenant(
  pool: Pool,
  tenantId: string,
  settings: BookingPolicySettings,
  resources: { id: string; serviceIds: string[] }[],
): Promise<void> {
  await insertTenantIfAbsent(pool, { ...DEMO_TENANT, id: tenantId });
  await insertServicesIfAbsent(pool, tenantId, DEMO_SERVICES);
  await insertBookingPolicyIfAbsent(pool, tenantId, settings, resources.map((resource) => ({ ...resource, name: resource.id })));
}

/** The first Monday at least three days from now, as YYYY-MM-DD in the tenants' zone: open, and past any short notice. */
export function comingMonday(): DateTime {
  const soonest = DateTime.now().setZone(ZONE).startOf('day').plus({ days: 3 });
  return soonest.plus({ days: (8 - soonest.weekday) % 7 });
}

/** A weekday (the demo clinic opens Monday to Friday) at least `days` from today, in its zone. */
export function weekdayAhead(days: number): DateTime {
  let day = DateTime.now().setZone(ZONE).startOf('day').plus({ days });
  while (day.weekday > 5) day = day.plus({ days: 1 });
  return day;
}

export const isoDate = (day: DateTime) => day.toFormat('yyyy-MM-dd');

/** The UTC instant of a local time on a day, as the tools write it. */
export const instant = (day: DateTime, time: string) => DateTime.fromISO(`${isoDate(day)}T${time}`, { zone: ZONE }).toJSDate().toISOString();

export const customer = (tenantId: string, contactId: string): ConversationRef => ({ tenantId, channel: 'web', contactId });

/**
 * Runs activities as if a conversation workflow had scheduled them: the same workflow, run and
 * activity id give the same idempotency key, as Temporal's retries do.
 */
export function activityRunner(request: { workflowId: string; runId?: string; activityId?: string; attempt?: number }) {
  const environment = new MockActivityEnvironment({
    workflowExecution: { workflowId: request.workflowId, runId: request.runId ?? randomUUID() },
    activityId: request.activityId ?? '1',
    attempt: request.attempt ?? 1,
  });
  // MockActivityEnvironment.run does not infer the result type from the function it runs.
  return <Input, Output>(activity: (input: Input) => Promise<Output>, input: Input) => environment.run(activity, input) as Promise<Output>;
}
