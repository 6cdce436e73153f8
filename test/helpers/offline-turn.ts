import { DateTime } from 'luxon';
import type { AvailabilityResult, SlotOffer } from '../../src/domain/booking';
import type { ServiceNames } from '../../src/domain/catalogue';
import type { ModelMessage } from '../../src/domain/model-turn';
import { offlineModelStep, type OfflineModelOptions } from '../../src/domain/offline-model';
import { formatSlot } from '../../src/domain/scheduling/availability';
import { checkToolCall, type ToolName } from '../../src/domain/tools';

/** The workflow's limit of tool rounds per turn. */
const MAX_TOOL_ROUNDS = 4;

export type FakeTools = Partial<Record<ToolName, (args: any) => unknown>>;
export interface Call {
  name: string;
  args: any;
}

export const user = (content: string): ModelMessage => ({ role: 'user', content });
export const reply = (content: string): ModelMessage => ({ role: 'assistant', content });

/** A free time as the availability tools offer it, on the given zone's clock. */
export function slotIn(zone: string, date: string, time: string): SlotOffer {
  const start = DateTime.fromISO(`${date}T${time}`, { zone }).toUTC().toISO()!;
  return { start, date, time, label: formatSlot(start, zone, 'es') };
}

/** When the conversation happens, and what the model knows of the business. */
export interface OfflineClock {
  now: string;
  zone: string;
  language?: 'es' | 'en';
  facts?: OfflineModelOptions['facts'];
  /** Bare hours ("a las 5") are read within them. */
  openingHours?: OfflineModelOptions['openingHours'];
}

/**
 * One customer turn, as the workflow runs it: the offline model steps, each of its calls runs
 * against the fakes (one call a step, checked like the workflow checks it), until it answers in
 * text. The history it returns is what the transcript keeps; non-breaking spaces (in prices)
 * read as spaces.
 */
export function offlineTurn(
  clock: OfflineClock,
  history: ModelMessage[],
  said: string,
  tools: FakeTools = {},
) {
  const messages = [...history, user(said)];
  const calls: Call[] = [];
  const options: OfflineModelOptions = {
    language: clock.language ?? 'es',
    businessName: 'Clínica Demo',
    now: clock.now,
    timeZone: clock.zone,
    facts: clock.facts,
    openingHours: clock.openingHours,
  };
  for (let round = 0; round <= MAX_TOOL_ROUNDS; round++) {
    const output = offlineModelStep(messages, options);
    if (output.toolCalls.length === 0) {
      const text = (output.text ?? '').replaceAll('\u00a0', ' ');
      return { calls, text, history: [...history, user(said), reply(text)] };
    }
    if (output.toolCalls.length !== 1) throw new Error(`one call a step expected, got ${output.toolCalls.length}`);
    const [call] = output.toolCalls;
    if (!checkToolCall(call!).valid) throw new Error(`invalid call ${call!.name}(${call!.arguments})`);
    const args = JSON.parse(call!.arguments);
    calls.push({ name: call!.name, args });
    const tool = tools[call!.name as ToolName];
    if (!tool) throw new Error(`unexpected call of ${call!.name}(${call!.arguments})`);
    messages.push(
      { role: 'assistant', content: null, tool_calls: [{ id: call!.id, type: 'function', function: { name: call!.name, arguments: call!.arguments } }] },
      { role: 'tool', tool_call_id: call!.id, content: JSON.stringify(tool(args)) },
    );
  }
  throw new Error('the offline model did not answer within the tool rounds of a turn');
}

/**
 * A new booking as the customer makes it: what they said gets its time checked and summarised,
 * ending in "¿Te lo reservo?", and their yes to that summary books it. Nothing may be booked
 * before the yes: create_booking is only at hand for the second turn.
 */
export function offlineBooking(clock: OfflineClock, history: ModelMessage[], said: string, tools: FakeTools, yes = 'sí') {
  const beforeTheYes = { ...tools };
  delete beforeTheYes.create_booking;
  const summary = offlineTurn(clock, history, said, beforeTheYes);
  const booked = offlineTurn(clock, summary.history, yes, tools);
  return { summary, booked };
}

/** A check_availability that finds the time asked free, for the service as the catalogue names it. */
export function freeAt(zone: string, service: string, serviceNames?: ServiceNames) {
  return (args: any): AvailabilityResult => ({
    date: args.date,
    service,
    ...(serviceNames ? { serviceNames } : {}),
    available: true,
    slots: [slotIn(zone, args.date, args.time)],
  });
}
