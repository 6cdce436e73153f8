import type { LlmProvider } from '../config';
import type { Pool } from '../db/pool';
import type { Logger } from '../logger';
import { createAssistantActivities } from './assistant';
import { createDeliveryActivities, type ChannelCredentials } from './delivery';
import { createHandoffActivities } from './handoff';
import { createProviderClients } from './llm-providers';
import { createMemoryActivities } from './memory';

export interface ActivityDeps {
  pool: Pool;
  llmProviders: readonly LlmProvider[];
  channels: ChannelCredentials;
  logger: Logger;
}

/** Every activity the worker registers, bound to the process's shared resources. */
export function createActivities(deps: ActivityDeps) {
  const providers = createProviderClients(deps.llmProviders);
  return {
    ...createAssistantActivities({ pool: deps.pool, providers }),
    ...createMemoryActivities({ pool: deps.pool, providers }),
    ...createDeliveryActivities({ pool: deps.pool, channels: deps.channels }),
    ...createHandoffActivities({ pool: deps.pool, logger: deps.logger }),
  };
}

export type Activities = ReturnType<typeof createActivities>;
