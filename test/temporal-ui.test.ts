import type { Browser, Page } from 'playwright-core';
import { formatSlot } from '../src/domain/scheduling/availability';
import { resolveTemporalBinary, TEMPORAL_CLI } from '../src/temporal/binaries';
import { startTemporalDevServer, type RunningDevServer } from '../src/temporal/dev-server';
import { startAppointment } from '../src/temporal/appointments';
import { ChannelKey, ContactIdKey } from '../src/temporal/search-attributes';
import { appointmentWorkflowId, staffMessageSignal } from '../src/workflows';
import { ZONE, weekdayAhead } from './helpers/booking-fixtures';
import { freePort } from './helpers/free-port';
import { launchBrowser, screenshot } from './helpers/browser';
import { startTestStack, type TestStack } from './helpers/stack';
import { waitFor } from './helpers/wait-for';

/**
 * The Temporal Web UI as an ops person uses it with a customer's complaint: find the customer's
 * conversation and appointment by search attributes, and read them without opening raw JSON. A
 * dev server of this file's own serves the UI (the shared one runs headless); Debian's Chromium
 * drives it. Screenshots go to test-artifacts/.
 */

let temporal: RunningDevServer;
let uiBase: string;
let stack: TestStack;
let browser: Browser;
beforeAll(async () => {
  const uiPort = await freePort();
  temporal = await startTemporalDevServer({
    executable: resolveTemporalBinary(TEMPORAL_CLI, { explicitPath: process.env.TEMPORAL_CLI_PATH }),
    namespace: 'default',
    uiPort,
  });
  uiBase = `http://127.0.0.1:${uiPort}/namespaces/default`;
  stack = await startTestStack({ temporalAddress: temporal.address });
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  await temporal?.stop();
});

const visibilityQuery = (query: string) => `${uiBase}/workflows?query=${encodeURIComponent(query)}`;

/**
 * Waits until `text` shows on the page. The UI renders a workflow's markdown (its current details)
 * in a sandboxed frame of its own, so every frame is searched.
 */
async function shows(page: Page, text: string): Promise<void> {
  await waitFor(`"${text}" on the page`, async () => {
    for (const frame of page.frames()) {
      if ((await frame.getByText(text, { exact: false }).count()) > 0) return true;
    }
    return false;
  });
}

/** The saved views the README gives ops (section "Operating in the Temporal UI"). */
const SAVED_QUERIES = {
  handoffs: "TenantId='demo' AND ConversationStatus='handoff' AND ExecutionStatus='Running'",
  contact: (contactId: string) => `TenantId='demo' AND ContactId='${contactId}'`,
  appointments: (contactId: string) => `ContactId='${contactId}' AND WorkflowType='appointmentWorkflow'`,
  failed: "ExecutionStatus='Failed' OR ExecutionStatus='TimedOut'",
};

/** Visibility is eventually consistent: the listing may lag the workflow by a moment. */
async function listed(query: string, count: number): Promise<void> {
  await waitFor(`${count} workflows for ${query}`, async () => (await stack.client.workflow.count(query)).count === count, 10_000);
}

test('ops find a customer by TenantId and ContactId: the conversation shows the next appointment in local time, the appointment its reminder and conversation', async () => {
  const contact = 'ops-complaint';
  const day = weekdayAhead(3);
  const chat = async (message: string) => {
    const response = await stack.request('POST', '/api/chat', { session_id: contact, message });
    expect(response.status).toBe(200);
  };
  await chat(`¿Tienen turno el ${day.toFormat('d/M')} para limpieza facial?`);
  await chat('Quiero reservar a las 10');
  await chat('sí');
  const { rows } = await stack.db.pool.query(`SELECT id FROM bookings WHERE contact_id = $1 AND status <> 'cancelled'`, [contact]);
  expect(rows).toHaveLength(1);
  const start = day.set({ hour: 10 }).setZone(ZONE, { keepLocalTime: true });
  const localStart = formatSlot(start.toUTC().toISO()!, ZONE, 'es'); // "jueves 3 de diciembre, 10:00"
  const conversationId = `conversation:demo:web:${contact}`;
  const appointmentId = appointmentWorkflowId(rows[0].id);
  await listed(SAVED_QUERIES.contact(contact), 2);
  // A staff reply takes the conversation over: its reason shows in the customer's language.
  await stack.client.workflow.getHandle(conversationId).signal(staffMessageSignal, { id: 'staff-1', text: 'Hola, soy Ana', author: 'Ana' });
  await waitFor('the handoff listed', async () => (await stack.client.workflow.count(`${SAVED_QUERIES.handoffs} AND ContactId='${contact}'`)).count === 1);

  const page = await (await browser.newContext({ viewport: { width: 1440, height: 1000 } })).newPage();
  try {
    // A tenant's handoffs, then the contact's workflows: the conversation and its appointment.
    await page.goto(visibilityQuery(SAVED_QUERIES.handoffs));
    await page.getByRole('link', { name: conversationId }).waitFor();
    await screenshot(page, 'temporal-ui-0-handoffs');
    await page.goto(visibilityQuery(SAVED_QUERIES.contact(contact)));
    await page.getByRole('link', { name: conversationId }).waitFor();
    await page.getByRole('link', { name: appointmentId }).waitFor();
    await screenshot(page, 'temporal-ui-1-contact-workflows');

    // The conversation's page: its current details give the next appointment on the clinic's clock.
    await page.getByRole('link', { name: conversationId }).click();
    await page.getByText('User Metadata').first().click();
    await shows(page, `Next appointment Limpieza facial profunda, ${localStart}`);
    await shows(page, 'Atendida por una persona — motivo: respondió alguien del equipo');
    await screenshot(page, 'temporal-ui-2-conversation');

    // The appointment, found by the contact alone: its summary says what, for whom and when.
    await page.goto(visibilityQuery(SAVED_QUERIES.appointments(contact)));
    await page.getByRole('link', { name: appointmentId }).waitFor();
    await screenshot(page, 'temporal-ui-3-appointment-by-contact');
    await page.getByRole('link', { name: appointmentId }).click();
    await page.getByText('User Metadata').first().click();
    await shows(page, `Limpieza facial profunda · sin nombre · ${localStart}`); // its summary
    await shows(page, 'Next reminder reminder 24 h before'); // its current details
    await shows(page, `Conversation ${conversationId}`);
    await screenshot(page, 'temporal-ui-4-appointment');
    // Nothing failed here: the failures view is empty (and the query is one the server takes).
    await page.goto(visibilityQuery(SAVED_QUERIES.failed));
    await page.getByText('No Workflows', { exact: false }).first().waitFor();
  } catch (error) {
    await screenshot(page, 'temporal-ui-failed'); // what the page showed instead
    throw error;
  } finally {
    await page.context().close();
  }
}, 120_000);

test('an appointment started without the contact (as every one was before) makes itself findable by contact', async () => {
  const contact = 'ops-older-appointment';
  const day = weekdayAhead(4);
  for (const message of [`¿Tienen turno el ${day.toFormat('d/M')} para limpieza facial?`, 'Quiero reservar a las 11', 'sí']) {
    expect((await stack.request('POST', '/api/chat', { session_id: contact, message })).status).toBe(200);
  }
  const { rows } = await stack.db.pool.query(`SELECT id FROM bookings WHERE contact_id = $1`, [contact]);
  const handle = stack.client.workflow.getHandle(appointmentWorkflowId(rows[0].id));
  await handle.terminate('replaced by one started the old way');
  await startAppointment({ client: stack.client, taskQueue: stack.taskQueue }, { tenantId: 'demo', bookingId: rows[0].id });
  await waitFor('the contact on the appointment', async () => (await handle.describe()).typedSearchAttributes.get(ContactIdKey) === contact, 10_000);
  expect((await handle.describe()).typedSearchAttributes.get(ChannelKey)).toBe('web');
  await listed(`ContactId='${contact}' AND WorkflowType='appointmentWorkflow' AND ExecutionStatus='Running'`, 1);
});
