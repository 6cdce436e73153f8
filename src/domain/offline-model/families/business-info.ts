import { repliesFor, say, type Intent } from '../intent';
import { mentions } from '../text';

// The engine knows the catalogue through its tool and nothing else about the business.
const BUSINESS_INFO_CUES = [
  'horario', 'horarios', 'abren', 'cierran', 'abierto', 'abiertos', 'direccion', 'ubicacion', 'ubicados', 'donde estan',
  'donde queda', 'ubican', 'se ubican', 'atienden', 'que dias', 'estacionamiento', 'medios de pago', 'formas de pago', 'tarjeta', 'tarjetas', 'efectivo', 'transferencia',
  'opening hours', 'open', 'close', 'address', 'where are you', 'located', 'location', 'parking', 'payment', 'payments',
  'pay with', 'pay by', 'credit card', 'debit card', 'cash',
];

/** Opening hours, address, payment: questions the engine cannot answer, so a person can. */
export const businessInfo: Intent = {
  matches: (turn) => mentions(turn.words, BUSINESS_INFO_CUES),
  respond: (turn) => say(`${repliesFor(turn).unknownBusinessInfo} ${repliesFor(turn).offerHuman}`),
};
