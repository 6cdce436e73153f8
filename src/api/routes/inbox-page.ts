import path from 'node:path';
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import { pageSecurityHeaders, servePageAssets, type PageAsset } from '../page-security';

const ASSETS_DIR = path.resolve(__dirname, '../inbox');

const ASSETS = {
  '/inbox': { file: 'inbox.html', type: 'text/html; charset=utf-8' },
  '/inbox/inbox.css': { file: 'inbox.css', type: 'text/css; charset=utf-8' },
  '/inbox/inbox.js': { file: 'inbox.js', type: 'text/javascript; charset=utf-8' },
} satisfies Record<string, PageAsset>;

/**
 * `GET /inbox`, the staff inbox. The page itself is public and holds nothing: staff sign in with
 * their tenant's token, which the page keeps in sessionStorage and sends as a bearer token to the
 * admin API. So that no injected or framed content can reach that token: a CSP allowing only
 * this origin's scripts and styles and no inline code, and no framing at all (clickjacking).
 */
export function registerInboxPage(app: FastifyInstance): void {
  app.register(async (scope) => {
    await scope.register(helmet, pageSecurityHeaders({ framedBy: 'nobody', inlineStyles: false }));
    servePageAssets(scope, ASSETS_DIR, ASSETS);
  });
}
