import { repliesFor, say, type Intent, type Turn } from '../intent';
import { mentions, words } from '../text';

const ADDRESS_CUES = ['direccion', 'ubicacion', 'ubicados', 'donde estan', 'donde queda', 'donde quedan', 'ubican', 'se ubican', 'address', 'where are you', 'located', 'location'];
const PAYMENT_CUES = ['medios de pago', 'formas de pago', 'tarjeta', 'tarjetas', 'efectivo', 'transferencia', 'payment', 'payments', 'pay with', 'pay by', 'credit card', 'debit card', 'cash'];
const OTHER_CUES = [
  'horario', 'horarios', 'abren', 'cierran', 'abierto', 'abiertos', 'atienden', 'que dias', 'estacionamiento',
  'opening hours', 'open', 'close', 'parking',
];

/** Words too common to tell one frequent question from another. */
const FAQ_STOPWORDS = new Set(['hay', 'tienen', 'tenes', 'hacen', 'puedo', 'se', 'el', 'la', 'los', 'las', 'de', 'un', 'una', 'is', 'there', 'do', 'you', 'can', 'i', 'the', 'a']);

/**
 * Address, payment and the business's frequent questions, answered from the facts it gave;
 * what it did not give (or opening hours, which the engine is not told) goes to a person.
 */
export const businessInfo: Intent = {
  matches: (turn) => mentions(turn.words, [...ADDRESS_CUES, ...PAYMENT_CUES, ...OTHER_CUES]) || faqAnswer(turn) !== undefined,
  respond: (turn) => {
    const answer = factAnswer(turn);
    return say(answer ?? `${repliesFor(turn).unknownBusinessInfo} ${repliesFor(turn).offerHuman}`);
  },
};

function factAnswer(turn: Turn): string | undefined {
  const { facts, language } = turn;
  if (mentions(turn.words, ADDRESS_CUES) && facts.address) {
    return language === 'es' ? `Estamos en ${facts.address}.` : `We're at ${facts.address}.`;
  }
  if (mentions(turn.words, PAYMENT_CUES) && facts.paymentMethods?.length) {
    const methods = listed(facts.paymentMethods, language === 'es' ? 'y' : 'and');
    return language === 'es' ? `Puedes pagar con ${methods}.` : `You can pay by ${methods}.`;
  }
  return faqAnswer(turn);
}

/** The frequent question sharing a telling word with the customer's, if one does. */
function faqAnswer(turn: Turn): string | undefined {
  const said = new Set(turn.words.filter((word) => word.length > 3 && !FAQ_STOPWORDS.has(word)));
  const entry = (turn.facts.faq ?? []).find(({ question }) => words(question).some((word) => said.has(word) && !FAQ_STOPWORDS.has(word)));
  return entry?.answer;
}

function listed(items: readonly string[], and: string): string {
  return items.length === 1 ? items[0]! : `${items.slice(0, -1).join(', ')} ${and} ${items.at(-1)}`;
}
