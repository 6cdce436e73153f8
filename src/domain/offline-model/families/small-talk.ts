import { isBareCourtesy } from '../../courtesy';
import { repliesFor, say, type Intent } from '../intent';
import { mentions } from '../text';

const GREETINGS = [
  'hola', 'ola', 'holi', 'buenas', 'buenos dias', 'buen dia', 'saludos', 'hi', 'hello', 'hey', 'good morning',
  'good afternoon', 'good evening',
];
const THANKS = ['gracias', 'thanks', 'thank you', 'thx'];
const FAREWELLS = [
  'chau', 'chao', 'adios', 'hasta luego', 'hasta pronto', 'hasta manana', 'nos vemos', 'bye', 'goodbye', 'see you',
];
// Longer than this, a "gracias" is a preamble to something the help text should answer.
const MAX_COURTESY_WORDS = 6;
// A greeting opens a message; "…buenas noches" at the end of one says goodbye.
const GREETING_WINDOW = 3;

export const courtesy: Intent = {
  matches: (turn) =>
    isBareCourtesy(turn.burst.text) ||
    (turn.words.length <= MAX_COURTESY_WORDS && mentions(turn.words, [...THANKS, ...FAREWELLS])),
  respond: (turn) => say(mentions(turn.words, FAREWELLS) ? repliesFor(turn).farewell : repliesFor(turn).thanks),
};

export const greeting: Intent = {
  matches: (turn) => mentions(turn.words.slice(0, GREETING_WINDOW), GREETINGS),
  respond: (turn) => say(repliesFor(turn).greeting(turn.businessName, turn.customerName?.split(' ')[0])),
};

/** Anything else: what the assistant can do, never a guess. */
export const help: Intent = {
  matches: () => true,
  respond: (turn) => say(repliesFor(turn).help),
};
