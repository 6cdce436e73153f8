import { callTool, repliesFor, say, type Intent } from '../intent';
import { REPLIES, type Replies } from '../replies';
import { acceptHuman } from './human';

const YES = new Set([
  'si', 'dale', 'ok', 'okay', 'okey', 'claro', 'bueno', 'perfecto', 'listo', 'porfa', 'favor', 'acuerdo', 'yes', 'yeah',
  'yep', 'sure', 'please', 'alright', 'ahead', 'course', 'ya', 'sale', 'orale', 'va', 'vale', 'yup', 'perfect', 'great',
  'genial', 'buenisimo', 'excelente', 'joya', 'barbaro', 'works', 'fine', 'good', 'sounds', 'esta', 'bien', 'ok', 'oki',
]);
const NO = new Set(['no', 'nop', 'nope', 'nah']);
// Words around a yes or a no that change nothing: "sí, por favor", "no, gracias, por ahora no".
const FILLER = new Set([
  'por', 'de', 'muchas', 'gracias', 'ahora', 'todavia', 'despues', 'mas', 'tarde', 'thanks', 'thank', 'you', 'go', 'of',
  'not', 'now', 'yet', 'later', 'ese', 'esa', 'este', 'esta', 'that', 'one', 'it', 'then', 'entonces', 'al', 'tiro',
  'gracias', 'igual', 'mejor',
]);
const MAX_WORDS = 6;

type Offer = 'human' | 'catalogue';

/** Which question the previous reply ended with, in either language. */
function offerMade(previousReply: string): Offer | undefined {
  const asked = (pick: (replies: Replies) => string) =>
    Object.values(REPLIES).some((replies) => previousReply.includes(pick(replies)));
  if (asked((replies) => replies.offerHuman)) return 'human';
  if (asked((replies) => replies.offerCatalogue)) return 'catalogue';
  return undefined;
}

/** The words a yes or a no is made of ("dale", "nop", "gracias"): none of them names a service. */
export function isYesOrNoWord(word: string): boolean {
  return YES.has(word) || NO.has(word) || FILLER.has(word);
}

/** A short yes or no, in either language: "sí, porfa", "no, gracias, por ahora no". */
export function yesOrNo(words: readonly string[]): 'yes' | 'no' | undefined {
  if (words.length === 0 || words.length > MAX_WORDS) return undefined;
  const only = (allowed: Set<string>) =>
    words.some((word) => allowed.has(word)) && words.every((word) => allowed.has(word) || FILLER.has(word));
  if (only(NO)) return 'no';
  if (only(YES)) return 'yes';
  return undefined;
}

/** A short yes or no to the question the previous reply asked (talk to a person? see the list?). */
export const offerReply: Intent = {
  matches: (turn) => offerMade(turn.previousReply) !== undefined && yesOrNo(turn.words) !== undefined,
  respond: (turn) => {
    if (yesOrNo(turn.words) === 'no') return say(repliesFor(turn).declined);
    return offerMade(turn.previousReply) === 'human' ? acceptHuman(turn) : callTool(turn, 'search_services', {});
  },
};
