import type { Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { findLeadById, listLeads, markCrmPending } from '../../db/leads';
import type { Pool } from '../../db/pool';
import { TenantIdSchema } from '../../domain/conversation';
import { LeadStageSchema, type Lead } from '../../domain/leads';
import { requestLeadSync } from '../../temporal/leads';
import { leadSyncWorkflowId } from '../../workflows/lead-sync-definitions';
import { oneTenantInScope, tenantInScope, type AdminAuthenticator } from '../admin-auth';
import { HttpError, parseRequest } from '../errors';

export const LeadsQuerySchema = z.object({
  tenant: TenantIdSchema.optional(),
  stage: LeadStageSchema.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export const LeadParamsSchema = z.object({ id: z.string().max(100) });

export interface AdminLeadsDeps {
  pool: Pool;
  client: Client;
  taskQueue: string;
  authenticate: AdminAuthenticator;
}

/**
 * `GET /admin/leads` (filters `tenant`, `stage`) and `POST /admin/leads/:id/push` (push a lead
 * again, after fixing the CRM's settings). The operator's token sees every tenant; a tenant's
 * token only its own, and another tenant's lead is not found.
 */
export function registerAdminLeadsRoutes(app: FastifyInstance, deps: AdminLeadsDeps): void {
  app.get('/admin/leads', async (request) => {
    const bearer = await deps.authenticate(request);
    const query = parseRequest(LeadsQuerySchema, request.query);
    const tenantId = tenantInScope(bearer, query.tenant);
    const leads = await listLeads(deps.pool, { tenantId, stage: query.stage, limit: query.limit });
    return { leads: leads.map(leadView) };
  });

  app.post('/admin/leads/:id/push', async (request, reply) => {
    const bearer = await deps.authenticate(request);
    const { id } = parseRequest(LeadParamsSchema, request.params);
    const { tenant } = parseRequest(z.object({ tenant: TenantIdSchema.optional() }), request.query);
    const tenantId = oneTenantInScope(bearer, tenant);
    const lead = await findLeadById(deps.pool, tenantId, id);
    if (!lead) throw new HttpError(404, 'lead_not_found', 'No such lead.');
    await markCrmPending(deps.pool, lead.id);
    await requestLeadSync({ client: deps.client, taskQueue: deps.taskQueue }, { tenantId, leadId: lead.id });
    return reply.code(202).send({ lead: leadView({ ...lead, crmStatus: 'pending', crmError: null }) });
  });
}

function leadView(lead: Lead) {
  return {
    id: lead.id,
    tenant: lead.tenantId,
    contact: { channel: lead.channel, contact_id: lead.contactId },
    name: lead.name,
    email: lead.email,
    phone: lead.phone,
    company: lead.company,
    interests: lead.interests,
    needs: lead.needs,
    budget: lead.budget,
    score: lead.score,
    stage: lead.stage,
    conversation_id: lead.conversationId,
    crm: { status: lead.crmStatus, external_id: lead.crmExternalId, error: lead.crmError },
    // Where its CRM pushes run, to open in the Temporal UI.
    sync_workflow_id: leadSyncWorkflowId({ tenantId: lead.tenantId, leadId: lead.id }),
    created_at: lead.createdAt.toISOString(),
    updated_at: lead.updatedAt.toISOString(),
  };
}
