import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Fastify from 'fastify';
import { chromium } from 'playwright-core';
import { registeredRoutes } from '../src/api/openapi';
import { startTestStack, type TestStack } from './helpers/stack';

/**
 * The API reference: `/openapi.json` generated from the routes' zod schemas, and Swagger UI at
 * `/docs`, on the server as production builds it.
 */
const ADMIN_TOKEN = 'openapi-test-admin-token-0123456789';
const ARTIFACTS = path.resolve(__dirname, '../test-artifacts');

/** Routes that are not API, and why; every other route the server registers must be documented. */
const INTERNAL_ROUTES: { matches: (method: string, url: string) => boolean; reason: string }[] = [
  { matches: (method) => method === 'HEAD', reason: 'Fastify’s automatic twin of each GET' },
  { matches: (method, url) => method === 'OPTIONS' && url === '*', reason: 'CORS preflight answers (@fastify/cors), not an operation' },
  { matches: (_method, url) => ['/chat/chat.css', '/chat/chat.js', '/inbox/inbox.css', '/inbox/inbox.js'].includes(url), reason: 'the pages’ own assets, loaded by /chat and /inbox' },
  { matches: (_method, url) => url === '/docs' || url.startsWith('/docs/'), reason: 'Swagger UI, the viewer of this document, and its assets' },
  { matches: (method, url) => url === '/mcp' && method !== 'POST', reason: 'the MCP transport’s 405 for a stream or a session end, which a stateless server has not' },
];

let stack: TestStack;
let document: any;
beforeAll(async () => {
  stack = await startTestStack({ adminToken: ADMIN_TOKEN });
  const answer = await stack.request('GET', '/openapi.json', undefined, {});
  expect(answer.status).toBe(200);
  document = answer.body;
});
afterAll(() => stack?.stop());

const operations = () =>
  Object.entries(document.paths as Record<string, Record<string, any>>).flatMap(([route, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ route, method, operation })),
  );

test('the document is OpenAPI 3.1: paths with parameters, responses, tags and security schemes that it defines', () => {
  expect(document).toMatchObject({ openapi: '3.1.0', info: { title: 'Concierge API', version: expect.any(String) } });
  const tags = new Set(document.tags.map((tag: { name: string }) => tag.name));
  const schemes = Object.keys(document.components.securitySchemes);
  expect(schemes).toEqual(expect.arrayContaining(['bearer', 'sessionToken', 'whatsappSignature', 'telegramSecret', 'gupshupToken']));
  expect(operations().length).toBeGreaterThanOrEqual(10);
  for (const { route, method, operation } of operations()) {
    const where = `${method.toUpperCase()} ${route}`;
    expect([where, ['get', 'post', 'put', 'patch', 'delete'].includes(method)]).toEqual([where, true]);
    expect([where, typeof operation.summary, operation.tags.every((tag: string) => tags.has(tag))]).toEqual([where, 'string', true]);
    expect([where, Object.keys(operation.responses).some((status) => /^2\d\d$/.test(status))]).toEqual([where, true]);
    // Every {name} of the path is a required path parameter, and no path parameter is made up.
    const inPath = [...route.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
    const pathParameters = (operation.parameters ?? []).filter((parameter: any) => parameter.in === 'path');
    expect([where, pathParameters.map((parameter: any) => parameter.name).sort()]).toEqual([where, inPath]);
    expect(pathParameters.every((parameter: any) => parameter.required === true)).toBe(true);
    for (const requirement of operation.security ?? []) {
      for (const scheme of Object.keys(requirement)) expect([where, schemes.includes(scheme)]).toEqual([where, true]);
    }
  }
  // Every reference points at something in the document.
  const references = JSON.stringify(document).match(/"\$ref":"[^"]+"/g) ?? [];
  for (const reference of references) {
    const pointer = JSON.parse(`{${reference}}`).$ref as string;
    const target = pointer
      .replace(/^#\//, '')
      .split('/')
      .reduce((node: any, key) => node?.[key], document);
    expect([pointer, target !== undefined]).toEqual([pointer, true]);
  }
});

test('every route the server registers is in the document, except the internal ones listed here', () => {
  const undocumented = registeredRoutes(stack.app)
    .filter(({ method, url }) => !INTERNAL_ROUTES.some((internal) => internal.matches(method, url)))
    .filter(({ method, url }) => !document.paths[url.replace(/:(\w+)/g, '{$1}')]?.[method.toLowerCase()])
    .map(({ method, url }) => `${method} ${url}`);
  // Each of these needs an entry in src/api/openapi/operations.ts.
  expect(undocumented).toEqual([]);
  expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/api/chat', '/admin/bookings', '/webhooks/{tenant}/{channel}', '/health']));
});

test('parameters and bodies come from the zod schemas the routes parse with, and are enforced as documented', async () => {
  const limit = document.paths['/admin/bookings'].get.parameters.find((parameter: any) => parameter.name === 'limit');
  expect(limit).toMatchObject({ in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 500, default: 100 } });
  const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
  expect((await stack.request('GET', '/admin/bookings?limit=501', undefined, admin)).status).toBe(400);
  expect((await stack.request('GET', '/admin/bookings?limit=500', undefined, admin)).status).toBe(200);
  expect(document.paths['/admin/bookings'].get.security).toEqual([{ bearer: [] }]);

  const chat = document.paths['/api/chat'].post;
  const bodySchema = chat.requestBody.content['application/json'].schema;
  expect(bodySchema.required).toEqual(['message']);
  expect(chat.security).toEqual(expect.arrayContaining([{}, { sessionToken: [] }, { bearer: [] }]));
  const documentedAccepts = await validatorOf(bodySchema);
  const bodies: [string, unknown, boolean][] = [
    ['a message alone', { message: 'Hola' }, true],
    ['every field', { message: 'Hola', tenant: 'demo', message_id: 'openapi-1', context: { plan: 'gold', seats: 3, vip: true } }, true],
    ['a numeric session id (a business backend’s)', { message: 'Hola', session_id: 42 }, true],
    ['no message', { tenant: 'demo' }, false],
    ['an empty object', {}, false],
    ['a number as message', { message: 42 }, false],
    ['a tenant id that is not one', { message: 'Hola', tenant: 'Not A Tenant' }, false],
    ['an empty session token', { message: 'Hola', session_token: '' }, false],
    ['a message id of 201 characters', { message: 'Hola', message_id: 'x'.repeat(201) }, false],
    ['a nested context value', { message: 'Hola', context: { nested: { a: 1 } } }, false],
    ['a boolean session id', { message: 'Hola', session_id: true }, false],
  ];
  for (const [what, body, valid] of bodies) {
    const answer = await stack.request('POST', '/api/chat', body);
    expect([what, await documentedAccepts(body), answer.status]).toEqual([what, valid, valid ? 200 : 400]);
  }
  const missing = await stack.request('POST', '/api/chat', { tenant: 'demo' });
  expect(missing.body.issues).toEqual([expect.objectContaining({ path: 'message' })]);
});

test('/docs serves Swagger UI from local assets, and it renders the document under its security headers', async () => {
  const page = await stack.request('GET', '/docs', undefined, {});
  expect(page.status).toBe(200);
  expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
  expect(page.headers['content-security-policy']).toContain("default-src 'self'");
  const assets = [...(page.body as string).matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]!);
  expect(assets.length).toBeGreaterThanOrEqual(5);
  for (const asset of assets) {
    expect(asset.startsWith('/docs/static/')).toBe(true); // this server's, no CDN
    expect([asset, (await stack.request('GET', asset, undefined, {})).status]).toEqual([asset, 200]);
  }
  expect((await stack.request('GET', '/docs/json', undefined, {})).body).toEqual(document);

  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(path.join(ARTIFACTS, '.gitignore'), '*\n');
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
  try {
    const browserPage = await browser.newPage();
    // A blocked script, style or fetch (CSP) is a console error.
    const problems: string[] = [];
    browserPage.on('pageerror', (error) => problems.push(error.message));
    browserPage.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    await browserPage.goto(`${stack.baseUrl}/docs`);
    const chatOperation = browserPage.locator('.opblock-post', { hasText: '/api/chat' }).first();
    await chatOperation.waitFor({ timeout: 15_000 });
    await chatOperation.locator('.opblock-summary').click();
    await browserPage.locator('.opblock-body').first().waitFor({ timeout: 5_000 });
    await browserPage.screenshot({ path: path.join(ARTIFACTS, 'openapi-docs.png'), fullPage: true });
    expect(await browserPage.locator('.opblock').count()).toBe(operations().length);
    expect(problems).toEqual([]);
  } finally {
    await browser.close();
  }
});

/**
 * Whether a JSON body passes a schema of the document, by Fastify's own validator (Ajv) with
 * nothing coerced, defaulted or removed: a check of the schema as any client generator reads it.
 */
async function validatorOf(schema: object): Promise<(body: unknown) => Promise<boolean>> {
  const checker = Fastify({ ajv: { customOptions: { coerceTypes: false, useDefaults: false, removeAdditional: false } } });
  checker.post('/', { schema: { body: schema } }, async () => 'valid');
  await checker.ready();
  return async (body) => (await checker.inject({ method: 'POST', url: '/', payload: body as object })).statusCode === 200;
}
