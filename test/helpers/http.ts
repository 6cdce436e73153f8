import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';

export interface HttpResponse {
  status: number;
  body: any;
  /** Lower-case names. */
  headers: Record<string, string>;
}

/** A real HTTP request; a JSON body is sent as JSON, a string as it is. */
export type HttpRequest = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<HttpResponse>;

export function httpClient(baseUrl: string): HttpRequest {
  return async (method, path, body, headers = {}) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text.startsWith('{') ? JSON.parse(text) : text, headers: Object.fromEntries(response.headers) };
  };
}

/** Serves the app on a free port of 127.0.0.1. */
export async function listen(app: FastifyInstance): Promise<{ baseUrl: string; request: HttpRequest }> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  return { baseUrl, request: httpClient(baseUrl) };
}
