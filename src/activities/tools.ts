import { searchServices } from '../db/catalogue';
import type { Pool } from '../db/pool';
import type { ServiceSearchResult } from '../domain/catalogue';
import type { ToolArgs, ToolOutcome } from '../domain/tools';
import { recordUsage, toolCounter } from './usage';

/**
 * The assistant's tools, one activity each. The workflow has already checked the arguments and
 * passes the conversation's tenant itself: nothing here trusts the model with a tenant id.
 */
export interface ToolInput<Args> {
  tenantId: string;
  args: Args;
}

/** A tool's answer to the model; `error` is a business refusal the model can explain. */
export type ToolAnswer<Content> = { outcome: Extract<ToolOutcome, 'ok'>; content: Content } | { outcome: Extract<ToolOutcome, 'error'>; content: { error: string } };

export function createToolActivities(deps: { pool: Pool }) {
  return {
    async searchServicesTool(input: ToolInput<ToolArgs<'search_services'>>): Promise<ToolAnswer<ServiceSearchResult>> {
      const services = await searchServices(deps.pool, input.tenantId, input.args.query);
      await recordUsage(deps.pool, [toolCounter(input.tenantId, 'search_services', 'ok')]);
      return { outcome: 'ok', content: { services } };
    },

    /** The handoff itself is the workflow's (after the reply goes out); this tells the model it is done. */
    async escalateToHumanTool(input: ToolInput<ToolArgs<'escalate_to_human'>>): Promise<ToolAnswer<{ handedOver: true }>> {
      await recordUsage(deps.pool, [toolCounter(input.tenantId, 'escalate_to_human', 'ok')]);
      return { outcome: 'ok', content: { handedOver: true } };
    },
  };
}
