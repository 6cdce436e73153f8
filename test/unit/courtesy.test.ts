import { isBareCourtesy } from '../../src/domain/courtesy';

test.each(['gracias', 'Muchas gracias!!', 'ok', 'OK 👍', '👍', '🙏🙏', 'perfecto', 'Dale, gracias', 'genial, nos vemos', 'thanks!', 'thank you', 'jajaja gracias', 'Buenísimo'])(
  '%j is a bare courtesy',
  (text) => expect(isBareCourtesy(text)).toBe(true),
);

test.each(['gracias, ¿y cuánto sale?', '¿Puedo cambiar la hora?', 'ok pero quiero cambiar el turno', 'thanks, can I come at 5', 'Hola', '', 'perfecto, mañana llevo a mi hermana también'])(
  '%j needs an answer',
  (text) => expect(isBareCourtesy(text)).toBe(false),
);
