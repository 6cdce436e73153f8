import { readFileSync } from 'node:fs';
import path from 'node:path';
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/** The page's files: plain HTML, CSS and JavaScript, served as they are (no build step). */
const ASSETS_DIR = path.resolve(__dirname, '../web-chat');

const ASSETS = {
  '/chat': { file: 'chat.html', type: 'text/html; charset=utf-8' },
  '/chat/chat.css': { file: 'chat.css', type: 'text/css; charset=utf-8' },
  '/chat/chat.js': { file: 'chat.js', type: 'text/javascript; charset=utf-8' },
  '/chat/widget.js': { file: 'widget.js', type: 'text/javascript; charset=utf-8' },
} as const;

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
          frameAncestors: ['*'],
        },
      },
      // Superseded by CSP frame-ancestors, and it cannot say "any site".
      frameguard: false,
    });
    for (const [route, asset] of Object.entries(ASSETS)) {
      const content = readFileSync(path.join(ASSETS_DIR, asset.file));
      const crossOrigin = route === '/chat/widget.js';
      scope.get(route, async (_request, reply) => {
        reply.type(asset.type).header('cache-control', 'no-cache');
        if (crossOrigin) reply.header('cross-origin-resource-policy', 'cross-origin');
        return reply.send(content);
      });
    }
  });
}
