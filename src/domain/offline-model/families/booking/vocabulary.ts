import { mentions } from '../../text';
import { isYesOrNoWord } from '../offers';

/** What a customer asks of their appointments. Availability questions are `book`: a booking on its way. */
export type BookingAction = 'book' | 'reschedule' | 'cancel' | 'confirm' | 'list';
/** An action on one of the bookings the customer has. */
export type ActionOnBooking = Extract<BookingAction, 'reschedule' | 'cancel' | 'confirm'>;

// All folded (lower case, no accents), as `mentions` reads them.
const CANCEL = [
  'cancelar', 'cancelo', 'cancela', 'cancelalo', 'cancelala', 'cancelame', 'cancelarlo', 'cancelarla', 'cancelacion',
  'anular', 'anulo', 'anula', 'anulalo', 'anularlo', 'no voy a poder ir', 'no puedo ir', 'no podre ir', 'cancel',
  'cancelled', 'canceling', 'cancelling', 'cancellation', 'can t make it', 'cannot make it',
];
const RESCHEDULE = [
  'reprogramar', 'reprogramo', 'reprograma', 'reprogramalo', 'reprogramarlo', 'reagendar', 'reagendo', 'reagendalo',
  'reagendarlo', 'posponer', 'pospongo', 'postergar', 'postergo', 'pasarlo', 'pasarla', 'pasalo', 'pasala', 'pasar mi',
  'pasar el turno', 'pasar la cita', 'pasar la reserva', 'reschedule', 'rescheduling', 'postpone',
];
// "¿tienen cambio?" or "move on" are no rescheduling: these verbs need an appointment or a date with them.
const CHANGE = [
  'cambiar', 'cambio', 'cambiarlo', 'cambiarla', 'cambialo', 'cambiala', 'mover', 'muevo', 'moverlo', 'moverla',
  'adelantar', 'adelantarlo', 'atrasar', 'atrasarlo', 'change', 'changing', 'move', 'moving',
];
const CONFIRM = [
  'confirmo', 'confirmar', 'confirmado', 'confirmada', 'confirmamos', 'confirmalo', 'ahi estare', 'alli estare',
  'confirm', 'confirmed', 'confirming', 'i ll be there',
];
const BOOK = [
  'reservar', 'reservo', 'reservame', 'reservarme', 'agendar', 'agendo', 'agenda', 'agendame',
  'agendarme', 'agendas', 'sacar turno', 'sacar un turno', 'pedir turno', 'pedir un turno', 'pedir cita',
  'pedir una cita', 'book', 'reserve', 'make an appointment',
];
const AVAILABILITY = [
  'disponibilidad', 'disponible', 'disponibles', 'libre', 'libres', 'hay lugar', 'tienen lugar', 'tenes lugar',
  'hay turno', 'hay turnos', 'tienen turno', 'tienen turnos', 'tenes turno', 'tienes turno', 'hay cita', 'hay citas',
  'tienen cita', 'tienen citas', 'tienes cita', 'availability', 'available', 'any slots', 'free slots', 'openings',
  'are you free',
];
const LIST = [
  'mis turnos', 'mis citas', 'mis reservas', 'mi turno', 'mi cita', 'mi reserva', 'tengo turno', 'tengo turnos',
  'tengo cita', 'tengo citas', 'tengo reserva', 'my appointments', 'my appointment', 'my bookings', 'my booking',
  'my reservation', 'my reservations', 'do i have',
];
const APPOINTMENT = [
  'turno', 'turnos', 'cita', 'citas', 'reserva', 'reservas', 'appointment', 'appointments', 'booking', 'bookings',
  'reservation', 'reservations',
];

/**
 * The action a message asks for, if any. Tried in order, so that "cancelar mi turno" cancels and
 * "quiero reservar mi turno" books, though both name "mi turno".
 */
export function askedAction(words: readonly string[], mentionsDateOrTime: boolean): BookingAction | undefined {
  const says = (phrases: readonly string[]) => mentions(words, phrases);
  if (says(CANCEL)) return 'cancel';
  if (says(RESCHEDULE) || (says(CHANGE) && (says(APPOINTMENT) || mentionsDateOrTime))) return 'reschedule';
  if (says(CONFIRM)) return 'confirm';
  if (says(BOOK) || says(AVAILABILITY)) return 'book';
  if (says(LIST)) return 'list';
  return says(APPOINTMENT) ? 'book' : undefined;
}

/** "¿Tienen turno el martes a las 10?" asks before booking; "¿me reservas el martes a las 10?" books. */
export function asksAvailability(text: string, words: readonly string[]): boolean {
  return mentions(words, AVAILABILITY) || (text.includes('?') && !mentions(words, BOOK));
}

/** "sí, confirmo" to "¿Te lo reservo?" is a yes to that booking, not a reminder's answer. */
export function saysConfirm(words: readonly string[]): boolean {
  return mentions(words, CONFIRM);
}

const POSITIONS: Record<string, number> = {
  primera: 0, primero: 0, first: 0, segunda: 1, segundo: 1, second: 1, tercera: 2, tercero: 2, third: 2, cuarta: 3,
  cuarto: 3, fourth: 3, quinta: 4, quinto: 4, fifth: 4, ultima: -1, ultimo: -1, last: -1,
};
// "primero quiero saber el precio" is no choice: a choice from a list is said in a few words.
const MAX_CHOICE_WORDS = 5;

/** "la primera", "the last one": a position in the list the engine showed (-1 for the last). */
export function listPosition(words: readonly string[]): number | undefined {
  if (words.length > MAX_CHOICE_WORDS) return undefined;
  const word = words.find((candidate) => Object.hasOwn(POSITIONS, candidate));
  return word === undefined ? undefined : POSITIONS[word];
}

const DATE_AND_TIME_WORDS = [
  'hoy', 'manana', 'pasado', 'lunes', 'martes', 'miercoles', 'jueves', 'viernes', 'sabado', 'domingo', 'enero',
  'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre', 'setiembre', 'octubre', 'noviembre',
  'diciembre', 'today', 'tomorrow', 'tonight', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday',
  'sunday', 'january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october',
  'november', 'december', 'hs', 'h', 'hr', 'hrs', 'hora', 'horas', 'horario', 'horarios', 'am', 'pm', 'media',
  'mediodia', 'noon', 'tarde', 'noche', 'morning', 'afternoon', 'evening', 'night', 'dia', 'fecha', 'semana', 'week',
  'proximo', 'proxima', 'next', 'viene', 'this', 'este', 'esta', 'day', 'date', 'time',
];
const OTHER_WORDS = [
  'otro', 'otra', 'mejor', 'desde', 'hasta', 'del', 'al', 'on', 'at', 'from', 'until', 'ir', 'voy', 'poder', 'podre',
  'make', 'it', 'one', 'd', 'll', 'm', 're', 've', 't', 'soy', 'llamo', 'im', 'name', 'like', 'want', 'gustaria',
  'quisiera', 'vez', 'instead', 'also', 'then', 'ok', 'mis', 'tenes', 'tienes', 'free', 'any',
  // Reactions that open a message: "genial, ¿tienen turno mañana?".
  'genial', 'excelente', 'buenisimo', 'barbaro', 'joya', 'super', 'ah', 'oh', 'great', 'perfect', 'awesome', 'cool',
  'nice', 'fine',
];
const NOT_THE_SERVICE = new Set([
  ...[CANCEL, RESCHEDULE, CHANGE, CONFIRM, BOOK, AVAILABILITY, LIST, APPOINTMENT].flat().flatMap((cue) => cue.split(' ')),
  ...Object.keys(POSITIONS),
  ...DATE_AND_TIME_WORDS,
  ...OTHER_WORDS,
]);

/** Words of a booking message that are not the service: "quiero reservar … el martes a las 10". */
export function isBookingWord(folded: string): boolean {
  return NOT_THE_SERVICE.has(folded) || isYesOrNoWord(folded) || /\d/.test(folded);
}
