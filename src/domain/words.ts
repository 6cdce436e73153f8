/** Words of customers' text, for code that must stay light (workflow code imports this). */

/** Lower case without accents: customers write "depilacion", "DEPILACIÓN" and "depilación" alike. */
export function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase();
}

/** The words of a text as written (lower case, accents kept), punctuation and emoji dropped. */
export function rawWords(text: string): string[] {
  return text
    .normalize('NFC')
    .toLowerCase()
    .split(/[^\p{L}\p{M}\p{N}]+/u)
    .filter(Boolean);
}
