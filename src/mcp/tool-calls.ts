import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { SearchAttributePair } from '@temporalio/common';
import type { Pool } from '../db/pool';
import { findTenant } from '../db/tenants';
import { temporalContactId } from '../domain/contact-key';
import type { ConversationRef } from '../domain/conversation';
import type { ToolResult, ValidToolCall } from '../domain/tools';
import { ChannelKey, ContactIdKey, TenantIdKey } from '../temporal/search-attributes';
import { toolCallWorkflow, toolCallWorkflowId } from '../workflows';
import type { McpCustomer } from './tools';

/** What the MCP server needs: where tool calls run, and the database for its resources. */
export interface McpDeps {
  client: Client;
  taskQueue: string;
  pool: Pool;
  /** CONTACT_KEY_SECRET: names the customer in search attributes for tenants with opaque contact keys. */
  contactKeySecret?: string;
}

/**
 * The read-only tools read the tenant's calendar and catalogue only; their activities still take
 * a conversation, and get this one, which is no customer's (web contacts are random session ids).
 */
const NO_CUSTOMER = { channel: 'web', contactId: 'mcp-no-customer' } as const;

/**
 * Runs a checked call as its own workflow, on the workers that run conversations, and waits for
 * its result: the same activities as the assistant's call, with an activity's retries and
 * idempotency key. A call for a customer is findable (and erased) by their contact, as their
 * conversation is. A call id seen before (a retried request_id) joins that call, running or done,
 * rather than acting again; only one that failed may run anew.
 */
export async function runToolCall(deps: McpDeps, tenantId: string, customer: McpCustomer | undefined, call: ValidToolCall): Promise<ToolResult> {
  const ref: ConversationRef = customer ? { tenantId, channel: customer.channel, contactId: customer.contact_id } : { tenantId, ...NO_CUSTOMER };
  const searchAttributes: SearchAttributePair[] = [{ key: TenantIdKey, value: tenantId }];
  if (customer) {
    const contactId = temporalContactId(ref, await findTenant(deps.pool, tenantId), deps.contactKeySecret);
    searchAttributes.push({ key: ChannelKey, value: ref.channel }, { key: ContactIdKey, value: contactId });
  }
  const workflowId = toolCallWorkflowId(tenantId, call.id);
  try {
    return await deps.client.workflow.execute(toolCallWorkflow, {
      workflowId,
      taskQueue: deps.taskQueue,
      args: [{ ref, call }],
      typedSearchAttributes: searchAttributes,
      staticSummary: `MCP call of ${call.name} (tenant ${tenantId})`,
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    return deps.client.workflow.getHandle<typeof toolCallWorkflow>(workflowId).result();
  }
}
