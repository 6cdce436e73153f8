/**
 * Words that, alone or together, only close a conversation ("ok gracias", "perfecto 👍"):
 * after a confirmed appointment they need no answer. Compared without accents or case.
 */
const COURTESY_WORDS = new Set([
  'gracias', 'muchas', 'mil', 'ok', 'okay', 'okey', 'oki', 'vale', 'dale', 'listo', 'perfecto', 'perfecta',
  'genial', 'excelente', 'buenisimo', 'bueno', 'joya', 'barbaro', 'de', 'nada', 'chau', 'chao', 'adios', 'saludos',
  'hasta', 'luego', 'pronto', 'nos', 'vemos', 'un', 'abrazo', 'bien', 'super', 'si', 'claro', 'entendido',
  'thanks', 'thank', 'you', 'thx', 'ty', 'great', 'cool', 'perfect', 'sounds', 'good', 'got', 'it', 'bye', 'see',
  'yes', 'sure', 'awesome', 'nice', 'fine', 'alright', 'all', 'right',
]);

/** True for a message that is only thanks/acknowledgement: emoji, courtesy words, punctuation. */
export function isBareCourtesy(text: string): boolean {
  if (text.includes('?') || text.includes('¿')) return false;
  const words = text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/\p{Extended_Pictographic}|\p{Emoji_Modifier}|\u200d|\ufe0f/gu, ' ')
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .split(/\s+/)
    .filter(Boolean);
  // Only emoji (👍, 🙏) counts as courtesy; an empty message (a bare image) does not.
  if (words.length === 0) return /\p{Extended_Pictographic}/u.test(text);
  return words.length <= 8 && words.every((word) => COURTESY_WORDS.has(word) || /^(ja)+$|^(ha)+$/.test(word));
}
