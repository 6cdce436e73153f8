import type { TLSConfig } from '@temporalio/client';

/** How to reach the Temporal frontend: what both the client's and the worker's connections take. */
export interface TemporalEndpoint {
  address: string;
  /** Unset: plaintext (the embedded dev server, a cluster inside a private network). */
  tls?: TLSConfig;
  /** Temporal Cloud's API key, sent as a bearer token (over TLS). */
  apiKey?: string;
}

/** The endpoint at `address` with the credentials configured for it (TEMPORAL_API_KEY, TEMPORAL_TLS_*). */
export function temporalEndpoint(address: string, access: Pick<TemporalEndpoint, 'tls' | 'apiKey'>): TemporalEndpoint {
  return { address, ...(access.tls ? { tls: access.tls } : {}), ...(access.apiKey ? { apiKey: access.apiKey } : {}) };
}
