import { DateTime } from 'luxon';
import { InstantSchema, TimeZoneSchema } from './scheduling/schedule';
import type { Tenant } from './tenant';

export interface ReminderTextRequest {
  language: Tenant['language'];
  serviceName: string;
  customerName: string | null;
  /** Confirmed by the customer already: the reminder only offers to cancel. */
  confirmed: boolean;
  appointmentStart: string;
  /** When the reminder goes out: "mañana" is relative to it, not to the appointment's eve. */
  sentAt: string;
  timeZone: string;
}

/**
 * The reminder the customer reads: "Recordatorio: tu turno de Depilación láser es mañana, martes
 * 24 de noviembre a las 10:00. Responde «confirmo» para confirmarlo o «cancelar» para cancelarlo."
 * Days and times are on the tenant's clock, whatever zone the customer or the server is in.
 */
export function reminderText(request: ReminderTextRequest): string {
  const zone = TimeZoneSchema.parse(request.timeZone);
  const start = DateTime.fromISO(InstantSchema.parse(request.appointmentStart), { zone, locale: request.language });
  const sentAt = DateTime.fromISO(InstantSchema.parse(request.sentAt), { zone });
  const day = start.hasSame(sentAt, 'day') ? 'today' : start.hasSame(sentAt.plus({ days: 1 }), 'day') ? 'tomorrow' : 'later';
  return request.language === 'es' ? spanish(request, start, day) : english(request, start, day);
}

type RelativeDay = 'today' | 'tomorrow' | 'later';

function spanish({ serviceName, customerName, confirmed }: ReminderTextRequest, start: DateTime, day: RelativeDay): string {
  const date = start.toFormat("cccc d 'de' LLLL");
  // "a la 1:15", "a las 10:00".
  const time = `${start.hour === 1 ? 'a la' : 'a las'} ${start.toFormat('H:mm')}`;
  const when = { today: `hoy ${time}`, tomorrow: `mañana, ${date} ${time}`, later: `el ${date} ${time}` }[day];
  const answer = confirmed
    ? 'Si no puedes venir, responde «cancelar» para cancelarlo.'
    : 'Responde «confirmo» para confirmarlo o «cancelar» para cancelarlo.';
  const greeting = customerName ? `Hola, ${customerName}. ` : '';
  return `${greeting}Recordatorio: tu turno de ${serviceName} es ${when}. ${answer}`;
}

function english({ serviceName, customerName, confirmed }: ReminderTextRequest, start: DateTime, day: RelativeDay): string {
  const date = start.toFormat('cccc, LLLL d');
  const time = `at ${start.toFormat('h:mm a')}`;
  const when = { today: `today ${time}`, tomorrow: `tomorrow, ${date} ${time}`, later: `on ${date} ${time}` }[day];
  const answer = confirmed
    ? 'If you cannot make it, reply “cancel” to cancel it.'
    : 'Reply “confirm” to confirm it or “cancel” to cancel it.';
  const greeting = customerName ? `Hi ${customerName}. ` : '';
  return `${greeting}Reminder: your ${serviceName} appointment is ${when}. ${answer}`;
}

/**
 * The body parameters of the approved reminder template, in order: who ("Lucía") and when
 * ("2 de enero, 15:00"). A template parameter may not be empty: a contact without a name is
 * greeted generically.
 */
export function reminderTemplateParameters(request: Omit<ReminderTextRequest, 'confirmed' | 'sentAt'>): string[] {
  const zone = TimeZoneSchema.parse(request.timeZone);
  const start = DateTime.fromISO(InstantSchema.parse(request.appointmentStart), { zone, locale: request.language });
  const when = request.language === 'es' ? start.toFormat("d 'de' LLLL, H:mm") : start.toFormat('LLLL d, h:mm a');
  const name = request.customerName?.trim() || (request.language === 'es' ? 'cliente' : 'there');
  return [name, when];
}

/** What a reminder's buttons say; pressed, their title comes back as the customer's answer. */
export function reminderChoices(language: Tenant['language'], confirmed: boolean): Array<{ id: string; title: string }> {
  const cancel = language === 'es' ? { id: 'cancelar', title: 'Cancelar' } : { id: 'cancel', title: 'Cancel' };
  const confirm = language === 'es' ? { id: 'confirmo', title: 'Confirmar' } : { id: 'confirm', title: 'Confirm' };
  return confirmed ? [cancel] : [confirm, cancel];
}
