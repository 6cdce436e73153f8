import type { Language } from './language';
import { fold, rawWords } from './words';

// Only words that mark one language: "a", "me", "no" and "ok" are both, and would only add noise.
const SPANISH = new Set([
  'hola', 'buenas', 'buenos', 'buen', 'dia', 'dias', 'tardes', 'noches', 'gracias', 'que', 'cual', 'cuanto', 'cuanta',
  'cuesta', 'cuestan', 'sale', 'salen', 'precio', 'precios', 'de', 'del', 'la', 'el', 'los', 'las', 'una', 'unos', 'por',
  'para', 'con', 'quiero', 'quisiera', 'queria', 'tienen', 'hay', 'turno', 'cita', 'servicio', 'servicios', 'hablar',
  'persona', 'alguien', 'si', 'y', 'es', 'esta', 'como', 'donde', 'cuando', 'mi', 'necesito', 'favor', 'chau', 'adios',
  'dale', 'bueno', 'listo', 'perfecto', 'tambien', 'pero', 'puedo', 'ustedes', 'hacen', 'dura', 'turnos', 'citas',
  'reservar', 'cancelar', 'confirmo', 'hoy', 'manana', 'lunes', 'martes', 'miercoles', 'jueves', 'viernes', 'sabado',
  'domingo',
]);
const ENGLISH = new Set([
  'hi', 'hello', 'hey', 'thanks', 'thank', 'you', 'how', 'much', 'what', 'which', 'is', 'are', 'the', 'an', 'of', 'for',
  'to', 'and', 'i', 'my', 'do', 'does', 'can', 'could', 'would', 'want', 'price', 'prices', 'cost', 'service', 'services',
  'book', 'appointment', 'please', 'talk', 'speak', 'person', 'someone', 'with', 'have', 'bye', 'good', 'morning', 'yes',
  'great', 'offer', 'long', 'there', 'your', 'need', 'about', 'appointments', 'booking', 'confirm', 'cancel',
  'reschedule', 'today', 'tomorrow', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday',
]);

/**
 * Spanish or English by the words of a text, or undefined when it does not tell ("ok", "👍",
 * "laser"). `wordsOf` may put typed variants in their usual spelling first.
 */
export function languageOfText(text: string, wordsOf: (text: string) => string[] = (raw) => rawWords(fold(raw))): Language | undefined {
  let score = /[¿¡ñáéíóú]/i.test(text.normalize('NFC')) ? 2 : 0;
  for (const word of wordsOf(text)) {
    if (SPANISH.has(word)) score++;
    if (ENGLISH.has(word)) score--;
  }
  if (score === 0) return undefined;
  return score > 0 ? 'es' : 'en';
}
