import { DateTime } from 'luxon';
import { DEMO_TENANT } from '../../src/db/demo-tenant';

/** The demo clinic's zone: every date a dialog names is a date on its wall clock. */
export const ZONE = DEMO_TENANT.timeZone;

/** Luxon's weekday numbers: 1 is Monday, 7 is Sunday. */
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;
export type Language = 'es' | 'en';

/** A day the customer names, and how: "el jueves", or "el jueves 10" when "el jueves" would be today. */
export interface NamedDay {
  day: DateTime;
  /** '' or ' 10', to follow a Spanish weekday name. */
  es: string;
  /** '' or ' the 10th', to follow an English weekday name. */
  en: string;
}

/** A relative day and its words: "mañana", "pasado mañana", or a weekday when neither is open. */
export interface RelativeDay {
  day: DateTime;
  es: string;
  en: string;
}

const ES_WEEKDAYS = ['lunes', 'martes', 'miércoles', 'jueves', 'viernes', 'sábado', 'domingo'];
const ES_MONTHS = ['enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre', 'octubre', 'noviembre', 'diciembre'];
const EN_WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
const EN_MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

export const es = {
  weekday: (day: DateTime) => ES_WEEKDAYS[day.weekday - 1]!,
  month: (day: DateTime) => ES_MONTHS[day.month - 1]!,
  /** "jueves 10 de diciembre" */
  full: (day: DateTime) => `${es.weekday(day)} ${day.day} de ${es.month(day)}`,
};

export const en = {
  weekday: (day: DateTime) => EN_WEEKDAYS[day.weekday - 1]!,
  month: (day: DateTime) => EN_MONTHS[day.month - 1]!,
  /** 1st, 2nd, 3rd, 11th, 21st… */
  ordinal: (n: number) => {
    const tens = n % 100;
    if (tens >= 11 && tens <= 13) return `${n}th`;
    return `${n}${{ 1: 'st', 2: 'nd', 3: 'rd' }[n % 10] ?? 'th'}`;
  },
  /** "thursday january 7" */
  full: (day: DateTime) => `${en.weekday(day)} ${en.month(day)} ${day.day}`,
};

/**
 * The days a dialog may name, worked out from the day the suite runs, in the clinic's zone. Every
 * day it hands out is at least tomorrow (so the hour's notice never matters) and at most 45 days
 * ahead (the clinic books 60): dialogs then hold on any day of the year.
 */
export class RunCalendar {
  readonly today: DateTime;

  constructor(now: DateTime = DateTime.now()) {
    this.today = now.setZone(ZONE).startOf('day');
  }

  /** The first `weekday` at least `minDays` after today (tomorrow, by default). */
  next(weekday: Weekday, minDays = 1): DateTime {
    const first = this.today.plus({ days: Math.max(1, minDays) });
    return first.plus({ days: (weekday - first.weekday + 7) % 7 });
  }

  /**
   * The coming `weekday` as a customer names it: "el jueves", or "el jueves 10" on a Thursday,
   * when "el jueves" alone would mean today.
   */
  upcoming(weekday: Weekday): NamedDay {
    const day = this.next(weekday);
    const needsNumber = day.diff(this.today, 'days').days >= 7;
    return { day, es: needsNumber ? ` ${day.day}` : '', en: needsNumber ? ` the ${en.ordinal(day.day)}` : '' };
  }

  /** The Friday (or other weekday) of next calendar week: "el viernes de la semana que viene". */
  nextWeeks(weekday: Weekday): DateTime {
    return this.today.startOf('week').plus({ weeks: 1, days: weekday - 1 });
  }

  /**
   * A date named by its day of the month alone ("el 9"): the next date with that number, open
   * (Monday to Friday, Saturday too when allowed) and between `minDays` and 27 days ahead, so the
   * number names one date. `prefer` is used when it qualifies, else the qualifying date whose
   * number is nearest to it.
   */
  dayOfMonth(prefer: number, options: { minDays?: number; saturday?: boolean } = {}): DateTime {
    const { minDays = 2, saturday = false } = options;
    const candidates: DateTime[] = [];
    for (let ahead = minDays; ahead <= 27; ahead++) {
      const day = this.today.plus({ days: ahead });
      if (day.weekday <= 5 || (saturday && day.weekday === 6)) candidates.push(day);
    }
    return nearest(candidates, (day) => Math.abs(day.day - prefer));
  }

  /**
   * A date named in full ("jueves 10 de diciembre"): a `weekday` between `minDays` and 45 days
   * ahead, `prefer` (month and day) when that is one, else the first.
   */
  dated(weekday: Weekday, options: { prefer?: { month: number; day: number }; minDays?: number } = {}): DateTime {
    const { prefer, minDays = 8 } = options;
    const candidates: DateTime[] = [];
    for (let day = this.next(weekday, minDays); day.diff(this.today, 'days').days <= 45; day = day.plus({ weeks: 1 })) candidates.push(day);
    return candidates.find((day) => prefer && day.month === prefer.month && day.day === prefer.day) ?? candidates[0]!;
  }

  /**
   * "mañana" / "tomorrow", or "pasado mañana" / "the day after tomorrow", whichever of `order`
   * (days ahead) comes first on an open day (Saturday counts when the dialog asks for the
   * morning); failing both, the coming Monday.
   */
  relative(order: readonly (1 | 2)[], options: { saturday?: boolean } = {}): RelativeDay {
    const words = { 1: { es: 'mañana', en: 'tomorrow' }, 2: { es: 'pasado mañana', en: 'the day after tomorrow' } } as const;
    for (const ahead of order) {
      const day = this.today.plus({ days: ahead });
      if (day.weekday <= 5 || (options.saturday && day.weekday === 6)) return { day, ...words[ahead] };
    }
    const monday = this.upcoming(1);
    return { day: monday.day, es: `el lunes${monday.es}`, en: `on monday${monday.en}` };
  }
}

function nearest<T>(candidates: T[], distance: (candidate: T) => number): T {
  return candidates.reduce((best, candidate) => (distance(candidate) < distance(best) ? candidate : best));
}
