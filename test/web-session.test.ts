import { createHash } from 'node:crypto';
import { DEMO_TENANT } from '../src/db/demo-tenant';
import { insertTenantIfAbsent } from '../src/db/tenants';
import { conversationWorkflowId } from '../src/domain/conversation';
import { staffMessageSignal, stateQuery } from '../src/workflows';
import { startTestStack, type TestStack } from './helpers/stack';

/**
 * Web chat sessions are the server's to hand out: an anonymous caller gets a random session id
 * and a signed token, and only that token (or the tenant's own backend, with its bearer token)
 * reaches the session's conversation. Guessing ids (1000…1010) finds nothing.
 */
const ADMIN_TOKEN = 'web-session-admin-token-0123456789';
const OTHER = 'clinica-b';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ adminToken: ADMIN_TOKEN });
  await insertTenantIfAbsent(stack.db.pool, { ...DEMO_TENANT, id: OTHER, name: 'Clínica B' });
});
afterAll(() => stack.stop());

/** As a browser sends it: no bearer token (given headers replace the test stack's default). */
const post = (body: Record<string, unknown>, headers: Record<string, string> = {}) => stack.request('POST', '/api/chat', body, headers);
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const messages = (query: string, headers: Record<string, string> = {}) => stack.request('GET', `/api/chat/messages?${query}`, undefined, headers);

async function newSession(text = 'Hola'): Promise<{ id: string; token: string }> {
  const response = await post({ message: text });
  expect(response.status).toBe(200);
  return { id: response.body.session_id, token: response.body.session_token };
}

async function customerMessages(contactId: string, tenantId = 'demo'): Promise<string[]> {
  const state = await stack.client.workflow.getHandle(conversationWorkflowId({ tenantId, channel: 'web', contactId })).query(stateQuery);
  return state.transcript.filter((entry) => entry.role === 'customer').map((entry) => entry.text);
}

async function expectNoConversation(contactId: string, tenantId = 'demo'): Promise<void> {
  const handle = stack.client.workflow.getHandle(conversationWorkflowId({ tenantId, channel: 'web', contactId }));
  await expect(handle.describe()).rejects.toThrow(/not found/i);
}

test('an anonymous first message gets a random session and its token, which brings later messages to the same conversation', async () => {
  const first = await post({ message: 'Hola' });
  expect(first.status).toBe(200);
  const { session_id: id, session_token: token } = first.body;
  expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
  expect(Buffer.from(id, 'base64url')).toHaveLength(16); // 128 random bits
  expect(token).toMatch(new RegExp(`^${id}\\.[A-Za-z0-9_-]{43}$`)); // the id, then a base64url HMAC-SHA256
  expect(first.body).toMatchObject({ status: 'answered', conversation_id: `conversation:demo:web:${id}` });
  expect(first.body.reply).toContain('Clínica Demo');
  expect((await newSession()).id).not.toBe(id);

  const inBody = await post({ message: '¿Cuánto sale la limpieza facial?', session_token: token });
  expect(inBody.status).toBe(200);
  expect(inBody.body).toMatchObject({ conversation_id: `conversation:demo:web:${id}`, session_id: id, session_token: token });
  expect(inBody.body.reply).toMatch(/Limpieza facial profunda.*18\.000/);
  const inHeader = await post({ message: 'Gracias, ¿y la depilación?' }, { 'x-session-token': token });
  expect(inHeader.body.conversation_id).toBe(`conversation:demo:web:${id}`);
  const naming = await post({ session_id: id, session_token: token, message: '¿Atienden los sábados?' });
  expect(naming.status).toBe(200);
  expect(await customerMessages(id)).toEqual(['Hola', '¿Cuánto sale la limpieza facial?', 'Gracias, ¿y la depilación?', '¿Atienden los sábados?']);
});

test('a made-up session_id without a bearer token is 401 saying why, and reaches nothing', async () => {
  // A customer's conversation, started by the business's backend (stack.request's bearer).
  expect((await stack.request('POST', '/api/chat', { session_id: '1005', message: 'Hola, soy Ana' })).status).toBe(200);
  for (const sessionId of ['1004', '1005', '1006']) {
    const response = await post({ session_id: sessionId, message: 'quiero ver mis turnos' });
    expect(response.status).toBe(401);
    expect(response.body.error).toBe('session_id_needs_authorization');
    expect(response.body.message).toContain('Authorization: Bearer');
    expect(response.body).not.toHaveProperty('session_token');
  }
  const forgedBearer = await post({ session_id: '1005', message: 'quiero ver mis turnos' }, bearer('not-a-real-token-at-all-0123'));
  expect([forgedBearer.status, forgedBearer.body.error]).toEqual([401, 'unauthorized']);
  await expectNoConversation('1004');
  await expectNoConversation('1006');
  expect(await customerMessages('1005')).toEqual(['Hola, soy Ana']);
});

test("a token of another session, of another tenant, or tampered with is refused and delivers nothing", async () => {
  const a = await newSession();
  const b = await newSession();
  const signatureOf = (token: string) => token.slice(token.lastIndexOf('.') + 1);
  const flipped = (text: string) => text.slice(0, -1) + (text.endsWith('A') ? 'B' : 'A');
  const attempts: [string, Record<string, unknown>, Record<string, string>, number, string][] = [
    ["a's token naming b", { session_id: b.id, session_token: a.token }, {}, 403, 'session_mismatch'],
    ["b's id with a's signature", { session_token: `${b.id}.${signatureOf(a.token)}` }, {}, 401, 'invalid_session_token'],
    ['a tampered signature', { session_token: flipped(a.token) }, {}, 401, 'invalid_session_token'],
    ['a tampered signature in the header', {}, { 'x-session-token': flipped(a.token) }, 401, 'invalid_session_token'],
    ['no signature', { session_token: a.id }, {}, 401, 'invalid_session_token'],
    ['a made-up token', { session_token: 'guess-1.c2lnbmF0dXJl' }, {}, 401, 'invalid_session_token'],
    ['a demo token for another tenant', { tenant: OTHER, session_token: a.token }, {}, 401, 'invalid_session_token'],
  ];
  for (const [label, body, headers, status, error] of attempts) {
    const response = await post({ message: 'quiero cancelar mi turno', ...body }, headers);
    expect([label, response.status, response.body.error]).toEqual([label, status, error]);
  }
  expect(await customerMessages(a.id)).toEqual(['Hola']);
  expect(await customerMessages(b.id)).toEqual(['Hola']);
  await expectNoConversation(a.id, OTHER);
  await expectNoConversation('guess-1');
});

test("a tenant's token names that tenant's sessions only; ADMIN_TOKEN names any; only the token's hash is stored", async () => {
  const demoToken = (await stack.backendToken('demo'))!;
  const otherToken = (await stack.backendToken(OTHER))!;
  const crossed = await post({ tenant: OTHER, session_id: 'crm-42', message: 'Hola' }, bearer(demoToken));
  expect([crossed.status, crossed.body.error]).toEqual([403, 'forbidden']);
  const crossedBack = await post({ session_id: 'crm-42', message: 'Hola' }, bearer(otherToken));
  expect([crossedBack.status, crossedBack.body.error]).toEqual([403, 'forbidden']);
  await expectNoConversation('crm-42', OTHER);
  await expectNoConversation('crm-42');

  const own = await post({ tenant: OTHER, session_id: 'crm-42', message: 'Hola' }, bearer(otherToken));
  expect(own.body).toMatchObject({ status: 'answered', conversation_id: `conversation:${OTHER}:web:crm-42`, session_id: 'crm-42' });
  for (const tenant of ['demo', OTHER]) {
    const operator = await post({ tenant, session_id: 'ops-1', message: 'Hola' }, bearer(ADMIN_TOKEN));
    expect([operator.status, operator.body.conversation_id]).toEqual([200, `conversation:${tenant}:web:ops-1`]);
  }
  // The token the answer carries opens the named session from a page, as an anonymous one's does.
  const fromPage = await post({ tenant: OTHER, message: 'Sigo yo desde la web' }, { 'x-session-token': own.body.session_token });
  expect(fromPage.body.conversation_id).toBe(`conversation:${OTHER}:web:crm-42`);

  const { rows } = await stack.db.pool.query('SELECT token_sha256, tenant_id FROM tenant_tokens ORDER BY tenant_id');
  expect(rows).toEqual([
    { token_sha256: createHash('sha256').update(otherToken).digest('hex'), tenant_id: OTHER },
    { token_sha256: createHash('sha256').update(demoToken).digest('hex'), tenant_id: 'demo' },
  ]);
});

test("GET /api/chat/messages: the session's transcript after a seq, staff messages included, for its token only", async () => {
  const session = await newSession('¿Cuánto sale la limpieza facial?');
  const own = { 'x-session-token': session.token };
  const all = await messages('after=-1', own);
  expect(all.status).toBe(200);
  expect(all.body).toMatchObject({ conversation_id: `conversation:demo:web:${session.id}`, session_id: session.id, conversation_session: expect.any(String) });
  expect(all.body.messages).toEqual([
    { seq: 0, role: 'customer', text: '¿Cuánto sale la limpieza facial?', at: expect.any(String), message_id: expect.any(String) },
    { seq: 1, role: 'assistant', text: expect.stringMatching(/Limpieza facial profunda/), at: expect.any(String) },
  ]);

  const handle = stack.client.workflow.getHandle(`conversation:demo:web:${session.id}`);
  await handle.signal(staffMessageSignal, { id: 'staff-1', text: 'Hola, soy Marta, del equipo.', author: 'Marta' });
  let later;
  for (let attempt = 0; attempt < 100 && !later?.body.messages.length; attempt++) {
    later = await messages(`after=1&conversation_session=${all.body.conversation_session}`, own);
  }
  expect(later!.body.messages).toEqual([{ seq: 2, role: 'staff', text: 'Hola, soy Marta, del equipo.', author: 'Marta', at: expect.any(String) }]);
  // Another session's sequence numbers start again: a caller that knew another sees all of this one.
  expect((await messages('after=1&conversation_session=an-older-session', own)).body.messages).toHaveLength(3);

  const refused: [Record<string, string>, string, number, string][] = [
    [{}, 'after=-1', 401, 'session_token_required'],
    [{ 'x-session-token': `${session.token}x` }, 'after=-1', 401, 'invalid_session_token'],
    [own, `tenant=${OTHER}`, 401, 'invalid_session_token'],
    [{}, 'session_id=1005', 401, 'session_id_needs_authorization'],
    [own, 'session_id=1005', 403, 'session_mismatch'],
  ];
  for (const [headers, query, status, error] of refused) {
    const response = await messages(query, headers);
    expect([query, response.status, response.body.error, response.body.messages]).toEqual([query, status, error, undefined]);
  }
  // A business backend reads its own sessions; one with no message yet has nothing to show.
  const fresh = await messages('session_id=never-written', bearer((await stack.backendToken('demo'))!));
  expect(fresh.body).toMatchObject({ messages: [], conversation_session: null });
  await expectNoConversation('never-written');
});

test('rate limits: past its limit a session, or an address starting sessions, gets 429 with Retry-After; others go on', async () => {
  const limited = await startTestStack({ chatRateLimits: { messagesPerSession: 3, newSessionsPerAddress: 2, pollsPerSession: 2 } });
  try {
    const send = (body: Record<string, unknown>, headers?: Record<string, string>) => limited.request('POST', '/api/chat', body, headers);
    const started = [await send({ message: 'Hola' }, {}), await send({ message: 'Hola' }, {})];
    expect(started.map((response) => response.status)).toEqual([200, 200]);
    const third = await send({ message: 'Hola' }, {});
    expect([third.status, third.body.error, third.body.session_id]).toEqual([429, 'rate_limited', undefined]);
    expect(Number(third.headers['retry-after'])).toBeGreaterThan(0);

    for (let i = 0; i < 3; i++) expect((await send({ session_id: 'flood', message: `Hola ${i}` })).status).toBe(200);
    expect((await send({ session_id: 'flood', message: 'Hola otra vez' })).status).toBe(429);
    expect((await send({ session_id: 'calm', message: 'Hola' })).status).toBe(200);
    // The session token of a session started earlier still works: its messages count for it.
    expect((await send({ message: '¿Hay turnos?' }, { 'x-session-token': started[0]!.body.session_token })).status).toBe(200);

    const poll = () => limited.request('GET', '/api/chat/messages', undefined, { 'x-session-token': started[1]!.body.session_token });
    expect([(await poll()).status, (await poll()).status, (await poll()).status]).toEqual([200, 200, 429]);
    const state = await limited.client.workflow.getHandle('conversation:demo:web:flood').query(stateQuery);
    expect(state.transcript.filter((entry) => entry.role === 'customer')).toHaveLength(3);
  } finally {
    await limited.stop();
  }
});
