import type { ConversationRef } from '../domain/conversation';
import type { ToolResult, ValidToolCall } from '../domain/tools';
import { runTool } from './assistant-turn';

/** One MCP tool call's workflow: its tenant, then a fresh id per call. */
export const toolCallWorkflowId = (tenantId: string, callId: string) => `mcp-tool:${tenantId}:${callId}`;

export interface ToolCallInput {
  /** The tenant (from the caller's token) and the customer the call acts for. */
  ref: ConversationRef;
  /** Already checked by checkToolCall, as a model's call is before its turn runs it. */
  call: ValidToolCall;
}

/**
 * One tool call from outside a conversation (an MCP client): the same dispatch as an assistant
 * turn's, so a booking gets its idempotency key from its activity, is retried through outages,
 * and is followed by its appointment workflow exactly as a chat booking is.
 */
export async function toolCallWorkflow({ ref, call }: ToolCallInput): Promise<ToolResult> {
  const { result } = await runTool(ref, { valid: true, call }, undefined);
  return result;
}
