import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { createBooking } from '../../src/db/bookings';
import { DEMO_BOOKING_POLICY, DEMO_CONFIG, DEMO_SERVICES, DEMO_STAFF } from '../../src/db/demo-tenant';
import { applyTenantConfig } from '../../src/db/tenant-config';
import { loadBookingPolicy, loadResources } from '../../src/db/schedules';
import { availableSlots } from '../../src/domain/scheduling/availability';
import type { ConversationRef } from '../../src/domain/conversation';
import type { TestStack } from '../helpers/stack';
import { sleep } from '../helpers/wait-for';
import { ZONE, type RunCalendar } from './calendar';
import { alternativesOf, booking, type DialogCase, type DialogScript, type ExpectedBooking, type Seed, type Turn } from './types';

/** Between the messages of a burst: back to back, yet in order. */
const BURST_GAP_MS = 40;

export interface TurnRecord {
  sent: string[];
  /** One answer per message sent: the reply, or the status when there is none ("(courtesy)"). */
  replies: string[];
}

export type Verdict = 'pass' | 'fail';

export interface DialogResult {
  dialog: DialogCase;
  script: DialogScript;
  sessionId: string;
  turns: TurnRecord[];
  /** The customer's bookings, not cancelled, when the dialog is over. */
  bookings: ExpectedBooking[];
  verdict: Verdict;
  /** Bookings the customer did not ask for or accept: none of the expected ones. */
  unwanted: ExpectedBooking[];
  /** When the test set itself is wrong on the run day: an expected booking is no free slot. */
  invalid?: string;
}

export const describeBooking = (b: ExpectedBooking) => `${b.service} ${b.date} ${b.time}`;
const key = describeBooking;

/**
 * Drives dialogs through `POST /api/chat` as the business's backend would, one session each, and
 * reads what they left. Each runner has a clinic of its own, a copy of the demo clinic (same
 * services, staff, hours and wording), since every dialog starts from an empty calendar: runners
 * can then run dialogs side by side.
 */
export class DialogRunner {
  private constructor(
    private readonly stack: TestStack,
    private readonly calendar: RunCalendar,
    private readonly tenantId: string,
    /** Keeps this run's sessions apart from any other's on the shared Temporal server. */
    private readonly runId: string,
  ) {}

  static async start(stack: TestStack, calendar: RunCalendar): Promise<DialogRunner> {
    const runId = randomUUID().slice(0, 8);
    const tenantId = `dialogs-${runId}`;
    await applyTenantConfig(stack.db.pool, { ...DEMO_CONFIG, id: tenantId });
    return new DialogRunner(stack, calendar, tenantId, runId);
  }

  private sessionOf(dialog: DialogCase, suffix: string): string {
    return `dlg-${dialog.id}${suffix}-${this.runId}`;
  }

  /** A dialog from start to end, judged by the bookings it leaves. */
  async run(dialog: DialogCase): Promise<DialogResult> {
    const played = await this.play(dialog, '', (script) => script.turns);
    return { ...played, ...judge(played.script, played.bookings) };
  }

  /** A dialog up to the customer's yes to the summary (its `confirmAt` turn), not sent. */
  runUntilConfirmation(dialog: DialogCase): Promise<Omit<DialogResult, 'verdict' | 'unwanted'>> {
    return this.play(dialog, '-confirm', (script) => script.turns.slice(0, script.confirmAt));
  }

  private async play(dialog: DialogCase, suffix: string, turnsOf: (script: DialogScript) => Turn[]): Promise<Omit<DialogResult, 'verdict' | 'unwanted'>> {
    const script = dialog.script(this.calendar);
    const sessionId = this.sessionOf(dialog, suffix);
    const invalid = await this.prepare(sessionId, script);
    const turns: TurnRecord[] = [];
    for (const [index, turn] of turnsOf(script).entries()) turns.push(await this.send(sessionId, turn, index));
    return { dialog, script, sessionId, turns, bookings: await this.bookingsOf(sessionId), invalid };
  }

  /**
   * A clean calendar with only the dialog's own seeds, and whether every booking it expects is
   * really free then (else the test set is wrong for today's date: reported, not blamed on the model).
   */
  private async prepare(sessionId: string, script: DialogScript): Promise<string | undefined> {
    const { pool } = this.stack.db;
    // The runner's dialogs share its clinic's calendar: each starts from an empty one.
    await pool.query(`UPDATE bookings SET status = 'cancelled', updated_at = now() WHERE tenant_id = $1 AND status <> 'cancelled'`, [this.tenantId]);
    for (const [index, seed] of (script.seed ?? []).entries()) await this.seed(sessionId, seed, index);
    return this.checkExpectations(sessionId, script);
  }

  /** Sends one turn: a message, or a burst of them back to back (each with its own message id). */
  private async send(sessionId: string, turn: Turn, index: number): Promise<TurnRecord> {
    const sent = typeof turn === 'string' ? [turn] : [...turn];
    const requests = [];
    for (const [i, message] of sent.entries()) {
      if (i > 0) await sleep(BURST_GAP_MS);
      requests.push(
        this.stack.request('POST', '/api/chat', { tenant: this.tenantId, session_id: sessionId, message, message_id: `${sessionId}-${index}-${i}` }),
      );
    }
    const responses = await Promise.all(requests);
    const replies = responses.map((response) => {
      if (response.status !== 200) return `(HTTP ${response.status}: ${JSON.stringify(response.body)})`;
      return typeof response.body.reply === 'string' ? response.body.reply.replace(/\u00a0/g, ' ') : `(${String(response.body.status)})`;
    });
    return { sent, replies };
  }

  /** The session's bookings that are not cancelled, on the clinic's wall clock. */
  private async bookingsOf(sessionId: string): Promise<ExpectedBooking[]> {
    const { rows } = await this.stack.db.pool.query<{ service_id: string; starts_at: Date; status: string }>(
      `SELECT service_id, starts_at, status FROM bookings WHERE channel = 'web' AND contact_id = $1 ORDER BY starts_at`,
      [sessionId],
    );
    return rows
      .filter((row) => row.status !== 'cancelled')
      .map((row) => {
        const start = DateTime.fromJSDate(row.starts_at, { zone: ZONE });
        return { service: row.service_id as ExpectedBooking['service'], date: start.toFormat('yyyy-MM-dd'), time: start.toFormat('HH:mm') };
      });
  }

  private async seed(sessionId: string, seed: Seed, index: number): Promise<void> {
    const start = DateTime.fromISO(`${seed.day.toFormat('yyyy-MM-dd')}T${seed.time}`, { zone: ZONE });
    const end = start.plus({ minutes: durationOf(seed.service) });
    const staff = DEMO_STAFF.filter((member) => member.serviceIds.includes(seed.service)).map((member) => member.id);
    const customer = (contactId: string, channel: ConversationRef['channel']): ConversationRef => ({ tenantId: this.tenantId, channel, contactId });
    // Other customers take the time with everyone who performs the service; one customer is in one place at a time.
    const holders =
      seed.owner === 'customer'
        ? [{ customer: customer(sessionId, 'web'), resources: staff }]
        : staff.map((resource) => ({ customer: customer(`${sessionId}-other-${index}-${resource}`, 'whatsapp'), resources: [resource] }));
    for (const holder of holders) {
      const result = await createBooking(
        this.stack.db.pool,
        {
          customer: holder.customer,
          serviceId: seed.service,
          status: 'confirmed',
          start: start.toJSDate(),
          end: end.toJSDate(),
          buffers: { beforeMinutes: DEMO_BOOKING_POLICY.schedule.bufferBeforeMinutes ?? 0, afterMinutes: DEMO_BOOKING_POLICY.schedule.bufferAfterMinutes ?? 0 },
          idempotencyKey: `seed-${randomUUID()}`,
        },
        holder.resources,
      );
      if (result.taken) throw new Error(`seed ${seed.service} ${start.toISO()} could not be booked`);
    }
  }

  /** Every booking the dialog expects is a free slot now (the customer's own seeds aside: they stay where they are). */
  private async checkExpectations(sessionId: string, script: DialogScript): Promise<string | undefined> {
    const { pool } = this.stack.db;
    const policy = await loadBookingPolicy(pool, this.tenantId);
    if (!policy) return `the clinic ${this.tenantId} has no booking policy`;
    const resources = await loadResources(pool, this.tenantId);
    const { rows } = await pool.query<{ start: Date; end: Date; resourceId: string }>(
      `SELECT starts_at AS start, ends_at AS "end", resource_id AS "resourceId" FROM bookings
       WHERE tenant_id = $1 AND status <> 'cancelled' AND NOT (channel = 'web' AND contact_id = $2)`,
      [this.tenantId, sessionId],
    );
    const busy = rows.map((row) => ({ start: row.start.toISOString(), end: row.end.toISOString(), resourceId: row.resourceId }));
    const own = new Set((script.seed ?? []).filter((seed) => seed.owner === 'customer').map((seed) => `${seed.service} ${seed.day.toFormat('yyyy-MM-dd')} ${seed.time}`));
    for (const expected of alternativesOf(script.expect).flat()) {
      if (own.has(key(expected))) continue;
      const day = DateTime.fromISO(expected.date, { zone: ZONE });
      const start = DateTime.fromISO(`${expected.date}T${expected.time}`, { zone: ZONE }).toUTC().toISO();
      const slots = availableSlots({
        schedule: policy.schedule,
        service: { id: expected.service, durationMinutes: durationOf(expected.service) },
        resources,
        bookings: busy,
        from: day.toJSDate(),
        to: day.plus({ days: 1 }).toJSDate(),
        now: new Date(),
      });
      if (!slots.some((slot) => slot.start === start)) return `${describeBooking(expected)} is not a free slot (run day ${this.calendar.today.toISODate()})`;
    }
    return undefined;
  }
}

/**
 * Passes when the bookings are exactly one of the expected sets. A booking in none of them is
 * unwanted: another service, day or time than asked for, a second booking, or any at all where
 * none was expected.
 */
export function judge(script: DialogScript, bookings: ExpectedBooking[]): { verdict: Verdict; unwanted: ExpectedBooking[] } {
  const alternatives = alternativesOf(script.expect);
  const asKeys = (list: ExpectedBooking[]) => list.map(key).sort().join(' | ');
  const pass = alternatives.some((alternative) => asKeys(alternative) === asKeys(bookings));
  const acceptable = new Set(alternatives.flat().map(key));
  const unwanted = bookings.filter((b) => !acceptable.has(key(b)));
  return { verdict: pass ? 'pass' : 'fail', unwanted };
}

function durationOf(serviceId: string): number {
  const service = DEMO_SERVICES.find((candidate) => candidate.id === serviceId);
  if (!service) throw new Error(`no demo service ${serviceId}`);
  return service.durationMinutes;
}

/** A dialog as the model's engineer reads it: what the customer sent, what the bot answered, what was left booked. */
export function transcriptOf(result: DialogResult): string {
  const lines = [`── ${result.dialog.id} (${result.dialog.variety}, ${result.dialog.topic}) — session ${result.sessionId}`];
  for (const turn of result.turns) {
    turn.sent.forEach((message, i) => {
      lines.push(`  customer: ${message}`);
      lines.push(`  bot:      ${turn.replies[i]!.replace(/\n/g, '\n            ')}`);
    });
  }
  const expected = alternativesOf(result.script.expect).map((alternative) => (alternative.length ? alternative.map(describeBooking).join(' + ') : 'no booking'));
  lines.push(`  expected: ${expected.join('  or  ')}`);
  lines.push(`  booked:   ${result.bookings.length ? result.bookings.map(describeBooking).join(' + ') : 'nothing'}`);
  if (result.unwanted.length) {
    const own = new Set((result.script.seed ?? []).filter((seed) => seed.owner === 'customer').map((seed) => key(booking(seed.service, seed.day, seed.time))));
    const labelled = result.unwanted.map((b) => `${describeBooking(b)}${own.has(key(b)) ? ' (their earlier booking, left as it was)' : ''}`);
    lines.push(`  UNWANTED: ${labelled.join(' + ')}`);
  }
  if (result.invalid) lines.push(`  INVALID CASE: ${result.invalid}`);
  return lines.join('\n');
}
