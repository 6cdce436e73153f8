import { readFileSync } from 'node:fs';
import path from 'node:path';
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/** The page's files: plain HTML, CSS and JavaScript, served as they are (no build step). */
const ASSETS_DIR = path.resolve(__dirname, '../inbox');

const ASSETS = {
  '/inbox': { file: 'inbox.html', type: 'text/html; charset=utf-8' },
  '/inbox/inbox.css': { file: 'inbox.css', type: 'text/css; charset=utf-8' },
  '/inbox/inbox.js': { file: 'inbox.js', type: 'text/javascript; charset=utf-8' },
} as const;

/**
 * `GET /inbox`, the staff inbox. The page itself is public and holds nothing: staff sign in with
 * their tenant's token, which the page keeps in sessionStorage and sends as a bearer token to the
 * admin API. So that no injected or framed content can reach that token: a CSP allowing only
 * this origin's scripts and styles and no inline code, and no framing at all (clickjacking).
 */
export function registerInboxPage(app: FastifyInstance): void {
  app.register(async (scope) => {
    await scope.register(helmet, {
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          connectSrc: ["'self'"],
          fontSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'none'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
        },
      },
    });
    for (const [route, asset] of Object.entries(ASSETS)) {
      const content = readFileSync(path.join(ASSETS_DIR, asset.file));
      scope.get(route, async (_request, reply) => reply.type(asset.type).header('cache-control', 'no-cache').send(content));
    }
  });
}
