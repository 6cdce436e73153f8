import { callTool, repliesFor, say, type Intent, type ToolAnswer } from '../intent';
import { REPLIES } from '../replies';
import { mentions, readJson } from '../text';

// Phrases, not lone words: "precio por persona", "un masaje para una persona" or "can someone
// tell me the price" ask for no one.
const ASKS_FOR_PERSON = [
  'hablar con', 'comunicarme con', 'comunicar con', 'contactar con', 'pasame con', 'con una persona', 'persona real',
  'alguien del equipo', 'me atienda', 'humano', 'humana', 'asesor', 'asesora', 'agente', 'operador', 'operadora',
  'encargado', 'encargada', 'atencion al cliente', 'talk to', 'talk with', 'speak to', 'speak with', 'to a person',
  'with a person', 'real person', 'someone from', 'human', 'agent', 'representative', 'operator', 'customer service',
  'connect me',
];
const MAX_EXCERPT = 200;

export const askForHuman: Intent = {
  matches: (turn) => mentions(turn.words, ASKS_FOR_PERSON),
  respond: (turn) => {
    const reason = REPLIES[turn.businessLanguage].reasonAsked(turn.burst.text.slice(0, MAX_EXCERPT));
    return callTool(turn, 'escalate_to_human', { reason });
  },
};

/** Hands over after the customer said yes to a reply that offered a person. */
export const acceptHuman: Intent['respond'] = (turn) =>
  callTool(turn, 'escalate_to_human', { reason: REPLIES[turn.businessLanguage].reasonAccepted });

export const answerEscalation: ToolAnswer = (exchange, turn) => {
  const result = readJson(exchange.content);
  // Whatever the tool says on success will do; only garbage or an error means nobody was told.
  const failed = result === undefined || (typeof result === 'object' && result !== null && 'error' in result);
  return say(failed ? repliesFor(turn).handOverFailed : repliesFor(turn).handedOver);
};
