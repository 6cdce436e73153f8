import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';

/**
 * Security headers of our pages: scripts, styles, images and requests from this origin only, no
 * plugins, no <base>. Inline styles only where a library needs them (Swagger UI sets style
 * attributes). Framing is said by CSP frame-ancestors alone: X-Frame-Options cannot say "any
 * site", and must not contradict the one page that may be framed (the chat widget's).
 */
export function pageSecurityHeaders({ framedBy, inlineStyles }: { framedBy: 'nobody' | 'any site'; inlineStyles: boolean }) {
  return {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: inlineStyles ? ["'self'", "'unsafe-inline'"] : ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: framedBy === 'any site' ? ['*'] : ["'none'"],
      },
    },
    frameguard: false,
  };
}

export interface PageAsset {
  file: string;
  type: string;
  /** Loaded by other sites' pages (a widget script): Cross-Origin-Resource-Policy lets them. */
  crossOrigin?: boolean;
}

/** Serves a page's files as they are (plain HTML, CSS and JavaScript, no build step), read once. */
export function servePageAssets(scope: FastifyInstance, dir: string, assets: Record<string, PageAsset>): void {
  for (const [route, asset] of Object.entries(assets)) {
    const content = readFileSync(path.join(dir, asset.file));
    scope.get(route, async (_request, reply) => {
      reply.type(asset.type).header('cache-control', 'no-cache');
      if (asset.crossOrigin) reply.header('cross-origin-resource-policy', 'cross-origin');
      return reply.send(content);
    });
  }
}
