import type { ModelMessage } from '../model-turn';

/** The text of a message: a string, or the text parts of an array (images and audio carry none). */
export function contentText(content: ModelMessage['content']): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('\n');
}

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

export function words(text: string): string[] {
  return rawWords(fold(text));
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
