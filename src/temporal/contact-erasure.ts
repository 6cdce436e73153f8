import { isGrpcServiceError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { ContactTraces } from '../db/contact-erasure';
import { conversationWorkflowId, type ConversationRef } from '../domain/conversation';
import { appointmentWorkflowId } from '../workflows/appointment-definitions';
import { leadSyncWorkflowId } from '../workflows/lead-sync-definitions';
import { templateResendWorkflowId } from '../workflows/template-resend';
import { ChannelKey, ContactIdKey, TenantIdKey } from './search-attributes';

const GRPC_NOT_FOUND = 5;
/** Ids put in a visibility query as string literals: none that could end one. */
const QUOTABLE = /^[^'"\\]+$/;
const IDS_PER_QUERY = 100;

interface Run {
  workflowId: string;
  runId: string;
}

/**
 * Every workflow id a contact's rows point to: their conversation (under each name Temporal may
 * know the contact by: as they are, their key), appointments, lead pushes, template resends.
 */
export function contactWorkflowIds(names: readonly ConversationRef[], traces: ContactTraces): string[] {
  const [ref] = names as [ConversationRef];
  return [
    ...names.map(conversationWorkflowId),
    ...traces.bookingIds.map(appointmentWorkflowId),
    ...traces.leadIds.map((leadId) => leadSyncWorkflowId({ tenantId: ref.tenantId, leadId })),
    ...traces.providerMessageIds.map((id) => templateResendWorkflowId(ref, id)),
  ];
}

/**
 * Deletes every run of the contact's workflows, running or closed: a running one is terminated
 * first. Deleted rather than only terminated, because their histories hold what the contact
 * wrote and their phone (in ids, inputs and search attributes). Runs are found by id (the current
 * run exactly, earlier runs through visibility) and by the contact's search attributes. Each call
 * of the sweep returns how many runs it deleted that no earlier call had (a deletion takes a
 * moment, and the run is still found meanwhile).
 */
export function contactWorkflowSweep(client: Client, names: readonly ConversationRef[]): (workflowIds: readonly string[]) => Promise<number> {
  const deleted = new Set<string>();
  return async (workflowIds) => {
    const runs = new Map<string, Run>();
    const add = (run: Run) => {
      const key = `${run.workflowId} ${run.runId}`;
      if (!deleted.has(key)) runs.set(key, run);
    };
    // Visibility may not show a run started a moment ago: current runs are described, which is exact.
    await Promise.all(
      workflowIds.map(async (workflowId) => {
        try {
          add({ workflowId, runId: (await client.workflow.getHandle(workflowId).describe()).runId });
        } catch (error) {
          if (!(error instanceof WorkflowNotFoundError)) throw error;
        }
      }),
    );
    for (const query of runsQueries(names, workflowIds)) {
      for await (const execution of client.workflow.list({ query })) add(execution);
    }
    let count = 0;
    for (const [key, run] of runs) {
      deleted.add(key);
      if (await deleteRun(client, run)) count++;
    }
    return count;
  };
}

/**
 * Visibility queries for every run of those ids and of the contact's search attributes, a bounded
 * number of ids each (a contact with years of messages names many). Tenant, channel and contact
 * id are checked by their schemas and hold no quote.
 */
function runsQueries(names: readonly ConversationRef[], workflowIds: readonly string[]): string[] {
  const [ref] = names as [ConversationRef];
  const contactIds = names.map((name) => `'${name.contactId}'`).join(', ');
  const queries = [`${TenantIdKey.name} = '${ref.tenantId}' AND ${ChannelKey.name} = '${ref.channel}' AND ${ContactIdKey.name} IN (${contactIds})`];
  const quotable = workflowIds.filter((id) => QUOTABLE.test(id));
  for (let start = 0; start < quotable.length; start += IDS_PER_QUERY) {
    queries.push(`WorkflowId IN (${quotable.slice(start, start + IDS_PER_QUERY).map((id) => `'${id}'`).join(', ')})`);
  }
  return queries;
}

async function deleteRun(client: Client, run: Run): Promise<boolean> {
  try {
    await client.workflowService.deleteWorkflowExecution({ namespace: client.options.namespace, workflowExecution: run });
    return true;
  } catch (error) {
    if (isGrpcServiceError(error) && error.code === GRPC_NOT_FOUND) return false;
    throw error;
  }
}
