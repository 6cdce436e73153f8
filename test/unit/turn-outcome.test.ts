import { turnOutcome } from '../../src/domain/turn-outcome';

const ok = (name: string) => ({ name, arguments: '{}', outcome: 'ok' as const });

describe("a turn's outcome for the lead", () => {
  test('the tool that did something names the intent; the next step follows from it, in the language given', () => {
    expect(turnOutcome({ customerText: 'sí, dale', tools: [ok('create_booking')], language: 'es' })).toEqual({
      intent: 'booking',
      summary: '«sí, dale» → create_booking',
      sentiment: 'neutral',
      nextStep: 'Atender la cita reservada.',
    });
    expect(turnOutcome({ customerText: 'I want to talk to a person', tools: [ok('escalate_to_human')], language: 'en' })).toMatchObject({
      intent: 'handoff',
      nextStep: 'Reply in the chat: they asked for a person.',
    });
    // A refused call did nothing: a price question it is not.
    expect(turnOutcome({ customerText: 'hola', tools: [{ ...ok('search_services'), outcome: 'invalid' }], language: 'es' }).intent).toBe('other');
  });

  test('complaints read negative and thanks positive, accents or not', () => {
    expect(turnOutcome({ customerText: 'Pésimo servicio, estoy enojada', tools: [], language: 'es' }).sentiment).toBe('negative');
    expect(turnOutcome({ customerText: 'Genial, muchas gracias!', tools: [], language: 'es' }).sentiment).toBe('positive');
    expect(turnOutcome({ customerText: 'a las 10', tools: [], language: 'es' }).sentiment).toBe('neutral');
  });

  test('a long message is shortened in the summary', () => {
    const { summary } = turnOutcome({ customerText: 'x'.repeat(1000), tools: [], language: 'es' });
    expect(summary.length).toBeLessThan(300);
    expect(summary).toMatch(/…»$/);
  });
});
