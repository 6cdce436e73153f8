import type { Tenant } from './tenant';

/**
 * "baja", "STOP", "no me escriban más": the customer asks for no more reminders or other
 * messages we start; "alta", "START" asks for them again. Recognised only when that is the
 * whole request: "quiero dar de baja mi turno" cancels a booking, it does not unsubscribe.
 */
export type ConsentCommand = { optOut: boolean; language: Tenant['language'] };

const WHOLE_MESSAGE: Record<string, ConsentCommand> = {
  stop: { optOut: true, language: 'en' },
  unsubscribe: { optOut: true, language: 'en' },
  'opt out': { optOut: true, language: 'en' },
  'stop all': { optOut: true, language: 'en' },
  baja: { optOut: true, language: 'es' },
  'darme de baja': { optOut: true, language: 'es' },
  'dame de baja': { optOut: true, language: 'es' },
  'dar de baja': { optOut: true, language: 'es' },
  desuscribirme: { optOut: true, language: 'es' },
  start: { optOut: false, language: 'en' },
  unstop: { optOut: false, language: 'en' },
  subscribe: { optOut: false, language: 'en' },
  'opt in': { optOut: false, language: 'en' },
  alta: { optOut: false, language: 'es' },
  'darme de alta': { optOut: false, language: 'es' },
  'dame de alta': { optOut: false, language: 'es' },
};

/** Requests in so many words, wherever they stand in the message. */
const PHRASES: Array<[RegExp, ConsentCommand]> = [
  [/\bno (me|nos) (escriban|escribas|escriba|manden|mandes|envien|envies) mas\b/, { optOut: true, language: 'es' }],
  [/\bno quiero (recibir|que me (manden|envien|escriban)) mas (mensajes|recordatorios)\b/, { optOut: true, language: 'es' }],
  [/\b(dejen|deja) de (escribirme|mandarme mensajes|enviarme mensajes)\b/, { optOut: true, language: 'es' }],
  [/\b(stop|quit) (messaging|texting|sending)( me)?\b/, { optOut: true, language: 'en' },],
  [/\bdon ?t (message|text|contact) me( anymore| again)?\b/, { optOut: true, language: 'en' }],
];

/** Politeness around a bare command ("baja por favor", "STOP please"). */
const FILLER = /\b(por favor|porfa|gracias|please|thanks|quiero|i want to|hola|hi)\b/g;

/** Booking words: with them, "baja" or "stop" is about an appointment, not about messages. */
const ABOUT_A_BOOKING = /\b(turno|turnos|cita|citas|hora|reserva|reservas|appointment|appointments|booking|bookings)\b/;

export function consentCommand(text: string): ConsentCommand | undefined {
  const words = fold(text);
  if (words === '' || ABOUT_A_BOOKING.test(words)) return undefined;
  const bare = words.replace(FILLER, ' ').replace(/\s+/g, ' ').trim();
  if (WHOLE_MESSAGE[bare]) return WHOLE_MESSAGE[bare];
  return PHRASES.find(([phrase]) => phrase.test(words))?.[1];
}

/** The one confirmation the customer gets, in the language they used. */
export function consentReply({ optOut, language }: ConsentCommand): string {
  if (language === 'es') {
    return optOut
      ? 'Listo: no te enviaremos más recordatorios ni otros mensajes. Si nos escribes, te seguiremos respondiendo. Para volver a recibirlos, escribe «alta».'
      : '¡Listo! Volverás a recibir los recordatorios de tus turnos. Para dejar de recibirlos, escribe «baja».';
  }
  return optOut
    ? "Done: we won't send you reminders or other messages anymore. If you write to us, we'll still answer. To get them again, reply START."
    : "Done! You'll get your appointment reminders again. To stop them, reply STOP.";
}

function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
