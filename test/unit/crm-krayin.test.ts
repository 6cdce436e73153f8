import { ApplicationFailure } from '@temporalio/common';
import type { CrmAdapter } from '../../src/crm/adapter';
import { createKrayinCrm } from '../../src/crm/krayin';
import { FakeKrayin, KRAYIN_TOKEN } from '../helpers/fake-krayin';
import { crmLead, KEY } from '../helpers/crm-lead';

const TITLE = `Ana María López · Depilación láser, Limpieza facial · ${KEY}`;
const ANA = { name: 'Ana María López', emails: [{ value: 'ana@example.com', label: 'work' }], contact_numbers: [{ value: '+5491155551234', label: 'work' }] };
const personSearch = (field: string, value: string) =>
  `/api/v1/contacts/persons/search?search=${encodeURIComponent(`${field}:${value}`)}&searchFields=${encodeURIComponent(`${field}:like`)}`;

async function failureOf(promise: Promise<unknown>): Promise<ApplicationFailure> {
  const failure = await promise.then(() => undefined, (error: unknown) => error);
  expect(failure).toBeInstanceOf(ApplicationFailure);
  return failure as ApplicationFailure;
}

describe('Krayin CRM', () => {
  let krayin: FakeKrayin;
  let crm: CrmAdapter;
  beforeEach(async () => {
    krayin = await new FakeKrayin().start();
    crm = createKrayinCrm({ provider: 'krayin', baseUrl: krayin.baseUrl, token: KRAYIN_TOKEN });
  });
  afterEach(() => krayin.stop());
  /** The requests from the `from`-th on, without their headers. */
  const sent = (from = 0) => krayin.requests.slice(from).map(({ method, path, body }) => ({ method, path, body }));

  test('a lead is a new person and a lead of theirs in the default pipeline', async () => {
    const id = await crm.create(crmLead());

    expect(id).toBe('1');
    expect(sent()).toEqual([
      { method: 'GET', path: personSearch('emails', 'ana@example.com'), body: undefined },
      { method: 'GET', path: personSearch('contact_numbers', '+5491155551234'), body: undefined },
      { method: 'POST', path: '/api/v1/contacts/persons', body: ANA },
      {
        method: 'POST',
        path: '/api/v1/leads',
        body: {
          title: TITLE,
          description: 'Piernas completas, antes del verano',
          lead_value: 45000,
          lead_pipeline_id: 1,
          lead_pipeline_stage_id: 2,
          lead_source_id: 5,
          lead_type_id: 1,
          person: { id: 1, ...ANA },
        },
      },
    ]);
    expect(krayin.leads()).toMatchObject([{ id: 1, person_id: 1, lead_pipeline_stage_id: 2 }]);
    for (const { headers } of krayin.requests) expect(headers).toMatchObject({ authorization: `Bearer ${KRAYIN_TOKEN}`, accept: 'application/json' });
  });

  test('a person with the same e-mail is reused, not duplicated', async () => {
    const existing = krayin.addPerson({ name: 'Ana L.', emails: [{ value: 'Ana@Example.com', label: 'home' }], contact_numbers: null });

    await crm.create(crmLead());

    expect(sent().map(({ method, path }) => `${method} ${path}`)).toEqual([`GET ${personSearch('emails', 'ana@example.com')}`, 'POST /api/v1/leads']);
    expect(sent()[1]!.body.person).toEqual({ id: existing.id, name: 'Ana L.', emails: [{ value: 'Ana@Example.com', label: 'home' }] });
    expect(krayin.persons()).toHaveLength(1);
  });

  test('find looks the key up in lead titles and answers the id create returned', async () => {
    expect(await crm.find(crmLead())).toBeUndefined();
    const id = await crm.create(crmLead());
    const from = krayin.requests.length;

    expect(await crm.find(crmLead())).toBe(id);
    expect(sent(from)).toEqual([{ method: 'GET', path: `/api/v1/leads/search?search=${encodeURIComponent(`title:${KEY}`)}&searchFields=title%3Alike`, body: undefined }]);
  });

  test('an update puts the lead’s fields and its stage, and leaves out what we do not know', async () => {
    const id = await crm.create(crmLead());
    let from = krayin.requests.length;

    await crm.update(id, crmLead({ stage: 'appointment_booked' }));

    expect(sent(from)).toEqual([
      {
        method: 'PUT',
        path: '/api/v1/leads/1',
        body: { title: TITLE, description: 'Piernas completas, antes del verano', lead_value: 45000, lead_pipeline_id: 1, lead_pipeline_stage_id: 3 },
      },
    ]);

    from = krayin.requests.length;
    await crm.update(id, crmLead({ stage: 'won', needs: null, budget: null }));
    expect(sent(from)[0]!.body).toEqual({ title: TITLE, lead_pipeline_id: 1, lead_pipeline_stage_id: 5 });
    expect(krayin.leads()[0]).toMatchObject({ lead_pipeline_stage_id: 5, lead_value: 45000, description: 'Piernas completas, antes del verano' });
  });

  test('a long title is cut before the key, within Krayin’s 255 characters', async () => {
    await crm.create(crmLead({ interests: Array.from({ length: 10 }, (_, index) => `Tratamiento número ${index} con nombre largo`) }));

    const { title } = krayin.leads()[0]!;
    expect(title).toHaveLength(255);
    expect(title).toMatch(new RegExp(`^Ana María López · Tratamiento número 0 .*… · ${KEY}$`));
  });

  test('a note is a note activity on the lead; a follow-up adds a scheduled call', async () => {
    const id = await crm.create(crmLead());
    const from = krayin.requests.length;

    await crm.addNote!(id, { text: 'Pidió precio por 3 zonas' });
    await crm.addNote!(id, { text: 'Quiere turno el sábado', followUp: { title: 'Llamar a Ana', dueAt: '2025-06-03T12:00:00.000Z' } });

    expect(sent(from)).toEqual([
      { method: 'POST', path: '/api/v1/activities', body: { type: 'note', comment: 'Pidió precio por 3 zonas', lead_id: 1 } },
      { method: 'POST', path: '/api/v1/activities', body: { type: 'note', comment: 'Quiere turno el sábado', lead_id: 1 } },
      {
        method: 'POST',
        path: '/api/v1/activities',
        body: {
          type: 'call',
          title: 'Llamar a Ana',
          comment: 'Quiere turno el sábado',
          schedule_from: '2025-06-03 12:00:00',
          schedule_to: '2025-06-03 12:30:00',
          lead_id: 1,
        },
      },
    ]);
    expect(krayin.activities().map(({ type, is_done, lead_id }) => ({ type, is_done, lead_id }))).toEqual([
      { type: 'note', is_done: 1, lead_id: 1 },
      { type: 'note', is_done: 1, lead_id: 1 },
      { type: 'call', is_done: 0, lead_id: 1 },
    ]);
  });

  test('a validation error or a bad token is a refusal that names Krayin’s error, never the token', async () => {
    krayin.failWith(422, 1);
    const invalid = await failureOf(crm.create(crmLead()));
    expect(invalid).toMatchObject({ type: 'CrmRefused', nonRetryable: true });
    expect(invalid.message).toContain('Krayin search persons answered 422');
    expect(invalid.message).toContain('The title field is required.');

    const wrongToken = '9|revokedRevokedRevokedRevoked';
    const revoked = await failureOf(createKrayinCrm({ provider: 'krayin', baseUrl: krayin.baseUrl, token: wrongToken }).create(crmLead()));
    expect(revoked).toMatchObject({ type: 'CrmRefused', nonRetryable: true });
    expect(revoked.message).toContain('Unauthenticated.');
    for (const failure of [invalid, revoked]) {
      expect(failure.message).not.toContain(KRAYIN_TOKEN);
      expect(failure.message).not.toContain(wrongToken);
    }
  });

  test('an outage is retryable, and the retry goes through', async () => {
    krayin.failWith(500);
    expect(await failureOf(crm.create(crmLead()))).toMatchObject({ type: 'CrmUnavailable', nonRetryable: false });

    krayin.recover();
    expect(await crm.create(crmLead())).toBe('1');
  });

  test('a lead with no e-mail is looked up by phone, and its person gets an address that stands for none', async () => {
    await crm.create(crmLead({ email: null }));

    expect(sent().slice(0, 2)).toEqual([
      { method: 'GET', path: personSearch('contact_numbers', '+5491155551234'), body: undefined },
      {
        method: 'POST',
        path: '/api/v1/contacts/persons',
        body: { ...ANA, emails: [{ value: `${KEY}@no-email.invalid`, label: 'work' }] },
      },
    ]);
    expect(krayin.leads()).toHaveLength(1);
  });
});
