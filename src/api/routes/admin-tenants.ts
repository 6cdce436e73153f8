import { readFile } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { MessagingChannel } from '../../channels/adapter';
import { channelSetup } from '../../channels/setup';
import type { Pool } from '../../db/pool';
import { ConfigError } from '../../config';
import { applyTenantConfig, createTenantWithToken, loadTenantConfig, replaceTenantConfig } from '../../db/tenant-config';
import { TenantIdSchema } from '../../domain/conversation';
import { maskSecrets, TenantConfigSchema, withStoredSecrets, type TenantConfig } from '../../domain/tenant-config';
import { tenantInScope, type AdminAuthenticator, type Bearer } from '../admin-auth';
import { HttpError, parseRequest } from '../errors';

export const TenantParamsSchema = z.object({ id: TenantIdSchema });

/** A bad field of a tenant document, as the 400's `issues` name it. */
type Issue = { path: string; message: string };

export interface AdminTenantsDeps {
  pool: Pool;
  authenticate: AdminAuthenticator;
  /** CONTACT_KEY_SECRET: without it, no tenant may turn opaque contact keys on. */
  contactKeySecret?: string;
}

/**
 * `POST /admin/tenants` makes a tenant from one configuration document and answers with the
 * tenant's own token, the one time it is shown; `GET` and `PUT /admin/tenants/:id` read and
 * replace the document. Secrets are never answered: they read "***", and a PUT that leaves them
 * out or sends "***" keeps the stored ones. Creating and replacing are the operator's: a tenant's
 * channels and CRM decide where the workers send requests. A tenant's token may read its own.
 * Changes reach every process within the tenant caches' 10 s.
 */
export function registerAdminTenantsRoutes(app: FastifyInstance, deps: AdminTenantsDeps): void {
  app.post('/admin/tenants', async (request, reply) => {
    operatorOnly(await deps.authenticate(request));
    const config = keyable(parseConfig(request.body), deps);
    const token = await storing(createTenantWithToken(deps.pool, config, 'admin, made with the tenant'));
    if (!token) throw new HttpError(409, 'tenant_exists', `A tenant "${config.id}" exists already`);
    return reply.code(201).send({ tenant: maskSecrets(config), token });
  });

  app.get('/admin/tenants/:id', async (request) => {
    const bearer = await deps.authenticate(request);
    const { id } = parseRequest(TenantParamsSchema, request.params);
    tenantInScope(bearer, id);
    return maskSecrets(await storedConfig(deps.pool, id));
  });

  app.put('/admin/tenants/:id', async (request) => {
    const bearer = await deps.authenticate(request);
    const { id } = parseRequest(TenantParamsSchema, request.params);
    tenantInScope(bearer, id); // another tenant's id is unknown before it is forbidden
    operatorOnly(bearer);
    const config = keyable(parseConfig(withStoredSecrets(request.body, await storedConfig(deps.pool, id))), deps);
    if (config.id !== id) throw invalid([{ path: 'id', message: `must be "${id}", the tenant in the path` }]);
    if (!(await storing(replaceTenantConfig(deps.pool, config)))) throw unknownTenant(id);
    return maskSecrets(config);
  });
}

function operatorOnly(bearer: Bearer): void {
  if (bearer.role !== 'operator') throw new HttpError(403, 'operator_only', "Only the operator's token (ADMIN_TOKEN) may create or change tenants");
}

async function storedConfig(pool: Pool, id: string): Promise<TenantConfig> {
  const config = await loadTenantConfig(pool, id);
  if (!config) throw unknownTenant(id);
  return config;
}

const unknownTenant = (id: string) => new HttpError(404, 'unknown_tenant', `No tenant "${id}"`);

const invalid = (issues: Issue[]) => new HttpError(400, 'invalid_request', 'The request is not valid', { issues });

/** What PostgreSQL refuses as data (SQLSTATE class 22) is the document's fault, not ours: a 400. */
async function storing<T>(write: Promise<T>): Promise<T> {
  try {
    return await write;
  } catch (error) {
    // Not PostgreSQL's message: it may quote the value.
    if ((error as { code?: string }).code?.startsWith('22')) throw invalid([{ path: '', message: 'a value cannot be stored: a number too large, or a NUL character' }]);
    throw error;
  }
}

/** A tenant document checked by its schema, then each channel by the code that will read it back. */
export function checkTenantConfig(document: unknown): { config: TenantConfig } | { issues: Issue[] } {
  const parsed = TenantConfigSchema.safeParse(document);
  if (!parsed.success) return { issues: parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })) };
  const issues = Object.entries(parsed.data.channels).flatMap(([channel, channelDocument]) => {
    try {
      channelSetup(channel as MessagingChannel, channelDocument);
      return [];
    } catch (error) {
      return [{ path: `channels.${channel}`, message: (error as Error).message }];
    }
  });
  return issues.length > 0 ? { issues } : { config: parsed.data };
}

/** Refused here rather than when the tenant's next customer writes: their messages would not get in. */
function keyable(config: TenantConfig, deps: AdminTenantsDeps): TenantConfig {
  if (config.opaqueContactKeys && !deps.contactKeySecret) {
    throw invalid([{ path: 'opaqueContactKeys', message: 'needs CONTACT_KEY_SECRET, set the same on every API and worker process' }]);
  }
  return config;
}

function parseConfig(body: unknown): TenantConfig {
  const checked = checkTenantConfig(body);
  if ('issues' in checked) throw invalid(checked.issues);
  return checked.config;
}

/**
 * TENANT_CONFIG_FILE: the tenant the file describes is made when the API starts, or brought up
 * to the file (which wins over changes made through the API since). A bad file stops the start.
 */
export async function applyTenantConfigFile(pool: Pool, file: string): Promise<{ id: string; outcome: 'created' | 'replaced' }> {
  let document: unknown;
  try {
    document = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    // Not the parser's message: it quotes the text, secrets and all.
    throw new ConfigError(`TENANT_CONFIG_FILE ${file}: ${error instanceof SyntaxError ? 'not valid JSON' : (error as Error).message}`);
  }
  const checked = checkTenantConfig(document);
  if ('issues' in checked) {
    throw new ConfigError(`TENANT_CONFIG_FILE ${file} is not a valid tenant document:\n${checked.issues.map((issue) => `  ${issue.path || '(document)'}: ${issue.message}`).join('\n')}`);
  }
  return { id: checked.config.id, outcome: await applyTenantConfig(pool, checked.config) };
}
