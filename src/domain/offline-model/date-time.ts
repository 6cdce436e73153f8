import { DateTime } from 'luxon';
import { fold } from '../words';
import { words } from './text';
import { minutesOfDay, type OpeningRange } from '../scheduling/schedule';

/** Dates (YYYY-MM-DD) and times (HH:MM) a text mentions, each in the order written. */
export interface DateTimeMentions {
  dates: string[];
  times: string[];
  /** A part of the day asked for without an hour: "a la mañana", "in the afternoon". */
  dayPart?: DayPart;
  /** Numbers left unread: a day or hour said in a way not understood, so no date may be assumed. */
  unread: boolean;
}

export type DayPart = 'morning' | 'afternoon';

const MONTHS: Record<string, number> = {
  enero: 1, febrero: 2, marzo: 3, abril: 4, mayo: 5, junio: 6, julio: 7, agosto: 8, septiembre: 9, setiembre: 9,
  octubre: 10, noviembre: 11, diciembre: 12, january: 1, february: 2, march: 3, april: 4, may: 5, june: 6, july: 7,
  august: 8, september: 9, october: 10, november: 11, december: 12,
};
// Luxon's numbers: 1 is Monday.
const WEEKDAYS: Record<string, number> = {
  lunes: 1, martes: 2, miercoles: 3, jueves: 4, viernes: 5, sabado: 6, domingo: 7, monday: 1, tuesday: 2,
  wednesday: 3, thursday: 4, friday: 5, saturday: 6, sunday: 7,
};
const MONTH = `(${Object.keys(MONTHS).join('|')})`;
const WEEKDAY = `(${Object.keys(WEEKDAYS).join('|')})`;
const DAY = '(\\d{1,2})(?:st|nd|rd|th)?';
const YEAR = '(\\d{4})';
// "martes 10" is the 10th, but "martes 10 hs" and "martes 10 y media" are times.
const NOT_A_TIME = '(?!\\s*(?:hs?\\b|hrs?\\b|horas?\\b|am\\b|pm\\b|[:.]\\d|y media\\b|y cuarto\\b))';

type DateReader = (groups: string[], today: DateTime) => DateTime | undefined;
interface DatePattern {
  pattern: RegExp;
  read: DateReader;
}

const daysFromToday = (days: number): DateReader => (_groups, today) => today.plus({ days });

// Patterns that start at the same place compete by length: "martes 24 de noviembre" beats "martes".
const DATE_PATTERNS: DatePattern[] = [
  { pattern: /\b(\d{4})-(\d{1,2})-(\d{1,2})\b/g, read: ([y, m, d], today) => calendarDate(today, +y, +m, +d) },
  { pattern: /(?<![\d:./-])(\d{1,2})[/-](\d{1,2})(?:[/-](\d{4}|\d{2}))?(?![\d/-])/g, read: readNumericDate },
  {
    pattern: re(`\\b${DAY} (?:de |of )?${MONTH}(?:,? (?:de |del )?${YEAR})?\\b`),
    read: ([d, m, y], today) => dayOfMonth(today, +d, MONTHS[m], y),
  },
  {
    pattern: re(`\\b${MONTH} ${DAY}(?:,? ${YEAR})?\\b`),
    read: ([m, d, y], today) => dayOfMonth(today, +d, MONTHS[m], y),
  },
  // "el 9", "para el 11", "the 21st": the next such day. They start at the number, like "9 de
  // diciembre", which is longer and wins.
  {
    pattern: re(`(?<=\\b(?:el|del|al|the|on the|para el|hasta el|desde el) )(\\d{1,2})(?:st|nd|rd|th)?\\b${NOT_A_TIME}(?! de la\\b)`),
    read: ([d], today) => dayOfMonth(today, +d),
  },
  { pattern: /\b(\d{1,2})(?:st|nd|rd|th)\b/g, read: ([d], today) => dayOfMonth(today, +d) },
  {
    pattern: re(`\\b${WEEKDAY},? ${DAY}(?: de ${MONTH})?\\b${NOT_A_TIME}`),
    read: ([, d, m], today) => dayOfMonth(today, +d, MONTHS[m]),
  },
  {
    pattern: re(`\\b${WEEKDAY},? ${MONTH} ${DAY}\\b`),
    read: ([, m, d], today) => dayOfMonth(today, +d, MONTHS[m]),
  },
  { pattern: re(`\\b(?:hoy|today),? (?:es )?${WEEKDAY}\\b`), read: daysFromToday(0) },
  // "el viernes de la próxima semana", "el martes de la otra semana", "friday next week": next week's.
  {
    pattern: re(`\\b${WEEKDAY},? (?:de la (?:proxima|otra|siguiente) semana|de la semana que viene|next week|of next week)\\b`),
    read: ([weekday], today) => today.startOf('week').plus({ weeks: 1, days: WEEKDAYS[weekday] - 1 }),
  },
  { pattern: re(`\\b${WEEKDAY}\\b`), read: ([weekday], today) => nextWeekday(today, WEEKDAYS[weekday]) },
  { pattern: /\b(?:pasado manana|day after tomorrow)\b/g, read: daysFromToday(2) },
  // "por la mañana" is the morning, "hasta mañana" a goodbye.
  { pattern: /(?<!\bla |\bhasta )\bmanana\b|\btomorrow\b/g, read: daysFromToday(1) },
  { pattern: /\b(?:hoy|today|tonight|esta tarde|esta noche|this afternoon|this evening)\b/g, read: daysFromToday(0) },
];

function re(source: string): RegExp {
  return new RegExp(source, 'g');
}

/** In the business's zone, like `today`: dates compare as its midnights. */
function calendarDate(today: DateTime, year: number, month: number, day: number): DateTime | undefined {
  const date = DateTime.fromObject({ year, month, day }, { zone: today.zone });
  return date.isValid ? date : undefined;
}

/** "24/11" is day then month, as written in Spanish; "11/24" can only be month then day. */
function readNumericDate([first, second, year]: string[], today: DateTime): DateTime | undefined {
  const monthFirst = +second > 12 && +first <= 12;
  const [day, month] = monthFirst ? [+second, +first] : [+first, +second];
  return dayOfMonth(today, day, month, year);
}

/** Without a year, the next such date from today; without a month either, the next month that has that day. */
function dayOfMonth(today: DateTime, day: number, month?: number, year?: string): DateTime | undefined {
  if (year !== undefined) return calendarDate(today, year.length === 2 ? 2000 + +year : +year, month ?? today.month, day);
  const months =
    month === undefined
      ? Array.from({ length: 12 }, (_, ahead) => today.startOf('month').plus({ months: ahead }))
      : [0, 1].map((ahead) => today.startOf('year').plus({ years: ahead, months: month - 1 }));
  return months
    .map((first) => calendarDate(today, first.year, first.month, day))
    .find((date) => date !== undefined && date >= today);
}

/** "el martes" on a Tuesday is next week's: today would be "hoy". */
function nextWeekday(today: DateTime, weekday: number): DateTime {
  return today.plus({ days: ((weekday - today.weekday + 6) % 7) + 1 });
}

interface Span {
  start: number;
  end: number;
}

/** The dates a folded text mentions, with where each is written. */
function findDates(text: string, today: DateTime): (Span & { date: string })[] {
  const found = DATE_PATTERNS.flatMap(({ pattern, read }) =>
    [...text.matchAll(pattern)].flatMap((match) => {
      const date = read(match.slice(1), today);
      return date ? [{ start: match.index, end: match.index + match[0].length, date: date.toISODate()! }] : [];
    }),
  );
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: typeof found = [];
  for (const mention of found) if (!kept.some((other) => mention.start < other.end)) kept.push(mention);
  return kept;
}

const HOUR_CUE = /(?:\ba las?|\bpara las?|\blas|\btipo|\bat|\baround|\babout|\bby)\s*$/;
const AFTERNOON = new Set(['pm', 'tarde', 'noche', 'afternoon', 'evening', 'night']);
const MORNING = new Set(['am', 'manana', 'morning']);
const MINUTES: Record<string, number> = { 'y media': 30, 'y cuarto': 15, 'and a half': 30 };
// A number alone is a time only when nothing else is said: "10", "a las 10 porfa".
const AROUND_A_BARE_HOUR = new Set([
  'a', 'las', 'la', 'el', 'at', 'ok', 'dale', 'si', 'yes', 'mejor', 'porfa', 'por', 'favor', 'please', 'morning',
  'afternoon', 'if', 'possible', 'works', 'fine', 'is', 'good', 'okay', 'manana', 'tarde', 'ya', 'po', 'sale', 'then',
  'esta', 'bien', 'ser', 'puede', 'that', 'de', 'y', 'and', 'around', 'tipo', 'como', 'ideally', 'maybe', 'quizas',
  'wait', 'make', 'it', 'instead', 'actually', 'no', 'espera', 'espere', 'perdon', 'better', 'sorry', 'how', 'about',
  'what', 'ok', 'then', 'uh', 'y', 'chuta', 'entonces',
]);
// Nobody books at 3 a.m.: "a las 3" is in the afternoon, unless the business's hours say otherwise.
const AFTERNOON_WITHOUT_SAYING = { from: 1, to: 6 };
const TIME = new RegExp(
  [
    '(?<![\\d/:.$-])(\\d{1,2})', // the hour, not the end of a price or a date
    '(?:[:.h](\\d{2}))?',
    '(?:\\s*(y media|y cuarto|and a half))?',
    '(?:\\s*(?:([ap]\\.?m\\b\\.?)|(hs?|hrs?|horas?)\\b\\.?))?',
    '(?:\\s+(?:de la|por la|en la|a la|in the)\\s+(manana|tarde|noche|morning|afternoon|evening|night))?',
    '(?![\\d/:.]\\d|\\d)', // nor the start of one
  ].join(''),
  'g',
);

/** The times a folded text mentions, outside its dates ("24 de noviembre" holds no hour). */
function findTimes(text: string, opening: OpeningRange | undefined): (Span & { time: string })[] {
  const noon = /\b(?:mediodia|noon)\b/g;
  const found = [...text.matchAll(noon)].map((match) => ({ start: match.index, end: match.index + match[0].length, time: '12:00' }));
  // "half past ten", "quarter to 4 pm".
  for (const match of text.matchAll(ENGLISH_FRACTION)) {
    const [whole, fraction, hourText, part] = match;
    const hour = fraction === 'quarter to' ? +hourText - 1 : +hourText;
    const minute = fraction === 'half past' ? 30 : fraction === 'quarter past' ? 15 : fraction === 'quarter to' ? 45 : 0;
    const time = clockTime(hour, minute, part?.replaceAll('.', ''), opening);
    if (time) found.push({ start: match.index, end: match.index + whole.length, time });
  }
  for (const match of text.matchAll(TIME)) {
    if (found.some((other) => match.index < other.end && other.start < match.index + match[0].length)) continue;
    const [whole, hourText, minuteText, fraction, meridiem, hourWord, dayPart] = match;
    const explicit = minuteText ?? fraction ?? meridiem ?? hourWord ?? dayPart;
    const around = text.slice(0, match.index) + text.slice(match.index + whole.length);
    const bare = words(around).every((word) => AROUND_A_BARE_HOUR.has(word));
    if (!explicit && !HOUR_CUE.test(text.slice(0, match.index)) && !bare) continue;
    const part = (meridiem ?? dayPart)?.replaceAll('.', '');
    const time = clockTime(+hourText, minuteText ? +minuteText : (MINUTES[fraction] ?? 0), part, opening);
    if (time) found.push({ start: match.index, end: match.index + whole.length, time });
  }
  return found.sort((a, b) => a.start - b.start);
}

// Chat spellings of days: "tmrw", "pal jueves" (para el).
const DATE_VARIANTS: Record<string, string> = {
  tmrw: 'tomorrow', tmr: 'tomorrow', tomorow: 'tomorrow', tommorow: 'tomorrow', pal: 'para el', sabdo: 'sabado',
  miercole: 'miercoles', wed: 'wednesday', thu: 'thursday', thurs: 'thursday', fri: 'friday', mon: 'monday', tue: 'tuesday',
  tues: 'tuesday', sat: 'saturday',
};
const DATE_VARIANT = new RegExp(`\\b(?:${Object.keys(DATE_VARIANTS).join('|')})\\b`, 'g');
const ENGLISH_FRACTION = /\b(half past|quarter past|quarter to) (\d{1,2})(?:\s*([ap]\.?m\b\.?))?/g;
// Hours written as words, after a word that makes them an hour: "a las diez", "half past ten".
const HOUR_WORDS: Record<string, number> = {
  una: 1, dos: 2, tres: 3, cuatro: 4, cinco: 5, seis: 6, siete: 7, ocho: 8, nueve: 9, diez: 10, once: 11, doce: 12,
  one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12,
};
const HOUR_WORD = new RegExp(`(?<=\\b(?:las|la|at|past|to|around|about|tipo) )(${Object.keys(HOUR_WORDS).join('|')})\\b`, 'g');
const DAY_PARTS: [RegExp, DayPart][] = [
  [/\b(?:a|por|de|en) la manana\b|(?<!good )\bmorning\b|\btemprano\b|\bearly\b/, 'morning'],
  [/\b(?:a|por|de|en) la (?:tarde|noche)\b|(?<!good )\b(?:afternoon|evening)\b|\besta tarde\b/, 'afternoon'],
];

function clockTime(hour: number, minute: number, dayPart: string | undefined, opening: OpeningRange | undefined): string | undefined {
  let hour24 = hour;
  if (dayPart && AFTERNOON.has(dayPart) && hour < 12) hour24 += 12;
  else if (dayPart && MORNING.has(dayPart) && hour === 12) hour24 = 0;
  else if (!dayPart && hour < 12 && inAfternoon(hour, minute, opening)) hour24 += 12;
  if (hour24 > 23 || minute > 59) return undefined;
  return `${String(hour24).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
}

/** Whether a bare hour below 12 is the afternoon's: the one of the two the business is open at, else 1 to 6. */
function inAfternoon(hour: number, minute: number, opening: OpeningRange | undefined): boolean {
  const open = (hour24: number) => {
    const at = hour24 * 60 + minute;
    return opening !== undefined && minutesOfDay(opening.start) <= at && at < minutesOfDay(opening.end);
  };
  if (open(hour) !== open(hour + 12)) return open(hour + 12);
  return hour >= AFTERNOON_WITHOUT_SAYING.from && hour <= AFTERNOON_WITHOUT_SAYING.to;
}

/**
 * Dates and times in Spanish or English: "mañana a las 10", "el martes 10:30", "24/11 15 hs",
 * "November 24 at 3 pm". `now` is in the business's time zone: weekdays and dates without a
 * year are the next ones from its date. A bare hour ("a las 5") is read within the business's opening hours.
 */
export function readDateTimes(text: string, now: DateTime, opening?: OpeningRange): DateTimeMentions {
  const folded = fold(text)
    .replace(DATE_VARIANT, (word) => DATE_VARIANTS[word])
    .replace(HOUR_WORD, (word) => String(HOUR_WORDS[word]));
  const dates = findDates(folded, now.startOf('day'));
  // Blank the dates out, keeping positions, so that "24 de noviembre" is not read as 24 h.
  let rest = folded;
  for (const { start, end } of dates) rest = rest.slice(0, start) + ' '.repeat(end - start) + rest.slice(end);
  const times = findTimes(rest, opening);
  for (const { start, end } of times) rest = rest.slice(0, start) + ' '.repeat(end - start) + rest.slice(end);
  const dayPart = DAY_PARTS.find(([pattern]) => pattern.test(folded))?.[1];
  return {
    dates: dates.map((mention) => mention.date),
    times: times.map((mention) => mention.time),
    ...(dayPart ? { dayPart } : {}),
    // Prices ("$25.000") and quantities ("3 zonas") are numbers too; a lone one of one or two digits is a day or an hour.
    unread: /(?<![\d$.,])\b\d{1,2}\b(?![\d.,])(?! (?:zonas?|sesion|sesiones|personas?|min|minutos?))/.test(rest),
  };
}
