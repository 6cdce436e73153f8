import type { Client } from '@temporalio/client';
import { decodeTypedSearchAttributes } from '@temporalio/common/lib/converter/payload-search-attributes';
import { optionalTsToDate } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import type { Channel, ConversationStatus } from '../domain/conversation';
import { ChannelKey, ContactIdKey, ConversationStatusKey, TenantIdKey } from './search-attributes';

/**
 * Filters of a conversation list. Every value must already be checked against its zod schema
 * (TenantIdSchema, ChannelSchema, ContactIdSchema, ConversationStatusSchema): none of them allows a
 * quote, so a value cannot end its string literal and change the visibility query.
 */
export interface ConversationFilter {
  tenantId?: string;
  channel?: Channel;
  status?: ConversationStatus;
  /** Any of these: one contact may be named several ways (src/domain/contact-key.ts). */
  contactIds?: string[];
}

export interface ConversationListing {
  workflowId: string;
  runId: string;
  tenantId?: string;
  channel?: string;
  contactId?: string;
  status?: string;
  startedAt?: Date;
  closedAt?: Date;
}

const { WorkflowExecutionStatus } = temporal.api.enums.v1;

/**
 * The visibility query of a filter. Runs that continued as new are left out: the run that took
 * over stands for the conversation, so a long session is listed once.
 */
export function conversationQuery(filter: ConversationFilter): string {
  const clauses = [`WorkflowType = 'conversationWorkflow'`, `ExecutionStatus != 'ContinuedAsNew'`];
  if (filter.tenantId !== undefined) clauses.push(`${TenantIdKey.name} = '${filter.tenantId}'`);
  if (filter.channel !== undefined) clauses.push(`${ChannelKey.name} = '${filter.channel}'`);
  if (filter.contactIds !== undefined) clauses.push(`${ContactIdKey.name} IN (${filter.contactIds.map((id) => `'${id}'`).join(', ')})`);
  if (filter.status === 'closed') clauses.push(`(${ConversationStatusKey.name} = 'closed' OR ExecutionStatus != 'Running')`);
  else if (filter.status !== undefined) clauses.push(`${ConversationStatusKey.name} = '${filter.status}' AND ExecutionStatus = 'Running'`);
  return clauses.join(' AND ');
}

/**
 * One page of conversations, newest first, from Temporal's visibility store (eventually
 * consistent: a change shows within about a second). `pageToken` is the last page's, opaque.
 */
export async function listConversations(
  client: Client,
  filter: ConversationFilter,
  page: { size: number; token?: Buffer },
): Promise<{ conversations: ConversationListing[]; nextPageToken?: Buffer }> {
  const answer = await client.workflowService.listWorkflowExecutions({
    namespace: client.options.namespace,
    query: conversationQuery(filter),
    pageSize: page.size,
    nextPageToken: page.token,
  });
  const token = answer.nextPageToken && answer.nextPageToken.length > 0 ? Buffer.from(answer.nextPageToken) : undefined;
  return { conversations: answer.executions.map(toListing), nextPageToken: token };
}

function toListing(execution: temporal.api.workflow.v1.IWorkflowExecutionInfo): ConversationListing {
  const attributes = decodeTypedSearchAttributes(execution.searchAttributes?.indexedFields);
  const running = execution.status === WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
  return {
    workflowId: execution.execution?.workflowId ?? '',
    runId: execution.execution?.runId ?? '',
    tenantId: attributes.get(TenantIdKey),
    channel: attributes.get(ChannelKey),
    contactId: attributes.get(ContactIdKey),
    // A run that ended some other way than its close (terminated, failed) is over all the same.
    status: running ? attributes.get(ConversationStatusKey) : 'closed',
    startedAt: optionalTsToDate(execution.startTime),
    closedAt: optionalTsToDate(execution.closeTime),
  };
}
