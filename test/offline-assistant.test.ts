import { stateQuery } from '../src/workflows';
import { startTestStack, type TestStack } from './helpers/stack';
import { waitFor } from './helpers/wait-for';

/** Prices come formatted with a no-break space ("$ 25.000"); tests read plain spaces. */
const plain = (text: string) => text.replace(/\u00a0/g, ' ');

describe('the offline model, with no LLM provider configured', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack.stop());

  /** Sends a scripted conversation; returns the replies in order. */
  async function converse(sessionId: string, messages: string[]): Promise<string[]> {
    const replies: string[] = [];
    for (const message of messages) {
      const response = await stack.request('POST', '/api/chat', { session_id: sessionId, message });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ provider: 'offline', model: 'concierge-offline-rules-v1' });
      replies.push(plain(response.body.reply));
    }
    return replies;
  }

  test('in Spanish: greets, answers prices from the catalogue (misspelt too), lists services, hands over on request', async () => {
    const [greeting, laser, facial, list, human] = await converse('offline-es', [
      'Hola',
      '¿Cuánto sale la depilasion laser?',
      'y la limpiesa facial?',
      '¿Qué servicios tienen?',
      'Quiero hablar con una persona',
    ]);
    expect(greeting).toContain('Clínica Demo');
    expect(laser).toMatch(/Depilación láser.*\$ 25\.000.*45 min/s);
    expect(facial).toMatch(/Limpieza facial profunda.*\$ 18\.000/s);
    for (const name of ['Depilación láser', 'Limpieza facial profunda', 'Masaje descontracturante', 'Peeling químico']) {
      expect(list).toContain(name);
    }
    expect(human).toMatch(/persona|equipo/);

    const handle = stack.client.workflow.getHandle('conversation:demo:web:offline-es');
    await waitFor('the handoff', async () => (await handle.query(stateQuery)).status === 'handoff');
    const state = await handle.query(stateQuery);
    const tools = state.transcript.flatMap((entry) => (entry.role === 'assistant' ? (entry.tools ?? []).map((tool) => tool.name) : []));
    expect(tools).toEqual(['search_services', 'search_services', 'search_services', 'escalate_to_human']);
  });

  test('in English: the same catalogue, answered in English', async () => {
    const [greeting, peel, human] = await converse('offline-en', [
      'Hi there!',
      'How much is the chemical peel?',
      'Can I talk to a human please?',
    ]);
    expect(greeting).toMatch(/Clínica Demo/);
    expect(greeting).toMatch(/\b(I|you|can)\b/);
    expect(peel).toMatch(/Chemical peel.*ARS 30,000.*40 min/s);
    expect(human).toMatch(/team|person|someone/i);
    const handle = stack.client.workflow.getHandle('conversation:demo:web:offline-en');
    await waitFor('the handoff', async () => (await handle.query(stateQuery)).status === 'handoff');
  });

  test('says what it can do rather than guess', async () => {
    const [unknown] = await converse('offline-unknown', ['¿Me recomendás una película?']);
    expect(unknown).not.toMatch(/\$/);
    expect(unknown).toMatch(/servicios|precios/);
  });
});
