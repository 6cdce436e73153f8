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
import { deliverInboundMessage } from '../src/api/conversations';
import { DEMO_TENANT, seedDemoTenant } from '../src/db/demo-tenant';
import { connectDatabase } from '../src/db/connect';
import { startEmbeddedPostgres } from '../src/db/embedded-postgres';
import { createLogger } from '../src/logger';
import { resolveTemporalBinary, TEMPORAL_CLI } from '../src/temporal/binaries';
import { startTemporalDevServer } from '../src/temporal/dev-server';
import { installTemporalRuntime } from '../src/temporal/runtime';
import type { InboundMessage } from '../src/domain/conversation';
import { appointmentWorkflowId, awaitReplyUpdate, resumeSignal, staffMessageSignal } from '../src/workflows';
import { createWorker } from '../src/worker';
import { freePort } from '../test/helpers/free-port';

const OUT_DIR = path.resolve(__dirname, '../test/histories');
const logger = createLogger('warn');
installTemporalRuntime(logger);

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
  const worker = await createWorker({
    connection: nativeConnection,
    namespace: 'default',
    taskQueue: 'record',
    pool,
    logger,
    llmProviders: [],
    llmPrices: {},
    channels: {},
    temporal: { client, taskQueue: 'record' },
  });
  try {
    await worker.runUntil(async () => {
      // A web chat that goes through every path of the workflow: a redelivery, turns with tool
      // calls, a voice note, a handoff the assistant asks for with a staff message and a resume,
      // memory folding (4 messages kept), the idle close.
      const starter = {
        client,
        taskQueue: 'record',
        conversationDefaults: { idleTimeoutMs: 3_000, handoffTimeoutMs: 60_000, maxMessages: 4, foldBatch: 1, historyEventCap: 5_000 },
      };
      const ref = { tenantId: 'demo', channel: 'web' as const, contactId: 'recorded' };
      const send = (id: string, text: string, media?: InboundMessage['media']) =>
        deliverInboundMessage(starter, DEMO_TENANT, ref, { id, text, media, receivedAt: new Date().toISOString() });
      const handle = await send('m1', 'Hola');
      await handle.executeUpdate(awaitReplyUpdate, { args: [{ messageId: 'm1' }] });
      await send('m1', 'Hola'); // a redelivery, ignored
      await send('m2', '¿Cuánto sale la');
      await send('m3', 'depilasion laser?');
      await handle.executeUpdate(awaitReplyUpdate, { args: [{ messageId: 'm3' }] });
      // Nothing transcribes here (no provider): the assistant says it cannot listen.
      await send('m4', '', [{ kind: 'audio', url: 'http://127.0.0.1:9/voice-note.ogg', mimeType: 'audio/ogg' }]);
      await handle.executeUpdate(awaitReplyUpdate, { args: [{ messageId: 'm4' }] });
      await send('m5', 'Quiero hablar con una persona');
      await handle.executeUpdate(awaitReplyUpdate, { args: [{ messageId: 'm5' }] });
      await send('m6', '¿Me atiende alguien?');
      await handle.executeUpdate(awaitReplyUpdate, { args: [{ messageId: 'm6' }] });
      await handle.signal(staffMessageSignal, { id: 's1', text: 'Hola, soy Ana de la clínica', author: 'Ana' });
      await handle.signal(resumeSignal);
      await send('m7', 'Gracias Ana, sigo con el bot');
      await handle.executeUpdate(awaitReplyUpdate, { args: [{ messageId: 'm7' }] });
      await handle.result();
      await save('conversation-web-idle-close', handle);

      // A booking made, moved and cancelled through the offline model: the booking tools in a
      // conversation, and the appointment workflow that follows the booking.
      const booking = { ...ref, contactId: 'recorded-booking' };
      const ask = async (id: string, text: string) => {
        const conversation = await deliverInboundMessage(starter, DEMO_TENANT, booking, { id, text, receivedAt: new Date().toISOString() });
        await conversation.executeUpdate(awaitReplyUpdate, { args: [{ messageId: id }] });
        return conversation;
      };
      const first = weekdayAfter(DateTime.now().setZone(DEMO_TENANT.timeZone), 3);
      const second = weekdayAfter(first, 1);
      await ask('b1', `¿Tienen turno el ${first.toFormat('d/M')} para depilación láser?`);
      await ask('b2', 'Quiero reservar a las 10');
      await ask('b3', `Quiero cambiar mi turno al ${second.toFormat('d/M')} a las 11`);
      const conversation = await ask('b4', 'Quiero cancelar mi turno');
      const { rows } = await pool.query(`SELECT id FROM bookings WHERE contact_id = 'recorded-booking'`);
      const appointment = client.workflow.getHandle(appointmentWorkflowId(rows[0].id));
      await appointment.result();
      await save('appointment-booked-moved-cancelled', appointment);
      await conversation.result();
      await save('conversation-web-booking', conversation);
    });
  } finally {
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
