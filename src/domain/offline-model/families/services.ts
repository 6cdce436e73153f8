import { distance } from 'fastest-levenshtein';
import { ServiceSearchResultSchema, type Service } from '../../catalogue';
import { callTool, say, type Intent, type ToolAnswer } from '../intent';
import type { ToolExchange } from '../conversation';
import { serviceFacts } from '../format';
import type { Language } from '../language';
import { REPLIES, serviceLine } from '../replies';
import { fold, rawWords } from '../../words';
import { mentions, normalWord, readJson, VARIANTS, words } from '../text';

export const SERVICE_CUES = [
  'precio', 'precios', 'cuanto', 'cuesta', 'cuestan', 'sale', 'salen', 'valor', 'valores', 'costo', 'costos',
  'tarifa', 'tarifas', 'dura', 'duran', 'duracion', 'demora', 'tarda', 'servicio', 'servicios', 'tratamiento',
  'tratamientos', 'ofrecen', 'hacen', 'tienen', 'catalogo', 'lista', 'info', 'informacion', 'price', 'prices',
  'cost', 'costs', 'how much', 'how long', 'duration', 'service', 'services', 'treatment', 'treatments', 'offer',
  'do you do', 'do you have', 'menu', 'information', 'consultar por', 'consulta por', 'me interesa', 'interested in', 'informes', 'detalles',
];

// Everything but the service itself: the search matches any word, so "precio" or "how" would
// only bring noise. Misspellings stay: the catalogue search tolerates them.
const NOT_THE_SERVICE = new Set([
  ...SERVICE_CUES.flatMap((cue) => cue.split(' ')),
  // Spanish
  'que', 'cual', 'cuales', 'cuanta', 'cuantos', 'cuantas', 'como', 'donde', 'cuando', 'el', 'la', 'los', 'las', 'lo',
  'un', 'una', 'unos', 'unas', 'de', 'del', 'al', 'a', 'en', 'y', 'o', 'por', 'para', 'con', 'es', 'son', 'esta',
  'estan', 'me', 'te', 'se', 'mi', 'tu', 'su', 'sus', 'le', 'les', 'nos', 'hola', 'buenas', 'buenos', 'buen', 'dia',
  'dias', 'tardes', 'noches', 'gracias', 'quiero', 'quisiera', 'queria', 'saber', 'consulta', 'consultar', 'pregunta',
  'preguntar', 'tiempo', 'hay', 'tenes', 'todos', 'todas', 'ustedes', 'usted', 'vos', 'porfa', 'favor', 'esto', 'eso',
  'este', 'ese', 'cada', 'aprox', 'aproximadamente', 'mas', 'si', 'ya', 'tambien', 'pero', 'entonces', 'puedo',
  'puede', 'podria', 'podrias', 'decir', 'decirme', 'necesito', 'busco', 'sobre', 'acerca', 'seria', 'alguien',
  'interesa', 'algo', 'hacer', 'hacerme', 'sesion', 'sesiones', 'no', 'pasas', 'pasame', 'pasan',
  // English
  'what', 'which', 'how', 'much', 'many', 'long', 'is', 'are', 'was', 'the', 'an', 'of', 'for', 'to', 'in', 'on', 'and',
  'or', 'do', 'does', 'you', 'your', 'i', 'my', 'we', 'it', 'its', 's', 'rate', 'rates', 'fee', 'fees', 'offers',
  'have', 'has', 'there', 'any', 'hi', 'hello', 'hey', 'thanks', 'thank', 'please', 'can', 'could', 'would', 'tell',
  'know', 'want', 'like', 'get', 'about', 'list', 'take', 'takes', 'last', 'lasts', 'time', 'all', 'that', 'this',
  'these', 'those', 'good', 'morning', 'afternoon', 'evening', 'me', 'need', 'looking', 'someone', 'interested',
  'pay', 'session', 'sessions',
  // Said around a request, in any variety: "¿a las 10 puede ser?", "ya po", "i wanna…", "actually…".
  'ser', 'puede', 'pueden', 'podes', 'podria', 'seria', 'sera', 'algo', 'ya', 'espera', 'esperá', 'going', 'actually',
  'instead', 'same', 'misma', 'mismo', 'later', 'latest', 'temprano', 'early', 'ese', 'esa', 'that', 'anything',
  'something', 'maybe', 'quizas', 'hacerme', 'gustaria', 'encantaria', 'would', 'id', 'anything', 'just', 'still',
  'hay', 'ok', 'okay', 'dale', 'bueno', 'vale', 'genial', 'listo', 'por', 'fa', 'porfa', 'hi', 'ciao', 'ver', 'see',
  'check', 'mirar', 'nombre', 'name',
]);
const MAX_QUERY = 200;

/**
 * The service words of what the customer wrote, as written; undefined when they ask for everything.
 * `isOtherWord` drops more words that are not the service (a booking's dates and times).
 */
export function serviceQuery(text: string, isOtherWord: (folded: string) => boolean = () => false): string | undefined {
  // "soy Ana", "my name is Ben": a name is no service.
  const query = rawWords(text.replace(/\b(?:mi nombre es|me llamo|soy|my name is|i am|i'm|this is)\s+\p{L}+/giu, ' '))
    .filter((word) => {
      const normal = normalWord(fold(word));
      return normal.length > 0 && normal.every((part) => !NOT_THE_SERVICE.has(part) && !isOtherWord(part)) && !isOtherWord(fold(word));
    })
    // Known misspellings go to the catalogue corrected ("masage"); others as written, which it tolerates.
    .map((word) => (Object.hasOwn(VARIANTS, fold(word)) ? VARIANTS[fold(word)] : word))
    .join(' ')
    .slice(0, MAX_QUERY)
    .trim();
  return query.length >= 2 ? query : undefined;
}

export const serviceQuestion: Intent = {
  matches: (turn) => mentions(turn.words, SERVICE_CUES),
  respond: (turn) => {
    const query = serviceQuery(turn.burst.text);
    return callTool(turn, 'search_services', query ? { query } : {});
  },
};

/** A follow-up that only names a service is short: "¿y la limpiesa facial?". */
const MAX_FOLLOW_UP_WORDS = 6;
/** The engine's service answers always state a duration ("45 min", "1 h"). */
const STATED_DURATION = /\d+ (min|h)\b/;

/** Whether a reply of the engine told about services: a service named next is one of them. */
export function toldAboutServices(reply: string): boolean {
  return STATED_DURATION.test(reply);
}

/**
 * After a price answer, customers ask for the next service by name alone, with no price word.
 * Only then: elsewhere a short message ("mi perro se llama Toby") is not a service search.
 */
export const serviceFollowUp: Intent = {
  matches: (turn) =>
    toldAboutServices(turn.previousReply) &&
    turn.words.length <= MAX_FOLLOW_UP_WORDS &&
    serviceQuery(turn.burst.text) !== undefined,
  respond: (turn) => callTool(turn, 'search_services', { query: serviceQuery(turn.burst.text)! }),
};

export const answerServiceSearch: ToolAnswer = (exchange, turn) =>
  say(serviceSearchReply(exchange, turn.language, mentions(turn.words, ASKS_IF_OFFERED)));

// "¿hacen depilación con cera?": a yes-or-no question about the catalogue.
const ASKS_IF_OFFERED = ['hacen', 'ofrecen', 'tienen', 'trabajan con', 'do you do', 'do you offer', 'do you have', 'you do'];

/** The words of a query that no service found speaks of, typos allowed: "cera" against laser hair removal. */
function unmatchedWords(query: string, services: readonly Service[]): string[] {
  const known = new Set(
    services.flatMap((service) =>
      [service, ...Object.values(service.translations ?? {})].flatMap((wording) => words(`${wording.name} ${wording.description ?? ''}`)),
    ),
  );
  const isKnown = (word: string) =>
    known.has(word) || [...known].some((other) => word.length >= 5 && other.length >= 5 && distance(word, other) <= 2);
  return words(query).filter((word) => word.length >= 4 && !NOT_THE_SERVICE.has(word) && !isKnown(word));
}

function serviceSearchReply(exchange: ToolExchange, language: Language, asksIfOffered: boolean): string {
  const replies = REPLIES[language];
  const result = ServiceSearchResultSchema.safeParse(readJson(exchange.content));
  // An { error } or anything garbled: nothing to state a price from.
  if (!result.success) return `${replies.catalogueUnavailable} ${replies.offerHuman}`;
  const query = searchedQuery(exchange.arguments);
  const services = result.data.services.map((service) => serviceFacts(service, language));
  if (services.length === 0) {
    return query ? `${replies.noMatch(query)} ${replies.offerCatalogue}` : `${replies.emptyCatalogue} ${replies.offerHuman}`;
  }
  const lines = services.map(serviceLine).join('\n');
  if (query && asksIfOffered && unmatchedWords(query, result.data.services).length > 0) return replies.notOffered(query, lines);
  if (services.length === 1) return replies.oneService(services[0]);
  return query ? replies.matches(lines) : replies.catalogue(lines);
}

function searchedQuery(args: string): string | undefined {
  const parsed = readJson(args);
  const query = typeof parsed === 'object' && parsed !== null && 'query' in parsed ? parsed.query : undefined;
  return typeof query === 'string' ? query : undefined;
}
