import type { ConversationRef, TranscriptEntry } from '../domain/conversation';
import { cleanText, toStorableJson } from '../domain/text';
import type { Pool } from './pool';
import { inTransaction } from './transaction';

/** What a new conversation knows of the contact from earlier ones. */
export interface ContactMemory {
  displayName?: string;
  summary: string;
  recentMessageIds: string[];
}

export async function loadContactMemory(pool: Pool, ref: ConversationRef): Promise<ContactMemory> {
  const { rows } = await pool.query<{ display_name: string | null; summary: string; recent_message_ids: string[] }>(
    `SELECT display_name, summary, recent_message_ids FROM contacts
     WHERE tenant_id = $1 AND channel = $2 AND contact_id = $3`,
    [ref.tenantId, ref.channel, ref.contactId],
  );
  const row = rows[0];
  return row
    ? { displayName: row.display_name ?? undefined, summary: row.summary, recentMessageIds: row.recent_message_ids }
    : { summary: '', recentMessageIds: [] };
}

/** Writes transcript entries of a session; entries already written are left as they are. */
export async function archiveMessages(pool: Pool, sessionId: string, tenantId: string, entries: readonly TranscriptEntry[]) {
  if (entries.length === 0) return;
  const rows = entries.map(({ seq, role, text, at, ...details }) => ({ seq, role, text, at, details }));
  await pool.query(
    `INSERT INTO conversation_messages (session_id, seq, tenant_id, role, text, at, details)
     SELECT $1, r.seq, $2, r.role, r.text, r.at, r.details
     FROM jsonb_to_recordset($3::jsonb) AS r(seq int, role text, text text, at timestamptz, details jsonb)
     ON CONFLICT (session_id, seq) DO NOTHING`,
    [sessionId, tenantId, toStorableJson(rows)],
  );
}

export interface SessionRecord extends ConversationRef {
  sessionId: string;
  workflowId: string;
  startedAt: string;
  closedAt?: string;
  summary: string;
  displayName?: string;
  recentMessageIds: string[];
  usage: { promptTokens: number; completionTokens: number };
}

/** Records the session and what the contact's next conversation should remember. Idempotent. */
export async function saveSession(pool: Pool, session: SessionRecord): Promise<void> {
  await inTransaction(pool, async (client) => {
    await client.query(
      `INSERT INTO conversation_sessions
         (session_id, workflow_id, tenant_id, channel, contact_id, started_at, closed_at, summary, prompt_tokens, completion_tokens)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (session_id) DO UPDATE SET closed_at = EXCLUDED.closed_at, summary = EXCLUDED.summary,
         prompt_tokens = EXCLUDED.prompt_tokens, completion_tokens = EXCLUDED.completion_tokens`,
      [
        session.sessionId,
        session.workflowId,
        session.tenantId,
        session.channel,
        session.contactId,
        session.startedAt,
        session.closedAt ?? null,
        cleanText(session.summary),
        session.usage.promptTokens,
        session.usage.completionTokens,
      ],
    );
    await client.query(
      `INSERT INTO contacts (tenant_id, channel, contact_id, display_name, summary, recent_message_ids, last_seen_at)
       VALUES ($1, $2, $3, $4, $5, $6, now())
       ON CONFLICT (tenant_id, channel, contact_id) DO UPDATE SET
         display_name = COALESCE(EXCLUDED.display_name, contacts.display_name), summary = EXCLUDED.summary,
         recent_message_ids = EXCLUDED.recent_message_ids, last_seen_at = now(), updated_at = now()`,
      [
        session.tenantId,
        session.channel,
        session.contactId,
        session.displayName === undefined ? null : cleanText(session.displayName),
        cleanText(session.summary),
        session.recentMessageIds,
      ],
    );
  });
}

/** A session as it opens: its row holds the running summary that the model's steps read. */
export interface SessionOpening extends ConversationRef {
  sessionId: string;
  workflowId: string;
  startedAt: string;
  /** The summary to start from; unset: the contact's, from their earlier sessions. */
  summary?: string;
}

/**
 * Records a session as it opens and returns what the contact's earlier sessions left. Idempotent:
 * a retry (or a replayed open) finds the row it wrote.
 */
export async function openSession(pool: Pool, opening: SessionOpening): Promise<ContactMemory> {
  const memory = await loadContactMemory(pool, opening);
  const summary = opening.summary ?? memory.summary;
  await pool.query(
    `INSERT INTO conversation_sessions (session_id, workflow_id, tenant_id, channel, contact_id, started_at, summary)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (session_id) DO NOTHING`,
    [opening.sessionId, opening.workflowId, opening.tenantId, opening.channel, opening.contactId, opening.startedAt, cleanText(summary)],
  );
  return { ...memory, summary };
}

export async function saveSessionSummary(pool: Pool, sessionId: string, summary: string): Promise<void> {
  await pool.query('UPDATE conversation_sessions SET summary = $2 WHERE session_id = $1', [sessionId, cleanText(summary)]);
}

/** The session's running summary: what was folded out of its window, and earlier sessions. */
export async function loadSessionSummary(pool: Pool, sessionId: string): Promise<string> {
  const { rows } = await pool.query<{ summary: string }>('SELECT summary FROM conversation_sessions WHERE session_id = $1', [sessionId]);
  return rows[0]?.summary ?? '';
}

/** What the model reads of a session, in one round trip: its running summary and its entries from `fromSeq` on. */
export async function loadSessionWindow(pool: Pool, sessionId: string, fromSeq: number): Promise<{ summary: string; entries: TranscriptEntry[] }> {
  const { rows } = await pool.query<{
    summary: string;
    seq: number | null;
    role: TranscriptEntry['role'];
    text: string;
    at: Date;
    details: Record<string, unknown>;
  }>(
    `SELECT s.summary, m.seq, m.role, m.text, m.at, m.details
     FROM conversation_sessions s
     LEFT JOIN conversation_messages m ON m.session_id = s.session_id AND m.seq >= $2
     WHERE s.session_id = $1 ORDER BY m.seq`,
    [sessionId, fromSeq],
  );
  const entries = rows.flatMap((row) => (row.seq === null ? [] : [transcriptEntryOf({ ...row, seq: row.seq })]));
  return { summary: rows[0]?.summary ?? '', entries };
}

/** A row of conversation_messages as the transcript entry it was written from. */
export function transcriptEntryOf({ seq, role, text, at, details }: { seq: number; role: TranscriptEntry['role']; text: string; at: Date; details: Record<string, unknown> }): TranscriptEntry {
  return { ...details, seq, role, text, at: at.toISOString() } as TranscriptEntry;
}
