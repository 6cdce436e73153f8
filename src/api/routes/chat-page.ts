import path from 'node:path';
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import { pageSecurityHeaders, servePageAssets, type PageAsset } from '../page-security';

const ASSETS_DIR = path.resolve(__dirname, '../web-chat');

const ASSETS = {
  '/chat': { file: 'chat.html', type: 'text/html; charset=utf-8' },
  '/chat/chat.css': { file: 'chat.css', type: 'text/css; charset=utf-8' },
  '/chat/chat.js': { file: 'chat.js', type: 'text/javascript; charset=utf-8' },
  '/chat/widget.js': { file: 'widget.js', type: 'text/javascript; charset=utf-8', crossOrigin: true },
} satisfies Record<string, PageAsset>;

/**
 * `GET /chat`, the web chat page, and `GET /chat/widget.js`, the script a business adds to its
 * site to open the page in a frame. Helmet sets the security headers: a CSP that allows only this
 * origin's scripts, styles and requests, and no inline code. Any site may frame the page (the
 * widget's whole point): it holds no cookie or other ambient credential, and a framed page's
 * storage is partitioned by the site around it. widget.js is loaded by other origins, so its
 * Cross-Origin-Resource-Policy lets them.
 */
export function registerChatPage(app: FastifyInstance): void {
  app.register(async (scope) => {
    await scope.register(helmet, pageSecurityHeaders({ framedBy: 'any site', inlineStyles: false }));
    servePageAssets(scope, ASSETS_DIR, ASSETS);
  });
}
