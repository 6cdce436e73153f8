import { DEMO_TENANT } from '../../src/db/demo-tenant';
import { buildSystemPrompt, toChatMessages } from '../../src/domain/prompt';

describe('buildSystemPrompt', () => {
  test("states the current date and time in the tenant's zone, not the server's", () => {
    // 02:30 UTC on 1 March is still 28 February, 23:30 in Buenos Aires (UTC-3).
    const prompt = buildSystemPrompt(DEMO_TENANT, new Date('2027-03-01T02:30:00Z'));
    expect(prompt).toContain('28 de febrero de 2027');
    expect(prompt).toContain('23:30');
    expect(prompt).toContain('America/Argentina/Buenos_Aires');
  });

  test("carries the tenant's persona, business and language rules, and the caller's context", () => {
    const prompt = buildSystemPrompt(DEMO_TENANT, new Date(), { seller: 'Ana', vip: true });
    expect(prompt).toContain(DEMO_TENANT.persona);
    expect(prompt).toContain('depilación láser');
    expect(prompt).toContain('Responde en español');
    expect(prompt).toContain('- seller: Ana\n- vip: true');
  });

  test('an English tenant gets English rules', () => {
    expect(buildSystemPrompt({ ...DEMO_TENANT, language: 'en' }, new Date())).toContain('Answer in English');
  });
});

test('toChatMessages maps customer turns to user messages, in order', () => {
  expect(
    toChatMessages([
      { seq: 0, role: 'customer', messageId: 'm1', text: 'Hola', at: '2027-01-01T10:00:00.000Z' },
      {
        seq: 1,
        role: 'assistant',
        text: '¡Hola!',
        at: '2027-01-01T10:00:01.000Z',
        inReplyTo: ['m1'],
        provider: 'p',
        model: 'm',
        usage: { promptTokens: 1, completionTokens: 1 },
      },
    ]),
  ).toEqual([
    { role: 'user', content: 'Hola' },
    { role: 'assistant', content: '¡Hola!' },
  ]);
});
