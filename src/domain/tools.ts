import { z } from 'zod';
import { LeadDetailsSchema } from './leads';

/**
 * The assistant's tools. Each is a name, a description for the model and a zod schema of its
 * arguments: the JSON schema the model sees and the validation of what it proposes come from
 * the same schema. No tool takes a tenant or contact id: the workflow binds them.
 *
 * The workflow runs these checks (checkToolCall), so a schema is workflow code: making one
 * stricter or looser changes which activities a replayed turn schedules. Such a change goes
 * behind `patched()` like any other.
 */
interface ToolDefinition<Name extends string, Args extends z.ZodObject> {
  name: Name;
  description: string;
  args: Args;
}

function defineTool<const Name extends string, Args extends z.ZodObject>(tool: ToolDefinition<Name, Args>) {
  return tool;
}

export const searchServicesTool = defineTool({
  name: 'search_services',
  description:
    "Searches this business's catalogue of services by name or by what the customer wants (misspellings are fine); " +
    'without a query, lists the whole catalogue. Returns each service with its id, price, currency, duration and ' +
    'description. Use it before stating any price.',
  // Strict: an argument the schema does not name (a tenant id, say) is refused, not ignored.
  args: z.strictObject({
    query: z
      .string()
      .trim()
      .min(2)
      .max(200)
      .optional()
      .describe('What the customer is looking for, e.g. "depilación láser" or "facial"; omit to list every service'),
  }),
});

export const escalateToHumanTool = defineTool({
  name: 'escalate_to_human',
  description:
    'Hands the conversation to a person of the business: when the customer asks for a human, or when you cannot help. ' +
    'Afterwards tell the customer, in one sentence, that someone from the team will reply here.',
  args: z.strictObject({
    reason: z.string().trim().min(3).max(300).describe('Why a person is needed, for the staff who take over'),
  }),
});

const date = () => z.iso.date().describe('A date as YYYY-MM-DD, in the business time zone');
const time = () =>
  z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM (24-hour)')
    .describe('A local time as HH:MM (24-hour), in the business time zone');
const service = () =>
  z.string().trim().min(2).max(200).describe('The service: its id from search_services, or its name as the customer said it');
const bookingId = () => z.uuid().describe('The booking id, from create_booking or list_my_bookings');

export const checkAvailabilityTool = defineTool({
  name: 'check_availability',
  description:
    'Free appointment times on one date, or whether one date and time is free. Returns the free slots with their ' +
    'local date and time. Never state availability without it.',
  args: z.strictObject({ service: service().optional(), date: date(), time: time().optional() }),
});

export const suggestSlotsTool = defineTool({
  name: 'suggest_slots',
  description: 'The nearest free appointment times for a service, from a date (today when omitted).',
  args: z.strictObject({ service: service(), from: date().optional() }),
});

export const createBookingTool = defineTool({
  name: 'create_booking',
  description:
    "Books an appointment for this customer. Confirm service, date and time with the customer first. If the time was " +
    'just taken, the answer says so and lists the nearest free times.',
  args: z.strictObject({
    service: service(),
    date: date(),
    time: time(),
    customer_name: z.string().trim().min(1).max(200).optional().describe("The customer's name, if they gave it"),
  }),
});

export const rescheduleBookingTool = defineTool({
  name: 'reschedule_booking',
  description: "Moves one of this customer's bookings to another date and time.",
  args: z.strictObject({ booking_id: bookingId(), date: date(), time: time() }),
});

export const cancelBookingTool = defineTool({
  name: 'cancel_booking',
  description: "Cancels one of this customer's bookings.",
  args: z.strictObject({ booking_id: bookingId() }),
});

export const confirmBookingTool = defineTool({
  name: 'confirm_booking',
  description: "Marks one of this customer's bookings as confirmed by the customer (e.g. answering a reminder).",
  args: z.strictObject({ booking_id: bookingId() }),
});

export const listMyBookingsTool = defineTool({
  name: 'list_my_bookings',
  description: "This customer's upcoming bookings, with their ids, services, dates and status.",
  args: z.strictObject({}),
});

const details = LeadDetailsSchema.shape;

export const saveLeadDetailsTool = defineTool({
  name: 'save_lead_details',
  description:
    'Keeps what this customer told about themselves (name, e-mail, phone, company, the services they are interested in, ' +
    'what they need, a budget) for the business, which follows up on it. Only what they said; call it again when they add ' +
    'or correct something. Returns the lead as it now stands.',
  args: z
    .strictObject({
      name: details.name.describe('Their name, as they gave it'),
      email: details.email,
      phone: details.phone.describe('A phone number they gave (the channel may already know one)'),
      company: details.company,
      interests: details.interests.describe('Services they are interested in, by name'),
      needs: details.needs.describe('What they need, in one sentence'),
      budget: details.budget.describe("A budget they stated, in the business's currency"),
    })
    .refine((args) => Object.values(args).some((value) => value !== undefined), 'give at least one detail'),
});

export const qualifyLeadTool = defineTool({
  name: 'qualify_lead',
  description:
    "Scores this customer's lead under the business's rules (details known, interest, budget) and moves it to its stage. " +
    'Returns the score, the stage and which details are still missing, to ask for if it fits the conversation.',
  args: z.strictObject({}),
});

/**
 * For outside agents (the MCP server) only: the lead as it stands, read and nothing else. The
 * assistant has qualify_lead, which scores the lead and makes one for a customer who has none; a
 * lookup from outside must neither make leads nor have the CRM hear of them.
 */
export const lookupLeadTool = defineTool({
  name: 'lookup_lead',
  description:
    "This customer's lead as the business has it: their details, stage, score and which details are still missing; " +
    'null if they have left none. Changes nothing.',
  args: z.strictObject({}),
});

export const ASSISTANT_TOOLS = [
  searchServicesTool,
  checkAvailabilityTool,
  suggestSlotsTool,
  createBookingTool,
  rescheduleBookingTool,
  cancelBookingTool,
  confirmBookingTool,
  listMyBookingsTool,
  escalateToHumanTool,
  saveLeadDetailsTool,
  qualifyLeadTool,
] as const;

/** Every tool an activity runs: the assistant's, and those only outside agents are offered. */
export const TOOLS = [...ASSISTANT_TOOLS, lookupLeadTool] as const;

type Tool = (typeof TOOLS)[number];
export type ToolName = Tool['name'];
export type AssistantToolName = (typeof ASSISTANT_TOOLS)[number]['name'];
export type ToolArgs<Name extends ToolName> = z.infer<Extract<Tool, { name: Name }>['args']>;

export function isAssistantToolName(name: string): name is AssistantToolName {
  return ASSISTANT_TOOLS.some((tool) => tool.name === name);
}

/** A tool call as the model proposed it: the arguments are still unchecked JSON text. */
export const ProposedToolCallSchema = z.object({ id: z.string(), name: z.string(), arguments: z.string() });
export type ProposedToolCall = z.infer<typeof ProposedToolCallSchema>;

/** A call whose tool exists and whose arguments passed its schema. */
export type ValidToolCall<Names extends ToolName = ToolName> = { [Name in Names]: { id: string; name: Name; args: ToolArgs<Name> } }[Names];

/**
 * How a call went. `invalid`: refused before running (unknown tool, bad arguments); `error`: ran
 * and could not do it (unknown service, slot taken…).
 */
export const ToolOutcomeSchema = z.enum(['ok', 'error', 'invalid']);
export type ToolOutcome = z.infer<typeof ToolOutcomeSchema>;

/** What a call produced, as the model reads it back. */
export const ToolResultSchema = z.object({
  callId: z.string(),
  name: z.string(),
  outcome: ToolOutcomeSchema,
  content: z.unknown(),
});
export type ToolResult = z.infer<typeof ToolResultSchema>;

export type ToolCallCheck<Names extends ToolName = ToolName> = { valid: true; call: ValidToolCall<Names> } | { valid: false; result: ToolResult };

/** Checks a model's proposed call against the tool's schema; a refusal carries the error the model gets back. */
export function checkToolCall(proposed: ProposedToolCall): ToolCallCheck<AssistantToolName> {
  return checkAgainst(ASSISTANT_TOOLS, proposed) as ToolCallCheck<AssistantToolName>;
}

/** The same check for an outside agent's call (the MCP server), which may also name the tools only agents are offered. */
export function checkAgentToolCall(proposed: ProposedToolCall): ToolCallCheck {
  return checkAgainst(TOOLS, proposed);
}

function checkAgainst(offered: readonly Tool[], proposed: ProposedToolCall): ToolCallCheck {
  const refuse = (error: string): ToolCallCheck => ({
    valid: false,
    result: { callId: proposed.id, name: proposed.name, outcome: 'invalid', content: { error } },
  });
  const tool = offered.find((candidate) => candidate.name === proposed.name);
  if (!tool) return refuse(`Unknown tool "${proposed.name}". Available tools: ${offered.map((t) => t.name).join(', ')}.`);
  let json: unknown;
  try {
    json = proposed.arguments.trim() === '' ? {} : JSON.parse(proposed.arguments);
  } catch {
    return refuse('The arguments are not valid JSON. Call the tool again with a JSON object.');
  }
  const parsed = tool.args.safeParse(json);
  if (!parsed.success) return refuse(`Invalid arguments, nothing was done: ${describeIssues(parsed.error)}`);
  return { valid: true, call: { id: proposed.id, name: tool.name, args: parsed.data } as ValidToolCall };
}

function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || 'arguments'}: ${issue.message}`).join('; ');
}

/** The tools as the OpenAI chat completions API takes them (JSON schema from the zod schemas). */
export function toolsForModel() {
  return ASSISTANT_TOOLS.map((tool) => ({
    type: 'function' as const,
    function: { name: tool.name, description: tool.description, parameters: z.toJSONSchema(tool.args) },
  }));
}
