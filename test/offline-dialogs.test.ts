import { writeFileSync } from 'node:fs';
import { Info } from 'luxon';
import { DEMO_SERVICES } from '../src/db/demo-tenant';
import { RunCalendar } from './dialogs/calendar';
import { DIALOGS } from './dialogs/cases';
import type { DialogCase } from './dialogs/types';
import { describeBooking, DialogRunner, transcriptOf, type DialogResult } from './dialogs/runner';
import { startTestStack, type TestStack } from './helpers/stack';

/**
 * The share of dialogs that must end as the customer wanted: the baseline measured when the set
 * was written (2026-11-30, rules v1: 57 of 135, 42 %), rounded down to 5 %. Raise it as the
 * offline model improves; issue 11's goal is 0.9.
 */
const MIN_PASS_RATE = 0.95;
/** Failing dialogs whose whole transcript is printed (dialogs with an unwanted booking first). */
const TRANSCRIPTS_SHOWN = 4;
/**
 * Dialogs run this many at a time, each runner at a clinic of its own: one at a time leaves a core
 * idle while a turn waits on the Temporal server, the worker or PostgreSQL.
 */
const RUNNERS = 3;

/**
 * Issue 11, acceptance 1 and 2: realistic WhatsApp-style booking dialogs (test/dialogs/) with the
 * demo clinic, through `POST /api/chat` and the offline model, each judged by the bookings it
 * leaves in PostgreSQL. Prints one line with the figure. Set DIALOG_TRANSCRIPTS=<file> to have
 * every transcript written there.
 */
describe('the offline model in realistic booking dialogs', () => {
  let stack: TestStack;
  let runners: DialogRunner[];
  const calendar = new RunCalendar();
  let results: DialogResult[] = [];

  beforeAll(async () => {
    stack = await startTestStack();
    runners = await Promise.all(Array.from({ length: RUNNERS }, () => DialogRunner.start(stack, calendar)));
    results = await onRunners(DIALOGS, runners, (runner, dialog) => runner.run(dialog));
    report(results);
  }, 400_000);
  afterAll(() => stack?.stop());

  test('the set: at least 100 dialogs, about 70 % in Spanish, distinct ids, every expected booking a free slot on the run day', () => {
    expect(DIALOGS.length).toBeGreaterThanOrEqual(100);
    const spanish = DIALOGS.filter((dialog) => dialog.language === 'es').length / DIALOGS.length;
    expect(spanish).toBeGreaterThanOrEqual(0.65);
    expect(spanish).toBeLessThanOrEqual(0.8);
    expect(new Set(DIALOGS.map((dialog) => dialog.id)).size).toBe(DIALOGS.length);
    expect(results.filter((result) => result.invalid).map((result) => `${result.dialog.id}: ${result.invalid}`)).toEqual([]);
  });

  test('no dialog ends with a booking the customer did not ask for or accept', () => {
    const unwanted = results.filter((result) => result.unwanted.length > 0);
    expect(unwanted.map((result) => `${result.dialog.id}: ${result.unwanted.map(describeBooking).join(', ')}`)).toEqual([]);
  });

  test('English dialogs are answered with English dates and service names only', () => {
    const english = results.filter((result) => result.dialog.language === 'en');
    const replies = english.flatMap((result) => result.turns.flatMap((turn) => turn.replies.map((text) => ({ id: result.dialog.id, text }))));
    expect(replies.length).toBeGreaterThan(english.length);
    const spanish = replies.filter(({ text }) => SPANISH_WORDING.some((word) => text.toLowerCase().includes(word)));
    expect(spanish.map(({ id, text }) => `${id}: ${text}`)).toEqual([]);
  });

  test(`at least ${Math.round(MIN_PASS_RATE * 100)} % of the dialogs end as the customer wanted`, () => {
    expect(passed(results) / results.length).toBeGreaterThanOrEqual(MIN_PASS_RATE);
  });

  test('no dialog books before the customer says yes to the summary', async () => {
    const early: string[] = [];
    const transcripts: string[] = [];
    const dialogs = DIALOGS.filter((dialog) => dialog.script(calendar).confirmAt !== undefined);
    expect(dialogs.length).toBeGreaterThanOrEqual(5);
    const outcomes = await onRunners(dialogs, runners, (runner, dialog) => runner.runUntilConfirmation(dialog));
    for (const { dialog, script, sessionId, turns, bookings } of outcomes) {
      if (bookings.length > 0) {
        early.push(`${dialog.id}: ${bookings.map(describeBooking).join(', ')} before «${String(script.turns[script.confirmAt!])}»`);
        transcripts.push(transcriptOf({ dialog, script, sessionId, turns, bookings, verdict: 'fail', unwanted: [] }));
      }
    }
    if (early.length > 0) console.log(`booked before the customer's yes: ${early.length} of ${dialogs.length}\n\n${transcripts.slice(0, TRANSCRIPTS_SHOWN).join('\n\n')}`);
    expect(early).toEqual([]);
  }, 120_000);
});

/** What gives a reply away as Spanish: the catalogue's own names, days, months and the opening marks. */
const SPANISH_WORDING = [
  ...DEMO_SERVICES.map((service) => service.name.toLowerCase()),
  ...Info.weekdays('long', { locale: 'es' }),
  ...Info.months('long', { locale: 'es' }).map((month) => ` de ${month}`),
  '¿',
  '¡',
];

/** Each dialog on the next free runner; the outcomes in the dialogs' order. */
async function onRunners<T>(dialogs: readonly DialogCase[], runners: readonly DialogRunner[], work: (runner: DialogRunner, dialog: DialogCase) => Promise<T>): Promise<T[]> {
  const outcomes: T[] = [];
  let next = 0;
  const drain = async (runner: DialogRunner) => {
    for (let index = next++; index < dialogs.length; index = next++) outcomes[index] = await work(runner, dialogs[index]!);
  };
  await Promise.all(runners.map(drain));
  return outcomes;
}

const passed = (results: DialogResult[]) => results.filter((result) => result.verdict === 'pass').length;

function report(results: DialogResult[]): void {
  const total = results.length;
  const ok = passed(results);
  const unwanted = results.filter((result) => result.unwanted.length > 0);
  console.log(`offline dialogs: ${ok} of ${total} pass (${Math.round((100 * ok) / total)} %); unwanted bookings: ${unwanted.length}`);
  const file = process.env.DIALOG_TRANSCRIPTS;
  if (file) writeFileSync(file, `${results.map((result) => `${result.verdict.toUpperCase()} ${transcriptOf(result)}`).join('\n\n')}\n`);

  const failing = results.filter((result) => result.verdict === 'fail');
  if (failing.length === 0) return;
  const byTopic = new Map<string, string[]>();
  for (const result of failing) byTopic.set(result.dialog.topic, [...(byTopic.get(result.dialog.topic) ?? []), result.dialog.id]);
  const lines = [`failing dialogs (${failing.length}), by what they mainly exercise:`];
  for (const [topic, ids] of [...byTopic].sort(([a], [b]) => a.localeCompare(b))) lines.push(`  ${topic} (${ids.length}): ${ids.join(', ')}`);
  if (unwanted.length > 0) lines.push(`with an unwanted booking: ${unwanted.map((result) => result.dialog.id).join(', ')}`);
  const shown = [...unwanted, ...failing.filter((result) => result.unwanted.length === 0)].slice(0, TRANSCRIPTS_SHOWN);
  console.log([...lines, '', ...shown.map(transcriptOf)].join('\n'));
}
