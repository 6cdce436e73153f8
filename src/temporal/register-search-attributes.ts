import type { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { Logger } from '../logger';
import { CUSTOM_SEARCH_ATTRIBUTES } from './search-attributes';

const KEYWORD = temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD;
const ALREADY_EXISTS = 6; // gRPC status code

/**
 * Makes sure the namespace has CONTRACT.md's search attributes: starting a workflow that sets an
 * unknown one fails. Idempotent, so every process may run it at start. Where the operator API is
 * not open to us (Temporal Cloud registers attributes in its console), only warns.
 */
export async function registerSearchAttributes(connection: Connection, namespace: string, logger: Logger): Promise<void> {
  try {
    // Some servers (the time-skipping test server) cannot list; then every attribute is added.
    const present = await connection.operatorService
      .listSearchAttributes({ namespace })
      .then((answer) => answer.customAttributes, () => ({}));
    const missing = CUSTOM_SEARCH_ATTRIBUTES.filter((key) => !(key.name in present));
    if (missing.length === 0) return;
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(missing.map((key) => [key.name, KEYWORD])),
    });
    logger.info({ searchAttributes: missing.map((key) => key.name) }, 'registered search attributes');
  } catch (error) {
    if ((error as { code?: number }).code === ALREADY_EXISTS) return;
    logger.warn(
      { err: error, searchAttributes: CUSTOM_SEARCH_ATTRIBUTES.map((key) => key.name) },
      'could not register search attributes; register them as Keyword in the namespace',
    );
  }
}
