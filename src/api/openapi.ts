import helmet from '@fastify/helmet';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { pageSecurityHeaders } from './page-security';
import { openApiDocument, type OpenApiDocument, type RegisteredRoute } from './openapi/document';

const routesByServer = new WeakMap<FastifyInstance, RegisteredRoute[]>();

/** Every route the server registered, HEAD twins included (after `ready()`). */
export function registeredRoutes(app: FastifyInstance): readonly RegisteredRoute[] {
  return routesByServer.get(app) ?? [];
}

/**
 * `GET /openapi.json`, the API's OpenAPI 3.1 document, and `GET /docs`, Swagger UI on it (its
 * assets served from the package, no CDN). Call before registering any route: the document lists
 * the routes the server really has, as an onRoute hook sees them, described by OPERATIONS.
 */
export function registerApiDocs(app: FastifyInstance): void {
  const routes: RegisteredRoute[] = [];
  routesByServer.set(app, routes);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push({ method, url: route.url });
  });
  // @fastify/swagger serves this object as it is; it is filled once every route is known.
  const document = {} as OpenApiDocument;
  app.addHook('onReady', async () => {
    Object.assign(document, openApiDocument(routes));
  });

  app.register(async (scope) => {
    await scope.register(helmet, pageSecurityHeaders({ framedBy: 'nobody', inlineStyles: true }));
    await scope.register(swagger, { mode: 'static', specification: { document } });
    await scope.register(swaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list', deepLinking: true } });
    scope.get('/openapi.json', async () => scope.swagger());
  });
}
