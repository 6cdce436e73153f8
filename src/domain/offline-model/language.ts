import type { Language } from '../language';
import { languageOfText } from '../language-detection';
import { words } from './text';

export type { Language } from '../language';

/** Spanish or English by the words of a text, typed variants ("kiero", "wanna") read as meant. */
export function detectLanguage(text: string): Language | undefined {
  return languageOfText(text, words);
}
