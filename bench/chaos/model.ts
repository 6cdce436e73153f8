import { createHash } from 'node:crypto';
import { apiError, chatCompletion, toolCallCompletion, type FakeResponse, type RecordedRequest, type Responder } from '../../test/helpers/fake-openai';
import { customerEmail, customerName, readTags, replyLine, SERVICES, type Intent, type Tagged } from './script';

/**
 * The fake model: answers each chat request from the conversation it is sent, as a model driving
 * Concierge's tools would. The customer's tag says what they want; the turn's tool results so far
 * say what is done; the next call takes its arguments from them (a slot the availability tool
 * offered, a booking id list_my_bookings returned). Deterministic: a retried request gets the
 * same answer.
 */
export interface ScriptedModel {
  respond: Responder;
  /** Until then (ms since the epoch) every request is answered 500: a provider outage. */
  failUntil: number;
}

/**
 * `bookingsSeen` collects every booking id a create_booking result gave the model (shared by the
 * providers of the chain): a booking it never heard of was made twice.
 */
export function scriptedModel(latencyMs: number, bookingsSeen: Set<string>): ScriptedModel {
  const model: ScriptedModel = {
    failUntil: 0,
    respond: (request) => {
      const turn = readTurn(request);
      for (const entry of turn?.done ?? []) {
        if (entry.name === 'create_booking' && entry.result?.booking?.id) bookingsSeen.add(entry.result.booking.id);
      }
      if (Date.now() < model.failUntil) return apiError(500, 'The server had an error while processing your request.');
      // Without tools: a summary of older messages (Concierge folds its memory).
      const answer = turn ? nextStep(turn) : chatCompletion('Resumen: cliente de prueba de caos, consultas y turnos.');
      return { ...answer, delayMs: latencyMs };
    },
  };
  return model;
}

interface Message {
  role: string;
  content?: unknown;
  tool_calls?: { id: string; function: { name: string; arguments: string } }[];
  tool_call_id?: string;
}

interface Slot {
  start: string;
  date: string;
  time: string;
}

/** The parts of the tools' answers the model reads (src/domain/booking.ts): a slot, a booking id. */
interface ToolContent {
  error?: string;
  booking?: { id: string };
  bookings?: { id: string; serviceId: string; date: string; start: string }[];
  slots?: Slot[];
  alternatives?: Slot[];
}

/** A tool call of this turn, with what it returned. */
interface Done {
  name: string;
  args: Record<string, unknown>;
  result?: ToolContent;
}

/** Calls after which the turn answers in text whatever happened: Concierge allows 4 rounds. */
const MAX_CALLS = 4;

/** One assistant step's request: the customer's tags, and this turn's calls so far. */
interface Turn {
  tags: Tagged[];
  done: Done[];
  toolsAllowed: boolean;
}

/** The step's request as a turn; undefined for a request without tools (a summary). */
function readTurn(request: RecordedRequest): Turn | undefined {
  const body = request.body as { messages?: Message[]; tools?: unknown[]; tool_choice?: string };
  if (!body.tools?.length) return undefined;
  const messages = body.messages ?? [];
  // The turn answers the customer's messages since the last reply; its tool rounds follow them.
  const lastUser = messages.map((message) => message.role).lastIndexOf('user');
  let first = lastUser;
  while (first > 0 && messages[first - 1]!.role === 'user') first--;
  return {
    tags: messages.slice(first, lastUser + 1).flatMap((message) => readTags(typeof message.content === 'string' ? message.content : '')),
    done: turnSoFar(messages.slice(lastUser + 1)),
    toolsAllowed: body.tool_choice !== 'none',
  };
}

function nextStep({ tags, done, toolsAllowed }: Turn): FakeResponse {
  const current = tags.at(-1);
  const next = current && toolsAllowed && done.length < MAX_CALLS ? nextCall(current.intent, current.customer, current.tag, done) : undefined;
  if (next) return toolCallCompletion([{ id: `call_${done.length + 1}`, name: next.name, arguments: next.args }]);
  return chatCompletion(`${outcomeWords(done)} ${replyLine(tags.map((tagged) => tagged.tag))}`.trim());
}

/** This turn's tool calls and their results, from the messages after the customer's. */
function turnSoFar(messages: readonly Message[]): Done[] {
  const done: Done[] = [];
  const byId = new Map<string, Done>();
  for (const message of messages) {
    for (const call of message.tool_calls ?? []) {
      const entry: Done = { name: call.function.name, args: JSON.parse(call.function.arguments || '{}'), result: undefined };
      done.push(entry);
      byId.set(call.id, entry);
    }
    if (message.role === 'tool' && message.tool_call_id) {
      const entry = byId.get(message.tool_call_id);
      if (entry) entry.result = JSON.parse(String(message.content)) as ToolContent;
    }
  }
  return done;
}

type Call = { name: string; args: Record<string, unknown> };

function nextCall(intent: Intent, customer: number, tag: string, done: Done[]): Call | undefined {
  const last = done.at(-1);
  const called = (name: string) => done.some((entry) => entry.name === name);
  const service = SERVICES[customer % SERVICES.length]!;
  switch (intent) {
    case 'ask':
      return called('search_services') ? undefined : { name: 'search_services', args: {} };
    case 'lead':
      if (!called('save_lead_details')) {
        return { name: 'save_lead_details', args: { name: customerName(customer), email: customerEmail(customer), interests: [service] } };
      }
      return called('qualify_lead') ? undefined : { name: 'qualify_lead', args: {} };
    case 'book': {
      if (!called('suggest_slots')) return { name: 'suggest_slots', args: { service } };
      if (done.some((entry) => entry.name === 'create_booking' && entry.result?.booking)) return undefined;
      const slot = pick(offeredSlots(last), tag);
      return slot && { name: 'create_booking', args: { service, date: slot.date, time: slot.time, customer_name: customerName(customer) } };
    }
    case 'reschedule':
    case 'cancel': {
      if (!called('list_my_bookings')) return { name: 'list_my_bookings', args: {} };
      const bookings = done.find((entry) => entry.name === 'list_my_bookings')?.result?.bookings ?? [];
      const booking = intent === 'cancel' ? bookings.at(-1) : bookings[0];
      if (!booking) return undefined;
      if (intent === 'cancel') return called('cancel_booking') ? undefined : { name: 'cancel_booking', args: { booking_id: booking.id } };
      if (done.some((entry) => entry.name === 'reschedule_booking' && entry.result?.booking)) return undefined;
      if (!called('suggest_slots')) return { name: 'suggest_slots', args: { service: booking.serviceId, from: booking.date } };
      const slot = pick(offeredSlots(last).filter((offer) => offer.start !== booking.start), tag);
      return slot && { name: 'reschedule_booking', args: { booking_id: booking.id, date: slot.date, time: slot.time } };
    }
  }
}

/** The free times the last call offered: suggest_slots's, or a refusal's nearest free times. */
function offeredSlots(last: Done | undefined): Slot[] {
  return last?.result?.slots ?? last?.result?.alternatives ?? [];
}

/** One of the first few offers, by the message's id: customers spread over the calendar. */
function pick(slots: readonly Slot[], tag: string): Slot | undefined {
  if (slots.length === 0) return undefined;
  const hash = createHash('sha256').update(tag).digest().readUInt32BE(0);
  return slots[hash % Math.min(slots.length, 5)];
}

/** A few words on what the turn did, as a model would say before its reply line. */
function outcomeWords(done: readonly Done[]): string {
  const last = done.at(-1);
  if (!last) return 'Hola, ¿en qué te ayudo?';
  if (last.result?.error) return `No pude (${String(last.result.error)}).`;
  return `Hecho: ${last.name}.`;
}
