import { z } from 'zod';
import { version } from '../../../package.json';
import { OPERATIONS, type Access, type Operation } from './operations';

/** A route as Fastify registered it: `GET`, `/admin/leads/:id/push`. */
export interface RegisteredRoute {
  method: string;
  url: string;
}

type JsonSchema = Record<string, unknown>;
type SecurityRequirement = Record<string, string[]>;

const SECURITY_SCHEMES = {
  bearer: {
    type: 'http',
    scheme: 'bearer',
    description: 'The operator’s `ADMIN_TOKEN` (every tenant), or a tenant’s own token (that tenant only; another tenant’s ids are answered 404).',
  },
  sessionToken: {
    type: 'apiKey',
    in: 'header',
    name: 'X-Session-Token',
    description: 'The web chat session’s signed token, from the answer to its first message (also accepted as the body’s `session_token`).',
  },
  whatsappSignature: {
    type: 'apiKey',
    in: 'header',
    name: 'X-Hub-Signature-256',
    description: 'WhatsApp Cloud API: `sha256=` and the HMAC-SHA256 of the raw body, keyed with the app secret.',
  },
  telegramSecret: {
    type: 'apiKey',
    in: 'header',
    name: 'X-Telegram-Bot-Api-Secret-Token',
    description: 'Telegram: the secret given to `setWebhook`.',
  },
  whatsappVerifyToken: {
    type: 'apiKey',
    in: 'query',
    name: 'hub.verify_token',
    description: 'WhatsApp Cloud API’s webhook verification: the verify token set in the app’s webhook settings.',
  },
  gupshupToken: {
    type: 'apiKey',
    in: 'query',
    name: 'token',
    description: 'Gupshup: the webhook token configured on the callback URL.',
  },
} as const;

type SchemeName = keyof typeof SECURITY_SCHEMES;

/** `{}` in a list: no credential needed. */
const SECURITY: Record<Access, Partial<Record<SchemeName, []>>[]> = {
  public: [],
  admin: [{ bearer: [] }],
  operator: [{ bearer: [] }],
  // A session's first message has no credential yet.
  chat: [{}, { sessionToken: [] }, { bearer: [] }],
  // Evolution API and Bitrix24 authenticate in the body, which no security scheme can express.
  webhook: [{ whatsappSignature: [] }, { telegramSecret: [] }, { gupshupToken: [] }, {}],
  handshake: [{ whatsappVerifyToken: [] }],
};

const ERROR_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['error', 'message'],
  properties: {
    error: { type: 'string', description: 'A stable code: `invalid_request`, `unknown_tenant`, `rate_limited`…' },
    message: { type: 'string', description: 'For people' },
    issues: {
      type: 'array',
      description: 'With `invalid_request`: each field that is not valid',
      items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } },
    },
  },
};

const TAGS = [
  { name: 'Chat', description: 'The web chat, for the chat page and for a business’s own backend' },
  { name: 'Admin', description: 'Bookings, leads, conversations and tenants; bearer tokens' },
  { name: 'Channel webhooks', description: 'Where messaging providers deliver customer messages' },
  { name: 'Pages', description: 'What people open in a browser' },
  { name: 'Operations', description: 'Health, metrics and this document' },
];

/**
 * The OpenAPI 3.1 document of the routes that are registered and have an entry in OPERATIONS,
 * their parameters and bodies generated from the zod schemas their handlers parse with (as the
 * caller sends them: defaults optional, coerced values in their written type).
 */
export function openApiDocument(routes: readonly RegisteredRoute[]) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const { method, url } of routes) {
    const operation = OPERATIONS[`${method} ${url}`];
    if (operation) (paths[openApiPath(url)] ??= {})[method.toLowerCase()] = operationObject(operation);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Concierge API',
      version,
      description: 'A durable conversational sales and booking assistant. Errors are JSON `{error, message}`.',
    },
    tags: TAGS,
    paths: Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b))),
    components: { securitySchemes: SECURITY_SCHEMES, schemas: { Error: ERROR_SCHEMA } },
  };
}

export type OpenApiDocument = ReturnType<typeof openApiDocument>;

/** `/admin/leads/:id/push` → `/admin/leads/{id}/push`. */
function openApiPath(url: string): string {
  return url.replace(/:(\w+)/g, '{$1}');
}

function operationObject(operation: Operation) {
  const security: SecurityRequirement[] = SECURITY[operation.access];
  const operatorOnly = operation.access === 'operator' ? ' Operator token only.' : '';
  const description = `${operation.description ?? ''}${operatorOnly}`.trim();
  const parameters = [...parametersOf(operation.params, 'path'), ...parametersOf(operation.query, 'query')];
  return {
    tags: [operation.tag],
    summary: operation.summary,
    ...(description && { description }),
    ...(security.length > 0 && { security }),
    ...(parameters.length > 0 && { parameters }),
    ...(operation.body && { requestBody: { required: !operation.bodyOptional, content: { 'application/json': { schema: jsonSchema(operation.body) } } } }),
    responses: Object.fromEntries(
      Object.entries(operation.responses).map(([status, text]) => [status, responseObject(Number(status), text, operation.produces ?? 'application/json')]),
    ),
  };
}

function responseObject(status: number, description: string, produces: string) {
  if (status >= 400) return { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
  return { description, content: { [produces]: {} } };
}

function parametersOf(schema: z.ZodObject | undefined, location: 'path' | 'query') {
  if (!schema) return [];
  const json = jsonSchema(schema) as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: location,
    required: location === 'path' || (json.required ?? []).includes(name),
    schema: property,
  }));
}

/** The schema of what a caller sends. JSON Schema 2020-12 is OpenAPI 3.1's own dialect. */
function jsonSchema(schema: z.ZodType): JsonSchema {
  const json = z.toJSONSchema(schema, { io: 'input' }) as JsonSchema;
  delete json.$schema;
  // Its `#/$defs/…` references would point into the document's root, not this schema.
  if ('$defs' in json) throw new Error('A request schema with shared definitions ($defs) needs them moved to components.schemas');
  return json;
}
