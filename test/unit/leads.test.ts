import { leadScore, leadStage, QualificationRulesSchema, type Lead } from '../../src/domain/leads';
import { readContactDetails } from '../../src/domain/offline-model/contact-details';

const RULES = QualificationRulesSchema.parse({});
const lead = (fields: Partial<Lead> = {}) =>
  ({ name: null, email: null, phone: null, company: null, interests: [], budget: null, stage: 'new', ...fields }) as Lead;

describe('lead qualification under the default rules', () => {
  test('a name, a way to reach them and an interest qualify a lead; fewer do not', () => {
    const ana = lead({ name: 'Ana Pérez', email: 'ana@example.com', interests: ['Depilación láser'] });
    expect(leadScore(ana, RULES)).toBe(55);
    expect(leadStage(ana, RULES, false)).toBe('qualified');
    expect(leadStage(lead({ name: 'Ana Pérez', interests: ['Depilación láser'] }), RULES, false)).toBe('new'); // no e-mail nor phone
    expect(leadStage(lead({ email: 'ana@example.com', phone: '+5491155550000', interests: ['x'] }), RULES, false)).toBe('new'); // no name
  });

  test('an appointment books the stage; without one it goes back to what the details earn; staff verdicts stand', () => {
    const ana = lead({ name: 'Ana', phone: '+5491155550000', interests: ['Peeling'] });
    expect(leadStage(ana, RULES, true)).toBe('appointment_booked');
    expect(leadStage({ ...ana, stage: 'appointment_booked' }, RULES, false)).toBe('qualified');
    expect(leadStage({ ...ana, stage: 'won' }, RULES, false)).toBe('won');
    expect(leadStage({ ...ana, stage: 'lost' }, RULES, true)).toBe('lost');
  });

  test("a tenant's budget threshold and required fields change the verdict", () => {
    const rules = QualificationRulesSchema.parse({ requiredFields: ['name', 'company'], budgetThreshold: 1000, qualifiedFrom: 60 });
    const small = lead({ name: 'Ben', company: 'Acme', interests: ['Laser'], budget: 500 });
    expect(leadStage(small, rules, false)).toBe('new'); // 55 points
    expect(leadStage({ ...small, budget: 1500 }, rules, false)).toBe('qualified'); // 80 points
  });
});

describe('contact details as customers write them', () => {
  test.each([
    ['Hola, me llamo Ana Pérez, mi mail es Ana.Perez@Example.com', { name: 'Ana Pérez', email: 'ana.perez@example.com' }, 'Hola, ,'],
    ['me llamo ana y quiero turno para depilación', { name: 'Ana' }, 'y quiero turno para depilación'],
    ["Hi, I'm Ben Carter, my email is ben@example.org and I'm interested in a peel", { name: 'Ben Carter', email: 'ben@example.org' }, "Hi, , and I'm interested in a peel"],
    ['soy Juan Gómez de la empresa Acme SA, mi número es +54 9 11 5555-0000', { name: 'Juan Gómez', company: 'Acme SA', phone: '+5491155550000' }, ','],
  ])('%j', (said, details, rest) => {
    expect(readContactDetails(said)).toEqual({ details, rest });
  });

  test.each(['soy nueva, quiero info', 'el 9 a las 11', 'cuánto sale la limpieza facial?', 'tengo 3 zonas, $25.000 cada una?', "I'm interested in laser"])(
    '%j tells nothing about the customer',
    (said) => expect(readContactDetails(said)).toEqual({ details: {}, rest: said }),
  );
});
