import { DEMO_TENANT } from '../../src/db/demo-tenant';
import { offlineTurn } from '../helpers/offline-turn';

const clock = { now: '2026-11-30T12:00:00Z', zone: DEMO_TENANT.timeZone, facts: DEMO_TENANT.facts };
const ask = (said: string) => offlineTurn(clock, [], said).text;

describe("the offline model answers from the business's facts", () => {
  test('where it is, in the language asked', () => {
    expect(ask('¿dónde queda la clínica?')).toBe(`Estamos en ${DEMO_TENANT.facts.es!.address}.`);
    expect(ask('where are you located?')).toBe(`We're at ${DEMO_TENANT.facts.en!.address}.`);
  });

  test('how to pay, and a frequent question the business answered', () => {
    expect(ask('¿se puede pagar con tarjeta?')).toBe('Puedes pagar con efectivo, tarjetas de débito y crédito, Mercado Pago y transferencia bancaria.');
    expect(ask('¿hay estacionamiento?')).toBe(DEMO_TENANT.facts.es!.faq![0]!.answer);
  });

  test('what the business did not say goes to a person, never made up', () => {
    const text = offlineTurn({ ...clock, facts: {} }, [], '¿dónde queda la clínica?').text;
    expect(text).toMatch(/No tengo ese dato/);
  });
});
