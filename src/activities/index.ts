import type { Pool } from '../db/pool';
import type { LlmProvider } from '../config';
import { createAssistantActivities } from './assistant';
import { createProviderClients } from './llm-providers';

export interface ActivityDeps {
  pool: Pool;
  llmProviders: readonly LlmProvider[];
}

/** Every activity the worker registers, bound to the process's shared resources. */
export function createActivities(deps: ActivityDeps) {
  const providers = createProviderClients(deps.llmProviders);
  return {
    ...createAssistantActivities({ pool: deps.pool, providers }),
  };
}

export type Activities = ReturnType<typeof createActivities>;
