import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema, ErrorCode, ListResourcesRequestSchema, ListToolsRequestSchema, McpError, ReadResourceRequestSchema,
  type CallToolResult,
} from '@modelcontextprotocol/sdk/types.js';
import type { ToolResult } from '../domain/tools';
import { MCP_RESOURCES } from './resources';
import { runToolCall, type McpDeps } from './tool-calls';
import { checkMcpCall, MCP_TOOL_LIST, mcpTool } from './tools';

const INSTRUCTIONS =
  "Concierge's booking and lead tools for one business (the token's). Dates and times are local to the business " +
  '(resource concierge://business-hours has its time zone). Check availability before booking; booking and lead ' +
  'tools name the customer by their channel and contact id.';

/**
 * An MCP server for one tenant, fixed by whoever authenticated the session: no tool or resource
 * takes a tenant. The SDK's low-level Server rather than McpServer, because the arguments are
 * checked by checkMcpCall (the assistant's own schemas and error texts), not by the SDK.
 */
export function conciergeMcpServer(deps: McpDeps, tenantId: string): Server {
  const server = new Server({ name: 'concierge', version: '0.1.0' }, { capabilities: { tools: {}, resources: {} }, instructions: INSTRUCTIONS });

  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: MCP_TOOL_LIST }));

  server.setRequestHandler(CallToolRequestSchema, async ({ params }) => {
    const tool = mcpTool(params.name);
    if (!tool) throw new McpError(ErrorCode.InvalidParams, `Unknown tool "${params.name}"`);
    const check = checkMcpCall(tool, params.arguments ?? {});
    return asMcpResult(check.valid ? await runToolCall(deps, tenantId, check.customer, check.call) : check.result);
  });

  server.setRequestHandler(ListResourcesRequestSchema, () => ({
    resources: MCP_RESOURCES.map(({ uri, name, title, description, mimeType }) => ({ uri, name, title, description, mimeType })),
  }));

  server.setRequestHandler(ReadResourceRequestSchema, async ({ params }) => {
    const resource = MCP_RESOURCES.find((candidate) => candidate.uri === params.uri);
    if (!resource) throw new McpError(ErrorCode.InvalidParams, `Unknown resource "${params.uri}"`);
    const text = JSON.stringify(await resource.read(deps.pool, tenantId));
    return { contents: [{ uri: resource.uri, mimeType: resource.mimeType, text }] };
  });

  return server;
}

/**
 * A tool's answer as MCP carries it: its content as JSON text. A refusal (bad arguments) or a
 * business error (the slot was taken) is `isError`, with the reason the assistant would read.
 */
function asMcpResult(result: ToolResult): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(result.content) }], isError: result.outcome !== 'ok' };
}
