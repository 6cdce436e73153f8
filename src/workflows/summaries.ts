import type { Language } from '../domain/language';
import { languageOfText } from '../domain/language-detection';
import type { TranscriptEntry } from '../domain/conversation';
import type { ValidToolCall } from '../domain/tools';

/**
 * The one-line summaries the Temporal UI shows on timers and activities instead of "5 (30m)" or a
 * bare activity name. Pure and clock-free: they are made while the workflow runs (and replays),
 * and must never depend on a library's locale data.
 */

const WEEKDAYS: Record<Language, string[]> = {
  es: ['dom', 'lun', 'mar', 'mié', 'jue', 'vie', 'sáb'],
  en: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'],
};
const MONTHS: Record<Language, string[]> = {
  es: ['ene', 'feb', 'mar', 'abr', 'may', 'jun', 'jul', 'ago', 'sep', 'oct', 'nov', 'dic'],
  en: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'],
};

/**
 * A business-local date and time as a tool takes them ("2026-12-03", "10:00") → "jue 3 dic 10:00";
 * as given when the language is not known.
 */
export function shortLocalDateTime(date: string, time: string | undefined, language: Language | undefined): string {
  if (!language) return [date, time].filter(Boolean).join(' ');
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  // A calendar date's weekday: UTC arithmetic on the date itself, no zone involved.
  const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  return [WEEKDAYS[language][weekday], day, MONTHS[language][month - 1], time].filter((part) => part !== undefined).join(' ');
}

/** The language the customer writes in, by their latest messages that tell. */
export function customerLanguage(transcript: readonly TranscriptEntry[]): Language | undefined {
  for (let i = transcript.length - 1; i >= 0; i--) {
    const entry = transcript[i]!;
    const language = entry.role === 'customer' ? languageOfText(entry.text) : undefined;
    if (language) return language;
  }
  return undefined;
}

/**
 * What a tool was asked, as a person reads it: the UI shows "createBookingTool • limpieza facial
 * jue 3 dic 10:00". Undefined for a tool whose name says it all.
 */
export function toolSummary(tool: ValidToolCall, language: Language | undefined): string | undefined {
  const when = (date: string, time?: string) => shortLocalDateTime(date, time, language);
  switch (tool.name) {
    case 'create_booking':
      return `${tool.args.service} ${when(tool.args.date, tool.args.time)}`;
    case 'reschedule_booking':
      return `to ${when(tool.args.date, tool.args.time)}`;
    case 'check_availability':
      return [tool.args.service, when(tool.args.date, tool.args.time)].filter(Boolean).join(' ');
    case 'suggest_slots':
      return [tool.args.service, tool.args.from && `from ${when(tool.args.from)}`].filter(Boolean).join(' ');
    case 'search_services':
      return tool.args.query;
    case 'escalate_to_human':
      return oneLine(tool.args.reason);
    default:
      return undefined;
  }
}

/** How a booking without the customer's name shows, in the business's language. */
export function customerOrUnnamed(name: string | null, language: Language): string {
  return name ?? (language === 'es' ? 'sin nombre' : 'no name given');
}

/** A summary is one line; the UI cuts long ones anyway. */
export const oneLine = (text: string, max = 120) => {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
};

/** "reminder 24 h before", "reminder 30 min before". */
export function reminderSummary(offsetMinutes: number): string {
  const hours = offsetMinutes / 60;
  return `reminder ${Number.isInteger(hours) ? `${hours} h` : `${offsetMinutes} min`} before`;
}

export const TIMER_SUMMARIES = {
  idleClose: 'idle close',
  handBack: 'hand back to the bot',
  burstQuiet: 'quiet period: wait for the rest of the burst',
  appointmentEnd: 'end of the appointment',
} as const;
