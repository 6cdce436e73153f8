import { distance } from 'fastest-levenshtein';
import type { ModelMessage } from '../model-turn';
import { fold, rawWords } from '../words';

/** The text of a message: a string, or the text parts of an array (images and audio carry none). */
export function contentText(content: ModelMessage['content']): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('\n');
}

/** The folded words of a text, regional and typed variants put in their usual spelling. */
export function words(text: string): string[] {
  return rawWords(fold(text)).flatMap(normalWord);
}

// Regional and chat spellings: "kiero", "tenés", "pal", "wena", "po" (Chilean filler), "wanna".
export const VARIANTS: Record<string, string> = {
  kiero: 'quiero', qiero: 'quiero', kiera: 'quiera', keria: 'queria', kisiera: 'quisiera', tenes: 'tienen', tienes: 'tienen',
  tiene: 'tienen', teni: 'tienen', tenis: 'tienen', wena: 'buenas', wenas: 'buenas', wenos: 'buenos', weno: 'bueno',
  pa: 'para', pal: 'para el', po: '', pos: '', q: 'que', k: 'que', xq: 'porque', xfa: 'porfa', xfavor: 'porfa',
  porfis: 'porfa', plis: 'porfa', turnito: 'turno', horita: 'hora', citita: 'cita', wanna: 'want to', gonna: 'going to',
  gotta: 'have to', pls: 'please', plz: 'please', u: 'you', ur: 'your', r: 'are', thx: 'thanks', tmrw: 'tomorrow',
  tmr: 'tomorrow', tomorow: 'tomorrow', whats: 'what is', resevar: 'reservar', reserbar: 'reservar',
  apointment: 'appointment', appoinment: 'appointment', appt: 'appointment', cancell: 'cancel',
  mñn: 'manana', sita: 'cita', sitas: 'citas', ora: 'hora', facail: 'facial', masage: 'masaje', masages: 'masajes', sabdo: 'sabado', miercole: 'miercoles',
};
// Words that carry a request, corrected when typed one or two letters off: "reservr", "cancelr", "disponibilidd".
const KEY_WORDS = [
  'reservar', 'quiero', 'quisiera', 'cancelar', 'cambiar', 'confirmar', 'disponible', 'disponibilidad', 'turno', 'turnos',
  'reprogramar', 'appointment', 'available', 'availability', 'reschedule', 'cancel', 'book', 'lunes', 'martes',
  'miercoles', 'jueves', 'viernes', 'sabado', 'domingo', 'manana', 'monday', 'tuesday', 'wednesday', 'thursday',
  'friday', 'saturday', 'sunday', 'tomorrow', 'gracias', 'precio', 'cuanto', 'cuesta',
];
// Real words a letter away from a key word, which mean something else: "mi reserva", "¿cuánta?".
const NOT_TYPOS = new Set([
  ...KEY_WORDS, 'reserva', 'reservas', 'reservo', 'reserve', 'reserved', 'quiere', 'quieres', 'quieren', 'cuanta', 'cuantos',
  'cuantas', 'confirmo', 'confirmado', 'confirmada', 'confirmed', 'cancelo', 'cancela', 'cancelado', 'cancelada', 'cambio',
  'cambios', 'booked', 'bookings', 'precios', 'martes', 'turnos', 'mananas', 'morrow',
]);

/** One folded word in its usual spelling: none for fillers ("po"), two for contractions ("pal"). */
export function normalWord(word: string): string[] {
  if (Object.hasOwn(VARIANTS, word)) return VARIANTS[word].split(' ').filter(Boolean);
  if (word.length < 6 || NOT_TYPOS.has(word) || /\d/.test(word)) return [word];
  const allowed = word.length >= 9 ? 2 : 1;
  const close = KEY_WORDS.find((key) => key[0] === word[0] && Math.abs(key.length - word.length) <= allowed && distance(key, word) <= allowed);
  return [close ?? word];
}

/** True when a folded phrase ("hablar con", "how much") occurs as whole words. */
export function mentions(folded: readonly string[], phrases: readonly string[]): boolean {
  const joined = ` ${folded.join(' ')} `;
  return phrases.some((phrase) => joined.includes(` ${phrase} `));
}

/** Parsed JSON, or undefined for anything that is not: tool results may come back garbled. */
export function readJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
