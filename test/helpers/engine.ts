import { randomUUID } from 'node:crypto';
import { Client, Connection, WithStartWorkflowOperation } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { Activities } from '../../src/activities';
import type { TurnStep, TurnStepInput } from '../../src/activities/conversation-turn';
import type { ConversationSettings } from '../../src/domain/conversation-settings';
import { conversationWorkflowId, type Channel, type InboundMessage, type TranscriptEntry } from '../../src/domain/conversation';
import { chatUpdate, conversationWorkflow, inboundMessageSignal, type ReplyOutcome } from '../../src/workflows';
import { testConversationDefaults, testTemporalAddress, testWorkflowBundle } from './services';

/**
 * The conversation workflow on the real Temporal server with in-process fake activities: no
 * PostgreSQL, no model. The fake model answers "echo: <the customer messages it saw>", from a
 * transcript it keeps the way the real activities keep theirs in PostgreSQL.
 */
export interface EngineHarness {
  client: Client;
  taskQueue: string;
  /** Every model step the workflow took, with the customer texts of its window. */
  steps: Array<{ input: TurnStepInput; customerTexts: string[] }>;
  sends: string[];
  staffNotices: string[];
  closedSessions: string[];
  /** While set, model steps wait for it (a slow model). */
  holdModel?: Promise<void>;
  /** While set, closing a session waits for it. */
  holdClose?: Promise<void>;
  settings(overrides?: Partial<ConversationSettings>): ConversationSettings;
  /** A channel message by signal-with-start, as webhooks deliver them. */
  signal(contactId: string, text: string, options?: { channel?: Channel; settings?: ConversationSettings; id?: string }): Promise<string>;
  /** A web chat message by update-with-start: resolves with its outcome. */
  chat(contactId: string, text: string, options?: { settings?: ConversationSettings; id?: string }): Promise<ReplyOutcome>;
  stop(): Promise<void>;
}

export async function startEngineHarness(): Promise<EngineHarness> {
  const address = testTemporalAddress();
  const connection = await Connection.connect({ address });
  const client = new Client({ connection });
  const nativeConnection = await NativeConnection.connect({ address });
  const taskQueue = `engine-${randomUUID()}`;
  const transcripts = new Map<string, TranscriptEntry[]>();

  const harness: EngineHarness = {
    client,
    taskQueue,
    steps: [],
    sends: [],
    staffNotices: [],
    closedSessions: [],
    settings: (overrides = {}) => ({ ...testConversationDefaults(), quietPeriodMs: 0, ...overrides }),
    signal: async (contactId, text, { channel = 'telegram', settings = harness.settings(), id = randomUUID() } = {}) => {
      const ref = { tenantId: 'demo', channel, contactId };
      await client.workflow.signalWithStart(conversationWorkflow, {
        workflowId: conversationWorkflowId(ref),
        taskQueue,
        args: [{ ...ref, settings }],
        signal: inboundMessageSignal,
        signalArgs: [message(id, text)],
      });
      return id;
    },
    chat: (contactId, text, { settings = harness.settings(), id = randomUUID() } = {}) => {
      const ref = { tenantId: 'demo', channel: 'web' as const, contactId };
      const startWorkflowOperation = new WithStartWorkflowOperation(conversationWorkflow, {
        workflowId: conversationWorkflowId(ref),
        taskQueue,
        args: [{ ...ref, settings }],
        workflowIdConflictPolicy: 'USE_EXISTING',
      });
      return client.workflow.executeUpdateWithStart(chatUpdate, { args: [message(id, text)], updateId: id, startWorkflowOperation });
    },
    stop: async () => {
      worker.shutdown();
      await running;
      await nativeConnection.close();
      await connection.close();
    },
  };

  const write = (sessionId: string, entries: TranscriptEntry[]) => {
    const stored = transcripts.get(sessionId) ?? [];
    for (const entry of entries) if (!stored.some((e) => e.seq === entry.seq)) stored.push(entry);
    transcripts.set(sessionId, stored);
  };

  const activities: Partial<Activities> = {
    openSession: async () => ({ summary: '', recentMessageIds: [] }),
    assistantTurnStep: async (input: TurnStepInput): Promise<TurnStep> => {
      write(input.sessionId, input.newEntries);
      const window = (transcripts.get(input.sessionId) ?? []).filter((entry) => entry.seq >= input.windowStart);
      const customerTexts = window.filter((entry) => entry.role === 'customer' && !entry.silenced).map((entry) => entry.text);
      harness.steps.push({ input, customerTexts });
      await harness.holdModel;
      const latest = input.newEntries.filter((entry) => entry.role === 'customer').map((entry) => entry.text);
      const usage = { promptTokens: 1, completionTokens: 1 };
      return { text: `echo: ${latest.join(' | ')}`, toolCalls: [], checks: [], provider: 'fake', model: 'fake-model', usage };
    },
    foldMemory: async (input) => {
      write(input.sessionId, input.newEntries);
      return { summary: `folded ${input.folded.length}`, usage: { promptTokens: 0, completionTokens: 0 } };
    },
    closeSession: async (input) => {
      await harness.holdClose;
      harness.closedSessions.push(input.sessionId);
      return { summary: input.summary };
    },
    notifyStaff: async (input) => {
      harness.staffNotices.push(input.reason);
    },
    sendToContact: async (input) => {
      harness.sends.push(input.text);
      return { delivery: 'sent' as const };
    },
  };
  const worker = await Worker.create({
    connection: nativeConnection,
    taskQueue,
    workflowBundle: testWorkflowBundle(),
    activities,
  });
  const running = worker.run();
  return harness;
}

function message(id: string, text: string): InboundMessage {
  return { id, text, receivedAt: new Date().toISOString(), bareCourtesy: false };
}
