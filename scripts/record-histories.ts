/**
 * Records the event histories that test/replay.test.ts replays, so that a change to workflow
 * code that would break running conversations fails the tests. Re-record (and commit the new
 * files beside the old ones, never over them) when a workflow changes on purpose, behind
 * `patched()`. Usage: npm run record-histories
 */
import { chmod, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { DateTime } from 'luxon';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { NativeConnection } from '@temporalio/worker';
import { chatWithStart, deliverInboundMessage, deliverProactiveMessage } from '../src/temporal/conversations';
import { LlmProviderSchema } from '../src/config';
import { DEMO_TENANT, seedDemoTenant } from '../src/db/demo-tenant';
import { connectDatabase } from '../src/db/connect';
import { startEmbeddedPostgres } from '../src/db/embedded-postgres';
import { createLogger } from '../src/logger';
import { resolveTemporalBinary, TEMPORAL_CLI } from '../src/temporal/binaries';
import { signalAppointment, startAppointment } from '../src/temporal/appointments';
import { startTemporalDevServer } from '../src/temporal/dev-server';
import { installTemporalRuntime } from '../src/temporal/runtime';
import { conversationWorkflowId, type ConversationRef, type InboundMessage } from '../src/domain/conversation';
import { leadSyncWorkflowId } from '../src/workflows/lead-sync-definitions';
import { appointmentWorkflowId, resumeSignal, staffMessageSignal, templateResendWorkflow, type conversationWorkflow } from '../src/workflows';
import { createWorker } from '../src/worker';
import { runToolCall } from '../src/mcp/tool-calls';
import { checkMcpCall, mcpTool } from '../src/mcp/tools';
import { toolCallWorkflowId } from '../src/workflows/tool-call';
import { FakeGoogleCalendar } from '../test/helpers/fake-google-calendar';
import { FakeTelegram } from '../test/helpers/fake-telegram';
import { freePort } from '../test/helpers/free-port';

const OUT_DIR = path.resolve(__dirname, '../test/histories');
const logger = createLogger('warn');
installTemporalRuntime(logger);


/** Short timeouts and a small window, so that closes and folds happen within a recording. */
const RECORDING_DEFAULTS = { idleTimeoutMs: 3_000, handoffTimeoutMs: 60_000, maxMessages: 4, foldBatch: 1, historyEventCap: 5_000 };
/** Writes a finished workflow's history beside the earlier ones; 'wx': none is ever overwritten. */
async function save(name: string, handle: WorkflowHandle): Promise<void> {
  const history = await handle.fetchHistory();
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const file = path.join(OUT_DIR, `${name}-${stamp}.json`);
  await mkdir(OUT_DIR, { recursive: true });
  // The canonical proto3 JSON of `temporal workflow show -o json`, which replay reads back.
  await writeFile(file, historyToJSON(history) + '\n', { flag: 'wx' });
  process.stdout.write(`recorded ${path.relative(process.cwd(), file)} (${history.events?.length} events)\n`);
}

/** A weekday (the demo clinic's opening days) at least `days` after `from`. */
function weekdayAfter(from: DateTime, days: number): DateTime {
  let day = from.plus({ days });
  while (day.weekday > 5) day = day.plus({ days: 1 });
  return day;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'record-histories-'));
  await chmod(dir, 0o755);
  const postgres = await startEmbeddedPostgres({ dir: path.join(dir, 'pg'), port: await freePort(), database: 'concierge', persistent: false });
  const temporal = await startTemporalDevServer({ executable: resolveTemporalBinary(TEMPORAL_CLI, { explicitPath: process.env.TEMPORAL_CLI_PATH }), namespace: 'default' });
  const pool = await connectDatabase(postgres.url, logger);
  await seedDemoTenant(pool);
  const nativeConnection = await NativeConnection.connect({ address: temporal.address });
  const connection = await Connection.connect({ address: temporal.address });
  const client = new Client({ connection });
  const telegram = await new FakeTelegram().start();
  const channels = { telegram: telegram.credentials('RECORD-TOKEN') };
  const worker = await createWorker({
    connection: nativeConnection,
    namespace: 'default',
    taskQueue: 'record',
    pool,
    logger,
    llmProviders: [],
    llmPrices: {},
    channels,
    temporal: { client, taskQueue: 'record', conversationDefaults: RECORDING_DEFAULTS },
  });
  // Every provider down (nothing listens on port 9): the apology-and-handoff path.
  const downWorker = await createWorker({
    connection: nativeConnection,
    namespace: 'default',
    taskQueue: 'record-providers-down',
    pool,
    logger,
    llmProviders: [LlmProviderSchema.parse({ name: 'down', baseURL: 'http://127.0.0.1:9/v1', apiKey: 'sk-none', model: 'none', timeout: 2_000 })],
    llmPrices: {},
    channels,
    temporal: { client, taskQueue: 'record-providers-down', conversationDefaults: RECORDING_DEFAULTS },
  });
  const downRunning = downWorker.run();
  try {
    await worker.runUntil(async () => {
      const starter = { client, taskQueue: 'record', conversationDefaults: RECORDING_DEFAULTS };
      const web = (contactId: string) => ({ tenantId: 'demo', channel: 'web' as const, contactId });
      const message = (id: string, text: string, media?: InboundMessage['media']) => ({ id, text, media, receivedAt: new Date().toISOString() });
      const handleOf = (ref: ConversationRef) => client.workflow.getHandle<typeof conversationWorkflow>(conversationWorkflowId(ref));

      // A web chat through most paths of the workflow: a retried message, turns with tool calls,
      // a voice note, a handoff the assistant asks for with a staff message and a resume, memory
      // folding (4 messages kept), the idle close.
      const recorded = web('recorded');
      const chat = (id: string, text: string, media?: InboundMessage['media']) => chatWithStart(starter, DEMO_TENANT, recorded, message(id, text, media));
      await chat('m1', 'Hola');
      await chat('m1', 'Hola'); // a retry, answered from the first
      await chat('m2', '¿Cuánto sale la depilasion laser?');
      // Nothing transcribes here (no provider): the assistant says it cannot listen.
      await chat('m4', '', [{ kind: 'audio', url: 'http://127.0.0.1:9/voice-note.ogg', mimeType: 'audio/ogg' }]);
      await chat('m5', 'Quiero hablar con una persona');
      await chat('m6', '¿Me atiende alguien?');
      await handleOf(recorded).signal(staffMessageSignal, { id: 's1', text: 'Hola, soy Ana de la clínica', author: 'Ana' });
      await handleOf(recorded).signal(resumeSignal);
      await chat('m7', 'Gracias Ana, sigo con el bot');
      await handleOf(recorded).result();
      await save('v2-conversation-web-idle-close', handleOf(recorded));

      // A booking made, moved and cancelled through the offline model: the booking tools in a
      // conversation, and the appointment workflow that follows the booking.
      const booking = web('recorded-booking');
      const ask = (id: string, text: string) => chatWithStart(starter, DEMO_TENANT, booking, message(id, text));
      const first = weekdayAfter(DateTime.now().setZone(DEMO_TENANT.timeZone), 3);
      const second = weekdayAfter(first, 1);
      await ask('b1', `¿Tienen turno el ${first.toFormat('d/M')} para depilación láser?`);
      await ask('b2', 'Quiero reservar a las 10');
      await ask('b2-yes', 'sí');
      await ask('b3', `Quiero cambiar mi turno al ${second.toFormat('d/M')} a las 11`);
      await ask('b4', 'Quiero cancelar mi turno');
      const { rows } = await pool.query(`SELECT id FROM bookings WHERE contact_id = 'recorded-booking'`);
      const appointment = client.workflow.getHandle(appointmentWorkflowId(rows[0].id));
      await appointment.result();
      await save('v2-appointment-booked-moved-cancelled', appointment);
      await handleOf(booking).result();
      await save('v2-conversation-web-booking', handleOf(booking));

      // An appointment started by a starter that did not read the booking (as all did before
      // patch appointment-search-attributes): it sets ContactId and Channel itself.
      await startAppointment({ client, taskQueue: 'record' }, { tenantId: 'demo', bookingId: rows[0].id });
      await appointment.result();
      await save('appointment-attributes-set-by-workflow', client.workflow.getHandle(appointmentWorkflowId(rows[0].id)));

      // A booking of a room kept in Google Calendar (a fake with Meet): the appointment workflow
      // creates its event (and sends the Meet link), moves it, and deletes it on the cancel.
      const google = await new FakeGoogleCalendar().start();
      try {
        await pool.query(`INSERT INTO tenant_calendars (tenant_id, provider, config) VALUES ('demo', 'google', $1)`, [google.settings(true)]);
        await pool.query(`INSERT INTO resources (tenant_id, id, name, calendar) VALUES ('demo', 'sala-google', 'Sala Google', $1)`, [
          { provider: 'google', calendarId: 'sala@clinica.example' },
        ]);
        const start = weekdayAfter(DateTime.now().setZone(DEMO_TENANT.timeZone), 4).set({ hour: 15, minute: 0, second: 0, millisecond: 0 });
        const { rows: booked } = await pool.query(
          `INSERT INTO bookings (tenant_id, resource_id, service_id, channel, contact_id, customer_name, status, starts_at, ends_at, blocked, idempotency_key)
           VALUES ('demo', 'sala-google', 'depilacion-laser', 'telegram', '5550300', 'Lucía', 'confirmed', $1, $2, tstzrange($1, $2), 'recorded-calendar') RETURNING id`,
          [start.toJSDate(), start.plus({ minutes: 45 }).toJSDate()],
        );
        const follow = { tenantId: 'demo', bookingId: booked[0].id as string };
        const place = { ...starter, conversationDefaults: RECORDING_DEFAULTS };
        const eventStarts = () => google.events().map((event) => event.status === 'cancelled' ? 'deleted' : Date.parse(event.start.dateTime));
        const until = async (done: () => boolean) => {
          while (!done()) await new Promise((resolve) => setTimeout(resolve, 100));
        };
        await signalAppointment(place, follow);
        await until(() => eventStarts()[0] === start.toMillis());
        const moved = start.plus({ hours: 2 });
        await pool.query(`UPDATE bookings SET starts_at = $2, ends_at = $3, blocked = tstzrange($2, $3) WHERE id = $1`, [follow.bookingId, moved.toJSDate(), moved.plus({ minutes: 45 }).toJSDate()]);
        await signalAppointment(place, follow);
        await until(() => eventStarts()[0] === moved.toMillis());
        await pool.query(`UPDATE bookings SET status = 'cancelled' WHERE id = $1`, [follow.bookingId]);
        await signalAppointment(place, follow);
        const calendarAppointment = client.workflow.getHandle(appointmentWorkflowId(follow.bookingId));
        await calendarAppointment.result();
        await save('appointment-calendar-event', calendarAppointment);
      } finally {
        await google.stop();
      }

      // A customer who gives their name and e-mail: their lead, pushed by its sync workflow (the
      // built-in CRM). Recorded once the push is done; the run itself waits for more changes.
      const introduced = web('recorded-lead');
      await chatWithStart(starter, DEMO_TENANT, introduced, message('l1', 'Hola, me llamo Ana Pérez, mi mail es ana@example.com'));
      const { rows: leads } = await pool.query(`SELECT id FROM leads WHERE contact_id = 'recorded-lead'`);
      const sync = client.workflow.getHandle(leadSyncWorkflowId({ tenantId: 'demo', leadId: leads[0].id }));
      for (let pushed = false; !pushed; ) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        pushed = (await pool.query(`SELECT 1 FROM leads WHERE contact_id = 'recorded-lead' AND crm_status = 'synced'`)).rows.length > 0;
      }
      await save('lead-sync-builtin', sync);
      // Its next turn is observed for the lead once the reply is out (patch lead-observer).
      await chatWithStart(starter, DEMO_TENANT, introduced, message('l2', '¿Cuánto sale la limpieza facial?'));
      await handleOf(introduced).result();
      await save('v2-conversation-web-lead', handleOf(introduced));

      // MCP tool calls (toolCallWorkflow): a read-only one (a local activity), a booking (an
      // activity, then the appointment workflow it starts) and the lead lookup only agents have.
      const mcp = { client, taskQueue: 'record', pool };
      const mcpCustomer = { channel: 'web' as const, contact_id: 'recorded-mcp' };
      const mcpDay = weekdayAfter(DateTime.now().setZone(DEMO_TENANT.timeZone), 5).toFormat('yyyy-MM-dd');
      for (const [name, args] of [
        ['check_availability', { service: 'depilacion-laser', date: mcpDay }],
        ['create_booking', { customer: mcpCustomer, service: 'depilacion-laser', date: mcpDay, time: '12:00' }],
        ['lookup_lead', { customer: mcpCustomer }],
      ] as const) {
        const check = checkMcpCall(mcpTool(name)!, args);
        if (!check.valid) throw new Error(`the recorded ${name} call is not valid`);
        await runToolCall(mcp, 'demo', check.customer, check.call);
        await save(`tool-call-${name.replace('_', '-')}`, client.workflow.getHandle(toolCallWorkflowId('demo', check.call.id)));
      }

      // Continue-as-new: a cap this low makes every turn the run's last. The first run is kept.
      const tight = { ...starter, conversationDefaults: { ...RECORDING_DEFAULTS, historyEventCap: 260 } };
      const long = web('recorded-continue-as-new');
      await chatWithStart(tight, DEMO_TENANT, long, message('c1', 'Hola'));
      const firstRun = (await handleOf(long).describe()).runId;
      await chatWithStart(tight, DEMO_TENANT, long, message('c2', '¿Qué servicios tienen?'));
      await handleOf(long).result();
      await save('v2-conversation-continue-as-new', client.workflow.getHandle(conversationWorkflowId(long), firstRun));

      // A Telegram burst inside the quiet period (3 s), answered once through the channel.
      const burst = { tenantId: 'demo', channel: 'telegram' as const, contactId: '5550100' };
      for (const [i, text] of ['Hola', 'quería saber', '¿cuánto sale la limpieza facial?'].entries()) {
        await deliverInboundMessage(starter, DEMO_TENANT, burst, message(`t${i}`, text));
      }
      await handleOf(burst).result();
      await save('v2-conversation-telegram-burst', handleOf(burst));

      // A reminder handed to a contact with no conversation running: written into a new session's
      // transcript and sent with its buttons; the customer's answer is the next turn.
      const reminded = { tenantId: 'demo', channel: 'telegram' as const, contactId: '5550200' };
      const reminder = { id: 'reminder:recorded:1440', text: 'Recordatorio: tu turno es mañana a las 10:00.', templateParameters: ['Ana', '2 de diciembre, 10:00'], choices: [{ id: 'cancelar', title: 'Cancelar' }] };
      await deliverProactiveMessage(starter, DEMO_TENANT, reminded, reminder);
      await deliverProactiveMessage(starter, DEMO_TENANT, reminded, reminder); // a retried signal, recorded once
      await deliverInboundMessage(starter, DEMO_TENANT, reminded, message('r1', 'Gracias, ahí estaré'));
      await handleOf(reminded).result();
      await save('v2-conversation-telegram-reminder', handleOf(reminded));

      // A refused message sent again as its template (here a channel without one: nothing to send).
      const resend = await client.workflow.start(templateResendWorkflow, {
        workflowId: 'template-resend:demo:telegram:recorded',
        taskQueue: 'record',
        args: [{ ref: reminded, providerMessageId: 'recorded' }],
      });
      await resend.result();
      await save('template-resend', resend);

      // A handoff with no word from staff: it times out and the bot takes the conversation back.
      const quickHandoff = { ...starter, conversationDefaults: { ...RECORDING_DEFAULTS, handoffTimeoutMs: 2_000 } };
      const waiting = web('recorded-handoff-timeout');
      await chatWithStart(quickHandoff, DEMO_TENANT, waiting, message('h1', 'Quiero hablar con una persona'));
      await handleOf(waiting).result();
      await save('v2-conversation-handoff-timeout', handleOf(waiting));

      // Every provider down: the customer gets the apology, staff take over (and time out).
      const down = { ...quickHandoff, taskQueue: 'record-providers-down' };
      const unlucky = web('recorded-providers-down');
      await chatWithStart(down, DEMO_TENANT, unlucky, message('d1', '¿Tienen turno mañana?'));
      await handleOf(unlucky).result();
      await save('v2-conversation-providers-down', handleOf(unlucky));
    });
  } finally {
    downWorker.shutdown();
    await downRunning;
    await telegram.stop();
    await connection.close();
    await nativeConnection.close();
    await pool.end();
    await temporal.stop();
    await postgres.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
