import type { LlmProvider } from '../config';
import type { Pool } from '../db/pool';
import type { PriceTable } from '../domain/pricing';
import type { Logger } from '../logger';
import { createAssistantActivities } from './assistant';
import { createDeliveryActivities, type ChannelCredentials } from './delivery';
import { createHandoffActivities } from './handoff';
import { createModelChain } from './llm-providers';
import { createMemoryActivities } from './memory';
import { createToolActivities } from './tools';
import { createTranscriptionActivities } from './transcription';

export interface ActivityDeps {
  pool: Pool;
  llmProviders: readonly LlmProvider[];
  llmPrices: PriceTable;
  channels: ChannelCredentials;
  logger: Logger;
}

/** Every activity the worker registers, bound to the process's shared resources. */
export function createActivities(deps: ActivityDeps) {
  const chain = createModelChain(deps.llmProviders, deps.llmPrices);
  return {
    ...createAssistantActivities({ pool: deps.pool, chain }),
    ...createToolActivities({ pool: deps.pool }),
    ...createTranscriptionActivities({ chain }),
    ...createMemoryActivities({ pool: deps.pool, chain }),
    ...createDeliveryActivities({ pool: deps.pool, channels: deps.channels }),
    ...createHandoffActivities({ pool: deps.pool, logger: deps.logger }),
  };
}

export type Activities = ReturnType<typeof createActivities>;
