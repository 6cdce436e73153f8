import { UNTRANSCRIBED_VOICE_NOTE, TRANSCRIBED_VOICE_NOTE, type ModelMessage, type ModelOutput } from '../../src/domain/model-turn';
import { offlineModelStep } from '../../src/domain/offline-model';
import { serviceQuery } from '../../src/domain/offline-model/families/services';
import { formatPrice, type Service } from '../../src/domain/catalogue';

const CATALOGUE: Service[] = [
  { id: 'laser', name: 'Depilación láser', description: 'Por zona.', durationMinutes: 45, price: 25_000, currency: 'ARS' },
  { id: 'facial', name: 'Limpieza facial', description: 'Limpieza de cutis.', durationMinutes: 60, price: 18_000, currency: 'ARS' },
  { id: 'masaje', name: 'Masaje descontracturante', description: 'Espalda y cuello.', durationMinutes: 50, price: 22_000, currency: 'ARS' },
];
const SYSTEM: ModelMessage = { role: 'system', content: 'Eres el asistente de Clínica Demo.' };

function step(messages: ModelMessage[], language: 'es' | 'en' = 'es'): ModelOutput {
  return offlineModelStep(messages, { language, businessName: 'Clínica Demo', now: '2026-11-23T13:00:00Z', timeZone: 'America/Argentina/Buenos_Aires' });
}

/** Intl keeps a price's symbol and amount together with a no-break space; tests write a plain one. */
const plain = (text: string | undefined) => (text ?? '').replaceAll('\u00a0', ' ');

const user = (content: ModelMessage['content']): ModelMessage => ({ role: 'user', content }) as ModelMessage;

/** The conversation after the engine's tool call ran: its call, then the tool's answer. */
function withResult(messages: ModelMessage[], output: ModelOutput, result: unknown): ModelMessage[] {
  const [call] = output.toolCalls;
  return [
    ...messages,
    { role: 'assistant', content: null, tool_calls: [{ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } }] },
    { role: 'tool', tool_call_id: call.id, content: typeof result === 'string' ? result : JSON.stringify(result) },
  ];
}

/** Runs both steps of a tool-using turn: the call, then the answer from `result`. */
function converse(messages: ModelMessage[], result: unknown, language: 'es' | 'en' = 'es') {
  const first = step(messages, language);
  expect(first.toolCalls).toHaveLength(1);
  expect(first.text).toBeUndefined();
  const second = step(withResult(messages, first, result), language);
  expect(second.toolCalls).toEqual([]);
  return { call: first.toolCalls[0], args: JSON.parse(first.toolCalls[0].arguments), text: plain(second.text) };
}

describe('service questions', () => {
  test('a Spanish price question searches for the service as written, then states name, price and duration', () => {
    const messages = [SYSTEM, user('¿cuánto sale la depilasion laser?')];
    const { call, args, text } = converse(messages, { services: [CATALOGUE[0]] });
    expect(call).toMatchObject({ name: 'search_services', id: 'offline-2' });
    expect(args.query).toContain('depilasion laser');
    expect(args.query).not.toMatch(/cu[aá]nto|sale/);
    expect(text).toContain('Depilación láser');
    expect(text).toContain('$ 25.000');
    expect(text).toContain('45 min');
  });

  test('an English price question gets an English answer, with the price in English style', () => {
    const { args, text } = converse([user('How much is the laser hair removal?')], { services: [CATALOGUE[0]] }, 'es');
    expect(args.query).toBe('laser hair removal');
    expect(text).toContain('Depilación láser');
    expect(text).toContain('ARS 25,000');
    expect(text).toMatch(/costs/);
  });

  test("with the catalogue's English names, English answers use them; Spanish ones keep the business's", () => {
    const translated = { ...CATALOGUE[0], translations: { en: { name: 'Laser hair removal', description: 'By area.' } } };
    const english = converse([user('How much is the laser hair removal?')], { services: [translated] }, 'es');
    expect(english.text).toBe('Laser hair removal costs ARS 25,000 and takes 45 min. Anything else I can help with?');
    const spanish = converse([user('¿cuánto sale la depilación?')], { services: [translated] }, 'es');
    expect(spanish.text).toContain('Depilación láser cuesta $ 25.000');
    // Asked whether it is offered, the English name counts as the catalogue's words: no "we don't do that".
    const offered = converse([user('do you do laser hair removal?')], { services: [translated] }, 'es');
    expect(offered.text).not.toMatch(/^No, /);
  });

  test('"what services do you offer?" lists the whole catalogue', () => {
    const { args, text } = converse([user('what services do you offer?')], { services: CATALOGUE }, 'es');
    expect(args).toEqual({});
    for (const service of CATALOGUE) expect(text).toContain(service.name);
    expect(text).toContain('ARS 18,000');
    expect(text).toMatch(/our services/);
  });

  test('"¿qué servicios tienen?" lists the catalogue in Spanish', () => {
    const { args, text } = converse([user('Hola! ¿qué servicios tienen?')], { services: CATALOGUE });
    expect(args).toEqual({});
    expect(text).toContain('Masaje descontracturante');
    expect(text).toContain('$ 22.000');
  });

  test('several matches make a short list', () => {
    const { args, text } = converse([user('precio de masajes')], { services: [CATALOGUE[2], CATALOGUE[1]] });
    expect(args.query).toBe('masajes');
    expect(text.split('\n').filter((line) => line.startsWith('•'))).toHaveLength(2);
  });

  test('no match says so and offers the list; a "sí" then lists it', () => {
    const messages = [user('¿cuánto cuesta el botox?')];
    const { text } = converse(messages, { services: [] });
    expect(text).toContain('botox');
    expect(text).toMatch(/lista/);
    const next = step([...messages, { role: 'assistant', content: text }, user('sí, porfa')]);
    expect(next.toolCalls).toMatchObject([{ name: 'search_services', arguments: '{}' }]);
  });

  test('a failed or garbled search result gets an apology, not a crash nor a price', () => {
    for (const result of [{ error: 'database unavailable' }, 'not json {', { services: [{ name: 'x' }] }]) {
      const { text } = converse([user('¿cuánto sale la limpieza facial?')], result);
      expect(text).toMatch(/Perdona/);
      expect(text).not.toContain('$');
    }
  });

  test('service words keep their accents and misspellings; question words go', () => {
    expect(serviceQuery('¿Cuánto sale la depilación LÁSER?')).toBe('depilación láser');
    expect(serviceQuery('how much is a facial cleaning?')).toBe('facial cleaning');
    expect(serviceQuery('qué servicios tienen?')).toBeUndefined();
  });

  test('prices follow the currency and the language', () => {
    expect(plain(formatPrice(25_000, 'ARS', 'es'))).toBe('$ 25.000');
    expect(plain(formatPrice(25_000, 'ARS', 'en'))).toBe('ARS 25,000');
    expect(plain(formatPrice(19.5, 'EUR', 'es'))).toBe('19,50 €');
    expect(formatPrice(10, 'A$1', 'en')).toBe('10 A$1');
  });
});

describe('talking to a person', () => {
  test.each([
    ['es', 'Quiero hablar con una persona', /una persona te responderá/],
    ['en', 'can I talk to a human please?', /someone will reply here/],
  ])('%s: asking for a person escalates, then confirms', (_language, request, confirmation) => {
    const { call, args, text } = converse([SYSTEM, user(request)], { ok: true });
    expect(call.name).toBe('escalate_to_human');
    expect(args.reason).toContain(request);
    expect(text).toMatch(confirmation);
  });

  test('a request for a person wins over a price question in the same burst', () => {
    expect(step([user('cuánto sale el masaje? prefiero hablar con un asesor')]).toolCalls[0].name).toBe('escalate_to_human');
  });

  test.each(['¿cuál es el precio por persona?', 'cuánto sale un masaje para una persona?', 'can someone tell me the price of a massage?'])(
    '%j asks for no one',
    (text) => expect(step([user(text)]).toolCalls[0].name).toBe('search_services'),
  );

  test('a failed escalation says so', () => {
    const { text } = converse([user('necesito un asesor')], { error: 'no staff channel' });
    expect(text).toMatch(/no pude avisar/);
  });
});

describe('booking requests go to the booking dialog (its own tests: offline-model-booking)', () => {
  test.each([
    ['quiero un turno para depilación mañana', 'check_availability'],
    ['I need to cancel my appointment', 'list_my_bookings'],
  ])('%j calls %s', (request, tool) => {
    expect(step([user(request)]).toolCalls).toMatchObject([{ name: tool }]);
  });

  test('without a service, it asks which one', () => {
    const output = step([user('Can I book an appointment for Friday?')]);
    expect(output.toolCalls).toEqual([]);
    expect(output.text).toMatch(/Which service/);
  });
});

test('a "yes" to the offer of a person escalates; a "no" does not', () => {
  const offer = step([user('Do you take credit card?')]);
  const conversation = [user('Do you take credit card?'), { role: 'assistant', content: offer.text } as ModelMessage];
  const accepted = step([...conversation, user('yes please')]);
  expect(accepted.toolCalls).toMatchObject([{ name: 'escalate_to_human' }]);
  const declined = step([...conversation, user('no thanks')]);
  expect(declined.toolCalls).toEqual([]);
  expect(declined.text).toMatch(/No problem/);
});

test.each([
  ['es', '¿Qué horario tienen?', /No tengo ese dato/],
  ['en', 'Do you take credit card?', /don't have that information/],
])('%s: business facts the engine does not know are not guessed; a person is offered', (_language, question, unknown) => {
  const output = step([user(question)]);
  expect(output.toolCalls).toEqual([]);
  expect(output.text).toMatch(unknown);
  expect(output.text).toMatch(/persona del equipo|someone from the team/);
});

test('a result for a call the engine cannot place gets an apology', () => {
  const output = step([
    user('hola'),
    { role: 'assistant', content: null, tool_calls: [{ id: 'x1', type: 'function', function: { name: 'check_weather', arguments: '{}' } }] },
    { role: 'tool', tool_call_id: 'x1', content: '{"sunny":true}' },
  ]);
  expect(output).toEqual({ text: expect.stringMatching(/Perdona/), toolCalls: [] });
});

describe('bursts and media', () => {
  test('reads every customer message since the last reply, not older ones', () => {
    const output = step([
      user('¿cuánto sale el peeling?'),
      { role: 'assistant', content: 'El peeling cuesta $ 30.000.' },
      user('hola'),
      user([{ type: 'text', text: '¿y la limpieza facial?' }, { type: 'image_url', image_url: { url: 'https://example.test/a.jpg' } }]),
      user('cuánto dura?'),
    ]);
    expect(output.toolCalls).toHaveLength(1);
    const { query } = JSON.parse(output.toolCalls[0].arguments);
    expect(query).toBe('limpieza facial');
  });

  test('an untranscribed voice note alone asks the customer to write', () => {
    expect(step([user(UNTRANSCRIBED_VOICE_NOTE)]).text).toMatch(/no puedo escuchar audios/);
    expect(step([user('Hi there'), { role: 'assistant', content: 'Hi!' }, user(UNTRANSCRIBED_VOICE_NOTE)]).text).toMatch(/can't listen/);
  });

  test('a transcribed voice note is read like text', () => {
    const output = step([user(`${TRANSCRIBED_VOICE_NOTE} cuánto sale el masaje descontracturante`)]);
    expect(JSON.parse(output.toolCalls[0].arguments).query).toBe('masaje descontracturante');
  });

  test('an image without text asks what they need', () => {
    expect(step([user([{ type: 'image_url', image_url: { url: 'https://example.test/a.jpg' } }])]).text).toMatch(/imagen/);
  });
});

describe('small talk', () => {
  test('greets as the business assistant, in the customer language', () => {
    const spanish = step([SYSTEM, user('Hola, buenas tardes')], 'en');
    expect(spanish.toolCalls).toEqual([]);
    expect(spanish.text).toMatch(/Hola.*Clínica Demo/);
    expect(spanish.text).toMatch(/servicios/);
    expect(step([SYSTEM, user('hello!')], 'es').text).toMatch(/Hi.*Clínica Demo/);
  });

  test('thanks and goodbyes get a short courtesy', () => {
    expect(step([user('muchas gracias!')]).text).toMatch(/Con gusto/);
    expect(step([user('thanks, bye!')]).text).toMatch(/See you/);
  });

  test("anything else gets what the assistant can do, and no tool call", () => {
    const output = step([user('mi perro se llama Toby')]);
    expect(output.toolCalls).toEqual([]);
    expect(output.text).toMatch(/servicios.*persona/);
    expect(step([user('the weather is nice today')]).text).toMatch(/services.*someone/);
  });

  test('an ambiguous message keeps the language the customer used before, else the business language', () => {
    const earlier = [user('how much is a massage?'), { role: 'assistant', content: 'It costs ARS 22,000.' } as ModelMessage];
    expect(step([...earlier, user('👍')]).text).toMatch(/welcome/);
    expect(step([user('👍')], 'es').text).toMatch(/gusto/);
  });
});

test('is deterministic', () => {
  const messages = [SYSTEM, user('hola'), user('¿cuánto sale la depilación láser?')];
  expect(step(messages)).toEqual(step(messages));
});

test('after a price answer, a service named alone is looked up; before one, it is not', () => {
  const priced = [user('¿cuánto sale la depilación?'), { role: 'assistant', content: 'Depilación láser: $ 25.000, 45 min.' } as ModelMessage];
  const followUp = step([...priced, user('y la limpiesa facial?')]);
  expect(followUp.toolCalls).toEqual([expect.objectContaining({ name: 'search_services', arguments: JSON.stringify({ query: 'limpiesa facial' }) })]);
  expect(step([user('y la limpiesa facial?')]).toolCalls).toEqual([]);
});
