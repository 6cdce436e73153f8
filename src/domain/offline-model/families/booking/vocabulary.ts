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
  'pasar el turno', 'pasar la cita', 'pasar la reserva', 'reschedule', 'rescheduling', 'postpone', 'pasa al', 'pasas al',
  'pasa para', 'pasas para', 'pasame al', 'pasarlo al', 'pasarla al',
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
  'pedir una cita', 'book', 'reserve', 'make an appointment', 'quiero hora', 'quiero una hora', 'pedir hora',
  'pedir una hora', 'hora para', 'una hora para', 'quiero turno', 'quiero un turno', 'quiero cita', 'quiero una cita',
  'schedule a', 'schedule an', 'schedule me', 'sign me up', 'reservalo', 'reservala', 'reservamelo', 'reservamela',
  'agendalo', 'agendala', 'agendeme', 'agende', 'apartamelo', 'apartamela', 'apartemela', 'apartemelo', 'aparta',
  'apuntamelo', 'apuntemelo', 'anotame', 'anotalo', 'anotala', 'book it', 'book that', 'me das un turno', 'me da una cita',
  'me regala una cita', 'dame un turno', 'dame una hora', 'dar cita', 'dar una cita', 'dar un turno', 'dar hora',
  'dar una hora',
];
const AVAILABILITY = [
  'disponibilidad', 'disponible', 'disponibles', 'libre', 'libres', 'hay lugar', 'tienen lugar', 'tenes lugar',
  'hay turno', 'hay turnos', 'tienen turno', 'tienen turnos', 'tenes turno', 'tienes turno', 'hay cita', 'hay citas',
  'tienen cita', 'tienen citas', 'tienes cita', 'availability', 'available', 'any slots', 'free slots', 'openings',
  'are you free', 'earliest', 'soonest', 'lo mas temprano', 'lo antes posible', 'tienen algo', 'hay algo', 'tienen hora', 'hay hora', 'tienen horario', 'hay horario', 'hay horarios',
  'tienen horarios', 'tienen espacio', 'hay espacio', 'queda algo', 'quedan turnos', 'quedan horarios',
  'have anything', 'anything on', 'anything for', 'any time', 'any openings', 'is there anything', 'what times',
  'what time do you have', 'can i come', 'could i come', 'can i get', 'could i get',
];
const LIST = [
  'mis turnos', 'mis citas', 'mis reservas', 'mi turno', 'mi cita', 'mi reserva', 'tengo turno', 'tengo turnos',
  'tengo cita', 'tengo citas', 'tengo reserva', 'my appointments', 'my appointment', 'my bookings', 'my booking',
  'my reservation', 'my reservations', 'do i have', 'turnos tengo', 'citas tengo', 'reservas tengo', 'turno tengo',
  'cita tengo', 'tengo algun turno', 'tengo alguna cita', 'tengo alguna reserva', 'when is my', 'mi hora', 'tengo hora',
  'mis horas',
];
// "Quiero un masaje el jueves a las 11": wanting something on a day or at a time is a booking.
const WANT = [
  'quiero', 'quisiera', 'queria', 'necesito', 'necesitaria', 'me gustaria', 'busco', 'want', 'like', 'need', 'looking for',
  'tienen', 'hay', 'puede ser', 'podria ser', 'se puede', 'is there', 'have you got', 'do you have', 'can i', 'could i',
  'puedo ir', 'podria ir', 'puedo pasar', 'puedo agendar', 'any chance', 'habra', 'tendra', 'tendras',
];
// After a booking, these change it: "no espera, mejor a las 5", "actually make it wednesday".
const CHANGE_OF_MIND = [
  'mejor', 'espera', 'espere', 'perdon', 'me equivoque', 'en realidad', 'instead', 'actually', 'rather', 'better', 'make it', 'wait',
  'sorry', 'misma hora', 'mismo horario', 'same time', 'cambialo', 'cambiala', 'pasalo', 'pasala', 'move it', 'change it',
];
// "¿y más tarde?", "the latest you have": later times of the day already spoken of.
const LATER = ['mas tarde', 'later', 'anything later', 'algo mas tarde'];
// "la más tarde que tengan", "the latest you have": the day's last free time.
const LATEST = [
  'lo mas tarde', 'la mas tarde', 'el mas tarde', 'ultimo horario', 'ultimo turno', 'ultima hora', 'ultimo que', 'ultima que',
  'latest', 'last slot', 'last time', 'last appointment',
];
// After a booking, a plain no undoes it: "mmm no, pensándolo bien no", "never mind".
const UNDO = [
  'pensandolo bien', 'mejor no', 'never mind', 'nevermind', 'changed my mind', 'change my mind', 'ahorita no', 'mejor ahora no',
  'olvidalo', 'olvidala', 'dejalo', 'forget it', 'mejor lo dejo', 'siempre no', 'don t book', 'no lo reserves',
];
const SAME_TIME = ['misma hora', 'mismo horario', 'same time', 'a la misma', 'same hour'];
const APPOINTMENT = [
  'turno', 'turnos', 'cita', 'citas', 'reserva', 'reservas', 'appointment', 'appointments', 'booking', 'bookings',
  'reservation', 'reservations',
];

/**
 * The action a message asks for, if any. Tried in order, so that "cancelar mi turno" cancels and
 * "quiero reservar mi turno" books, though both name "mi turno".
 */
export function askedAction(words: readonly string[], mentionsDateOrTime: boolean, afterBooking = false): BookingAction | undefined {
  const says = (phrases: readonly string[]) => mentions(words, phrases);
  if (says(CANCEL)) return 'cancel';
  if (says(RESCHEDULE) || (says(CHANGE) && (says(APPOINTMENT) || mentionsDateOrTime))) return 'reschedule';
  // Just booked, "no espera, mejor a las 5" moves that booking: never a second one.
  // "también otro el viernes" is a second booking, asked for.
  const another = says(['otro', 'otra', 'another', 'tambien', 'also', 'second', 'segundo', 'segunda', 'one more']);
  if (afterBooking && !another && (mentionsDateOrTime || says(SAME_TIME)) && says(CHANGE_OF_MIND)) return 'reschedule';
  if (afterBooking && says(UNDO)) return 'cancel';
  if (says(CONFIRM)) return 'confirm';
  if (says(BOOK) || says(AVAILABILITY)) return 'book';
  if (says(LIST)) return 'list';
  if (mentionsDateOrTime && says(WANT)) return 'book';
  return says(APPOINTMENT) ? 'book' : undefined;
}

/** "¿y más tarde?", "anything later that day?". */
export function asksLater(words: readonly string[]): boolean {
  return mentions(words, LATER) || asksLatest(words);
}

/** "the latest you have that day", "la más tarde que tengan". */
export function asksLatest(words: readonly string[]): boolean {
  return mentions(words, LATEST);
}

/** "the earliest you have": the first free time. */
export function asksEarliest(words: readonly string[]): boolean {
  return mentions(words, ['earliest', 'soonest', 'lo mas temprano', 'lo antes posible', 'el primer horario', 'el primer turno']);
}

/** Right after a booking, "no, pensándolo bien no": undo it. */
export function saysUndo(words: readonly string[]): boolean {
  return mentions(words, UNDO);
}

/** "a la misma hora", "same time": the time of the booking being moved. */
export function saysSameTime(words: readonly string[]): boolean {
  return mentions(words, SAME_TIME);
}

/** "quiero un masaje": wanting a service, with no day yet, starts a booking. */
export function saysWant(words: readonly string[]): boolean {
  return mentions(words, WANT.slice(0, 12));
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
  'quisiera', 'vez', 'instead', 'also', 'then', 'ok', 'mis', 'tenes', 'tienes', 'free', 'any', 'tengo', 'same', 'misma',
  'mismo', 'later', 'latest', 'ultimo', 'ultima', 'actually', 'rather', 'wait', 'espera', 'sorry', 'perdon', 'move',
  'anything', 'algo', 'espacio', 'come', 'get', 'schedule', 'sign', 'up', 'necesitaria', 'busco', 'looking', 'uy', 'ay',
  'hacelo', 'hazlo', 'oiga', 'oye', 'mmm', 'cambia', 'cambie', 'cambiamelo', 'mejor', 'que', 'sea', 'chance', 'slot',
  'ideally', 'possible', 'if', 'works', 'habra', 'tendra', 'tendras', 'regala', 'da', 'das', 'dame', 'agendas', 'puedes',
  'podes', 'pueden', 'puede', 'espere', 'esperame', 'siempre', 'hii', 'hiii', 'holaa', 'holi', 'oigan', 'disculpe',
  'disculpa', 'perdone', 'cachai', 'ojala', 'nomas', 'ahorita', 'please', 'pls', 'asap', 'earliest', 'soonest',
  // Hours as words: "a las diez".
  'una', 'dos', 'tres', 'cuatro', 'cinco', 'seis', 'siete', 'ocho', 'nueve', 'diez', 'once', 'doce', 'two', 'three',
  'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'half', 'past', 'quarter', 'cuarto', 'ok',
  'ninguna', 'ninguno', 'sirve', 'sirven', 'none', 'neither', 'prefiero', 'prefer',
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
