import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ChannelSchema, ContactIdSchema } from '../domain/conversation';
import { checkAgentToolCall, TOOLS, type ToolCallCheck, type ToolName, type ValidToolCall } from '../domain/tools';

/**
 * The assistant's tools as an MCP server offers them: the same schemas and the same check as a
 * model's calls (checkAgentToolCall), under names that read well to an outside agent; and
 * lookup_lead, which reads a lead where the assistant's qualify_lead would score or make one. No
 * tool takes a tenant: the session's token decides it. Booking and lead tools act for one customer,
 * named as their channel knows them, so that a booking made here is the same person's as one made
 * in their chat; the read-only ones need no one.
 */

/** Whose bookings or lead a tool acts on: the contact as their channel names them. */
export const McpCustomerSchema = z.strictObject({
  channel: ChannelSchema.describe('The channel the customer talks to the business on'),
  contact_id: ContactIdSchema.describe("The channel's id of the customer: a WhatsApp number, a Telegram chat id, a web chat session id"),
});
export type McpCustomer = z.infer<typeof McpCustomerSchema>;

/** The caller's own id for a call it may retry: the retry gets the first call's answer, and nothing is done twice. */
export const McpRequestIdSchema = z
  .string()
  .regex(/^[\x21-\x7e]{1,128}$/, 'printable ASCII, 1 to 128 characters')
  .describe("Optional. Your own id for this call: a retry with the same request_id (after a timeout, say) returns the first call's answer instead of acting twice");

interface McpTool {
  name: string;
  /** The assistant's tool it runs. */
  tool: ToolName;
  forCustomer: boolean;
}

export const MCP_TOOLS = [
  { name: 'search_services', tool: 'search_services', forCustomer: false },
  { name: 'check_availability', tool: 'check_availability', forCustomer: false },
  { name: 'suggest_slots', tool: 'suggest_slots', forCustomer: false },
  { name: 'create_booking', tool: 'create_booking', forCustomer: true },
  { name: 'reschedule_booking', tool: 'reschedule_booking', forCustomer: true },
  { name: 'cancel_booking', tool: 'cancel_booking', forCustomer: true },
  { name: 'list_bookings', tool: 'list_my_bookings', forCustomer: true },
  { name: 'lookup_lead', tool: 'lookup_lead', forCustomer: true },
  { name: 'update_lead', tool: 'save_lead_details', forCustomer: true },
] as const satisfies readonly McpTool[];

export type McpToolEntry = (typeof MCP_TOOLS)[number];

export function mcpTool(name: string): McpToolEntry | undefined {
  return MCP_TOOLS.find((tool) => tool.name === name);
}

type ObjectJsonSchema = { type: 'object'; properties?: Record<string, object>; required?: string[]; [key: string]: unknown };

/** A JSON schema without its `$schema` dialect line (MCP's are 2020-12 by default). */
const jsonSchema = <T extends Record<string, unknown>>(schema: z.ZodType): T => {
  const json = z.toJSONSchema(schema) as Record<string, unknown>;
  delete json.$schema;
  return json as T;
};
const objectSchema = (schema: z.ZodType) => jsonSchema<ObjectJsonSchema>(schema);

const CUSTOMER_NOTE = ' Acts for `customer`: the contact as their channel knows them, the same person as in their chat.';

/** What tools/list answers: names, descriptions and JSON schemas generated from the tools' zod schemas. */
export const MCP_TOOL_LIST = MCP_TOOLS.map(({ name, tool, forCustomer }) => {
  const definition = TOOLS.find((candidate) => candidate.name === tool)!;
  const args = objectSchema(definition.args);
  if (!forCustomer) return { name, description: definition.description, inputSchema: args };
  return {
    name,
    description: definition.description + CUSTOMER_NOTE,
    inputSchema: {
      ...args,
      properties: { customer: objectSchema(McpCustomerSchema), request_id: jsonSchema(McpRequestIdSchema), ...args.properties },
      required: ['customer', ...(args.required ?? [])],
    },
  };
});

export type McpCallCheck = { valid: true; customer?: McpCustomer; call: ValidToolCall } | Extract<ToolCallCheck, { valid: false }>;

const CustomerArgsSchema = z.object({ customer: McpCustomerSchema, request_id: McpRequestIdSchema.optional() });

/**
 * Checks an MCP call's arguments: the customer, then the rest exactly as a model's call is
 * checked. A refusal carries the same error text the model would read. The call's id is the
 * caller's request_id made into one of ours (the same tool, customer and request_id give the same
 * id, another caller's choice cannot shape it), or a new one.
 */
export function checkMcpCall(tool: McpToolEntry, input: Record<string, unknown>): McpCallCheck {
  let args = input;
  let customer: McpCustomer | undefined;
  let callId: string = randomUUID();
  if (tool.forCustomer) {
    const { customer: given, request_id: requestId, ...rest } = input;
    const parsed = CustomerArgsSchema.safeParse({ customer: given, request_id: requestId });
    if (!parsed.success) {
      const issues = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
      const error = `Invalid arguments, nothing was done: ${issues}`;
      return { valid: false, result: { callId, name: tool.name, outcome: 'invalid', content: { error } } };
    }
    customer = parsed.data.customer;
    if (parsed.data.request_id) callId = requestCallId(tool.name, customer, parsed.data.request_id);
    args = rest;
  }
  const check = checkAgentToolCall({ id: callId, name: tool.tool, arguments: JSON.stringify(args) });
  return check.valid ? { valid: true, customer, call: check.call } : check;
}

function requestCallId(toolName: string, customer: McpCustomer, requestId: string): string {
  return `request-${createHash('sha256').update(JSON.stringify([toolName, customer.channel, customer.contact_id, requestId])).digest('hex').slice(0, 32)}`;
}
