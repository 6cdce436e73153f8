import { ApplicationFailure } from '@temporalio/common';
import type { CrmAdapter, CrmLead } from '../../src/crm/adapter';
import { createBitrix24Crm } from '../../src/crm/bitrix24';
import type { Lead } from '../../src/domain/leads';
import { BITRIX24_WEBHOOK_PATH, FakeBitrix24Crm } from '../helpers/fake-bitrix24-crm';
import { requestsDuring } from '../helpers/fake-server';

let counter = 0;
/** A lead as the domain keeps it; every call a different one. */
function crmLead(changes: Partial<Lead> = {}): CrmLead {
  counter += 1;
  const lead: Lead = {
    id: `7d2c5a9e-1b4f-4c3a-9e8d-${String(counter).padStart(12, '0')}`,
    tenantId: 'clinica-sol',
    channel: 'whatsapp',
    contactId: '5491155550000',
    name: 'Lucía Fernández Paz',
    email: `lucia${counter}@example.com`,
    phone: `+54 9 11 5555-${String(counter).padStart(4, '0')}`,
    company: null,
    interests: ['Depilación láser', 'Limpieza facial'],
    needs: null,
    budget: null,
    score: 55,
    stage: 'qualified',
    conversationId: 'clinica-sol:whatsapp:5491155550000',
    crmExternalId: null,
    crmStatus: 'pending',
    crmError: null,
    createdAt: new Date('2025-03-10T14:00:00Z'),
    updatedAt: new Date('2025-03-10T14:05:00Z'),
    ...changes,
  };
  return { lead, idempotencyKey: `concierge-lead-${lead.id}`, businessName: 'Clínica Sol' };
}

describe('Bitrix24 CRM adapter', () => {
  let portal: FakeBitrix24Crm;
  let crm: CrmAdapter;
  beforeAll(async () => {
    portal = await new FakeBitrix24Crm().start();
    crm = createBitrix24Crm({ provider: 'bitrix24', baseUrl: portal.baseUrl });
  });
  afterEach(() => portal.recover());
  afterAll(() => portal.stop());

  /** The REST calls `run` made, in order. */
  const callsOf = (run: () => Promise<unknown>) => requestsDuring(portal, run);
  const path = (method: string) => `${BITRIX24_WEBHOOK_PATH}${method}`;

  test('create: crm.lead.add with the lead, our key and a live-feed event; resolves to the new id', async () => {
    const pushed = crmLead({ company: 'Estudio Paz', needs: 'Quiere sesiones antes del verano', budget: 120000 });
    let id = '';
    const calls = await callsOf(async () => (id = await crm.create(pushed)));
    expect(calls).toEqual([
      {
        method: 'crm.lead.add',
        path: path('crm.lead.add'),
        body: {
          fields: {
            TITLE: 'Lucía Fernández Paz — Depilación láser, Limpieza facial',
            NAME: 'Lucía',
            LAST_NAME: 'Fernández Paz',
            EMAIL: [{ VALUE: pushed.lead.email, VALUE_TYPE: 'WORK' }],
            PHONE: [{ VALUE: pushed.lead.phone, VALUE_TYPE: 'WORK' }],
            COMPANY_TITLE: 'Estudio Paz',
            COMMENTS: 'Quiere sesiones antes del verano',
            OPPORTUNITY: 120000,
            STATUS_ID: 'IN_PROCESS',
            SOURCE_ID: 'OTHER',
            SOURCE_DESCRIPTION: 'Concierge assistant, WhatsApp',
            ORIGINATOR_ID: 'concierge',
            ORIGIN_ID: pushed.idempotencyKey,
          },
          params: { REGISTER_SONET_EVENT: 'Y' },
        },
      },
    ]);
    expect(id).toMatch(/^\d+$/);
    expect(portal.leads().find((lead) => lead.ID === id)).toMatchObject({ ORIGIN_ID: pushed.idempotencyKey, EMAIL: [{ VALUE: pushed.lead.email }] });
  });

  test('find after create: our key finds the same lead, with one crm.lead.list', async () => {
    const pushed = crmLead();
    const id = await crm.create(pushed);
    let found: string | undefined;
    const calls = await callsOf(async () => (found = await crm.find(pushed)));
    expect(found).toBe(id);
    expect(calls).toEqual([
      { method: 'crm.lead.list', path: path('crm.lead.list'), body: { filter: { ORIGINATOR_ID: 'concierge', ORIGIN_ID: pushed.idempotencyKey }, select: ['ID'] } },
    ]);
  });

  test('a lead someone else entered with the same e-mail is found by the duplicate search', async () => {
    const pushed = crmLead();
    const theirs = portal.addLead({ TITLE: 'Formulario web', EMAIL: [{ VALUE: pushed.lead.email!.toUpperCase(), VALUE_TYPE: 'HOME' }] });
    let found: string | undefined;
    const calls = await callsOf(async () => (found = await crm.find(pushed)));
    expect(found).toBe(theirs);
    expect(calls.map((call) => call.body)).toEqual([
      { filter: { ORIGINATOR_ID: 'concierge', ORIGIN_ID: pushed.idempotencyKey }, select: ['ID'] },
      { entity_type: 'LEAD', type: 'EMAIL', values: [pushed.lead.email] },
    ]);
    expect(calls[1]!.path).toBe(path('crm.duplicate.findbycomm'));
  });

  test('then by phone; a lead nobody has is not found', async () => {
    const pushed = crmLead();
    const theirs = portal.addLead({ TITLE: 'Llamada', PHONE: [{ VALUE: pushed.lead.phone!.replace(/\D/g, ''), VALUE_TYPE: 'MOBILE' }] });
    await expect(crm.find(pushed)).resolves.toBe(theirs);

    const unknown = crmLead();
    const calls = await callsOf(async () => expect(await crm.find(unknown)).toBeUndefined());
    expect(calls.map((call) => [call.method, call.body.type])).toEqual([
      ['crm.lead.list', undefined],
      ['crm.duplicate.findbycomm', 'EMAIL'],
      ['crm.duplicate.findbycomm', 'PHONE'],
    ]);
    expect(calls[2]!.body).toEqual({ entity_type: 'LEAD', type: 'PHONE', values: [unknown.lead.phone] });
  });

  test('update: the new stage and details, without our key and without repeating known e-mail or phone', async () => {
    const pushed = crmLead();
    const id = await crm.create(pushed);
    const booked = { ...pushed, lead: { ...pushed.lead, stage: 'appointment_booked' as const, email: 'lucia.nueva@example.com', needs: 'Turno el martes' } };
    const calls = await callsOf(() => crm.update(id, booked));
    expect(calls).toEqual([
      { method: 'crm.lead.get', path: path('crm.lead.get'), body: { id: Number(id) } },
      {
        method: 'crm.lead.update',
        path: path('crm.lead.update'),
        body: {
          id: Number(id),
          fields: {
            TITLE: 'Lucía Fernández Paz — Depilación láser, Limpieza facial',
            NAME: 'Lucía',
            LAST_NAME: 'Fernández Paz',
            COMMENTS: 'Turno el martes',
            STATUS_ID: 'PROCESSED',
            SOURCE_ID: 'OTHER',
            SOURCE_DESCRIPTION: 'Concierge assistant, WhatsApp',
            EMAIL: [{ VALUE: 'lucia.nueva@example.com', VALUE_TYPE: 'WORK' }],
          },
        },
      },
    ]);
    await crm.update(id, booked);
    const lead = portal.leads().find((candidate) => candidate.ID === id)!;
    expect(lead).toMatchObject({ STATUS_ID: 'PROCESSED', ORIGIN_ID: pushed.idempotencyKey });
    expect(lead.EMAIL!.map((field) => field.VALUE)).toEqual([pushed.lead.email, 'lucia.nueva@example.com']);
    expect(lead.PHONE).toHaveLength(1);
  });

  test.each([
    ['won', 'CONVERTED'],
    ['lost', 'JUNK'],
    ['new', 'NEW'],
  ] as const)('stage %s is status %s', async (stage, status) => {
    const pushed = crmLead({ stage });
    const id = await crm.create(pushed);
    expect(portal.leads().find((lead) => lead.ID === id)).toMatchObject({ STATUS_ID: status });
  });

  test('a note is a timeline comment; with a follow-up, also a to-do on the lead', async () => {
    const id = await crm.create(crmLead());
    const note = { text: 'Reservó Depilación láser para el martes 11 a las 10:00.' };
    expect(await callsOf(() => crm.addNote!(id, note))).toEqual([
      { method: 'crm.timeline.comment.add', path: path('crm.timeline.comment.add'), body: { fields: { ENTITY_ID: Number(id), ENTITY_TYPE: 'lead', COMMENT: note.text } } },
    ]);

    const hot = { text: 'Lead caliente: pidió precio de 6 sesiones.', followUp: { title: 'Llamar a Lucía', dueAt: '2025-03-11T13:00:00.000Z' } };
    const calls = await callsOf(() => crm.addNote!(id, hot));
    expect(calls.map((call) => call.method)).toEqual(['crm.timeline.comment.add', 'crm.activity.todo.add']);
    expect(calls[1]).toEqual({
      method: 'crm.activity.todo.add',
      path: path('crm.activity.todo.add'),
      body: { ownerTypeId: 1, ownerId: Number(id), deadline: hot.followUp.dueAt, title: 'Llamar a Lucía', description: hot.text },
    });
    expect(portal.notes().filter((comment) => comment.ENTITY_ID === Number(id))).toHaveLength(2);
    expect(portal.todos()).toContainEqual(expect.objectContaining({ ownerId: Number(id), title: 'Llamar a Lucía' }));
  });

  test('a lead without e-mail or phone: no multifields, no duplicate search, no read before update', async () => {
    const pushed = crmLead({ email: null, phone: null, name: 'Martina', interests: [] });
    let id = '';
    const created = await callsOf(async () => (id = await crm.create(pushed)));
    expect(created[0]!.body.fields).toEqual({
      TITLE: 'Martina',
      NAME: 'Martina',
      STATUS_ID: 'IN_PROCESS',
      SOURCE_ID: 'OTHER',
      SOURCE_DESCRIPTION: 'Concierge assistant, WhatsApp',
      ORIGINATOR_ID: 'concierge',
      ORIGIN_ID: pushed.idempotencyKey,
    });
    const someoneElse = crmLead({ email: null, phone: null });
    expect((await callsOf(async () => expect(await crm.find(someoneElse)).toBeUndefined())).map((call) => call.method)).toEqual(['crm.lead.list']);
    expect((await callsOf(() => crm.update(id, pushed))).map((call) => call.method)).toEqual(['crm.lead.update']);
  });

  test.each([
    [400, '', 'Access denied.'],
    [401, 'NO_AUTH_FOUND', 'Wrong authorization data'],
    [403, 'INVALID_CREDENTIALS', 'Invalid request credentials'],
    [200, 'ACCESS_DENIED', 'Access denied.'],
  ])('HTTP %i %s is CrmRefused, not retried, and the message holds no webhook secret', async (status, error, description) => {
    portal.failWith(status);
    const failure = await crm.create(crmLead()).catch((caught: unknown) => caught);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'CrmRefused', nonRetryable: true });
    const { message } = failure as ApplicationFailure;
    expect(message).toContain('Bitrix24 crm.lead.add');
    expect(message).toContain(description);
    if (error) expect(message).toContain(error);
    expect(message).not.toContain('wh00kFAKEcode0000');
    expect(message).not.toContain('/rest/');
  });

  test('a wrong webhook code is refused by the portal as it would be', async () => {
    const wrong = createBitrix24Crm({ provider: 'bitrix24', baseUrl: portal.baseUrl.replace('wh00kFAKEcode0000', 'revokedcode') });
    await expect(wrong.find(crmLead())).rejects.toMatchObject({ type: 'CrmRefused', message: expect.stringContaining('NO_AUTH_FOUND') });
  });

  test('HTTP 500 is CrmUnavailable, retried; the retry succeeds once the portal is back', async () => {
    portal.failWith(500, 1);
    const pushed = crmLead();
    await expect(crm.create(pushed)).rejects.toMatchObject({ type: 'CrmUnavailable', nonRetryable: false });
    await expect(crm.create(pushed)).resolves.toMatch(/^\d+$/);
  });

  test('the rate limit (503 or in a 200) is retried', async () => {
    portal.failWith(503, 1);
    await expect(crm.find(crmLead())).rejects.toMatchObject({ type: 'CrmUnavailable', nonRetryable: false });
    portal.failWith(200, 1, { error: 'QUERY_LIMIT_EXCEEDED', error_description: 'Too many requests' });
    await expect(crm.find(crmLead())).rejects.toMatchObject({ type: 'CrmRateLimited', nonRetryable: false });
  });

  test('a webhook URL without its trailing slash; none at all is a configuration error', async () => {
    const unslashed = createBitrix24Crm({ provider: 'bitrix24', baseUrl: portal.baseUrl.replace(/\/$/, '') });
    const calls = await callsOf(() => unslashed.find(crmLead({ email: null, phone: null })));
    expect(calls[0]!.path).toBe(path('crm.lead.list'));
    expect(() => createBitrix24Crm({ provider: 'bitrix24' })).toThrow(/baseUrl/);
  });
});
