import { createHash } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import type { CrmAdapter, CrmLead } from '../../src/crm/adapter';
import { createWebhookCrm } from '../../src/crm/webhook';
import type { Lead } from '../../src/domain/leads';
import { hmacSha256Hex } from '../../src/secrets';
import { FakeCrmWebhook } from '../helpers/fake-crm-webhook';

const SECRET = 'whsec-0123456789abcdef';

let counter = 0;
/** A lead as the domain keeps it; every call a different one. */
function crmLead(changes: Partial<Lead> = {}): CrmLead {
  counter += 1;
  const lead: Lead = {
    id: `0b6f3e2a-8c1d-4e5f-a7b9-${String(counter).padStart(12, '0')}`,
    tenantId: 'clinica-sol',
    channel: 'telegram',
    contactId: '88112233',
    name: 'Lucía Fernández',
    email: 'lucia@example.com',
    phone: '+54 9 11 5555-0000',
    company: null,
    interests: ['Depilación láser'],
    needs: null,
    budget: 90000,
    score: 70,
    stage: 'qualified',
    conversationId: 'clinica-sol:telegram:88112233',
    crmExternalId: null,
    crmStatus: 'pending',
    crmError: null,
    createdAt: new Date('2025-03-10T14:00:00Z'),
    updatedAt: new Date('2025-03-10T14:05:00Z'),
    ...changes,
  };
  return { lead, idempotencyKey: `concierge-lead-${lead.id}`, businessName: 'Clínica Sol' };
}

/** The lead as the payload carries it. */
function leadJson({ lead }: CrmLead) {
  return {
    id: lead.id,
    name: lead.name,
    email: lead.email,
    phone: lead.phone,
    company: lead.company,
    interests: lead.interests,
    needs: lead.needs,
    budget: lead.budget,
    score: lead.score,
    stage: lead.stage,
    channel: lead.channel,
    conversationId: lead.conversationId,
    createdAt: lead.createdAt.toISOString(),
    updatedAt: lead.updatedAt.toISOString(),
  };
}

describe('webhook CRM adapter', () => {
  let receiver: FakeCrmWebhook;
  let crm: CrmAdapter;
  beforeAll(async () => {
    receiver = await new FakeCrmWebhook(SECRET, { path: '/hooks/crm-7f3a9c' }).start();
    crm = createWebhookCrm({ provider: 'webhook', baseUrl: receiver.url, webhookSecret: SECRET });
  });
  afterEach(() => receiver.recover());
  afterAll(() => receiver.stop());

  const last = () => receiver.requests.at(-1)!;

  test('create: one signed POST of lead.created under the lead key; resolves to the receiver id', async () => {
    const pushed = crmLead();
    const id = await crm.create(pushed);
    const request = last();
    expect(request.path).toBe('/hooks/crm-7f3a9c');
    expect(request.headers).toMatchObject({
      'content-type': 'application/json',
      'idempotency-key': pushed.idempotencyKey,
      'x-concierge-signature': `sha256=${hmacSha256Hex(SECRET, request.raw)}`,
    });
    expect(request.body).toEqual({ event: 'lead.created', idempotencyKey: pushed.idempotencyKey, lead: leadJson(pushed) });
    expect(id).toMatch(/^wh-\d+$/);
    expect(receiver.received.at(-1)).toBe(request);
  });

  test('a repeated create is deduplicated by the receiver and resolves to the same id; find asks nothing', async () => {
    const pushed = crmLead();
    const first = await crm.create(pushed);
    const accepted = receiver.received.length;
    await expect(crm.create(pushed)).resolves.toBe(first);
    expect(receiver.received).toHaveLength(accepted);

    const requests = receiver.requests.length;
    await expect(crm.find(pushed)).resolves.toBeUndefined();
    expect(receiver.requests).toHaveLength(requests);
  });

  test('a receiver that answers no id: the lead is known by our key', async () => {
    const quiet = await new FakeCrmWebhook(SECRET, { answerIds: false }).start();
    try {
      const pushed = crmLead();
      await expect(createWebhookCrm({ provider: 'webhook', baseUrl: quiet.url, webhookSecret: SECRET }).create(pushed)).resolves.toBe(pushed.idempotencyKey);
    } finally {
      await quiet.stop();
    }
  });

  test('update: lead.updated with a key per change, so a new stage is delivered and a retry is not', async () => {
    const pushed = crmLead();
    const externalId = await crm.create(pushed);
    const booked = { ...pushed, lead: { ...pushed.lead, stage: 'appointment_booked' as const, updatedAt: new Date('2025-03-10T15:30:00Z') } };
    await crm.update(externalId, booked);
    const request = last();
    const key = `${pushed.idempotencyKey}:${booked.lead.updatedAt.getTime()}`;
    expect(request.headers).toMatchObject({ 'idempotency-key': key, 'x-concierge-signature': `sha256=${hmacSha256Hex(SECRET, request.raw)}` });
    expect(request.body).toEqual({ event: 'lead.updated', idempotencyKey: key, externalId, lead: { ...leadJson(booked), stage: 'appointment_booked' } });
    expect(receiver.received.at(-1)).toBe(request);

    const accepted = receiver.received.length;
    await crm.update(externalId, booked);
    expect(receiver.received).toHaveLength(accepted);
  });

  test('a note, and a note with a follow-up, each under a key of its text', async () => {
    const externalId = await crm.create(crmLead());
    const note = { text: 'Reservó Depilación láser para el martes.' };
    await crm.addNote!(externalId, note);
    const digest = createHash('sha256').update(note.text).digest('hex').slice(0, 16);
    expect(last().headers['idempotency-key']).toBe(`${externalId}:note:${digest}`);
    expect(last().body).toEqual({ event: 'lead.note', idempotencyKey: `${externalId}:note:${digest}`, externalId, note });

    const hot = { text: 'Lead caliente: pidió 6 sesiones.', followUp: { title: 'Llamar a Lucía', dueAt: '2025-03-11T13:00:00.000Z' } };
    await crm.addNote!(externalId, hot);
    expect(last().body).toMatchObject({ event: 'lead.note', externalId, note: hot });
    expect(last().headers['x-concierge-signature']).toBe(`sha256=${hmacSha256Hex(SECRET, last().raw)}`);
  });

  test('a lead without e-mail or phone goes with nulls', async () => {
    const pushed = crmLead({ email: null, phone: null, budget: null, interests: [] });
    await crm.create(pushed);
    expect(last().body.lead).toMatchObject({ email: null, phone: null, budget: null, interests: [] });
  });

  test('a wrong secret is refused (401): CrmRefused, not retried, naming neither secret nor URL', async () => {
    const wrong = createWebhookCrm({ provider: 'webhook', baseUrl: receiver.url, webhookSecret: 'not-the-shared-secret' });
    const failure = await wrong.create(crmLead()).catch((caught: unknown) => caught);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'CrmRefused', nonRetryable: true });
    const { message } = failure as ApplicationFailure;
    expect(message).toContain('CRM webhook lead.created answered 401');
    expect(message).toContain('bad signature');
    for (const secret of ['not-the-shared-secret', 'crm-7f3a9c', '127.0.0.1']) expect(message).not.toContain(secret);
  });

  test('a 400 is refused; a 500 is CrmUnavailable, retried, and the retry is delivered once', async () => {
    receiver.failWith(400, 1);
    await expect(crm.create(crmLead())).rejects.toMatchObject({ type: 'CrmRefused', nonRetryable: true, message: expect.stringContaining('refused') });

    receiver.failWith(500, 1);
    const pushed = crmLead();
    await expect(crm.create(pushed)).rejects.toMatchObject({ type: 'CrmUnavailable', nonRetryable: false });
    const accepted = receiver.received.length;
    await expect(crm.create(pushed)).resolves.toMatch(/^wh-\d+$/);
    expect(receiver.received).toHaveLength(accepted + 1);
  });

  test('without a URL or a secret it is a configuration error', () => {
    expect(() => createWebhookCrm({ provider: 'webhook', webhookSecret: SECRET })).toThrow(/baseUrl and webhookSecret/);
    expect(() => createWebhookCrm({ provider: 'webhook', baseUrl: 'https://crm.example.com/hook' })).toThrow(/baseUrl and webhookSecret/);
  });
});
