import { DEMO_STAFF } from '../src/db/demo-tenant';
import { DateTime } from 'luxon';
import { policy, seedBookingTenant, ZONE } from './helpers/booking-fixtures';
import { startTestStack, type TestStack } from './helpers/stack';

const ADMIN_TOKEN = 'admin-token-for-tests-0123456789';

/** Books straight into the table, as the booking tools would have. */
async function insertBooking(stack: TestStack, tenantId: string, resourceId: string, contactId: string, start: DateTime) {
  const end = start.plus({ minutes: 45 });
  await stack.db.pool.query(
    `INSERT INTO bookings (tenant_id, resource_id, service_id, channel, contact_id, status, starts_at, ends_at, blocked, idempotency_key)
     VALUES ($1, $2, 'depilacion-laser', 'web', $3, 'confirmed', $4, $5, tstzrange($4, $5), gen_random_uuid()::text)`,
    [tenantId, resourceId, contactId, start.toJSDate(), end.toJSDate()],
  );
}

describe('GET /admin/bookings', () => {
  let stack: TestStack;
  const start = DateTime.now().setZone(ZONE).plus({ days: 3 }).set({ hour: 10, minute: 0, second: 0, millisecond: 0 });

  beforeAll(async () => {
    stack = await startTestStack({ adminToken: ADMIN_TOKEN });
    await seedBookingTenant(stack.db.pool, 'other-clinic', policy(), [{ id: 'eva', serviceIds: ['depilacion-laser'] }]);
    await insertBooking(stack, 'demo', DEMO_STAFF[0]!.id, 'ana-customer', start);
    await insertBooking(stack, 'other-clinic', 'eva', 'eva-customer', start);
  });
  afterAll(() => stack.stop());

  const admin = (path: string, token = ADMIN_TOKEN) => stack.request('GET', path, undefined, { authorization: `Bearer ${token}` });

  test("lists one tenant's bookings with what staff need, and where their reminders live", async () => {
    const response = await admin('/admin/bookings?tenant=demo');
    expect(response.status).toBe(200);
    expect(response.body.bookings).toEqual([
      expect.objectContaining({
        tenant: 'demo',
        service: { id: 'depilacion-laser', name: 'Depilación láser' },
        status: 'confirmed',
        start: start.toUTC().toISO(),
        customer: { channel: 'web', contact_id: 'ana-customer', name: null },
        appointment_workflow_id: expect.stringMatching(/^appointment:[0-9a-f-]{36}$/),
      }),
    ]);
    expect((await admin('/admin/bookings')).body.bookings.map((booking: any) => booking.tenant).sort()).toEqual(['demo', 'other-clinic']);
  });

  test('refuses a missing or wrong token, and bad filters, with clear errors', async () => {
    expect(await stack.request('GET', '/admin/bookings')).toMatchObject({ status: 401, body: { error: 'unauthorized' } });
    expect(await admin('/admin/bookings', 'admin-token-for-tests-wrong-value')).toMatchObject({ status: 401 });
    expect(await admin('/admin/bookings?tenant=Not%20A%20Tenant')).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    expect(await admin('/admin/bookings?limit=0')).toMatchObject({ status: 400 });
  });
});

test('without ADMIN_TOKEN the admin API takes tenant tokens only, and no token is the operator', async () => {
  const stack = await startTestStack();
  try {
    expect(await stack.request('GET', '/admin/bookings', undefined, { authorization: 'Bearer anything-at-all-here' })).toMatchObject({
      status: 401,
      body: { error: 'unauthorized' },
    });
  } finally {
    await stack.stop();
  }
});
