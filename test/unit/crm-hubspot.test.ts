import { ApplicationFailure } from '@temporalio/common';
import type { CrmAdapter } from '../../src/crm/adapter';
import { createHubSpotCrm } from '../../src/crm/hubspot';
import { FakeHubSpot, HUBSPOT_TOKEN } from '../helpers/fake-hubspot';
import { crmLead, KEY } from '../helpers/crm-lead';

const DEAL_NAME = `Ana María López · Depilación láser, Limpieza facial · ${KEY}`;
const searchBody = (propertyName: string, operator: string, value: string) => ({
  filterGroups: [{ filters: [{ propertyName, operator, value }] }],
  properties: [propertyName],
  limit: 10,
});
const associatedWith = (id: string, associationTypeId: number) => [{ to: { id }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId }] }];

async function failureOf(promise: Promise<unknown>): Promise<ApplicationFailure> {
  const failure = await promise.then(() => undefined, (error: unknown) => error);
  expect(failure).toBeInstanceOf(ApplicationFailure);
  return failure as ApplicationFailure;
}

describe('HubSpot CRM', () => {
  let hubspot: FakeHubSpot;
  let crm: CrmAdapter;
  beforeEach(async () => {
    hubspot = await new FakeHubSpot().start();
    crm = createHubSpotCrm({ provider: 'hubspot', baseUrl: hubspot.baseUrl, token: HUBSPOT_TOKEN });
  });
  afterEach(() => hubspot.stop());
  /** The requests from the `from`-th on, without their headers. */
  const sent = (from = 0) => hubspot.requests.slice(from).map(({ method, path, body }) => ({ method, path, body }));

  test('a lead is a new contact and a deal associated with it; the id names both', async () => {
    const id = await crm.create(crmLead());

    const [contact] = hubspot.contacts();
    const [deal] = hubspot.deals();
    expect(id).toBe(`${contact!.id}:${deal!.id}`);
    expect(sent()).toEqual([
      { method: 'POST', path: '/crm/v3/objects/contacts/search', body: searchBody('email', 'EQ', 'ana@example.com') },
      { method: 'POST', path: '/crm/v3/objects/contacts/search', body: searchBody('phone', 'EQ', '+54 9 11 5555-1234') },
      {
        method: 'POST',
        path: '/crm/v3/objects/contacts',
        body: { properties: { email: 'ana@example.com', firstname: 'Ana', lastname: 'María López', phone: '+54 9 11 5555-1234', lifecyclestage: 'salesqualifiedlead' } },
      },
      {
        method: 'POST',
        path: '/crm/v3/objects/deals',
        body: {
          properties: { dealname: DEAL_NAME, dealstage: 'qualifiedtobuy', amount: '45000', description: 'Piernas completas, antes del verano', pipeline: 'default' },
          associations: associatedWith(contact!.id, 3),
        },
      },
    ]);
    expect(deal!.associations).toEqual([{ id: contact!.id, typeId: 3 }]);
    expect(hubspot.requests.every((request) => request.headers.authorization === `Bearer ${HUBSPOT_TOKEN}`)).toBe(true);
  });

  test('a contact with the same e-mail is reused, not duplicated', async () => {
    const existing = hubspot.addContact({ email: 'ANA@example.com', firstname: 'Ana' });

    const id = await crm.create(crmLead());

    expect(id).toBe(`${existing}:${hubspot.deals()[0]!.id}`);
    expect(sent().map(({ method, path }) => `${method} ${path}`)).toEqual(['POST /crm/v3/objects/contacts/search', 'POST /crm/v3/objects/deals']);
    expect(hubspot.contacts()).toHaveLength(1);
  });

  test('a contact the search has not indexed yet is reused through HubSpot’s conflict answer', async () => {
    const existing = hubspot.addContact({ email: 'ana@example.com' });
    hubspot.lagSearch();

    expect(await crm.create(crmLead())).toBe(`${existing}:${hubspot.deals()[0]!.id}`);
    expect(hubspot.contacts()).toHaveLength(1);
  });

  test('find looks the key up in deal names and answers the id create returned', async () => {
    expect(await crm.find(crmLead())).toBeUndefined();
    const id = await crm.create(crmLead());
    const from = hubspot.requests.length;

    expect(await crm.find(crmLead())).toBe(id);
    const dealId = id.split(':')[1];
    expect(sent(from)).toEqual([
      { method: 'POST', path: '/crm/v3/objects/deals/search', body: searchBody('dealname', 'CONTAINS_TOKEN', KEY) },
      { method: 'GET', path: `/crm/v3/objects/deals/${dealId}?associations=contacts`, body: undefined },
    ]);
  });

  test('an update patches the contact and the deal; the lifecycle stage only moves forward', async () => {
    const id = await crm.create(crmLead());
    const [contactId, dealId] = id.split(':');
    let from = hubspot.requests.length;

    await crm.update(id, crmLead({ stage: 'appointment_booked', company: 'Sol SRL' }));

    expect(sent(from)).toEqual([
      { method: 'GET', path: `/crm/v3/objects/contacts/${contactId}?properties=lifecyclestage`, body: undefined },
      {
        method: 'PATCH',
        path: `/crm/v3/objects/contacts/${contactId}`,
        body: { properties: { email: 'ana@example.com', firstname: 'Ana', lastname: 'María López', phone: '+54 9 11 5555-1234', company: 'Sol SRL', lifecyclestage: 'opportunity' } },
      },
      {
        method: 'PATCH',
        path: `/crm/v3/objects/deals/${dealId}`,
        body: { properties: { dealname: DEAL_NAME, dealstage: 'appointmentscheduled', amount: '45000', description: 'Piernas completas, antes del verano' } },
      },
    ]);
    expect(hubspot.deals()[0]!.properties.dealstage).toBe('appointmentscheduled');

    // The appointment is cancelled: the deal goes back, the contact stays an opportunity.
    from = hubspot.requests.length;
    await crm.update(id, crmLead({ stage: 'qualified' }));
    expect(sent(from)[1]!.body.properties.lifecyclestage).toBeUndefined();
    expect(sent(from)[2]!.body.properties.dealstage).toBe('qualifiedtobuy');
    expect(hubspot.contacts()[0]!.properties.lifecyclestage).toBe('opportunity');
  });

  test('a note goes on the deal; a follow-up adds a high-priority task due when asked', async () => {
    const id = await crm.create(crmLead());
    const dealId = id.split(':')[1]!;
    const from = hubspot.requests.length;
    const before = Date.now();

    await crm.addNote!(id, { text: 'Pidió precio por <3 zonas>' });
    await crm.addNote!(id, { text: 'Quiere turno el sábado', followUp: { title: 'Llamar a Ana', dueAt: '2025-06-03T12:00:00.000Z' } });

    const [note, followUpNote, task] = sent(from);
    for (const request of [note, followUpNote]) {
      const timestamp = Date.parse(request!.body.properties.hs_timestamp);
      expect(timestamp).toBeGreaterThanOrEqual(before);
      expect(timestamp).toBeLessThanOrEqual(Date.now());
    }
    expect(note).toEqual({
      method: 'POST',
      path: '/crm/v3/objects/notes',
      body: { properties: { hs_timestamp: expect.any(String), hs_note_body: 'Pidió precio por &lt;3 zonas&gt;' }, associations: associatedWith(dealId, 214) },
    });
    expect(followUpNote!.body.properties.hs_note_body).toBe('Quiere turno el sábado');
    expect(task).toEqual({
      method: 'POST',
      path: '/crm/v3/objects/tasks',
      body: {
        properties: {
          hs_timestamp: '2025-06-03T12:00:00.000Z',
          hs_task_subject: 'Llamar a Ana',
          hs_task_body: 'Quiere turno el sábado',
          hs_task_status: 'NOT_STARTED',
          hs_task_priority: 'HIGH',
        },
        associations: associatedWith(dealId, 216),
      },
    });
    expect(hubspot.notes()).toHaveLength(2);
    expect(hubspot.tasks()[0]!.associations).toEqual([{ id: dealId, typeId: 216 }]);
  });

  test('a validation error or a bad token is a refusal that names HubSpot’s error, never the token', async () => {
    hubspot.failWith(400, 1);
    const invalid = await failureOf(crm.create(crmLead()));
    expect(invalid).toMatchObject({ type: 'CrmRefused', nonRetryable: true });
    expect(invalid.message).toContain('HubSpot search contacts answered 400');
    expect(invalid.message).toContain('INVALID_OPTION');

    const wrongToken = 'pat-na1-00000000-revoked-token';
    const revoked = await failureOf(createHubSpotCrm({ provider: 'hubspot', baseUrl: hubspot.baseUrl, token: wrongToken }).create(crmLead()));
    expect(revoked).toMatchObject({ type: 'CrmRefused', nonRetryable: true });
    expect(revoked.message).toContain('Authentication credentials not found');
    for (const failure of [invalid, revoked]) {
      expect(failure.message).not.toContain(HUBSPOT_TOKEN);
      expect(failure.message).not.toContain(wrongToken);
    }
  });

  test('an outage is retryable, and the retry goes through', async () => {
    hubspot.failWith(500);
    expect(await failureOf(crm.create(crmLead()))).toMatchObject({ type: 'CrmUnavailable', nonRetryable: false });

    hubspot.recover();
    expect(await crm.create(crmLead())).toMatch(/^\d+:\d+$/);
  });

  test('a lead with no e-mail is looked up and created by phone', async () => {
    const from = hubspot.requests.length;

    await crm.create(crmLead({ email: null, name: 'Ana' }));

    expect(sent(from).slice(0, 2)).toEqual([
      { method: 'POST', path: '/crm/v3/objects/contacts/search', body: searchBody('phone', 'EQ', '+54 9 11 5555-1234') },
      { method: 'POST', path: '/crm/v3/objects/contacts', body: { properties: { firstname: 'Ana', phone: '+54 9 11 5555-1234', lifecyclestage: 'salesqualifiedlead' } } },
    ]);
  });
});
