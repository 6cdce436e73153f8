import { DateTime } from 'luxon';
import type { SlotOffer } from '../../src/domain/booking';
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

/**
 * One customer turn, as the workflow runs it: the offline model steps, each of its calls runs
 * against the fakes (one call a step, checked like the workflow checks it), until it answers in
 * text. The history it returns is what the transcript keeps; non-breaking spaces (in prices)
 * read as spaces.
 */
export function offlineTurn(
  clock: { now: string; zone: string; language?: 'es' | 'en'; facts?: OfflineModelOptions['facts'] },
  history: ModelMessage[],
  said: string,
  tools: FakeTools = {},
) {
  const messages = [...history, user(said)];
  const calls: Call[] = [];
  const options = { language: clock.language ?? 'es', businessName: 'Clínica Demo', now: clock.now, timeZone: clock.zone, facts: clock.facts };
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
