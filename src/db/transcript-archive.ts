import type { TranscriptEntry } from '../domain/conversation';
import type { Pool } from './pool';
import { transcriptEntryOf } from './conversations';

/** A transcript entry as archived, with the session (one idle close to the next) it belongs to. */
export type ArchivedEntry = TranscriptEntry & { sessionId: string };

/**
 * The newest `limit` archived entries of a conversation (all its sessions), oldest first: what
 * staff scroll back through. Read by tenant too, so a workflow id alone never reaches another
 * tenant's rows.
 */
export async function loadArchivedTranscript(pool: Pool, tenantId: string, workflowId: string, limit: number): Promise<ArchivedEntry[]> {
  const { rows } = await pool.query<{
    session_id: string;
    seq: number;
    role: TranscriptEntry['role'];
    text: string;
    at: Date;
    details: Record<string, unknown>;
  }>(
    `SELECT m.session_id, m.seq, m.role, m.text, m.at, m.details
     FROM conversation_sessions s JOIN conversation_messages m ON m.session_id = s.session_id
     WHERE s.tenant_id = $1 AND s.workflow_id = $2
     ORDER BY s.started_at DESC, m.seq DESC LIMIT $3`,
    [tenantId, workflowId, limit],
  );
  return rows
    .reverse()
    .map((row) => ({ ...transcriptEntryOf(row), sessionId: row.session_id }) as ArchivedEntry);
}

/**
 * The contact of a conversation that had a session recorded (it existed, even if Temporal forgot
 * it); undefined if none was. Its id may name them only by their key (src/domain/contact-key.ts).
 */
export async function archivedContactId(pool: Pool, tenantId: string, workflowId: string): Promise<string | undefined> {
  const { rows } = await pool.query<{ contact_id: string }>(
    'SELECT contact_id FROM conversation_sessions WHERE tenant_id = $1 AND workflow_id = $2 LIMIT 1',
    [tenantId, workflowId],
  );
  return rows[0]?.contact_id;
}
